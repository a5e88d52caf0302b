{#-
    Every identifier of every customer: one row per (customer, identifier type, value),
    with the sources and records that carry it, first and last seen, and whether a rule
    refused it (shared between several people, blocked) so that it links nobody.
-#}

with

clusters as (

    select * from {{ ref('int_identity_records_clustered') }}

),

identifiers as (

    select * from {{ ref('int_identifiers_extracted') }}

),

links as (

    select * from {{ ref('int_identity_links_evaluated') }}

),

final as (

    select
        {{ generate_surrogate_key(['clusters.customer_id', 'identifiers.identifier_type', 'identifiers.identifier_value']) }}
            as customer_identifier_id,
        cast(clusters.customer_id as varchar) as customer_id,
        cast(identifiers.identifier_type as varchar) as identifier_type,
        cast(identifiers.identifier_value as varchar) as identifier_value,
        -- no distinct aggregate: a record carries a (type, value) once, and has one customer
        cast(array_to_string(list_sort(list_distinct(list(identifiers.source))), ',') as varchar)
            as sources,
        cast(count(*) as bigint) as record_count,
        cast(min(identifiers.observed_at) as timestamp) as first_seen_at,
        cast(max(identifiers.observed_at) as timestamp) as last_seen_at,
        cast(coalesce(bool_or(links.rule = 'shared_identifier'), false) as boolean) as is_shared,
        cast(coalesce(bool_or(links.rule = 'blocked_value'), false) as boolean) as is_blocked,
        cast(coalesce(bool_or(links.is_accepted), false) as boolean) as is_linking

    from clusters
    inner join identifiers
        on clusters.record_key = identifiers.record_key
    left join links
        on identifiers.record_key = links.record_key
        and identifiers.identifier_type = links.identifier_type
        and identifiers.identifier_value = links.identifier_value
    group by clusters.customer_id, identifiers.identifier_type, identifiers.identifier_value

)

select * from final
