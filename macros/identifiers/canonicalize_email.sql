{#
    The form of an email used to match people across channels: the mailbox the message
    reaches. Trimmed, lower case, null when empty or a placeholder (as clean_email), then:
    - every domain: the `+tag` of the local part is removed
      (`jean+promo@videotron.ca` -> `jean@videotron.ca`);
    - Gmail (`gmail.com`, `googlemail.com`): dots of the local part are also removed and
      the domain becomes `gmail.com` (`Marie.Dupont+promo@googlemail.com` ->
      `mariedupont@gmail.com`).
#}
{% macro canonicalize_email(column) -%}
    {%- set email = 'lower(trim(' ~ column ~ '))' -%}
    {%- set local_part = "split_part(split_part(" ~ email ~ ", '@', 1), '+', 1)" -%}
    {%- set domain = "split_part(" ~ email ~ ", '@', 2)" -%}
    case
        when coalesce({{ is_placeholder_email(column) }}, true) then null
        when {{ domain }} in ('gmail.com', 'googlemail.com')
            then replace({{ local_part }}, '.', '') || '@gmail.com'
        else {{ local_part }} || '@' || {{ domain }}
    end
{%- endmacro %}
