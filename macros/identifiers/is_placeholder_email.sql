{#
    True when an email was given (not null, not blank) but identifies nobody:
    - the whole address (trimmed, lower case) is in the var `placeholder_emails`
      (`noemail@store.com`, `none@none.com`...);
    - its local part, before any `+tag`, is in the var `placeholder_email_local_parts`
      (`noemail@anything.fr`, `refus+1@client.fr`...);
    - it is not a syntactically valid address: one `@`, a local part of letters (accented
      letters allowed), digits and . _ % + - ' (not starting or ending with a dot, no
      `..`), a domain of at least two dot-separated labels of letters, digits and inner
      dashes, ending with a TLD of 2+ letters. No spaces inside.
    False when the email is valid and real, null when no email was given.
#}
{% macro is_placeholder_email(column) -%}
    {%- set email = 'lower(trim(' ~ column ~ '))' -%}
    case
        when nullif(trim({{ column }}), '') is null then null
        when {{ email }} in {{ sql_string_list(var('placeholder_emails')) }} then true
        when split_part(split_part({{ email }}, '@', 1), '+', 1)
            in {{ sql_string_list(var('placeholder_email_local_parts')) }} then true
        when not regexp_full_match(
            {{ email }},
            '[\p{L}0-9_%+''-]+(\.[\p{L}0-9_%+''-]+)*@[\p{L}0-9]([\p{L}0-9-]*[\p{L}0-9])?(\.[\p{L}0-9]([\p{L}0-9-]*[\p{L}0-9])?)*\.\p{L}{2,}'
        ) then true
        else false
    end
{%- endmacro %}
