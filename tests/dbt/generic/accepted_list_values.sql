{#
    For a LIST column (VARCHAR[]): fails for every row holding an element that is not one
    of `values`. A null list or an empty list passes.
    Usage (column level):
        data_tests:
          - accepted_list_values:
              arguments:
                values: [email, social, web]
#}
{% test accepted_list_values(model, column_name, values) %}

    with

    elements as (

        select unnest({{ column_name }}) as element
        from {{ model }}

    )

    select element
    from elements
    where element is null
        or element not in (
            {%- for value in values %}
            '{{ value }}'{{ "," if not loop.last }}
            {%- endfor %}
        )

{% endtest %}
