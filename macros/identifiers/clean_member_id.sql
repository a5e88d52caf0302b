{#
    A loyalty member id: clean_reference (whitespace and a leading `#` removed, upper
    case), then, when what remains is only digits, the member-id prefix of the var
    `member_id_prefix` (`M`) put back: agents typing member ids in the contact centre
    sometimes drop it (` m00123456` and `00123456` -> `M00123456`). Other typos (a digit
    changed or swapped) cannot be repaired here. Null when empty.
#}
{% macro clean_member_id(column) -%}
    {%- set reference = clean_reference(column) -%}
    {%- set prefix = var('member_id_prefix', '') -%}
    {%- if prefix -%}
    case
        when regexp_full_match({{ reference }}, '[0-9]+') then '{{ prefix | upper }}' || {{ reference }}
        else {{ reference }}
    end
    {%- else -%}
    {{ reference }}
    {%- endif -%}
{%- endmacro %}
