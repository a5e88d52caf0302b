{{
    config(
        materialized='incremental',
        full_refresh=false,
    )
}}
{#-
    One row per customer id that disappeared into another one (a merge), never rebuilt
    (full_refresh: false). Derived from identity_assignment_history: in a build, records
    that moved from customer O to customer S while O no longer exists. The surviving id is
    the older one by construction (the anchor with the earliest first delivery). The link
    that caused the merge is an accepted link of the graph joining one of the moved records
    to a record of S that was not in O (strongest rule first, see identity_rules.priority).
-#}

with

history as (

    select * from {{ ref('identity_assignment_history') }}
    {% if is_incremental() %}
    where invocation_id not in (select invocation_id from {{ this }})
    {% endif %}

),

current_customers as (

    select distinct customer_id from {{ ref('int_identity_records_clustered') }}

),

clusters as (

    select * from {{ ref('int_identity_records_clustered') }}

),

-- read twice, `not materialized`: each reader scans the table again instead of a copy
-- of it being held in memory
links as not materialized (

    select * from {{ ref('int_identity_links_evaluated') }}
    where is_accepted

),

moves as (

    select
        history.invocation_id,
        history.assigned_at,
        history.previous_customer_id as merged_customer_id,
        history.customer_id as surviving_customer_id,
        history.record_key

    from history
    where history.previous_customer_id is not null
        and history.customer_id is not null
        and history.previous_customer_id not in (select customer_id from current_customers)

),

merges as (

    select
        invocation_id,
        min(assigned_at) as merged_at,
        merged_customer_id,
        surviving_customer_id,
        count(*) as records_moved

    from moves
    group by invocation_id, merged_customer_id, surviving_customer_id

),

causes as (

    select
        moves.invocation_id,
        moves.merged_customer_id,
        moves.surviving_customer_id,
        moved_link.identifier_type,
        moved_link.identifier_value,
        moved_link.rule,
        moves.record_key as merged_record_key,
        other_link.record_key as surviving_record_key,
        moved_link.priority

    from moves
    inner join links as moved_link
        on moves.record_key = moved_link.record_key
    inner join links as other_link
        on moved_link.link_type = other_link.link_type
        and moved_link.identifier_value = other_link.identifier_value
        and other_link.record_key <> moves.record_key
    inner join clusters
        on other_link.record_key = clusters.record_key
        and clusters.customer_id = moves.surviving_customer_id
    where not exists (
        select 1 from moves as same_move
        where same_move.invocation_id = moves.invocation_id
            and same_move.merged_customer_id = moves.merged_customer_id
            and same_move.record_key = other_link.record_key
    )
    qualify row_number() over (
        partition by moves.invocation_id, moves.merged_customer_id, moves.surviving_customer_id
        order by moved_link.priority, moved_link.identifier_type, moved_link.identifier_value,
            moves.record_key, other_link.record_key
    ) = 1

),

final as (

    select
        {{ generate_surrogate_key(['merges.invocation_id', 'merges.merged_customer_id', 'merges.surviving_customer_id']) }}
            as merge_id,
        cast(merges.merged_customer_id as varchar) as merged_customer_id,
        cast(merges.surviving_customer_id as varchar) as surviving_customer_id,
        cast(merges.merged_at as timestamp) as merged_at,
        cast(merges.records_moved as bigint) as records_moved,
        cast(causes.identifier_type as varchar) as identifier_type,
        cast(causes.identifier_value as varchar) as identifier_value,
        cast(causes.rule as varchar) as rule,
        cast(causes.merged_record_key as varchar) as merged_record_key,
        cast(causes.surviving_record_key as varchar) as surviving_record_key,
        cast(merges.invocation_id as varchar) as invocation_id

    from merges
    left join causes
        on merges.invocation_id = causes.invocation_id
        and merges.merged_customer_id = causes.merged_customer_id
        and merges.surviving_customer_id = causes.surviving_customer_id

)

select * from final
