{#
    Body of the import CTE of the timeline (fct_interactions) in the models recomputed per
    customer: the rows of the customers int_customer_changes_detected flagged since the
    model's last build (macro changed_keys). On an incremental build it reads them from
    int_customer_timelines_selected, the changed customers' rows selected once per run,
    when that table covers what the model needs: built after the tracker's latest run, from
    flags older than the model's last build. Otherwise (a model that lags the others, a
    table built by a --full-refresh run or in an earlier run) it looks them up in
    fct_interactions, as it does on a full build (every row).

        interactions as (
            {{ changed_customer_timelines() }}
        ),
#}
{% macro changed_customer_timelines() -%}
    {%- set selected = ref('int_customer_timelines_selected') -%}
    {%- set timeline = ref('fct_interactions') -%}
    {%- set is_covered = false -%}
    {%- if execute and is_incremental()
        and adapter.get_relation(selected.database, selected.schema, selected.identifier) is not none -%}
        {%- set coverage -%}
            select
                coalesce(
                    min(_selected_since) <= {{ last_processed_at() }}
                    and min(_selected_at) >= (
                        select max(changed_at) from {{ ref('int_customer_changes_detected') }}
                    ),
                    false
                )
            from {{ selected }}
        {%- endset -%}
        {%- set is_covered = run_query(coverage).columns[0].values()[0] -%}
    {%- endif -%}
    {%- if is_covered -%}
    select * exclude (_selected_since, _selected_at) from {{ selected }}
    where customer_id in ({{ changed_keys('int_customer_changes_detected', 'customer_id') }})
    {%- else -%}
    select * from {{ timeline }}
    {{ where_changed('int_customer_changes_detected', 'customer_id') }}
    {%- endif -%}
{%- endmacro %}
