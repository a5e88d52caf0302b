{#-
    Every link a rule refused: one row per (record, identifier type, value), with the rule's
    name and why. Nothing refused here takes part in the identity graph.
-#}

with

links as (

    select * from {{ ref('int_identity_links_evaluated') }}

),

final as (

    select
        {{ generate_surrogate_key(['record_key', 'identifier_type', 'identifier_value']) }}
            as refused_link_id,
        cast(record_key as varchar) as record_key,
        cast(split_part(record_key, '/', 1) as varchar) as source,
        cast(identifier_type as varchar) as identifier_type,
        cast(identifier_value as varchar) as identifier_value,
        cast(rule as varchar) as rule,
        cast(detail as varchar) as detail

    from links
    where not is_accepted

)

select * from final
