"""Identity: customers resolved from every source, checked on aggregates computed in DuckDB.

The identity tables are rebuilt whole at each run, so these suites never pull them into
pandas: they validate small frames of aggregates (one row per source, the largest
customers, one row per relationship).

dbt tests already check the keys of these models and that `customer_identifiers` points at
`dim_customers`; these suites add the share of each source's records that found a customer,
cluster sizes with the largest customers as examples, and the links between the clusters
and the golden record that no dbt test covers.
"""

from __future__ import annotations

from functools import cache

import great_expectations.expectations as gxe
import yaml

from omni.quality.core import Layer, Rule, Suite
from omni.settings import PROJECT_ROOT

CLUSTERS = ("intermediate", "int_identity_records_clustered")
CUSTOMERS = ("marts", "dim_customers")
LARGEST = 20

# Least share of a source's records that belongs to a customer. Sources that always carry
# an account, a member, an email or a cookie resolve every record; the others only when the
# customer gave something that identifies them (a card, a phone, an order reference...).
RESOLVED_FLOORS: dict[str, float] = {
    "web": 0.99,
    "app": 0.99,
    "ecommerce": 0.99,
    "loyalty": 0.99,
    "email": 0.99,
    "support": 0.8,
    "direct_mail": 0.7,
    "pos": 0.4,
    "call_center": 0.25,
    "social": 0.02,
}


@cache
def max_cluster_size() -> int:
    """The dbt var `identity_max_cluster_size` (dbt_project.yml), shared with the dbt test."""
    project = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text())
    return int(project["vars"]["identity_max_cluster_size"])


def _floors_sql() -> str:
    return ", ".join(f"('{source}', {floor})" for source, floor in RESOLVED_FLOORS.items())


RESOLVED_SHARE = Suite(
    asset=CLUSTERS,
    check="resolved_share",
    query=f"""
        with

        floors (source, floor) as (values {_floors_sql()}),

        shares as (
            select
                records.source,
                count(*) as records,
                count(clusters.record_key) as resolved,
                count(clusters.record_key) / count(*) as share
            from intermediate.int_identity_records_collected as records
            left join intermediate.int_identity_records_clustered as clusters
                on records.record_key = clusters.record_key
            group by records.source
        )

        select shares.*, floors.floor, shares.share - floors.floor as share_over_floor
        from floors
        left join shares
            on floors.source = shares.source
        order by floors.source
    """,
    rules=(
        Rule(
            gxe.ExpectColumnValuesToBeBetween(column="share_over_floor", min_value=0),
            "Each source keeps its usual share of records with a customer: a drop means "
            "an identifier stopped being normalised or linked.",
        ),
        Rule(
            gxe.ExpectColumnValuesToNotBeNull(column="records"),
            "Every person-bearing source has records to resolve.",
        ),
    ),
    description="Share of each source's records that belong to a customer.",
    index_columns=("source", "records", "resolved", "floor"),
)


def cluster_sizes_suite() -> Suite:
    limit = max_cluster_size()
    return Suite(
        asset=CLUSTERS,
        check="cluster_sizes",
        query=f"""
            select customer_id, count(*) as records
            from intermediate.int_identity_records_clustered
            group by customer_id
            order by records desc, customer_id
            limit {LARGEST}
        """,
        rules=(
            Rule(
                gxe.ExpectColumnValuesToBeBetween(column="records", max_value=limit),
                f"No customer holds more than {limit} records (identity_max_cluster_size): "
                "a larger one is a runaway merge through a shared identifier.",
                blocking=True,
            ),
        ),
        description=f"The {LARGEST} largest customers and their number of records.",
        index_columns=("customer_id",),
    )


CLUSTERS_MATCH_CUSTOMERS = Suite(
    asset=CUSTOMERS,
    check="clusters_match_customers",
    query="""
        with

        clustered as (
            select distinct customer_id from intermediate.int_identity_records_clustered
        ),

        customers as (
            select customer_id from marts.dim_customers
        ),

        orphans as (
            select 'clustered record -> dim_customers' as relationship, customer_id
            from clustered anti join customers using (customer_id)
            union all
            select 'dim_customers -> clustered record', customer_id
            from customers anti join clustered using (customer_id)
        ),

        relationships (relationship) as (
            values ('clustered record -> dim_customers'), ('dim_customers -> clustered record')
        )

        select
            relationship,
            count(orphans.customer_id) as orphans,
            min(orphans.customer_id) as example
        from relationships
        left join orphans using (relationship)
        group by relationship
        order by relationship
    """,
    rules=(
        Rule(
            gxe.ExpectColumnValuesToBeBetween(column="orphans", max_value=0),
            "Every clustered record's customer is in dim_customers and every customer has "
            "records: the golden record and the clusters describe the same people.",
            blocking=True,
        ),
    ),
    description="Referential integrity between the clusters and dim_customers, both ways.",
    index_columns=("relationship", "example"),
)

SUITES: tuple[Suite, ...] = (RESOLVED_SHARE, cluster_sizes_suite(), CLUSTERS_MATCH_CUSTOMERS)
LAYER = Layer("identity", SUITES)
