"""DDL of the warehouse's `raw` and `audit` schemas.

Raw tables keep the delivered values: CSV columns and JSON scalars as text (validated at load
time so that staging can cast them), nested JSON as DuckDB `JSON`, Parquet columns in their
own types. Every row carries its lineage:

- ``_load_id``: the load (one per file version) that brought the row, see ``audit.load_log``;
- ``_file_id``: the delivery order of the file path (first seen = smallest); a corrected
  re-delivery keeps the id of the path, so it takes the place of the version it replaces;
- ``_source_file``: path relative to the landing root;
- ``_source_line``: record number in the file (CSV: the header is 1; JSON Lines: the line;
  Parquet: the row, from 1);
- ``_loaded_at``: when the row was loaded, UTC.

A corrected re-delivery's record that repeats the earlier version's row on the same line,
every value equal, leaves that row as it was, with the ``_load_id`` and ``_loaded_at`` of its
first load: the models built on load time take only what the correction changed as new.
"""

from __future__ import annotations

import duckdb

from omni.contract import EXTRACTS, Column, Extract

LINEAGE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("_load_id", "BIGINT NOT NULL"),
    ("_file_id", "BIGINT NOT NULL"),
    ("_source_file", "VARCHAR NOT NULL"),
    ("_source_line", "BIGINT NOT NULL"),
    ("_loaded_at", "TIMESTAMP NOT NULL"),
)

AUDIT_DDL = """
create schema if not exists audit;
create sequence if not exists audit.load_id_seq start 1;
create sequence if not exists audit.file_id_seq start 1;
create table if not exists audit.load_log (
    load_id       bigint primary key,
    file_id       bigint not null,
    run_id        varchar,
    extract       varchar not null,
    path          varchar not null,
    content_hash  varchar,
    size_bytes    bigint,
    rows_read     bigint not null,
    rows_loaded   bigint not null,
    rows_rejected bigint not null,
    status        varchar not null,
    error         varchar,
    loaded_at     timestamp not null
);
create table if not exists audit.rejected_rows (
    load_id     bigint not null,
    extract     varchar not null,
    path        varchar not null,
    line        bigint,
    reason      varchar not null,
    raw_text    varchar
);
create table if not exists audit.quality_results (
    run_id            varchar not null,
    checked_at        timestamp not null,
    asset             varchar not null,
    check_name        varchar not null,
    expectation       varchar not null,
    reason            varchar not null,
    severity          varchar not null,
    passed            boolean not null,
    rows_validated    bigint not null,
    observed_value    varchar,
    unexpected_count  bigint,
    failing_examples  json
);
"""


def raw_type(extract: Extract, column: Column) -> str:
    if column.kind == "json":
        return "JSON"
    if extract.file_format == "parquet" and column.kind == "epoch_micros":
        return "BIGINT"
    return "VARCHAR"


def raw_table_ddl(extract: Extract) -> str:
    columns = [f'"{c.name}" {raw_type(extract, c)}' for c in extract.columns]
    columns += [f"{name} {sql_type}" for name, sql_type in LINEAGE_COLUMNS]
    body = ",\n    ".join(columns)
    return f"create table if not exists raw.{extract.table} (\n    {body}\n)"


def create_schemas(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw tables and the audit tables if they do not exist (idempotent)."""
    con.execute("create schema if not exists raw")
    for extract in EXTRACTS:
        con.execute(raw_table_ddl(extract))
    con.execute(AUDIT_DDL)
