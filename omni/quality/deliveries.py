"""Deliveries: the files that this run loaded, per extract, against the load log.

Aggregates of `audit.load_log` only (one row per file of this run), so the cost does not
grow with the warehouse:

- rejected rows per file under a threshold: a few bad lines are normal (they are kept in
  `audit.rejected_rows`), a spike of them means the channel's export broke;
- volume: a file far below or above the median of the extract's recent deliveries of
  earlier runs (a first run has no history and passes).

Whole files rejected for their header or encoding are not counted here: the load log gives
them their own status (`rejected`) and the ingestion asset names them.
"""

from __future__ import annotations

import great_expectations.expectations as gxe

from omni.contract import EXTRACTS, Extract
from omni.quality.core import Layer, Rule, Suite

CHECK = "deliveries"
# A file may reject this many rows, or this share of its rows, whichever is larger.
MAX_REJECTED_ROWS = 3
MAX_REJECTED_SHARE = 0.02
# Volume: compared with the median of this many recent files of earlier runs, when that
# median is at least MIN_BASELINE rows (smaller extracts vary too much to judge).
RECENT_FILES = 14
MIN_BASELINE = 10
LOW, HIGH = 0.1, 10.0
# Campaign sends come in bursts: no upper bound on these extracts.
BURSTS = frozenset({"email/events", "direct_mail/sends"})
COUNTED = "('loaded', 'loaded_with_rejects', 'rejected')"


def _query(extract: Extract) -> str:
    high = "null" if extract.folder in BURSTS else f"baseline * {HIGH}"
    return f"""
        with

        this_run as (
            select load_id, path, status, rows_read, rows_rejected
            from audit.load_log
            where run_id = $run_id and extract = '{extract.folder}' and status in {COUNTED}
        ),

        recent as (
            select rows_read
            from audit.load_log
            where run_id <> $run_id and extract = '{extract.folder}' and status in {COUNTED}
            order by load_id desc
            limit {RECENT_FILES}
        ),

        baseline as (
            select case when median(rows_read) >= {MIN_BASELINE} then median(rows_read) end
                as baseline
            from recent
        )

        select
            this_run.path,
            this_run.status,
            this_run.rows_read,
            this_run.rows_rejected,
            -- whole files rejected for their header or encoding are not a row-level spike
            case when this_run.status <> 'rejected' then this_run.rows_rejected
                - greatest({MAX_REJECTED_ROWS}, {MAX_REJECTED_SHARE} * this_run.rows_read)
            end as rejected_over_limit,
            baseline.baseline,
            case when this_run.status <> 'rejected' and baseline.baseline is not null
                then this_run.rows_read end as rows_judged,
            baseline.baseline * {LOW} as rows_low,
            {high} as rows_high
        from this_run
        cross join baseline
        order by this_run.load_id
    """


def deliveries_suite(extract: Extract) -> Suite:
    high = "no upper bound (campaign bursts)" if extract.folder in BURSTS else f"{HIGH:g}x"
    return Suite(
        asset=("raw", extract.table),
        check=CHECK,
        query=_query(extract),
        rules=(
            Rule(
                gxe.ExpectColumnValuesToBeBetween(column="rejected_over_limit", max_value=0),
                f"A file rejects at most {MAX_REJECTED_ROWS} rows or "
                f"{MAX_REJECTED_SHARE:.0%} of its rows: more is a broken export.",
            ),
            Rule(
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A="rows_judged",
                    column_B="rows_low",
                    or_equal=True,
                    ignore_row_if="either_value_is_missing",
                ),
                f"A file holds at least {LOW:g}x the median of the last {RECENT_FILES} "
                "deliveries: far fewer rows means a partial export.",
            ),
            Rule(
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A="rows_high",
                    column_B="rows_judged",
                    or_equal=True,
                    ignore_row_if="either_value_is_missing",
                ),
                f"A file holds at most {high} the median of the last {RECENT_FILES} "
                "deliveries: far more rows means a replay or a duplicated export.",
            ),
        ),
        description=(
            f"The files of `{extract.folder}` that this run loaded: rejected rows per file "
            "and volume against the recent deliveries (audit.load_log)."
        ),
        index_columns=("path",),
    )


SUITES: tuple[Suite, ...] = tuple(deliveries_suite(e) for e in EXTRACTS)
LAYER = Layer("deliveries", SUITES)
