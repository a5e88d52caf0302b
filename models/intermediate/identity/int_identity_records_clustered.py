"""Customers: connected components of the graph record - identifier - record.

Nodes are records and the accepted link nodes of int_identity_links_evaluated, pairs
(link_type, identifier_value) such as (email, x@y.fr) or (fuzzy_name_address, <pair>); every
accepted link is an edge. The components are
computed by scipy.sparse.csgraph.connected_components over integer-coded nodes: exact and
complete (no hop limit: a chain cookie -> account -> email -> card -> member resolves
whatever its length), linear in the number of edges.

One row per record that has at least one accepted link (records whose identifiers were all
refused belong to no customer): record_key, anchor_record_key, customer_id, cluster_records.
The anchor is the component's first delivered record (smallest record_order, then
record_key) and customer_id = 'C' + the first 12 hex digits of md5(anchor record_key): the
id depends only on which records are linked and in which order they were first delivered,
so a rebuild gives the same ids, late records never change them, and when two customers
merge the older one's id survives.
"""

import numpy as np
import pyarrow as pa
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def model(dbt, session):
    dbt.config(materialized="table")
    links = dbt.ref("int_identity_links_evaluated")
    records = dbt.ref("int_identity_records_collected")
    links.create_view("_identity_links", replace=True)
    records.create_view("_identity_records", replace=True)

    # integer codes of records and link nodes: numbered in any order (the components, the
    # anchors and the ids do not depend on it), by hash joins rather than sorts
    session.execute(
        """
        create or replace temp table _identity_accepted as
        select distinct record_key, link_type, identifier_value from _identity_links
        where is_accepted
        """
    )
    session.execute(
        """
        create or replace temp table _identity_record_index as
        select record_key, row_number() over () - 1 as record_index
        from (select distinct record_key from _identity_accepted)
        """
    )
    session.execute(
        """
        create or replace temp table _identity_edges as
        with nodes as (
            select link_type, identifier_value, row_number() over () - 1 as node_index
            from (select distinct link_type, identifier_value from _identity_accepted)
        )
        select
            cast(record_index.record_index as integer) as record_index,
            cast(nodes.node_index as integer) as node_index
        from _identity_accepted as accepted
        inner join _identity_record_index as record_index using (record_key)
        inner join nodes using (link_type, identifier_value)
        """
    )
    session.execute("drop table _identity_accepted")
    edges = session.sql("select record_index, node_index from _identity_edges").fetchnumpy()
    session.execute("drop table _identity_edges")
    # 32-bit codes: half the memory of the graph (up to 2^31 records and nodes)
    record_index = np.asarray(edges["record_index"], dtype=np.int32)
    node_index = np.asarray(edges["node_index"], dtype=np.int32)
    records_count = int(record_index.max()) + 1 if len(record_index) else 0
    nodes_count = int(node_index.max()) + 1 if len(node_index) else 0
    size = records_count + nodes_count
    graph = coo_matrix(
        (np.ones(len(record_index), dtype=np.int8), (record_index, node_index + records_count)),
        shape=(size, size),
    ).tocsr()
    _, labels = connected_components(graph, directed=False)
    components = pa.table(
        {
            "record_index": pa.array(np.arange(records_count, dtype=np.int64)),
            "component": pa.array(labels[:records_count].astype(np.int64)),
        }
    )
    session.from_arrow(components).create_view("_identity_components", replace=True)

    return session.sql(
        """
        with assigned as (
            select keyed.record_key, components.component, records.record_order
            from _identity_record_index as keyed
            inner join _identity_components as components using (record_index)
            inner join _identity_records as records using (record_key)
        ),
        anchors as (
            select
                component,
                arg_min(record_key, (record_order, record_key)) as anchor_record_key,
                count(*) as cluster_records
            from assigned
            group by component
        ),
        identified as (
            select
                component,
                anchor_record_key,
                'C' || left(md5(anchor_record_key), 12) as customer_id,
                cluster_records
            from anchors
        )
        select
            assigned.record_key,
            identified.anchor_record_key,
            identified.customer_id,
            cast(identified.cluster_records as bigint) as cluster_records
        from assigned
        inner join identified using (component)
        """
    )
