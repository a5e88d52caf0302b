{#
    Turn a naive local TIMESTAMP (wall-clock time of `time_zone`, an IANA name given as a
    literal or a column) into a naive TIMESTAMP in UTC. Daylight saving is handled by the
    ICU time zone database. A wall-clock time that does not exist (spring-forward gap) or
    that exists twice (fall-back hour) is read with the standard-time (winter) offset, as
    ICU does: 02:30 on the spring-forward night in Toronto -> 07:30 UTC, 01:30 on the
    fall-back night -> 06:30 UTC.
    Example: convert_local_to_utc("strptime(started_at, '%d/%m/%Y %H:%M:%S')", "'America/Toronto'")
#}
{% macro convert_local_to_utc(local_timestamp, time_zone) -%}
    timezone('UTC', timezone({{ time_zone }}, {{ local_timestamp }}))
{%- endmacro %}
