{#-
    Pairs of name + address records that the fuzzy matcher scored between its review and
    match thresholds: visible for review, never merged. One row per pair, with the customer
    of each side (null when the record belongs to no customer).
-#}

with

scored as (

    select * from {{ ref('int_name_address_matches_scored') }}
    where not is_match

),

clusters as (

    select * from {{ ref('int_identity_records_clustered') }}

),

final as (

    select
        {{ generate_surrogate_key(['scored.record_key_l', 'scored.record_key_r']) }} as match_id,
        cast(scored.record_key_l as varchar) as record_key_l,
        cast(scored.record_key_r as varchar) as record_key_r,
        cast(left_side.customer_id as varchar) as customer_id_l,
        cast(right_side.customer_id as varchar) as customer_id_r,
        cast(coalesce(left_side.customer_id = right_side.customer_id, false) as boolean)
            as is_same_customer,
        cast(scored.match_probability as double) as match_probability,
        cast(scored.match_weight as double) as match_weight

    from scored
    left join clusters as left_side
        on scored.record_key_l = left_side.record_key
    left join clusters as right_side
        on scored.record_key_r = right_side.record_key

)

select * from final
