{#-
    One row per (record, identifier type, identifier value): every identifier of every
    record, unnested from int_identity_records_collected (which reads staging once and
    documents the identifiers of each extract). No `distinct`: each extract lists an
    identifier type once per record and record_key is unique, so the rows are unique
    already (tested: unique_combination_of_columns).
-#}

with

records as (

    select * from {{ ref('int_identity_records_collected') }}

),

unnested as (

    select
        record_key,
        source,
        extract,
        record_id,
        unnest(identifiers) as identifier,
        observed_at,
        record_order

    from records

),

final as (

    select
        record_key,
        source,
        extract,
        record_id,
        identifier.identifier_type,
        identifier.identifier_value,
        observed_at,
        record_order

    from unnested

)

select * from final
