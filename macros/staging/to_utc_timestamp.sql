{#
    Cast an ISO-8601 text with an offset or `Z` (`2026-11-21T10:00:00+01:00`) to a naive
    TIMESTAMP in UTC (`2026-11-21 09:00:00`). Null stays null.
#}
{% macro to_utc_timestamp(column) -%}
    (cast({{ column }} as timestamptz) at time zone 'UTC')
{%- endmacro %}
