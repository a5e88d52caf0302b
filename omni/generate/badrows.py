"""Corrupted copies of good rows: the row-level bad deliveries of the contract.

A bad row is always an extra copy of a record that is also delivered well-formed, so the
truth never depends on it. Each function returns what the loader must reject.
"""

from __future__ import annotations

import random

import orjson

from omni.contract import Extract

RATE = 4e-5  # chance that a delivered row is followed by a corrupted copy
CSV_KINDS = (
    "too_few_fields",
    "too_many_fields",
    "bad_amount",
    "bad_date",
    "bad_integer",
    "missing_required",
)
_BAD_DATES = {
    "date": "31/02/2026",
    "timestamptz": "2026-02-31T10:15:00+01:00",
    "local_timestamp": "2026-02-31 10:15:00",
    "dmy_timestamp": "31/02/2026 10:15:00",
}
_BAD_INTEGERS = ("12a", "douze", "3.5", "1 000")


def applicable(extract: Extract, kind: str) -> bool:
    kinds = {c.kind for c in extract.columns}
    if kind == "bad_amount":
        return "money" in kinds
    if kind == "bad_date":
        return bool(kinds & _BAD_DATES.keys())
    if kind == "bad_integer":
        return "int" in kinds
    return True


def corrupt_csv(rng: random.Random, extract: Extract, fields: list[str], kind: str) -> list[str]:
    """A copy of `fields` that violates the contract in the way `kind` says."""
    bad = list(fields)
    columns = extract.columns
    if kind == "too_few_fields":
        return bad[: max(1, len(bad) - rng.randint(1, 3))]
    if kind == "too_many_fields":
        return [*bad, rng.choice(("", "x", "N/A")), "extra"]
    if kind == "missing_required":
        required = [i for i, c in enumerate(columns) if not c.nullable]
        bad[rng.choice(required)] = ""
        return bad
    wanted = {"bad_amount": ("money",), "bad_date": tuple(_BAD_DATES), "bad_integer": ("int",)}[
        kind
    ]
    index = rng.choice([i for i, c in enumerate(columns) if c.kind in wanted])
    column = columns[index]
    if kind == "bad_amount":
        whole, _, part = (fields[index] or "12.50").partition(".")
        bad[index] = f"{whole},{part or '00'}"
    elif kind == "bad_date":
        bad[index] = _BAD_DATES[column.kind]
    else:
        bad[index] = rng.choice(_BAD_INTEGERS)
    return bad


def invalid_json(record: dict) -> bytes:
    """A JSON line a broken producer writes: a trailing comma before the closing brace."""
    return orjson.dumps(record)[:-1] + b",}"
