{#
    True when a phone was given (not null, not blank) but identifies nobody:
    - it has no digit at all (`ANONYMOUS`, `PRIVATE`, `N/A`...);
    - its digits are in the var `placeholder_phones` (`0000000000`, `1234567890`...);
    - its digits are all the same (`999-999-9999`, `00 00 00 00 00`), or the digits of its
      national number once parsed are (`+1 999 999 9999`, `+33 6 66 66 66 66`... are
      taken as typed by staff).
    False otherwise (including numbers that cannot be parsed: see is_invalid_phone), null
    when no phone was given.
#}
{% macro is_placeholder_phone(column) -%}
    {%- set digits = "regexp_replace(" ~ column ~ ", '[^0-9]', '', 'g')" -%}
    {%- set national = "regexp_replace(" ~ parse_phone(column) ~ ", '^\\+(33|1)', '')" -%}
    {#- one digit repeated: 0+|1+|...|9+ (RE2 has no back-references) -#}
    {%- set repeated_digit = '0+|1+|2+|3+|4+|5+|6+|7+|8+|9+' -%}
    case
        when nullif(trim({{ column }}), '') is null then null
        when {{ digits }} = '' then true
        when {{ digits }} in {{ sql_string_list(var('placeholder_phones')) }} then true
        when regexp_full_match({{ digits }}, '{{ repeated_digit }}') then true
        when regexp_full_match({{ national }}, '{{ repeated_digit }}') then true
        else false
    end
{%- endmacro %}
