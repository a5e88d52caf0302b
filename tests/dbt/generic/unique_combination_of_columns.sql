{#
    Fails for every combination of `combination_of_columns` that appears on more than one
    row (same behaviour as dbt_utils.unique_combination_of_columns). Nulls compare equal:
    (2026-01-01, email, null) twice is a duplicate.
    Usage (model level):
        data_tests:
          - unique_combination_of_columns:
              arguments:
                combination_of_columns: [rate_date, currency]
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

    select
        {{ combination_of_columns | join(', ') }},
        count(*) as row_count

    from {{ model }}
    group by all
    having count(*) > 1

{% endtest %}
