{#
    Post-hook of the incremental facts: sets customer_id of the rows already built to the
    customer their record belongs to now, so that a merge, a split or a cookie that logs in
    reaches old rows without rebuilding them. A customer known only by cookies or devices
    counts as none when `identified_only` is true (the timeline's rule).

    Only the records that can have changed since the fact's last build (macro
    last_processed_at; the fact records its builds with record_incremental_progress) are
    looked up, not the whole fact:
    - the records identity moved since (identity_assignment_history: merges, splits, new
      records), whose latest move gives their customer now;
    - with `identified_only`, also every record of a customer whose anonymity changed
      since (int_customer_anonymity_changes_detected): a record that did not move keeps
      its customer, whose rows change only when that customer became identified or
      anonymous. The record table (int_identity_records_clustered) is read once for them.

    Nothing on a full build: its rows were just built with the customers of now (and on a
    --full-refresh the anonymity tracker, rebuilt too, flags every customer, so the update
    would look up every record for nothing).
#}
{% macro refresh_customer_ids(key_column, identified_only=false) -%}
    {#- refs resolved outside the `if`: parsing, where is_incremental() is false, records
        them as the fact's parents #}
    {%- set assignment_history = ref('identity_assignment_history') -%}
    {%- if identified_only -%}
        {%- set anonymity_changes = ref('int_customer_anonymity_changes_detected') -%}
        {%- set records = ref('int_identity_records_clustered') -%}
        {%- set customers = ref('dim_customers') -%}
    {%- endif -%}
    {%- if is_incremental() -%}
    update {{ this }} as target
    set customer_id = current_customers.customer_id
    from (
        with

        moves as (
            select record_key, customer_id, previous_customer_id, assigned_at
            from {{ assignment_history }}
            where assigned_at > {{ last_processed_at() }}
        ),

        moved_records as (
            -- a record's latest move is its customer now (null: it left every customer)
            select record_key, customer_id from moves
            qualify row_number() over (partition by record_key order by assigned_at desc) = 1
        ){% if identified_only %},

        anonymity_changed as (
            select customer_id from {{ anonymity_changes }}
            where changed_at > {{ last_processed_at() }}
        ),

        records_to_check as (
            select record_key, customer_id from moved_records
            union
            select record_key, customer_id from {{ records }}
            where customer_id in (select customer_id from anonymity_changed)
        )

        select
            records_to_check.record_key,
            case when not customers.is_anonymous then records_to_check.customer_id end as customer_id
        from records_to_check
        left join {{ customers }} as customers
            on records_to_check.customer_id = customers.customer_id
        {%- else %}

        select record_key, customer_id from moved_records
        {%- endif %}
    ) as current_customers
    where target.{{ key_column }} = current_customers.record_key
        and target.customer_id is distinct from current_customers.customer_id
    {%- endif -%}
{%- endmacro %}
