{{
    config(
        materialized='incremental',
        unique_key='event_id',
        incremental_strategy='delete+insert',
    )
}}
{#-
    Web events grouped into sessions: a session of a cookie ends after
    `web_session_timeout_minutes` without an event, or when a visit arrives with other UTM
    parameters (a new campaign starts a new session, as in web analytics tools). A session
    takes the marketing channel of its landing event (seed marketing_channel_rules).

    Incremental on load time: a run recomputes every event of a cookie with new events (a
    late event can move session boundaries) but writes only the events that are new or
    whose session changed, with `_sessionized_at` the start of that run; the events of a
    cookie whose sessions stayed as they were are not rewritten, so that the timeline
    (fct_interactions) rebuilds only the web events sessionized since its last build.
-#}
with

events as (

    select * from {{ ref('stg_web__events') }}
    {% if is_incremental() %}
    where anonymous_id in (
        select anonymous_id from {{ ref('stg_web__events') }}
        where _loaded_at > (select max(_loaded_at) from {{ this }})
    )
    {% endif %}

),

channel_rules as (

    select * from {{ ref('marketing_channel_rules') }}

),

ordered as (

    select
        event_id,
        anonymous_id,
        received_at,
        _loaded_at,
        lower(utm_medium) as utm_medium,
        lower(utm_source) as utm_source,
        lower(regexp_extract(page_referrer, '^[a-z]+://([^/:?#]+)', 1)) as referrer_host,
        lag(received_at) over by_cookie as previous_received_at,
        lag(coalesce(utm_source, '') || '|' || coalesce(utm_medium, '') || '|' || coalesce(utm_campaign, ''))
            over by_cookie as previous_utm,
        coalesce(utm_source, '') || '|' || coalesce(utm_medium, '') || '|' || coalesce(utm_campaign, '')
            as utm,

    from events
    window by_cookie as (partition by anonymous_id order by received_at, event_id)

),

flagged as (

    select
        *,
        previous_received_at is null
        or received_at > previous_received_at + interval ({{ var('web_session_timeout_minutes') }}) minute
        or (utm <> '||' and utm <> previous_utm) as is_session_start,

    from ordered

),

numbered as (

    select
        *,
        -- an integer, not the sum's hugeint: DuckDB scans a stored hugeint column slowly (2.8
        -- million rows in 0.8 s, a timestamp in 0.01 s), and incremental runs compare it
        cast(sum(cast(is_session_start as integer)) over (
            partition by anonymous_id order by received_at, event_id
            rows between unbounded preceding and current row
        ) as integer) as session_number,

    from flagged

),

landings as (

    select
        numbered.anonymous_id,
        numbered.session_number,
        numbered.received_at as session_started_at,
        channel_rules.marketing_channel,

    from numbered
    left join channel_rules
        on coalesce(numbered.utm_medium, '') like coalesce(channel_rules.utm_medium_pattern, '')
        and coalesce(numbered.utm_source, '') like coalesce(channel_rules.utm_source_pattern, '')
        and coalesce(numbered.referrer_host, '') like coalesce(channel_rules.referrer_host_pattern, '')
    where numbered.is_session_start
    qualify row_number() over (
        partition by numbered.anonymous_id, numbered.session_number
        order by channel_rules.rule_order
    ) = 1

),

sessionized as (

    select
        numbered.event_id,
        {{ generate_surrogate_key(['numbered.anonymous_id', 'numbered.session_number']) }}
            as session_id,
        numbered.anonymous_id,
        numbered.session_number,
        numbered.is_session_start,
        landings.session_started_at,
        coalesce(landings.marketing_channel, 'other') as marketing_channel,
        numbered._loaded_at,

    from numbered
    inner join landings
        on numbered.anonymous_id = landings.anonymous_id
        and numbered.session_number = landings.session_number

),

{% if is_incremental() %}
-- the recomputed events that are new or differ from their row already built
changed as (

    select sessionized.*
    from sessionized
    left join {{ this }} as built
        on sessionized.event_id = built.event_id
    where built.event_id is null
        or built.session_id is distinct from sessionized.session_id
        or built.anonymous_id is distinct from sessionized.anonymous_id
        or built.session_number is distinct from sessionized.session_number
        or built.is_session_start is distinct from sessionized.is_session_start
        or built.session_started_at is distinct from sessionized.session_started_at
        or built.marketing_channel is distinct from sessionized.marketing_channel
        or built._loaded_at is distinct from sessionized._loaded_at

),
{% else %}
changed as (

    select * from sessionized

),
{% endif %}

final as (

    select
        *,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp) as _sessionized_at,

    from changed

)

select * from final
