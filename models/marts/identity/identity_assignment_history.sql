{{
    config(
        materialized='incremental',
        full_refresh=false,
    )
}}
{#-
    History of record -> customer assignments, never rebuilt (full_refresh: false): each
    build appends one row per record whose customer changed since the latest row of that
    record in this table (a new record, a record moved by a merge or a split, a record that
    left every customer: customer_id null). The first build writes every record.
-#}

with

current_assignments as (

    select record_key, customer_id from {{ ref('int_identity_records_clustered') }}

),

{% if is_incremental() %}
latest as (

    select record_key, customer_id
    from {{ this }}
    qualify row_number() over (partition by record_key order by assigned_at desc) = 1

),
{% else %}
latest as (

    select cast(null as varchar) as record_key, cast(null as varchar) as customer_id
    where false

),
{% endif %}

changes as (

    select
        current_assignments.record_key,
        current_assignments.customer_id,
        latest.customer_id as previous_customer_id

    from current_assignments
    left join latest
        on current_assignments.record_key = latest.record_key
    where latest.customer_id is distinct from current_assignments.customer_id

    union all

    -- records that belonged to a customer and no longer do (every identifier refused now)
    select
        latest.record_key,
        null as customer_id,
        latest.customer_id as previous_customer_id

    from latest
    left join current_assignments
        on latest.record_key = current_assignments.record_key
    where current_assignments.record_key is null
        and latest.customer_id is not null

),

final as (

    select
        {{ generate_surrogate_key(['record_key', "'" ~ invocation_id ~ "'"]) }} as assignment_id,
        cast(record_key as varchar) as record_key,
        cast(customer_id as varchar) as customer_id,
        cast(previous_customer_id as varchar) as previous_customer_id,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp) as assigned_at,
        cast('{{ invocation_id }}' as varchar) as invocation_id

    from changes

)

select * from final
