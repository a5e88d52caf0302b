{#-
    Why each record belongs to its customer: one row per (record, accepted link) whose link
    node it shares with at least one other record of the customer, with the rule that
    accepted the link; a record of a one-record customer has one row with rule `anchor`.
    `omni explain-customer ID` prints it as a tree.
-#}

with

-- import CTEs read more than once are `not materialized`: each reader scans the
-- table again instead of a copy of it being held in memory
clusters as not materialized (

    select * from {{ ref('int_identity_records_clustered') }}

),

links as not materialized (

    select * from {{ ref('int_identity_links_evaluated') }}
    where is_accepted

),

-- records sharing each link node: every record of a node is in one customer (the accepted
-- links are the edges of the clusters), so counting per node counts per customer and node
node_sizes as (

    select
        link_type,
        identifier_value,
        count(*) as node_links

    from links
    group by link_type, identifier_value

),

customer_links as (

    select
        clusters.customer_id,
        clusters.anchor_record_key,
        clusters.record_key,
        links.identifier_type,
        links.identifier_value,
        links.rule,
        links.detail,
        links.priority,
        node_sizes.node_links - 1 as linked_records

    from clusters
    inner join links
        on clusters.record_key = links.record_key
    inner join node_sizes
        on links.link_type = node_sizes.link_type
        and links.identifier_value = node_sizes.identifier_value

),

explained as (

    select * from customer_links
    where linked_records > 0

),

-- a record shares no link node with another record only when it is its customer's only
-- record: in a connected record - node graph of two records or more, every record has a
-- node that leads to another one (so no anti join of every record against the explained)
unexplained as (

    select
        customer_id,
        anchor_record_key,
        record_key,
        null as identifier_type,
        null as identifier_value,
        'anchor' as rule,
        'the only record of its customer' as detail,
        0 as priority,
        0 as linked_records

    from clusters
    where cluster_records = 1

),

unioned as (

    select * from explained
    union all
    select * from unexplained

),

final as (

    select
        {{ generate_surrogate_key(['record_key', 'identifier_type', 'identifier_value']) }}
            as explanation_id,
        cast(customer_id as varchar) as customer_id,
        cast(record_key as varchar) as record_key,
        cast(split_part(record_key, '/', 1) as varchar) as source,
        cast(record_key = anchor_record_key as boolean) as is_anchor,
        cast(identifier_type as varchar) as linked_by,
        cast(identifier_value as varchar) as identifier_value,
        cast(rule as varchar) as rule,
        cast(detail as varchar) as detail,
        cast(priority as integer) as priority,
        cast(linked_records as bigint) as linked_records

    from unioned

)

select * from final
