{#-
    No customer may hold more records than the var identity_max_cluster_size: a larger one
    is a runaway merge through an identifier that should have been refused as shared (add
    it to identity_blocked_values, or lower its max_strong_identities in identity_rules).
-#}
select customer_id, count(*) as records
from {{ ref('int_identity_records_clustered') }}
group by customer_id
having count(*) > {{ var('identity_max_cluster_size') }}
