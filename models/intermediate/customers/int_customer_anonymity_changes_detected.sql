{{
    config(
        materialized='incremental',
        unique_key='customer_id',
        incremental_strategy='delete+insert',
    )
}}
{#-
    Each customer's anonymity (dim_customers.is_anonymous: known by cookies and devices
    only) as the last run saw it, and when it last changed. The timeline shows no customer
    on the rows of an anonymous one, so when a customer becomes identified (a cookie logs
    in) or anonymous again (a split), rows already built whose record did not move must
    change too: fct_interactions' post-hook (macro refresh_customer_ids) looks up the
    records of the customers flagged here since its own last build, instead of every
    record of every customer identity touched. Upstream of the timeline, so it reads
    dim_customers alone: int_customer_changes_detected reads the timeline.
    A full build flags every customer; an incremental run, the customers that are new or
    whose anonymity differs from the one stored.
-#}
with

customers as (

    select * from {{ ref('dim_customers') }}

),

{% if is_incremental() %}

built as (

    select * from {{ this }}

),

{% endif %}

changed as (

    select
        customers.customer_id,
        customers.is_anonymous,

    from customers
    {%- if is_incremental() %}
    left join built
        on customers.customer_id = built.customer_id
    where built.is_anonymous is distinct from customers.is_anonymous
    {%- endif %}

),

final as (

    select
        customer_id,
        is_anonymous,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp) as changed_at,

    from changed

)

select * from final
