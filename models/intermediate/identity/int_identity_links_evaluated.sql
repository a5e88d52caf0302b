{#-
    Every identifier of every record, judged by the rules of identity_rules: one row per
    (record, identifier type, value) with `is_accepted`, the `link_type` of the graph node
    it joins when accepted (a node is (link_type, identifier_value): records sharing one
    are linked; an agent-typed member id joins the node of the member id it names) and the
    `rule` that accepted or refused it, plus two rows per fuzzy name + address match
    accepted by int_name_address_matches_scored. Refusals are published in identity_links_refused.

    Rules, in order: not_linking (type switched off or unknown), blocked_value (seed
    identity_blocked_values), shared_identifier (more distinct strong identities than
    max_strong_identities), unknown_member_id / uncorroborated_member_id (types that
    require corroboration: the member must exist, and another identifier of the record
    must appear on a record of that member).
-#}

with

rules as (

    select * from {{ ref('identity_rules') }}

),

blocked as (

    select * from {{ ref('identity_blocked_values') }}

),

phone_line_types as (

    select * from {{ ref('identity_phone_line_types') }}

),

extracted as (

    select * from {{ ref('int_identifiers_extracted') }}

),

-- the rule each identifier is judged by (`rule_type`, a row of identity_rules): its type,
-- or for a phone `phone_<line type>` when its prefix is in identity_phone_line_types
identifiers as (

    select
        extracted.*,
        coalesce(
            extracted.identifier_type || '_' || line_types.line_type, extracted.identifier_type
        ) as rule_type

    from extracted
    left join phone_line_types as line_types
        on extracted.identifier_type = 'phone'
        and starts_with(extracted.identifier_value, line_types.prefix)

),

strong_identities as (

    select * from {{ ref('int_strong_identities_counted') }}

),

fuzzy_matches as (

    select * from {{ ref('int_name_address_matches_scored') }}
    where is_match

),

-- the strong identities (keys) that each record carries
record_strong_keys as (

    select distinct
        identifiers.record_key,
        strong_identities.strong_identity_kind,
        strong_identities.strong_key,
        strong_identities.name_key

    from identifiers
    inner join strong_identities
        on identifiers.identifier_type = strong_identities.identifier_type
        and identifiers.identifier_value = strong_identities.identifier_value

),

value_strong_keys as (

    select distinct
        identifiers.identifier_type,
        identifiers.identifier_value,
        identifiers.rule_type,
        record_strong_keys.strong_identity_kind,
        record_strong_keys.strong_key,
        record_strong_keys.name_key

    from identifiers
    inner join record_strong_keys
        on identifiers.record_key = record_strong_keys.record_key

),

value_account_names as (

    select
        identifier_type,
        identifier_value,
        list(distinct name_key) as account_names

    from value_strong_keys
    where strong_key like 'account_id:%' and name_key is not null
    group by 1, 2

),

-- how many distinct strong identities of one kind stand behind each identifier value, at
-- most: for kind `customer`, accounts, and memberships without account unless an account
-- of the same name is there too (when the type's same_name_counts_once). Distinct rows then
-- a count, not count(distinct): a grouped distinct aggregate cannot spill to disk
value_strong_counts_by_kind as (

    select
        identifier_type,
        identifier_value,
        strong_identity_kind,
        count(*) as strong_identities

    from (
        select distinct
            value_strong_keys.identifier_type,
            value_strong_keys.identifier_value,
            value_strong_keys.strong_identity_kind,
            value_strong_keys.strong_key

        from value_strong_keys
        left join rules
            on value_strong_keys.rule_type = rules.identifier_type
        left join value_account_names
            on value_strong_keys.identifier_type = value_account_names.identifier_type
            and value_strong_keys.identifier_value = value_account_names.identifier_value
        where value_strong_keys.strong_key like 'account_id:%'
            or value_strong_keys.name_key is null
            or not coalesce(rules.same_name_counts_once, true)
            or not list_contains(
                coalesce(value_account_names.account_names, []), value_strong_keys.name_key
            )
    )
    group by 1, 2, 3

),

value_strong_counts as (

    select
        identifier_type,
        identifier_value,
        max(strong_identities) as strong_identities

    from value_strong_counts_by_kind
    group by 1, 2

),

-- typed member ids: the strong key of the member they name
typed_members as (

    select
        identifiers.record_key,
        identifiers.identifier_type,
        identifiers.identifier_value,
        identifiers.rule_type,
        strong_identities.strong_key

    from identifiers
    inner join rules
        on identifiers.rule_type = rules.identifier_type
        and rules.requires_corroboration
    left join strong_identities
        on strong_identities.identifier_type = rules.links_as
        and strong_identities.identifier_value = identifiers.identifier_value

),

-- the records of the members that typed member ids name, with their identifiers: a few
-- records, so that corroborations never join every identifier to every identifier
member_records as (

    select distinct
        record_key,
        strong_key

    from record_strong_keys
    where strong_key in (select strong_key from typed_members)

),

member_identifiers as (

    select
        identifiers.record_key,
        identifiers.identifier_type,
        identifiers.identifier_value,
        member_records.strong_key

    from identifiers
    inner join member_records
        on identifiers.record_key = member_records.record_key

),

-- the other identifiers of the records that carry a typed member id
typed_records_identifiers as (

    select
        record_key,
        identifier_type,
        identifier_value

    from identifiers
    where record_key in (select record_key from typed_members)

),

-- another identifier of the same record seen on a record of that member (even a shared one)
corroborations as (

    select
        typed_members.record_key,
        typed_members.identifier_type,
        typed_members.identifier_value,
        min(other.identifier_type || ' ' || other.identifier_value) as corroborated_by

    from typed_members
    inner join typed_records_identifiers as other
        on typed_members.record_key = other.record_key
        and typed_members.identifier_type <> other.identifier_type
    inner join member_identifiers as member_side
        on other.identifier_type = member_side.identifier_type
        and other.identifier_value = member_side.identifier_value
        and member_side.record_key <> typed_members.record_key
        and member_side.strong_key = typed_members.strong_key
    group by 1, 2, 3

),

-- every identifier with what the rules need to know of a typed member id (the member's
-- strong key, what corroborates it), null for the others: the few typed member ids are
-- joined to it, not every identifier
judging as (

    select
        record_key,
        identifier_type,
        identifier_value,
        rule_type,
        cast(null as varchar) as member_strong_key,
        cast(null as varchar) as corroborated_by

    from identifiers
    where rule_type not in (select identifier_type from rules where requires_corroboration)

    union all

    select
        typed_members.record_key,
        typed_members.identifier_type,
        typed_members.identifier_value,
        typed_members.rule_type,
        typed_members.strong_key as member_strong_key,
        corroborations.corroborated_by

    from typed_members
    left join corroborations
        on typed_members.record_key = corroborations.record_key
        and typed_members.identifier_type = corroborations.identifier_type
        and typed_members.identifier_value = corroborations.identifier_value

),

judged as (

    select
        judging.record_key,
        judging.identifier_type,
        judging.identifier_value,
        rules.links_as as link_type,
        case
            when rules.identifier_type is null or not rules.is_linking then 'not_linking'
            when blocked.value is not null then 'blocked_value'
            when value_strong_counts.strong_identities > rules.max_strong_identities
                then 'shared_identifier'
            when rules.requires_corroboration and judging.member_strong_key is null
                then 'unknown_member_id'
            when rules.requires_corroboration and judging.corroborated_by is null
                then 'uncorroborated_member_id'
            when rules.requires_corroboration then 'corroborated_' || rules.links_as
            else 'exact_' || judging.rule_type
        end as rule,
        case
            when rules.identifier_type is null or not rules.is_linking
                then 'identifier type not linking in identity_rules'
            when blocked.value is not null then blocked.reason
            when value_strong_counts.strong_identities > rules.max_strong_identities
                then 'seen with ' || value_strong_counts.strong_identities
                    || ' distinct strong identities (limit '
                    || rules.max_strong_identities || ')'
            when rules.requires_corroboration and judging.member_strong_key is null
                then 'no ' || rules.links_as || ' ' || judging.identifier_value
            when rules.requires_corroboration and judging.corroborated_by is null
                then 'nothing else on the record is seen on a record of '
                    || rules.links_as || ' ' || judging.identifier_value
            when rules.requires_corroboration
                then 'corroborated by ' || judging.corroborated_by
        end as detail,
        rules.priority

    from judging
    left join rules
        on judging.rule_type = rules.identifier_type
    left join blocked
        on judging.identifier_type = blocked.identifier_type
        and judging.identifier_value = blocked.value
    left join value_strong_counts
        on judging.identifier_type = value_strong_counts.identifier_type
        and judging.identifier_value = value_strong_counts.identifier_value
    -- descriptive identities (not linking, only counted: person_name) are not judged
    where not coalesce(not rules.is_linking and rules.strong_identity_kind is not null, false)

),

fuzzy_links as (

    -- one node per accepted pair: its two records are linked
    select
        pairs.record_key,
        'fuzzy_name_address' as identifier_type,
        fuzzy_matches.record_key_l || ' ~ ' || fuzzy_matches.record_key_r as identifier_value,
        'fuzzy_name_address' as link_type,
        case when rules.is_linking then 'fuzzy_name_address' else 'not_linking' end as rule,
        'match probability ' || round(fuzzy_matches.match_probability, 4) as detail,
        rules.priority

    from fuzzy_matches
    cross join lateral (
        values (fuzzy_matches.record_key_l), (fuzzy_matches.record_key_r)
    ) as pairs (record_key)
    left join rules
        on rules.identifier_type = 'fuzzy_name_address'

),

unioned as (

    select * from judged
    union all
    select * from fuzzy_links

),

final as (

    select
        record_key,
        identifier_type,
        identifier_value,
        link_type,
        rule,
        detail,
        rule not in (
            'not_linking', 'blocked_value', 'shared_identifier',
            'unknown_member_id', 'uncorroborated_member_id'
        ) as is_accepted,
        coalesce(priority, 99) as priority

    from unioned

)

select * from final
