{#-
    A value refused as shared or blocked links nobody: no accepted link may carry a value
    that the same rules refused on another record (the rules are per value, not per record).
-#}
{{ config(meta={'dagster': {'ref': {'name': 'identity_links_refused'}}}) }}

select accepted.identifier_type, accepted.identifier_value, accepted.record_key
from {{ ref('int_identity_links_evaluated') }} as accepted
inner join {{ ref('identity_links_refused') }} as refused
    on accepted.identifier_type = refused.identifier_type
    and accepted.identifier_value = refused.identifier_value
    and refused.rule in ('shared_identifier', 'blocked_value')
where accepted.is_accepted
