"""Staging layer: phones in E.164 once normalised, and revenue that reconciles with raw.

dbt tests already check each staging model's key (`unique`, `not_null`) and enumerations;
these suites check what dbt tests do not:

- every phone that staging kept is in E.164 (France, Canada, USA), on the rows of this run;
- revenue reconciles between raw and staging: the latest version of each order and till
  receipt, recomputed from the raw rows in DuckDB, gives the same records and the same
  amount per currency as the staging model. A gap means staging lost, doubled or mangled
  sales; it blocks what is built from them.
"""

from __future__ import annotations

from dataclasses import dataclass

import great_expectations.expectations as gxe

from omni.quality.core import Layer, Rule, Suite

PHONES_CHECK = "phones_e164"
REVENUE_CHECK = "revenue_reconciles"
E164_REGEX = r"^\+(?:33[1-9][0-9]{8}|1[2-9][0-9]{9})$"

# Staging model -> its phone columns, and the raw extract it reads.
PHONE_MODELS: dict[str, tuple[str, tuple[str, ...]]] = {
    "stg_ecommerce__accounts": ("ecommerce/accounts", ("phone",)),
    "stg_ecommerce__orders": ("ecommerce/orders", ("phone",)),
    "stg_pos__transactions": ("pos/transactions", ("phone",)),
    "stg_loyalty__members": ("loyalty/members", ("phone",)),
    "stg_call_center__calls": ("call_center/calls", ("phone", "caller_phone", "called_phone")),
    "stg_support__tickets": ("support/tickets", ("phone",)),
    "stg_web__events": ("web/events", ("phone",)),
}


@dataclass(frozen=True)
class Revenue:
    """How to find the latest version of a sale in raw, as the landing contract says."""

    model: str
    raw_table: str
    key: str  # SQL: the record's id as staging cleans it
    updated: str  # SQL: the version's time; '' when versions are told apart by delivery only
    amount: str  # raw column of the amount
    staged_key: str
    staged_amount: str


REVENUE: tuple[Revenue, ...] = (
    Revenue(
        model="stg_ecommerce__orders",
        raw_table="ecommerce__orders",
        key="nullif(ltrim(upper(regexp_replace(order_id, '\\s+', '', 'g')), '#'), '')",
        updated="try_cast(updated_at as timestamptz) desc nulls last, ",
        amount="total",
        staged_key="order_id",
        staged_amount="total_amount",
    ),
    Revenue(
        model="stg_pos__transactions",
        raw_table="pos__transactions",
        key="trim(receipt_id)",
        updated="",
        amount="total_amount",
        staged_key="receipt_id",
        staged_amount="total_amount",
    ),
)


def phones_suite(model: str) -> Suite:
    extract, columns = PHONE_MODELS[model]
    return Suite(
        asset=("staging", model),
        check=PHONES_CHECK,
        query=(
            f"select {', '.join(columns)}, _source_file, _source_line\n"
            f"from staging.{model}\n"
            "where _load_id in (select load_id from audit.load_log "
            f"where run_id = $run_id and extract = '{extract}')\n"
            f"    and coalesce({', '.join(columns)}) is not null"
        ),
        rules=tuple(
            Rule(
                gxe.ExpectColumnValuesToMatchRegex(column=c, regex=E164_REGEX),
                f"`{c}` is E.164 once normalised (+33 and 9 digits, +1 and 10): identity "
                "links phones by this form.",
            )
            for c in columns
        ),
        description=(
            f"Phones of the `{model}` records that this run loaded, after normalisation "
            "(the rows that have one)."
        ),
        index_columns=("_source_file", "_source_line"),
    )


def _revenue_query(r: Revenue) -> str:
    return f"""
        with

        raw_latest as (
            select
                upper(trim(currency)) as currency,
                cast({r.amount} as decimal(18, 2)) as amount
            from raw.{r.raw_table}
            qualify row_number() over (
                partition by {r.key}
                order by {r.updated}_file_id desc, _source_line desc
            ) = 1
        ),

        raw_totals as (
            select currency, count(*) as raw_records, sum(amount) as raw_amount
            from raw_latest
            group by currency
        ),

        staged_totals as (
            select
                currency,
                count(distinct {r.staged_key}) as staged_keys,
                count(*) as staged_records,
                sum({r.staged_amount}) as staged_amount
            from staging.{r.model}
            group by currency
        )

        select
            coalesce(raw_totals.currency, staged_totals.currency) as currency,
            coalesce(raw_records, 0) as raw_records,
            coalesce(staged_records, 0) as staged_records,
            coalesce(staged_records, 0) - coalesce(staged_keys, 0)
                + coalesce(raw_records, 0) - coalesce(staged_records, 0) as records_gap,
            coalesce(raw_amount, 0) as raw_amount,
            coalesce(staged_amount, 0) as staged_amount,
            cast(coalesce(staged_amount, 0) - coalesce(raw_amount, 0) as double) as amount_gap
        from raw_totals
        full outer join staged_totals
            on raw_totals.currency = staged_totals.currency
        order by currency
    """


def revenue_suite(r: Revenue) -> Suite:
    return Suite(
        asset=("staging", r.model),
        check=REVENUE_CHECK,
        query=_revenue_query(r),
        rules=(
            Rule(
                gxe.ExpectColumnValuesToBeBetween(column="records_gap", min_value=0, max_value=0),
                "Staging has one row per sale that raw holds, per currency: none lost, "
                "none doubled.",
                blocking=True,
            ),
            Rule(
                gxe.ExpectColumnValuesToBeBetween(
                    column="amount_gap", min_value=-0.005, max_value=0.005
                ),
                "Revenue per currency in staging equals the latest raw versions' amounts "
                "to the cent.",
                blocking=True,
            ),
        ),
        description=(
            f"Records and amount per currency of `{r.model}` against the latest versions "
            f"recomputed from `raw.{r.raw_table}` (whole tables, aggregated in DuckDB)."
        ),
        index_columns=("currency", "raw_amount", "staged_amount"),
    )


SUITES: tuple[Suite, ...] = (
    *(phones_suite(model) for model in PHONE_MODELS),
    *(revenue_suite(r) for r in REVENUE),
)
LAYER = Layer("staging", SUITES)
