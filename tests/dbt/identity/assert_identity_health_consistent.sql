{#-
    identity_health agrees with the marts: as many customers as dim_customers, every
    resolved record in a customer, the size buckets summing to the customers, match rates
    between 0 and 1.
-#}
{{ config(meta={'dagster': {'ref': {'name': 'identity_health'}}}) }}

with health as (
    select metric, value from {{ ref('identity_health') }}
),
checks as (
    select 'customers' as failing
    where (select value from health where metric = 'customers')
        <> (select count(*) from {{ ref('dim_customers') }})
    union all
    select 'records_resolved'
    where (select value from health where metric = 'records_resolved')
        <> (select count(*) from {{ ref('int_identity_records_clustered') }})
    union all
    select 'size buckets'
    where (select sum(value) from health where metric like 'customers\_%record%' escape '\')
        <> (select value from health where metric = 'customers')
    union all
    select metric from health
    where metric like 'match_rate_%' and (value < 0 or value > 1)
)
select * from checks
