{#
    A sale of fct_orders that is a purchase: a store sale or an online order that was not
    cancelled and is no longer pending (returns and refunds still count in net revenue).
#}
{% macro is_purchase(relation_alias=none) -%}
    {%- set prefix = relation_alias ~ '.' if relation_alias else '' -%}
    ({{ prefix }}transaction_type = 'sale' and coalesce({{ prefix }}order_status, '') not in ('cancelled', 'pending'))
{%- endmacro %}
