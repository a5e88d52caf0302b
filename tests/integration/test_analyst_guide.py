"""Every ```sql block of docs/analyst-guide.md runs against the serving copy and returns rows."""

from __future__ import annotations

import re

import duckdb
import pytest

from omni.settings import PROJECT_ROOT
from tests.integration.conftest import Served

pytestmark = pytest.mark.integration

GUIDE = PROJECT_ROOT / "docs" / "analyst-guide.md"
_BLOCK = re.compile(r"^```sql\n(.*?)^```", re.DOTALL | re.MULTILINE)
_HEADING = re.compile(r"^#+ (.+)$", re.MULTILINE)


def guide_queries(text: str) -> list[tuple[str, str]]:
    """(heading above the block, SQL) for every ```sql block, in document order."""
    queries = []
    for block in _BLOCK.finditer(text):
        headings = _HEADING.findall(text, 0, block.start())
        queries.append((headings[-1] if headings else "(no heading)", block.group(1)))
    return queries


QUERIES = guide_queries(GUIDE.read_text(encoding="utf-8"))


def test_the_guide_has_queries():
    assert len(QUERIES) >= 9
    assert len({heading for heading, _ in QUERIES}) == len(QUERIES), "one query per question"


@pytest.mark.parametrize(("question", "sql"), QUERIES, ids=[h for h, _ in QUERIES])
def test_each_query_returns_rows(served: Served, question: str, sql: str):
    con = duckdb.connect(str(served.serving), read_only=True)
    try:
        rows = con.sql(sql).fetchall()
    finally:
        con.close()
    assert rows, f"{question}: no rows"
