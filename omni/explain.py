"""`omni explain-customer ID`: why the records of a customer belong together.

Reads marts.dim_customers, marts.customer_identity_explained, marts.identity_links_refused
and marts.identity_merge_log through a read-only connection, and prints a tree: the
customer, then each link (identifier shared by several of its records, with the rule that
accepted it) and the records it joins, the records alone in their customer, the links the
rules refused on its records, and the merges it took part in. An id that was merged into
another is followed to its survivor.
"""

from __future__ import annotations

from pathlib import Path

import duckdb


class CustomerNotFound(LookupError):
    pass


def _survivor(con: duckdb.DuckDBPyConnection, customer_id: str) -> tuple[str, list[str]]:
    """Follow the merge log from `customer_id` to the id that exists now."""
    notes: list[str] = []
    seen = {customer_id}
    current = customer_id
    while not con.execute(
        "select 1 from marts.dim_customers where customer_id = ?", [current]
    ).fetchone():
        row = con.execute(
            "select surviving_customer_id, merged_at, identifier_type, identifier_value, rule "
            "from marts.identity_merge_log where merged_customer_id = ? "
            "order by merged_at desc limit 1",
            [current],
        ).fetchone()
        if row is None or row[0] in seen:
            raise CustomerNotFound(f"no customer {customer_id}")
        survivor, when, kind, value, rule = row
        notes.append(
            f"{current} was merged into {survivor} on {when:%Y-%m-%d %H:%M}"
            + (f" by {kind} {value} ({rule})" if kind else "")
        )
        seen.add(survivor)
        current = survivor
    return current, notes


def explain_customer(con: duckdb.DuckDBPyConnection, customer_id: str, max_records: int = 8) -> str:
    """The explanation of one customer as text (a tree)."""
    customer_id, notes = _survivor(con, customer_id.strip())
    header = con.execute(
        "select first_name, last_name, email, phone, record_count, source_count, "
        "anchor_record_key, is_anonymous, first_seen_at, last_seen_at "
        "from marts.dim_customers where customer_id = ?",
        [customer_id],
    ).fetchone()
    first, last, email, phone, records, sources, anchor, anonymous, first_seen, last_seen = header
    name = " ".join(part for part in (first, last) if part) or "(no name)"
    lines = [*notes, f"Customer {customer_id}  {name}" + ("  [anonymous]" if anonymous else "")]
    contact = ", ".join(part for part in (email, phone) if part)
    if contact:
        lines.append(f"│ contact: {contact}")
    lines.append(
        f"│ {records} record(s) from {sources} source(s), seen {first_seen} .. {last_seen}"
    )
    lines.append(f"│ anchor (first delivered record, gives the id): {anchor}")

    links = con.execute(
        "select linked_by, identifier_value, rule, any_value(detail), min(priority), "
        "list(record_key order by record_key) "
        "from marts.customer_identity_explained "
        "where customer_id = ? and linked_by is not null "
        "group by linked_by, identifier_value, rule "
        "order by min(priority), count(*) desc, linked_by, identifier_value",
        [customer_id],
    ).fetchall()
    alone = [
        row[0]
        for row in con.execute(
            "select record_key from marts.customer_identity_explained "
            "where customer_id = ? and linked_by is null order by record_key",
            [customer_id],
        ).fetchall()
    ]
    lines.append(f"├─ linked by {len(links)} shared identifier(s)")
    for i, (kind, value, rule, detail, _priority, keys) in enumerate(links):
        last_link = i == len(links) - 1
        branch, stem = ("└─", "   ") if last_link else ("├─", "│  ")
        suffix = f"; {detail}" if detail else ""
        lines.append(f"│  {branch} {kind} {value}  [{rule}{suffix}]  {len(keys)} records")
        shown = keys[:max_records]
        for j, key in enumerate(shown):
            more = len(keys) > len(shown)
            leaf = "└─" if j == len(shown) - 1 and not more else "├─"
            lines.append(f"│  {stem} {leaf} {key}")
        if len(keys) > len(shown):
            lines.append(f"│  {stem} └─ ... {len(keys) - len(shown)} more")
    if alone:
        lines.append(f"├─ alone in the customer: {', '.join(alone)}")

    refused = con.execute(
        "select refused.identifier_type, refused.identifier_value, refused.rule, "
        "any_value(refused.detail), count(*) "
        "from marts.identity_links_refused as refused "
        "join marts.customer_identity_explained as explained using (record_key) "
        "where explained.customer_id = ? "
        "group by all order by refused.rule, refused.identifier_type, refused.identifier_value",
        [customer_id],
    ).fetchall()
    lines.append(f"├─ refused on its records: {len(refused)} link(s)")
    for kind, value, rule, detail, count in refused:
        lines.append(f"│  • {kind} {value}  [{rule}: {detail}]  on {count} record(s)")

    merges = con.execute(
        "select merged_customer_id, merged_at, records_moved, identifier_type, "
        "identifier_value, rule from marts.identity_merge_log "
        "where surviving_customer_id = ? order by merged_at, merged_customer_id",
        [customer_id],
    ).fetchall()
    lines.append(f"└─ merges into it: {len(merges)}")
    for merged, when, moved, kind, value, rule in merges:
        cause = f" by {kind} {value} ({rule})" if kind else ""
        lines.append(f"   • {merged} on {when:%Y-%m-%d %H:%M}: {moved} record(s){cause}")
    return "\n".join(lines)


def explain(warehouse: Path, customer_id: str, max_records: int = 8) -> str:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return explain_customer(con, customer_id, max_records)
    finally:
        con.close()
