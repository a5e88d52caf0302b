{#
    Post-hook of the incremental facts: sets customer_id of the rows already built to the
    customer their record belongs to now, so that a merge, a split or a cookie that logs in
    reaches old rows without rebuilding them. A customer known only by cookies or devices
    counts as none when `identified_only` is true (the timeline's rule).

    Only the records that can have changed since the fact's last build (macro
    last_processed_at; the fact records its builds with record_incremental_progress) are
    looked up, not the whole fact:
    - the records identity moved since (identity_assignment_history: merges, splits, new
      records);
    - with `identified_only`, also every record of a customer that gained or lost a record
      then, or that has a row loaded since: only those customers can have become
      identified or anonymous.
#}
{% macro refresh_customer_ids(key_column, identified_only=false) -%}
    update {{ this }} as target
    set customer_id = current_customers.customer_id
    from (
        with

        moves as (
            select record_key, customer_id, previous_customer_id
            from {{ ref('identity_assignment_history') }}
            where assigned_at > {{ last_processed_at() }}
        ),

        {% if identified_only -%}
        customers_changed as (
            select customer_id from moves
            union
            select previous_customer_id from moves
            union
            select customer_id from {{ ref('int_identity_records_clustered') }}
            where record_key in (
                select {{ key_column }} from {{ this }}
                where _loaded_at > {{ last_processed_at() }}
            )
        ),

        records_to_check as (
            select record_key from moves
            union
            select record_key from {{ ref('int_identity_records_clustered') }}
            where customer_id in (select customer_id from customers_changed)
        )
        {%- else -%}
        records_to_check as (
            select distinct record_key from moves
        )
        {%- endif %}

        select
            records_to_check.record_key,
            {% if identified_only -%}
            case when not customers.is_anonymous then clusters.customer_id end as customer_id
            {%- else -%}
            clusters.customer_id
            {%- endif %}
        from records_to_check
        left join {{ ref('int_identity_records_clustered') }} as clusters
            on records_to_check.record_key = clusters.record_key
        {% if identified_only -%}
        left join {{ ref('dim_customers') }} as customers
            on clusters.customer_id = customers.customer_id
        {%- endif %}
    ) as current_customers
    where target.{{ key_column }} = current_customers.record_key
        and target.customer_id is distinct from current_customers.customer_id
{%- endmacro %}
