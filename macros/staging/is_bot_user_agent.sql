{#
    True when a browser user agent belongs to a bot, crawler, monitoring probe or headless
    browser: it matches (case-insensitively) one of the regular expressions of the var
    `bot_user_agent_patterns`. False when the user agent is null or empty.
#}
{% macro is_bot_user_agent(user_agent) -%}
    {%- set patterns = var('bot_user_agent_patterns') -%}
    coalesce(regexp_matches(lower({{ user_agent }}), '{{ patterns | join("|") }}'), false)
{%- endmacro %}
