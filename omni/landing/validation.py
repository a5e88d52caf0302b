"""SQL that finds what is wrong with a delivered row, column by column.

Each contract kind has a check that returns a reason when a non-null value is not of that
kind; each non-nullable column has a check for a missing value. `reject_reason_sql` joins
the reasons of a row (null when the row is good), so that a single vectorised pass over a
file in DuckDB sorts its rows into loaded and rejected.
"""

from __future__ import annotations

from omni.contract import Column, Extract
from omni.landing.sql import ident, literal

_OFFSET_TIMESTAMP = (
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)$"
)

# For each kind, a SQL predicate (over the quoted column `{c}`) that is true for a bad value.
_BAD_VALUE: dict[str, str] = {
    "int": r"not regexp_full_match({c}, '-?\d{1,18}')",
    "money": r"not regexp_full_match({c}, '-?\d{1,15}(\.\d{1,2})?')",
    "number": r"not regexp_full_match({c}, '-?\d{1,18}(\.\d{1,12})?')",
    "bool": "{c} not in ('true', 'false')",
    "date": (
        r"not regexp_full_match({c}, '\d{4}-\d{2}-\d{2}')"
        " or try_strptime({c}, '%Y-%m-%d') is null"
    ),
    "timestamptz": (
        f"not regexp_full_match({{c}}, '{_OFFSET_TIMESTAMP}')"
        " or try_cast({c} as timestamptz) is null"
    ),
    "local_timestamp": "try_strptime({c}, '%Y-%m-%d %H:%M:%S') is null",
    "dmy_timestamp": "try_strptime({c}, '%d/%m/%Y %H:%M:%S') is null",
}

_EXPECTED: dict[str, str] = {
    "int": "an integer",
    "money": "an amount with a '.' and at most two decimals",
    "number": "a decimal number with a '.'",
    "bool": "true or false",
    "date": "a date YYYY-MM-DD",
    "timestamptz": "an ISO-8601 timestamp with offset",
    "local_timestamp": "a timestamp YYYY-MM-DD HH:MM:SS",
    "dmy_timestamp": "a timestamp DD/MM/YYYY HH:MM:SS",
}


def column_checks(column: Column) -> list[str]:
    """SQL expressions, each a reason string when the column's value is bad, else null."""
    c = ident(column.name)
    checks = []
    if not column.nullable:
        reason = literal(f"missing required value: {column.name}")
        checks.append(f"case when {c} is null then {reason} end")
    if column.kind in _BAD_VALUE:
        bad = _BAD_VALUE[column.kind].replace("{c}", c)
        reason = literal(f"{column.name} is not {_EXPECTED[column.kind]}: ")
        checks.append(f"case when {c} is not null and ({bad}) then {reason} || left({c}, 60) end")
    return checks


def reject_reason_sql(extract: Extract) -> str:
    """One SQL expression: the reasons a row is bad joined by '; ', or null if it is good."""
    checks = [check for column in extract.columns for check in column_checks(column)]
    if not checks:
        return "null"
    return "nullif(concat_ws('; ', " + ", ".join(checks) + "), '')"
