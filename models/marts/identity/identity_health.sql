{#-
    Health of identity resolution: one row per metric of the latest build (customers,
    records, cluster sizes, match rate per source, refusals, fuzzy matches). Tested in
    _identity__marts.yml and tests/dbt/identity/.
    match_rate_<source>: share of the source's resolved records that belong to a customer
    seen in more than one source.
-#}
{%- set sources = var('identity_record_sources') -%}

with

-- import CTEs read more than once are `not materialized`: each reader scans the
-- table again instead of a copy of it being held in memory
clusters as not materialized (

    select * from {{ ref('int_identity_records_clustered') }}

),

records as (

    select * from {{ ref('int_identity_records_collected') }}

),

links as not materialized (

    select * from {{ ref('int_identity_links_evaluated') }}

),

scored as not materialized (

    select * from {{ ref('int_name_address_matches_scored') }}

),

customers as (

    select
        customer_id,
        count(*) as records,
        count(distinct split_part(record_key, '/', 1)) as sources

    from clusters
    group by customer_id

),

resolved as (

    select
        records.source,
        clusters.record_key is not null as is_resolved,
        coalesce(customers.sources, 0) > 1 as is_multi_source

    from records
    left join clusters
        on records.record_key = clusters.record_key
    left join customers
        on clusters.customer_id = customers.customer_id
    where records.record_key in (select record_key from links)

),

metrics as (

    select 'customers' as metric, count(*)::double as value, 'customers (connected components)' as detail from customers
    union all
    select 'records_resolved', count(*) filter (where is_resolved), 'records with an identifier that belong to a customer' from resolved
    union all
    select 'records_unresolved', count(*) filter (where not is_resolved), 'records with identifiers, all refused: in no customer' from resolved
    union all
    select 'records_per_customer', avg(records), 'mean records per customer' from customers
    union all
    select 'max_cluster_records', coalesce(max(records), 0), 'records of the largest customer' from customers
    union all
    select 'customers_1_record', count(*) filter (where records = 1), 'cluster size bucket' from customers
    union all
    select 'customers_2_to_5_records', count(*) filter (where records between 2 and 5), 'cluster size bucket' from customers
    union all
    select 'customers_6_to_20_records', count(*) filter (where records between 6 and 20), 'cluster size bucket' from customers
    union all
    select 'customers_21_to_100_records', count(*) filter (where records between 21 and 100), 'cluster size bucket' from customers
    union all
    select 'customers_over_100_records', count(*) filter (where records > 100), 'cluster size bucket' from customers
    union all
    select 'customers_over_account_limit', count(*), 'customers with more online accounts than the var identity_max_accounts_per_customer ({{ var("identity_max_accounts_per_customer") }}): probably several people'
    from (
        -- customer_identifiers: one row per distinct value of a customer
        select customer_id
        from {{ ref('customer_identifiers') }}
        where identifier_type = 'account_id'
        group by customer_id
        having count(*) > {{ var('identity_max_accounts_per_customer') }}
    )
    union all
    select 'multi_source_customers', count(*) filter (where sources > 1), 'customers seen in more than one source' from customers
    {% for source in sources %}
    union all
    select
        'match_rate_{{ source }}',
        coalesce(avg(case when is_multi_source then 1.0 else 0.0 end) filter (where is_resolved), 0),
        'share of {{ source }} records resolved into a multi-source customer'
    from resolved where source = '{{ source }}'
    {% endfor %}
    union all
    select 'identifiers_refused_shared', count(distinct identifier_type || ':' || identifier_value) filter (where rule = 'shared_identifier'), 'distinct values refused as shared' from links
    union all
    select 'links_refused_shared_identifier', count(*) filter (where rule = 'shared_identifier'), 'record links refused: shared_identifier' from links
    union all
    select 'links_refused_blocked_value', count(*) filter (where rule = 'blocked_value'), 'record links refused: blocked_value' from links
    union all
    select 'links_refused_unknown_member_id', count(*) filter (where rule = 'unknown_member_id'), 'record links refused: unknown_member_id' from links
    union all
    select 'links_refused_uncorroborated_member_id', count(*) filter (where rule = 'uncorroborated_member_id'), 'record links refused: uncorroborated_member_id' from links
    union all
    select 'links_corroborated_member_id', count(*) filter (where rule = 'corroborated_member_id'), 'typed member ids accepted with corroboration' from links
    union all
    select 'fuzzy_matches_accepted', count(*) filter (where is_match), 'name + address pairs the fuzzy matcher accepts (merged when the rule fuzzy_name_address is linking)' from scored
    union all
    select 'low_confidence_matches', count(*) filter (where not is_match), 'name + address pairs kept for review, never merged' from scored

),

final as (

    select
        cast(metric as varchar) as metric,
        cast(coalesce(value, 0) as double) as value,
        cast(detail as varchar) as detail,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as computed_at

    from metrics

)

select * from final
