{#
    The key of a staged record across the warehouse: `<source>/<extract>:<record id>`
    (`ecommerce/orders:O123`), the same triple as the generator's truth.
#}
{% macro identity_record_key(source_name, extract, record_id) -%}
    '{{ source_name }}/{{ extract }}:' || cast({{ record_id }} as varchar)
{%- endmacro %}
