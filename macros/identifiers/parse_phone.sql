{#
    Parse a phone number written in any format into E.164, for France and North America
    (Canada, USA), without looking at placeholders (see clean_phone). Every character that
    is not a digit is dropped first, then the digits are read as:

    | digits                                    | example input          | result        |
    |-------------------------------------------|------------------------|---------------|
    | 0 + 9 digits (French national)            | 06.12.34.56.78         | +33612345678  |
    | 33 + 9 digits (+33, country code)         | +33 6 12 34 56 78      | +33612345678  |
    | 33 0 + 9 digits (+33 (0)6...)             | +33 (0)6 12 34 56 78   | +33612345678  |
    | 0033 + 9 digits (international prefix)    | 0033612345678          | +33612345678  |
    | NXX NXX XXXX (10 digits, N = 2-9)         | (514) 555-0199         | +15145550199  |
    | 1 + NXX NXX XXXX (+1, or 1 dialled)       | +1 514 555 0199        | +15145550199  |
    | 001 + NXX NXX XXXX (international prefix) | 001 514 555 0199       | +15145550199  |

    French significant numbers start with 1-9. Anything else (too short, too long, another
    country) gives null.
#}
{% macro parse_phone(column) -%}
    {%- set digits = "regexp_replace(" ~ column ~ ", '[^0-9]', '', 'g')" -%}
    case
        when regexp_full_match({{ digits }}, '0[1-9][0-9]{8}')
            then '+33' || substr({{ digits }}, 2)
        when regexp_full_match({{ digits }}, '(0033|33)0?[1-9][0-9]{8}')
            then '+33' || right({{ digits }}, 9)
        when regexp_full_match({{ digits }}, '(001|1)?[2-9][0-9]{2}[2-9][0-9]{6}')
            then '+1' || right({{ digits }}, 10)
    end
{%- endmacro %}
