"""Read one delivered file into DuckDB temp tables, keeping every record.

Each reader leaves two temp tables on the connection:

- ``_parsed``: one row per record whose fields could be read, the contract's columns in their
  raw types, ``_k`` (the record's order among parsed records, from 1) and ``_pre_reason``
  (why the record is already known to be bad, e.g. a JSON line that does not parse), plus
  ``_raw_text`` where the format gives the record's text;
- ``_unparsed``: one row per record that could not be split into fields (``line``,
  ``reason``, ``raw_text``), from DuckDB's CSV reject tables.

A file that cannot be taken at all for a reason that concerns the whole file (a header that
is not the contract's, a wrong encoding) raises `WholeFileRejected`.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
from pathlib import Path

import duckdb

from omni.contract import Extract
from omni.landing.discover import Delivery
from omni.landing.schema import raw_type
from omni.landing.sql import literal

# A byte that cannot occur in a JSON text outside a string escape: splits nothing in a
# well-formed JSON line, so a JSON Lines file reads as one column per line.
_LINE_DELIMITER = "\x1f"
_HEADER_PROBE_BYTES = 1 << 16

# DuckDB's JSON parser also accepts trailing commas and NaN/Infinity, which are not JSON
# (RFC 8259). A cheap prefilter finds the lines that may have them; only those are checked
# again with their string values blanked out, so that text like "a, }" inside a string
# does not count.
_LENIENT_JSON = (
    r"(regexp_matches({line}, ',\s*[}}\]]') or contains({line}, 'NaN') "
    r"or contains({line}, 'Infinity')) and regexp_matches("
    r"""regexp_replace({line}, '"(?:[^"\\]|\\.)*"', '""', 'g'), """
    r"',\s*[}}\]]|\bNaN\b|Infinity')"
)


class WholeFileRejected(Exception):
    """The whole file is rejected, for the reason given (its lines are kept as rejected)."""

    def __init__(self, reason: str, encoding: str = "utf-8") -> None:
        super().__init__(reason)
        self.reason = reason
        self.encoding = encoding


def _open_bytes(path: Path) -> io.BufferedIOBase:
    return gzip.open(path, "rb") if path.name.endswith(".gz") else path.open("rb")


def is_empty(delivery: Delivery) -> bool:
    """True for a file with no content at all (0 bytes, or a gzip of nothing)."""
    if delivery.size_bytes == 0:
        return True
    if not delivery.is_gzip:
        return False
    try:
        with _open_bytes(delivery.path) as handle:
            return handle.read(1) == b""
    except (OSError, EOFError):
        return False


def _drop_rejects(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("drop table if exists _rej_errors")
    con.execute("drop table if exists _rej_scans")


def _unparsed_from_rejects(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        create or replace temp table _unparsed as
        select
            line,
            arg_min(lower(error_type) || ': ' || error_message, byte_position) as reason,
            any_value(csv_line) as raw_text,
            bool_or(error_type in ('INVALID UNICODE', 'INVALID ENCODING')) as is_invalid_unicode
        from _rej_errors
        group by line
        """
    )
    _drop_rejects(con)
    bad = con.sql("select min(line) from _unparsed where is_invalid_unicode").fetchone()
    if bad and bad[0] is not None:
        raise WholeFileRejected(
            f"file is not valid UTF-8 (first invalid byte on record {bad[0]}); "
            "re-deliver it in UTF-8",
            encoding="latin-1",
        )


def _check_csv_header(extract: Extract, path: Path, encoding: str) -> None:
    with _open_bytes(path) as handle:
        head = handle.read(_HEADER_PROBE_BYTES)
    first_line = head.split(b"\n", 1)[0].rstrip(b"\r")
    text = codecs.decode(first_line, encoding, errors="replace").lstrip("\ufeff")
    found = next(csv.reader([text], delimiter=extract.delimiter), [])
    expected = extract.column_names
    if found == expected:
        return
    missing = [c for c in expected if c not in found]
    extra = [c for c in found if c not in expected]
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing))
    if extra:
        parts.append("unexpected " + ", ".join(extra))
    if not parts:
        parts.append("columns out of order")
    raise WholeFileRejected("header does not match the contract: " + "; ".join(parts), encoding)


def _transcode_to_utf8(path: Path, encoding: str, target: Path) -> None:
    """Re-encode a file delivered in `encoding` as UTF-8 (DuckDB reads UTF-8)."""
    with _open_bytes(path) as handle:
        data = handle.read()
    try:
        data.decode("utf-8")
        if not data.isascii():
            raise WholeFileRejected(
                f"file is UTF-8 but this extract is delivered in {encoding}; re-deliver it "
                f"in {encoding}",
                encoding="utf-8",
            )
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise WholeFileRejected(
            f"file is not valid {encoding}: {error.reason} at byte {error.start}", "latin-1"
        ) from error
    target.write_text(text, encoding="utf-8")


def read_csv(con: duckdb.DuckDBPyConnection, delivery: Delivery, workdir: Path) -> None:
    extract = delivery.extract
    source = delivery.path
    _check_csv_header(extract, source, extract.encoding)
    if extract.encoding.lower() not in ("utf-8", "utf8"):
        source = workdir / "transcoded.csv"
        _transcode_to_utf8(delivery.path, extract.encoding, source)
    columns = "{" + ", ".join(f"{literal(c)}: 'VARCHAR'" for c in extract.column_names) + "}"
    _drop_rejects(con)
    con.execute(
        f"""
        create or replace temp table _parsed as
        select
            *,
            cast(null as varchar) as _pre_reason,
            cast(null as varchar) as _raw_text
        from read_csv(
            {literal(str(source))},
            header = true,
            columns = {columns},
            delim = {literal(extract.delimiter)},
            quote = '"',
            escape = '"',
            auto_detect = false,
            strict_mode = true,
            store_rejects = true,
            rejects_table = '_rej_errors',
            rejects_scan = '_rej_scans'
        )
        """
    )
    _unparsed_from_rejects(con)


