{#
    Keep only the latest version of each record of a landed extract.

    Expands to a `qualify` clause, to put at the end of the `select` that reads the rows
    to deduplicate (the columns named must exist in that select's input):

        select * from renamed
        {{ deduplicate_latest(partition_by=['order_id'], order_by=['updated_at']) }}

    Rules of the landing contract: the version with the latest `order_by` value wins
    (compared in descending order, nulls last); where an extract has no `updated_at`
    (`order_by` empty), or two versions tie, the one delivered later wins: the higher
    `_file_id` (delivery order of the file), then the higher `_source_line`.
#}
{% macro deduplicate_latest(partition_by, order_by=[], tiebreakers=['_file_id', '_source_line']) -%}
    {%- set partition_by = [partition_by] if partition_by is string else partition_by -%}
    {%- set order_by = [order_by] if order_by is string else order_by -%}
    {%- set ordering = [] -%}
    {%- for column in order_by + tiebreakers -%}
        {%- do ordering.append(column ~ ' desc nulls last') -%}
    {%- endfor -%}
    qualify row_number() over (
        partition by {{ partition_by | join(', ') }}
        order by {{ ordering | join(', ') }}
    ) = 1
{%- endmacro %}
