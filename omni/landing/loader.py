"""Load the new deliveries of an extract into `raw.<source>__<extract>`, with an audit trail.

For each delivered file, in arrival order:

- a file already loaded with the same content is passed over (running again loads nothing);
- a file whose content was already loaded under another name is logged as ``duplicate``;
- a file with new content under a path already loaded is a corrected re-delivery: its rows
  replace those of the earlier version, whose log row becomes ``superseded``; a row the
  correction repeats on the same line with the same values keeps its ``_loaded_at``, so that
  what is built on load time treats only the rows it changed as new;
- otherwise the file is read, each record is validated against the contract, good records go
  to the raw table and bad ones to `audit.rejected_rows` with their reason and text.

Each file loads in one transaction with its `audit.load_log` row: a run killed in the middle
leaves no half-loaded file, and the next run loads it again. A file that cannot be read at
all is logged as ``failed`` with the error, and the load of the others goes on. For every
log row, rows_read = rows_loaded + rows_rejected.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from omni.contract import Extract
from omni.landing.discover import Delivery, discover
from omni.landing.readers import is_empty
from omni.landing.schema import create_schemas
from omni.landing.sql import ident, literal
from omni.landing.staging import drop_staging, stage


@dataclass(frozen=True)
class FileResult:
    path: str
    status: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    error: str | None = None


@dataclass
class ExtractResult:
    extract: Extract
    files: list[FileResult] = field(default_factory=list)
    unchanged: int = 0

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    def status_counts(self) -> dict[str, int]:
        return dict(Counter(f.status for f in self.files))


@dataclass(frozen=True)
class _Seen:
    """What the load log already knows about the extract's files."""

    by_path_hash: frozenset[tuple[str, str]]
    path_by_hash: dict[str, str]
    file_id_by_path: dict[str, int]


def _seen(con: duckdb.DuckDBPyConnection, extract: Extract) -> _Seen:
    rows = con.execute(
        "select path, content_hash, file_id, status from audit.load_log where extract = ?",
        [extract.folder],
    ).fetchall()
    return _Seen(
        by_path_hash=frozenset((path, digest) for path, digest, _, _ in rows),
        path_by_hash={
            digest: path
            for path, digest, _, status in rows
            if status not in ("superseded", "failed", "duplicate")
        },
        file_id_by_path={path: file_id for path, _, file_id, _ in rows},
    )


def _log(
    con: duckdb.DuckDBPyConnection,
    *,
    load_id: int,
    file_id: int,
    run_id: str | None,
    delivery: Delivery,
    digest: str,
    result: FileResult,
    loaded_at: datetime,
) -> None:
    con.execute(
        "insert into audit.load_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load_id,
            file_id,
            run_id,
            delivery.extract.folder,
            delivery.rel_path,
            digest,
            delivery.size_bytes,
            result.rows_read,
            result.rows_loaded,
            result.rows_rejected,
            result.status,
            result.error,
            loaded_at,
        ],
    )


def _same_record(extract: Extract, new: str, earlier: str) -> str:
    """SQL: the staged record `new` repeats the raw row `earlier` on its line, every
    delivered value equal (two empty values are equal)."""
    values = "".join(
        f"\n                and {new}.{ident(c)} is not distinct from {earlier}.{ident(c)}"
        for c in extract.column_names
    )
    return f"{new}._line = {earlier}._source_line{values}"


def _delete_replaced_rows(
    con: duckdb.DuckDBPyConnection, delivery: Delivery, *, keep_repeated: bool
) -> None:
    """Delete the rows that the earlier version of a re-delivered file brought, but, if
    `keep_repeated`, those that a good staged record repeats on its line: they stay as they
    are, with the `_load_id` and `_loaded_at` of the load that first brought them, and
    `_insert_records` does not insert them again. What is built on load time then takes only
    what the correction changed as new, and a row of the file on the same line with a load
    time older than the correction is exactly the row that was there before (staging relies
    on it: macro restage_redelivered_files)."""
    extract = delivery.extract
    repeated = ""
    if keep_repeated:
        repeated = f"""
            and not exists (
                select 1
                from _validated as new
                where new._reason is null
                    and {_same_record(extract, "new", "earlier")}
            )"""
    con.execute(
        f"delete from raw.{extract.table} as earlier where _source_file = ?{repeated}",
        [delivery.rel_path],
    )


def _insert_records(
    con: duckdb.DuckDBPyConnection,
    delivery: Delivery,
    *,
    load_id: int,
    file_id: int,
    loaded_at: datetime,
    replaces: bool,
) -> FileResult:
    """Write the staged records: good ones to the raw table, bad ones to rejected_rows.
    A corrected re-delivery (`replaces`) leaves out the good records that a row kept by
    `_delete_replaced_rows` already holds (on their line: it kept no other)."""
    extract = delivery.extract
    columns = ", ".join(ident(c) for c in extract.column_names)
    if extract.file_format == "csv":
        fields_text = f" || {literal(extract.delimiter)} || ".join(
            f"coalesce({ident(c)}::varchar, '')" for c in extract.column_names
        )
    else:
        pairs = ", ".join(f"{literal(c)}, {ident(c)}" for c in extract.column_names)
        fields_text = f"json_object({pairs})::varchar"
    not_repeated = ""
    if replaces:
        # the file's rows left in the table are those that repeat a record on its line
        not_repeated = f"""
            and not exists (
                select 1
                from raw.{extract.table} as earlier
                where earlier._source_file = ? and earlier._source_line = new._line
            )"""
    con.execute(
        f"""
        insert into raw.{extract.table}
        select {columns}, ?, ?, ?, _line, ?
        from _validated as new
        where _reason is null{not_repeated}
        """,
        [load_id, file_id, delivery.rel_path, loaded_at]
        + ([delivery.rel_path] if replaces else []),
    )
    con.execute(
        f"""
        insert into audit.rejected_rows
        select ?, ?, ?, _line, _reason, coalesce(_raw_text, {fields_text})
        from _validated
        where _reason is not null
        union all
        select ?, ?, ?, line, reason, raw_text
        from _unparsed
        """,
        [load_id, extract.folder, delivery.rel_path] * 2,
    )
    loaded, rejected = con.sql(
        "select count(*) filter (where _reason is null),"
        " count(*) filter (where _reason is not null) + (select count(*) from _unparsed)"
        " from _validated"
    ).fetchone()
    return FileResult(
        path=delivery.rel_path,
        status="loaded" if rejected == 0 else "loaded_with_rejects",
        rows_read=loaded + rejected,
        rows_loaded=loaded,
        rows_rejected=rejected,
    )


