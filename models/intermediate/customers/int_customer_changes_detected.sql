{{
    config(
        materialized='incremental',
        unique_key='customer_id',
        incremental_strategy='delete+insert',
    )
}}
{#-
    The customers whose figures a run must recompute, on load time (macro changed_keys).
    A full build flags every customer id ever assigned. An incremental run flags the
    customers of the timeline's rows loaded since its previous run, of the web events whose
    session was written since (a late event can move sessions), of the sales converted again
    at a newly loaded exchange rate, both customers of every record an identity run moved since (a
    merge, a split), and the customers whose country or anonymity changed.
    `changed_at` is the start of the run that flagged the customer last (the watermark of
    identity's moves, of the web sessions and of the exchange rates); `_loaded_at` the
    latest load time of the timeline that run had seen (the watermark of the timeline and
    its sales).
-#}
{%- set loaded_since = "_loaded_at > (select max(_loaded_at) from " ~ this ~ ")" -%}
with

-- import CTEs read more than once are `not materialized`: each reader scans the
-- table again instead of a copy of it being held in memory
interactions as not materialized (

    select * from {{ ref('fct_interactions') }}

),

orders as (

    select * from {{ ref('fct_orders') }}

),

web_sessions as (

    select * from {{ ref('int_web_events_sessionized') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_completed') }}

),

assignments as not materialized (

    select * from {{ ref('identity_assignment_history') }}

),

customers as not materialized (

    select * from {{ ref('dim_customers') }}

),

{% if is_incremental() %}

built as not materialized (

    select * from {{ this }}

),

new_interactions as (

    select customer_id from interactions
    where {{ loaded_since }}

),

resessionized_web_events as (

    select interactions.customer_id
    from interactions
    inner join web_sessions
        on interactions.interaction_id = {{ identity_record_key('web', 'events', 'web_sessions.event_id') }}
    where web_sessions._sessionized_at > (select max(changed_at) from built)

),

converted_sales as (

    select customer_id from orders
    where {{ loaded_since }}
        -- rates loaded since the previous run started
        or fx_date >= {{ first_reconverted_fx_date('fx_rates', '(select max(changed_at) from built)') }}

),

moved_records as (

    select customer_id from assignments
    where assigned_at > (select max(changed_at) from built)
    union all
    select previous_customer_id from assignments
    where assigned_at > (select max(changed_at) from built)

),

changed_attributes as (

    select customers.customer_id
    from customers
    left join built
        on customers.customer_id = built.customer_id
    where built.customer_id is null
        or built.country_code is distinct from customers.country_code
        or built.is_anonymous is distinct from customers.is_anonymous

),

changed as (

    select * from new_interactions
    union
    select * from resessionized_web_events
    union
    select * from converted_sales
    union
    select * from moved_records
    union
    select * from changed_attributes

),

{% else %}

changed as (

    select customer_id from customers
    union
    select customer_id from assignments
    union
    select previous_customer_id from assignments

),

{% endif %}

final as (

    select
        changed.customer_id,
        customers.country_code,
        customers.is_anonymous,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp) as changed_at,
        (select max(_loaded_at) from interactions) as _loaded_at,

    from changed
    left join customers
        on changed.customer_id = customers.customer_id
    where changed.customer_id is not null

)

select * from final
