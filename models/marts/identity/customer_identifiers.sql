{#-
    Every identifier of every customer: one row per (customer, identifier type, value),
    with the sources and records that carry it, first and last seen, and whether a rule
    refused it (shared between several people, blocked) so that it links nobody.

    The identifiers and the rules' judgements of them are stacked and grouped, not joined on
    (record, type, value): a join would hold every judgement in a hash table, the largest
    of this model's inputs.
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

-- an identifier row has a source, a judgement none
observations as (

    select
        record_key,
        identifier_type,
        identifier_value,
        source,
        observed_at,
        cast(null as varchar) as rule,
        cast(null as boolean) as is_accepted

    from identifiers

    union all

    select
        record_key,
        identifier_type,
        identifier_value,
        null as source,
        null as observed_at,
        rule,
        is_accepted

    from links

),

-- first per source, so that the list of sources is built from a few rows per identifier
-- (a record carries a (type, value) once, and has one customer: no distinct needed)
per_source as (

    select
        clusters.customer_id,
        observations.identifier_type,
        observations.identifier_value,
        observations.source,
        count(*) filter (where observations.source is not null) as record_count,
        min(observations.observed_at) as first_seen_at,
        max(observations.observed_at) as last_seen_at,
        bool_or(observations.rule = 'shared_identifier') as is_shared,
        bool_or(observations.rule = 'blocked_value') as is_blocked,
        bool_or(observations.is_accepted) as is_linking

    from clusters
    inner join observations
        on clusters.record_key = observations.record_key
    group by all

),

per_identifier as (

    select
        customer_id,
        identifier_type,
        identifier_value,
        list_sort(list(source) filter (where source is not null)) as sources,
        sum(record_count) as record_count,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        bool_or(is_shared) as is_shared,
        bool_or(is_blocked) as is_blocked,
        bool_or(is_linking) as is_linking

    from per_source
    group by customer_id, identifier_type, identifier_value

),

-- judgements of no identifier row (the fuzzy matcher's pair links) are not identifiers
final as (

    select
        {{ generate_surrogate_key(['customer_id', 'identifier_type', 'identifier_value']) }}
            as customer_identifier_id,
        cast(customer_id as varchar) as customer_id,
        cast(identifier_type as varchar) as identifier_type,
        cast(identifier_value as varchar) as identifier_value,
        cast(array_to_string(sources, ',') as varchar) as sources,
        cast(record_count as bigint) as record_count,
        cast(first_seen_at as timestamp) as first_seen_at,
        cast(last_seen_at as timestamp) as last_seen_at,
        cast(coalesce(is_shared, false) as boolean) as is_shared,
        cast(coalesce(is_blocked, false) as boolean) as is_blocked,
        cast(coalesce(is_linking, false) as boolean) as is_linking

    from per_identifier
    where record_count > 0

)

select * from final