def _insert_whole_file_rejection(
    con: duckdb.DuckDBPyConnection, delivery: Delivery, load_id: int, reason: str
) -> FileResult:
    """Write every staged line of a wholly rejected file to rejected_rows."""
    con.execute(
        "insert into audit.rejected_rows select ?, ?, ?, line, ?, raw_text from _lines",
        [load_id, delivery.extract.folder, delivery.rel_path, reason],
    )
    rows = con.sql("select count(*) from _lines").fetchone()[0]
    return FileResult(
        path=delivery.rel_path, status="rejected", rows_read=rows, rows_rejected=rows, error=reason
    )


def _rollback_if_open(con: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(duckdb.TransactionException):
        con.execute("rollback")


def load_file(
    con: duckdb.DuckDBPyConnection,
    delivery: Delivery,
    *,
    digest: str,
    file_id: int | None,
    run_id: str | None,
) -> FileResult:
    """Load one file in one transaction; `file_id` is the path's id if it was seen before."""
    try:
        empty = is_empty(delivery)
        rejection = None if empty else stage(con, delivery)
        loaded_at = datetime.now(UTC).replace(tzinfo=None)
        con.execute("begin transaction")
        load_id = con.sql("select nextval('audit.load_id_seq')").fetchone()[0]
        replaces = file_id is not None
        if file_id is None:
            file_id = con.sql("select nextval('audit.file_id_seq')").fetchone()[0]
        else:
            _delete_replaced_rows(con, delivery, keep_repeated=not empty and rejection is None)
            con.execute(
                "update audit.load_log set status = 'superseded' where path = ? "
                "and status not in ('failed', 'duplicate')",
                [delivery.rel_path],
            )
        if empty:
            result = FileResult(delivery.rel_path, "empty", error="empty file: no header, no rows")
        elif rejection is not None:
            result = _insert_whole_file_rejection(con, delivery, load_id, rejection.reason)
        else:
            result = _insert_records(
                con,
                delivery,
                load_id=load_id,
                file_id=file_id,
                loaded_at=loaded_at,
                replaces=replaces,
            )
        _log(
            con,
            load_id=load_id,
            file_id=file_id,
            run_id=run_id,
            delivery=delivery,
            digest=digest,
            result=result,
            loaded_at=loaded_at,
        )
        con.execute("commit")
        return result
    except (duckdb.Error, OSError, EOFError, UnicodeError) as error:
        _rollback_if_open(con)
        message = f"{type(error).__name__}: {error}".splitlines()[0][:500]
        failed = FileResult(delivery.rel_path, "failed", error=f"file cannot be read: {message}")
        return _log_without_rows(
            con, delivery, digest=digest, file_id=file_id, run_id=run_id, result=failed
        )
    finally:
        drop_staging(con)


def _log_without_rows(
    con: duckdb.DuckDBPyConnection,
    delivery: Delivery,
    *,
    digest: str,
    file_id: int | None,
    run_id: str | None,
    result: FileResult,
) -> FileResult:
    """Log a file that brings no rows (a duplicate, or a file that cannot be read)."""
    con.execute("begin transaction")
    load_id = con.sql("select nextval('audit.load_id_seq')").fetchone()[0]
    if file_id is None:
        file_id = con.sql("select nextval('audit.file_id_seq')").fetchone()[0]
    _log(
        con,
        load_id=load_id,
        file_id=file_id,
        run_id=run_id,
        delivery=delivery,
        digest=digest,
        result=result,
        loaded_at=datetime.now(UTC).replace(tzinfo=None),
    )
    con.execute("commit")
    return result


def load_extract(
    con: duckdb.DuckDBPyConnection, extract: Extract, landing_root: Path, run_id: str | None = None
) -> ExtractResult:
    """Load every new or changed delivery of one extract."""
    create_schemas(con)
    seen = _seen(con, extract)
    path_by_hash = dict(seen.path_by_hash)
    result = ExtractResult(extract)
    for delivery in discover(landing_root, extract):
        digest = delivery.content_hash()
        if (delivery.rel_path, digest) in seen.by_path_hash:
            result.unchanged += 1
            continue
        file_id = seen.file_id_by_path.get(delivery.rel_path)
        original = path_by_hash.get(digest)
        if original is not None and original != delivery.rel_path:
            duplicate = FileResult(
                delivery.rel_path, "duplicate", error=f"same content as {original}: loaded once"
            )
            outcome = _log_without_rows(
                con, delivery, digest=digest, file_id=file_id, run_id=run_id, result=duplicate
            )
        else:
            outcome = load_file(con, delivery, digest=digest, file_id=file_id, run_id=run_id)
            if outcome.status != "failed":
                path_by_hash[digest] = delivery.rel_path
        result.files.append(outcome)
    return result
