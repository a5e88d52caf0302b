{{ config(materialized='table') }}
{#-
    The timeline rows (fct_interactions) of the customers that the models recomputed per
    customer (the models that read this one, through the macro changed_customer_timelines)
    recompute in this run, selected once instead of once per model: each of them would
    otherwise look up its customers among every row of the timeline. Only the columns those
    models read: a model that needs another one adds it here (the integration test of
    incremental runs reads this table).

    The rows of the customers int_customer_changes_detected flagged after the oldest last
    build of those models (audit.dbt_incremental_progress; a model built but never recorded
    counts as never built, a model not built yet is left out: its first build reads the whole
    timeline). `_selected_since` is that oldest build, `_selected_at` this run's start: a model
    reads this table only when it covers its own flags (macro changed_customer_timelines).
    Empty in a --full-refresh run (the models rebuilt then read the whole timeline) and when
    no such model is built yet.
-#}
{%- set consumers = [] -%}
{%- if execute and not flags.FULL_REFRESH -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and model.unique_id in node.depends_on.nodes -%}
        {%- if adapter.get_relation(node.database, node.schema, node.alias) is not none -%}
            {%- do consumers.append(node.schema ~ '.' ~ node.alias) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif %}
with

interactions as (

    select * from {{ ref('fct_interactions') }}

),

changes as (

    select * from {{ ref('int_customer_changes_detected') }}

),

{% if consumers %}
consumer_progress as (

    select
        consumers.model_name,
        coalesce(max(progress.processed_until), cast('-infinity' as timestamp)) as processed_until,

    from (values ('{{ consumers | join("'), ('") }}')) as consumers (model_name)
    left join audit.dbt_incremental_progress as progress
        on consumers.model_name = progress.model_name
    group by consumers.model_name

),

selection as (

    select min(processed_until) as selected_since from consumer_progress

),
{% else %}
selection as (

    select cast('infinity' as timestamp) as selected_since

),
{% endif %}

changed_customers as (

    select customer_id from changes
    where changed_at > (select selected_since from selection)

),

final as (

    select
        interactions.interaction_id,
        interactions.customer_id,
        interactions.source,
        interactions.channel,
        interactions.interaction_type,
        interactions.direction,
        interactions.occurred_at,
        interactions.campaign_id,
        interactions.marketing_channel,
        interactions.is_attribution_touch,
        interactions.is_complaint,
        interactions.is_resolved,
        interactions.is_bot,
        interactions.summary,
        interactions.outcome,
        interactions.satisfaction_score,
        selection.selected_since as _selected_since,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp) as _selected_at,

    from interactions
    cross join selection
    where interactions.customer_id in (select customer_id from changed_customers)

)

select * from final
