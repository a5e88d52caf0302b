"""Pairs of name + address records scored by the fuzzy matcher (omni.identity.fuzzy).

One row per candidate pair (record_key_l < record_key_r) at or above the matcher's review
threshold: match_probability, match_weight and is_match (at or above its match threshold).
Accepted pairs (is_match) become links of rule `fuzzy_name_address` in int_identity_links_evaluated;
the others are low-confidence matches, published in identity_low_confidence_matches and
never merged. A group of records joined by pairs may hold at most the max_strong_identities of
the identity_rules row fuzzy_name_address (accounts, loyalty memberships: column strong_keys of
the input); pairs of a group holding more are low-confidence (two members of one household).
With the var identity_fuzzy_enabled false the model is empty. The matcher's own DuckDB is
bounded by the var identity_fuzzy_memory_limit (beside the warehouse's memory_limit).
"""

import pandas as pd

COLUMNS = {
    "record_key_l": "varchar",
    "record_key_r": "varchar",
    "match_probability": "double",
    "match_weight": "double",
    "is_match": "boolean",
}


def _empty() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for name in COLUMNS})


def model(dbt, session):
    dbt.config(materialized="table")
    records = dbt.ref("int_name_address_records_selected").df()
    (limit,) = (
        dbt.ref("identity_rules")
        .filter("identifier_type = 'fuzzy_name_address'")
        .project("max_strong_identities")
        .fetchone()
    )
    scored = _empty()
    enabled = str(dbt.config.get("fuzzy_enabled", True)).strip().lower() not in ("false", "0", "")
    if enabled and len(records) >= 2:
        from omni.identity.fuzzy import FuzzyConfig, score_pairs

        config = FuzzyConfig(
            max_strong_identities=limit,
            memory_limit=dbt.config.get("fuzzy_memory_limit") or None,
        )
        scored = score_pairs(records, config)
    if scored.empty:
        scored = _empty()
    relation = session.from_df(scored[list(COLUMNS)])
    casts = ", ".join(f"cast({name} as {kind}) as {name}" for name, kind in COLUMNS.items())
    return relation.project(casts)
