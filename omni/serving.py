"""The serving copy: what analysts and BI tools read, published after every successful run.

DuckDB allows one writer per file, and a reader holding the working warehouse open makes the
next run fail. So readers get their own file, `serving/<warehouse file name>` beside the
working warehouse (`OMNI_SERVING` overrides it), holding the schemas analysts are meant to
see (`marts`, and the `reference` seeds that configure identity resolution) plus
`meta.published_tables` (what was published, by which run, when). `raw` and `audit` stay in
the working warehouse: raw rows and rejected lines carry personal data as delivered, and
analysts read the marts built from them.

Publication is atomic. The new version is written complete to a hidden file in the same
folder, checkpointed and synced, then renamed over the old one (`os.replace`, atomic on one
file system). A reader sees the previous complete version or the new one, never a mix. A
reader holding the old version open keeps reading it (on Linux and macOS the renamed-over
file lives on until its last handle closes) and neither blocks nor breaks the publication,
because the publisher never opens the published file itself.

The file is written in DuckDB's storage format v1.4.0, so that DuckDB 1.4 and every newer
client (CLI, Python, duckdb-engine, JDBC) can read it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from omni import settings

PUBLISHED_SCHEMAS = ("marts", "reference")
STORAGE_VERSION = "v1.4.0"
_ALIAS = "serving_next"


@dataclass(frozen=True)
class Publication:
    path: Path
    rows_by_table: dict[str, int]
    size_bytes: int
    published_at: datetime
    run_id: str


@dataclass(frozen=True)
class Described:
    """The description of a relation and of its columns (from the dbt manifest)."""

    description: str
    columns: Mapping[str, str]


def serving_path() -> Path:
    """`OMNI_SERVING`, or `serving/<warehouse file name>` beside the working warehouse."""
    override = os.environ.get("OMNI_SERVING")
    if override:
        return Path(override).resolve()
    warehouse = settings.warehouse_path()
    return warehouse.parent / "serving" / warehouse.name


def staging_path(target: Path) -> Path:
    """Where the next version is written before it is renamed over `target` (same folder)."""
    return target.with_name(f".{target.name}.publishing")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _relations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """Tables and views of the published schemas in the working warehouse, in name order."""
    return con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = current_database() and table_schema in "
        f"({', '.join('?' for _ in PUBLISHED_SCHEMAS)}) order by all",
        list(PUBLISHED_SCHEMAS),
    ).fetchall()


def _comment(con: duckdb.DuckDBPyConnection, schema: str, table: str, doc: Described) -> None:
    target = f"{_ALIAS}.{_quote(schema)}.{_quote(table)}"
    if doc.description:
        con.execute(f"comment on table {target} is {_literal(doc.description.strip())}")
    columns = {
        name
        for (name,) in con.execute(
            "select column_name from duckdb_columns() "
            "where database_name = ? and schema_name = ? and table_name = ?",
            [_ALIAS, schema, table],
        ).fetchall()
    }
    for column, text in doc.columns.items():
        if column in columns and text:
            con.execute(f"comment on column {target}.{_quote(column)} is {_literal(text.strip())}")


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write(
    con: duckdb.DuckDBPyConnection,
    next_path: Path,
    run_id: str,
    published_at: datetime,
    descriptions: Mapping[tuple[str, str], Described],
) -> dict[str, int]:
    relations = _relations(con)
    if not any(schema == "marts" for schema, _ in relations):
        raise RuntimeError("The working warehouse has no marts: nothing to publish.")
    con.execute(
        f"attach {_literal(str(next_path))} as {_ALIAS} (storage_version '{STORAGE_VERSION}')"
    )
    try:
        rows: dict[str, int] = {}
        for schema in sorted({schema for schema, _ in relations}):
            con.execute(f"create schema {_ALIAS}.{_quote(schema)}")
        for schema, table in relations:
            con.execute(
                f"create table {_ALIAS}.{_quote(schema)}.{_quote(table)} as "
                f"select * from {_quote(schema)}.{_quote(table)}"
            )
            rows[f"{schema}.{table}"] = con.execute(
                f"select count(*) from {_ALIAS}.{_quote(schema)}.{_quote(table)}"
            ).fetchone()[0]
            if (schema, table) in descriptions:
                _comment(con, schema, table, descriptions[(schema, table)])
        con.execute(f"create schema {_ALIAS}.meta")
        con.execute(
            f"create table {_ALIAS}.meta.published_tables (table_schema varchar, "
            "table_name varchar, row_count bigint, run_id varchar, published_at timestamptz)"
        )
        con.executemany(
            f"insert into {_ALIAS}.meta.published_tables values (?, ?, ?, ?, ?)",
            [(*name.split(".", 1), count, run_id, published_at) for name, count in rows.items()],
        )
        con.execute(
            f"comment on table {_ALIAS}.meta.published_tables is "
            "'The tables of this file, their rows, and the run that published them.'"
        )
        con.execute(f"checkpoint {_ALIAS}")
    finally:
        con.execute(f"detach {_ALIAS}")
    return rows


def publish(
    con: duckdb.DuckDBPyConnection,
    target: Path,
    run_id: str,
    descriptions: Mapping[tuple[str, str], Described] | None = None,
) -> Publication:
    """Copy the published schemas of the warehouse `con` is connected to into `target`.

    The caller is the only writer (one run at a time writes the warehouse): the hidden file
    of an earlier publication cut short is simply replaced.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    next_path = staging_path(target)
    for leftover in (next_path, next_path.with_name(next_path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    published_at = datetime.now(UTC)
    try:
        rows = _write(con, next_path, run_id, published_at, descriptions or {})
        _sync(next_path)
        os.replace(next_path, target)
        _sync(target.parent)
    except BaseException:
        next_path.unlink(missing_ok=True)
        raise
    return Publication(
        path=target,
        rows_by_table=rows,
        size_bytes=target.stat().st_size,
        published_at=published_at,
        run_id=run_id,
    )
