"""Stage one delivered file in DuckDB temp tables, before anything is written.

After `stage(con, delivery)`:

- either the file is readable record by record: ``_validated`` holds every parsed record with
  its record number (``_line``) and its reject reason (``_reason``, null when good), and
  ``_unparsed`` the records DuckDB could not split into fields;
- or the whole file is rejected (returned as `WholeFileRejected`): ``_lines`` holds each of
  its lines, to keep them all with the reason.

Staging runs outside the load's transaction: temp tables built inside a transaction number
their rows from a large offset, and nothing here writes to the warehouse.
"""

from __future__ import annotations

import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb

from omni.contract import Extract
from omni.landing.discover import Delivery
from omni.landing.readers import (
    FIRST_RECORD_LINE,
    READERS,
    WholeFileRejected,
    read_lines_for_rejection,
)
from omni.landing.validation import reject_reason_sql

TRUNCATED_REASON = "file ends in the middle of this line (truncated delivery)"
TRUNCATED_ARCHIVE_REASON = (
    "compressed file is cut off before its end (truncated delivery); re-deliver it"
)
STAGING_TABLES = ("_parsed", "_validated", "_unparsed", "_lines")


def _number_and_validate(con: duckdb.DuckDBPyConnection, extract: Extract) -> None:
    """Give each parsed record its record number (``_line``) and its reject reason.

    Parsed records keep file order (their rowid); the records DuckDB could not parse have
    known line numbers. Without those, the k-th parsed record is on line first + k - 1;
    otherwise it is also shifted by the number of unparsed records before it, found with an
    as-of join.
    """
    first_line = FIRST_RECORD_LINE[extract.file_format]
    if con.sql("select count(*) from _unparsed").fetchone()[0] == 0:
        numbered = f"select *, rowid + {first_line} as _line from _parsed"
    else:
        numbered = f"""
            with unparsed as (
                select line, row_number() over (order by line) as i from _unparsed
            ),
            gaps as (
                select line - {first_line} - (i - 1) as parsed_before, max(i) as unparsed_count
                from unparsed
                group by 1
            ),
            parsed as (
                select *, rowid + 1 as _k from _parsed
            )
            select
                parsed.* exclude (_k),
                {first_line} + (parsed._k - 1) + coalesce(gaps.unparsed_count, 0) as _line
            from parsed
            asof left join gaps on parsed._k > gaps.parsed_before
        """
    con.execute(
        f"""
        create or replace temp table _validated as
        with numbered as ({numbered})
        select *, coalesce(_pre_reason, {reject_reason_sql(extract)}) as _reason
        from numbered
        """
    )
    con.execute("drop table _parsed")


def _mark_truncated_last_line(con: duckdb.DuckDBPyConnection) -> None:
    """The file ends in the middle of its last record: reject that record."""
    last_line = con.sql(
        "select greatest((select max(_line) from _validated), (select max(line) from _unparsed))"
    ).fetchone()[0]
    con.execute(
        "update _validated set _reason = ? || coalesce('; ' || _reason, '') where _line = ?",
        [TRUNCATED_REASON, last_line],
    )
    con.execute(
        "update _unparsed set reason = ? || '; ' || reason where line = ?",
        [TRUNCATED_REASON, last_line],
    )


def drop_staging(con: duckdb.DuckDBPyConnection) -> None:
    for table in STAGING_TABLES:
        con.execute(f"drop table if exists {table}")


def stage(con: duckdb.DuckDBPyConnection, delivery: Delivery) -> WholeFileRejected | None:
    """Stage the file's records, or its lines if the whole file is rejected (returned).

    The file's ending is checked in a thread while DuckDB reads the file: a gzip stream is
    inflated by both, each on its own core (DuckDB reads a cut-off gzip without complaint).
    """
    rejection: WholeFileRejected | None = None
    with ThreadPoolExecutor(max_workers=1) as pool:
        ending_check = pool.submit(delivery.check_ending)
        try:
            with tempfile.TemporaryDirectory(prefix="omni-load-") as workdir:
                READERS[delivery.extract.file_format](con, delivery, Path(workdir))
            _number_and_validate(con, delivery.extract)
        except WholeFileRejected as whole_file:
            rejection = whole_file
        except (duckdb.Error, OSError, EOFError):
            # A cut-off archive can fail to read: its ending decides what is reported.
            if ending_check.result().complete:
                raise
        ending = ending_check.result()
    if not ending.complete:
        rejection = WholeFileRejected(TRUNCATED_ARCHIVE_REASON)
    elif ending.mid_line and rejection is None:
        _mark_truncated_last_line(con)
    if rejection is not None:
        drop_staging(con)
        read_lines_for_rejection(con, delivery, rejection.encoding)
    return rejection