def read_jsonl(con: duckdb.DuckDBPyConnection, delivery: Delivery, workdir: Path) -> None:
    """Each line read as text and its fields extracted, in one ordered pass."""
    extract = delivery.extract
    scalars = [c for c in extract.columns if raw_type(extract, c) != "JSON"]
    nested = [c for c in extract.columns if raw_type(extract, c) == "JSON"]
    scalar_paths = ", ".join(literal(f'$."{c.name}"') for c in scalars)
    nested_paths = ", ".join(literal(f'$."{c.name}"') for c in nested)
    positions = {c.name: i for i, c in enumerate(extract.columns)}
    projections = [(c.name, f'_s[{i + 1}] as "{c.name}"') for i, c in enumerate(scalars)]
    projections += [
        (c.name, f"nullif(_n[{i + 1}], 'null'::json) as \"{c.name}\"") for i, c in enumerate(nested)
    ]
    projections.sort(key=lambda named: positions[named[0]])
    nested_select = f"json_extract(line, [{nested_paths}])" if nested else "[]::json[]"
    _drop_rejects(con)
    con.execute(
        f"""
        create or replace temp table _parsed as
        with lines as (
            select line
            from read_csv(
                {literal(str(delivery.path))},
                header = false,
                columns = {{'line': 'VARCHAR'}},
                delim = {literal(_LINE_DELIMITER)},
                quote = '',
                escape = '',
                auto_detect = false,
                strict_mode = true,
                store_rejects = true,
                rejects_table = '_rej_errors',
                rejects_scan = '_rej_scans'
            )
        ),
        checked as (
            select
                line,
                case
                    when not json_valid(line) then false
                    when {_LENIENT_JSON.format(line="line")} then false
                    else starts_with(ltrim(line), '{{')
                end as is_object
            from lines
        ),
        extracted as (
            select
                line,
                is_object,
                case when is_object then json_extract_string(line, [{scalar_paths}]) end as _s,
                case when is_object then {nested_select} end as _n
            from checked
        )
        select
            {", ".join(projection for _, projection in projections)},
            case
                when not is_object then 'not a JSON object: line does not parse as strict JSON'
            end as _pre_reason,
            case when not is_object then line end as _raw_text
        from extracted
        """
    )
    _unparsed_from_rejects(con)


def read_parquet(con: duckdb.DuckDBPyConnection, delivery: Delivery, workdir: Path) -> None:
    extract = delivery.extract
    path = literal(str(delivery.path))
    found = {
        name: sql_type
        for name, sql_type, *_ in con.sql(f"describe select * from read_parquet({path})").fetchall()
    }
    expected = extract.column_names
    missing = [c for c in expected if c not in found]
    extra = [c for c in found if c not in expected]
    wrong_type = [
        f"{c.name} is {found[c.name]}"
        for c in extract.columns
        if c.name in found
        and raw_type(extract, c) == "BIGINT"
        and found[c.name] not in ("BIGINT", "INTEGER", "UBIGINT", "UINTEGER")
    ]
    if missing or extra or wrong_type:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(missing))
        if extra:
            parts.append("unexpected " + ", ".join(extra))
        if wrong_type:
            parts.append("wrong type: " + ", ".join(wrong_type))
        raise WholeFileRejected("schema does not match the contract: " + "; ".join(parts))
    columns = ", ".join(
        f'cast("{c.name}" as {raw_type(extract, c)}) as "{c.name}"' for c in extract.columns
    )
    con.execute(
        f"""
        create or replace temp table _parsed as
        select
            {columns},
            cast(null as varchar) as _pre_reason,
            cast(null as varchar) as _raw_text
        from read_parquet({path}, file_row_number = true)
        order by file_row_number
        """
    )
    con.execute(
        "create or replace temp table _unparsed "
        "(line bigint, reason varchar, raw_text varchar, is_invalid_unicode boolean)"
    )


READERS = {"csv": read_csv, "jsonl": read_jsonl, "parquet": read_parquet}

FIRST_RECORD_LINE = {"csv": 2, "jsonl": 1, "parquet": 1}


def read_lines_for_rejection(
    con: duckdb.DuckDBPyConnection, delivery: Delivery, encoding: str
) -> None:
    """Every record of a wholly rejected file into temp table ``_lines`` (line, raw_text)."""
    path = literal(str(delivery.path))
    if delivery.extract.file_format == "parquet":
        con.execute(
            f"""
            create or replace temp table _lines as
            select file_row_number + 1 as line, to_json(p)::varchar as raw_text
            from read_parquet({path}, file_row_number = true) as p
            """
        )
        return
    first = FIRST_RECORD_LINE[delivery.extract.file_format]
    duck_encoding = "utf-8" if encoding.lower() in ("utf-8", "utf8") else "latin-1"
    con.execute(
        f"""
        create or replace temp table _raw_lines as
        select raw_text
        from read_csv(
            {path},
            header = {"true" if first == 2 else "false"},
            columns = {{'raw_text': 'VARCHAR'}},
            delim = {literal(_LINE_DELIMITER)},
            quote = '',
            escape = '',
            auto_detect = false,
            strict_mode = false,
            encoding = {literal(duck_encoding)}
        )
        """
    )
    con.execute(
        f"create or replace temp table _lines as "
        f"select rowid - min(rowid) over () + {first} as line, raw_text from _raw_lines"
    )
    con.execute("drop table _raw_lines")
