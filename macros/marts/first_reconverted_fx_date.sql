{#
    Scalar subquery: the earliest rate date among the exchange rates loaded after `since`
    (`infinity` when none was: DuckDB pushes a comparison with a value into a scan, not one
    with null, and would compute every row of a staging view first). Every sale whose
    fx_date is on or after it may convert at another rate than before, so the models that
    store converted amounts, or read them, take those sales again. The watermark is a build or run time, not the latest sale's load time: the
    finance extract is loaded after the channels, so a rate history loaded with the first
    delivery would otherwise look newer than every sale and re-convert them all.
#}
{% macro first_reconverted_fx_date(fx_rates, since) -%}
    (
        select coalesce(min(rate_date), cast('infinity' as date)) from {{ fx_rates }}
        where _loaded_at > {{ since }}
    )
{%- endmacro %}
