{#
    Post-hook of the incremental facts: sets customer_id of the rows already built to the
    customer their record belongs to now, so that a merge, a split or a cookie that logs in
    reaches old rows without rebuilding them. A customer known only by cookies or devices
    counts as none when `identified_only` is true (the timeline's rule).
#}
{% macro refresh_customer_ids(key_column, identified_only=false) -%}
    update {{ this }} as target
    set customer_id = current_customers.customer_id
    from (
        select
            built.{{ key_column }} as record_key,
            {% if identified_only -%}
            case when not customers.is_anonymous then clusters.customer_id end as customer_id
            {%- else -%}
            clusters.customer_id
            {%- endif %}
        from {{ this }} as built
        left join {{ ref('int_identity_records_clustered') }} as clusters
            on built.{{ key_column }} = clusters.record_key
        {% if identified_only -%}
        left join {{ ref('dim_customers') }} as customers
            on clusters.customer_id = customers.customer_id
        {%- endif %}
    ) as current_customers
    where target.{{ key_column }} = current_customers.record_key
        and target.customer_id is distinct from current_customers.customer_id
{%- endmacro %}
