{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook=["{{ delete_changed_rows('int_sale_changes_detected', 'order_key') }}"],
        post_hook=["{{ record_incremental_progress() }}"],
    )
}}
{#-
    The credit of every touch of a sale under each attribution model (rows: sale, touch,
    model). Credits of a sale sum to 1 per model.

    Incremental on load time: a run recomputes the sales int_sale_changes_detected flagged
    (the pre-hook deletes their rows first).
-#}
{%- set first_share = var('attribution_first_touch_share') -%}
{%- set last_share = var('attribution_last_touch_share') -%}
-- depends_on: {{ ref('int_sale_changes_detected') }}
with

sale_touches as (

    select * from {{ ref('int_sale_touches_collected') }}
    {{ where_changed('int_sale_changes_detected', 'order_key') }}

),

weighted as (

    select
        sale_touch_id,
        order_key,
        interaction_id,
        marketing_channel,
        campaign_id,
        case when touch_number = 1 then 1.0 else 0.0 end as first_touch,
        case when touch_number = touches then 1.0 else 0.0 end as last_touch,
        1.0 / touches as linear,
        case
            when touches = 1 then 1.0
            when touches = 2 then 0.5
            when touch_number = 1 then {{ first_share }}
            when touch_number = touches then {{ last_share }}
            else (1.0 - {{ first_share }} - {{ last_share }}) / (touches - 2)
        end as position_based,
        power(0.5, days_before_sale / {{ var('attribution_half_life_days') }}) as time_decay_weight,

    from sale_touches

),

normalised as (

    select
        * exclude (time_decay_weight),
        time_decay_weight / sum(time_decay_weight) over (partition by order_key) as time_decay,

    from weighted

),

unpivoted as (

    unpivot normalised
    on first_touch, last_touch, linear, position_based, time_decay
    into
        name attribution_model
        value credit

),

final as (

    select
        {{ generate_surrogate_key(['sale_touch_id', 'attribution_model']) }} as touch_credit_id,
        sale_touch_id,
        order_key,
        interaction_id,
        marketing_channel,
        campaign_id,
        attribution_model,
        cast(credit as double) as credit,

    from unpivoted

)

select * from final
