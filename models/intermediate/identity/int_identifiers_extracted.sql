{#-
    One row per (record, identifier type, identifier value): every identifier of every
    record, unnested from int_identity_records_collected (which reads staging once and
    documents the identifiers of each extract). No `distinct`: each extract lists an
    identifier type once per record and record_key is unique, so the rows are unique
    already (tested: unique_combination_of_columns). Narrow: the record's extract, id and
    delivery order stay in int_identity_records_collected.
-#}

with

records as (

    select * from {{ ref('int_identity_records_collected') }}

),

unnested as (

    select
        record_key,
        source,
        unnest(identifiers) as identifier,
        observed_at

    from records

),

final as (

    select
        record_key,
        source,
        identifier.identifier_type,
        identifier.identifier_value,
        observed_at

    from unnested

)

select * from final
