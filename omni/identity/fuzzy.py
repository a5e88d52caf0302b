"""Fuzzy matching of person records on name + postal address (+ birth date), with Splink.

`score_pairs` takes records of any channel that carry a name and a postal address
(loyalty members, online accounts and orders, direct-mail recipients), normalises them with
`omni.identity.normalize`, and scores candidate pairs with a Fellegi-Sunter model run by
Splink on an in-memory DuckDB connection of its own (it never opens the warehouse file).

The model (comparisons and blocking rules) is in ``fuzzy_settings.json`` next to this module:

- name: compared as a whole and order-free, so ``DUPONT Marie`` equals ``Marie Dupont``;
  fuzzy levels take the better of the straight and swapped orientations. A pair with the same
  family name but a clearly different first name (Jaro-Winkler < 0.8) has its own level
  (a household member at the same address, or a copy whose first name was replaced).
- address: exact, then same house number with a close street, then close street only;
- postcode, city: exact or close (typos);
- birth date: exact or one typo, only when both records have one.

Blocking. Only the pairs that a prediction blocking rule selects are scored. Each rule is a
conjunction of equalities of the two records (``l.x = r.x``, see `rule_keys`) that combines
a part of the name, of the address and of the place (postcode or city), e.g. same postcode
and same house number, same city and family name and first initial, same postcode and start
of the street name (`street_key`: the street without its type, which in French comes first).
A true pair with typos in some fields still agrees on every key of one rule at least. No rule
is city-wide on a single field: the pairs of such a rule grow with the square of the records
of a city. A rule skips the blocks of more than `FuzzyConfig.max_block_size` records (left to
the other, more selective rules), so each record is paired with a bounded number of others
and the pairs grow linearly with the records.

Households. Name and address alone cannot tell a spouse at the same address from a copy of
one person whose first name was mistyped or replaced (FEBRL4 holds 7% of those). What tells
them apart is that household members are each known by their own account or loyalty
membership: records may carry `strong_keys`, the strong identities behind the record or its
exact name + address key (int_name_address_records_selected). Pairs at or above the match
threshold join records into groups; a group holding more distinct strong identities than
`FuzzyConfig.max_strong_identities` is ambiguous and all its pairs are kept as low-confidence
(is_match false): two members of one household, whatever their names, never merge, and a
direct-mail piece that fits two of them goes to neither.

Parameters: u probabilities are estimated by random sampling of the input (seeded), m
probabilities by expectation maximisation on two blocked samples (same postcode; same name),
and the prior by deterministic rules. The pairs of an expectation maximisation rule grow with
the square of the records that share its key: when a rule would give more than
`FuzzyConfig.em_max_pairs` pairs, it is trained on a seeded sample of the records, of the size
that gives about that many pairs (a pair is kept when both its records are, so the share of
true matches among the pairs, what expectation maximisation separates, is kept too). A small
input (fewer records than `FuzzyConfig.min_records_to_train`) cannot train a model: it is
scored with the parameters stored in the settings file. When expectation maximisation
diverges (a level's m probability underflows below what float64 holds, which Splink
refuses), the model is built again with the stored m probabilities and only the prior and
the u probabilities estimated.
The same input always gives the same output.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from splink import DuckDBAPI, Linker, SettingsCreator
from splink.blocking_analysis import count_comparisons_from_blocking_rules

from omni.identity.normalize import (
    normalize_address,
    normalize_name,
    normalize_postcode,
)

SETTINGS_PATH = Path(__file__).with_name("fuzzy_settings.json")
INPUT_COLUMNS = (
    "record_key",
    "source",
    "first_name",
    "last_name",
    "address_line1",
    "postcode",
    "city",
    "country",
    "birth_date",
)
_HOUSE_NUMBER = r"(?:^| )(\d+[a-z]?)(?: |$)"
_NUMBER_WORD = re.compile(r"\b\d+[a-z]?\b")
# Street types as normalize_address spells them: dropped from street_key, the distinctive
# part of a street name that the blocking rules compare (in French the type comes first, so
# the start of "avenue victor hugo" tells nothing about the street).
STREET_TYPES = frozenset(
    {"rue", "avenue", "boulevard", "chemin", "impasse", "place", "route", "square", "allee"}
    | {"quai", "cours", "road", "street", "drive", "crescent", "circle", "court", "lane"}
    | {"highway", "parkway", "terrace", "close", "way", "circuit", "parade", "grove"}
)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_LEFT = re.compile(r"\bl\.")
_SAMPLE_BUCKETS = 1_000_000
OUTPUT_COLUMNS = ("record_key_l", "record_key_r", "match_probability", "match_weight", "is_match")


@dataclass(frozen=True)
class FuzzyConfig:
    """Thresholds and training settings of the matcher.

    match_threshold: probability at or above which a pair is the same person (merged).
    review_threshold: pairs scored from here up to match_threshold are low-confidence
        matches: returned (visible) with is_match false, never merged; pairs below are dropped.
    min_records_to_train: below this many records the stored parameters are used as they are.
    u_max_pairs: pairs sampled at random to estimate the u probabilities.
    em_max_pairs: most pairs an expectation maximisation rule is trained on (about: the
        records are sampled, see the module docstring); its cost stays bounded at any volume.
    max_block_size: a prediction blocking rule pairs the records of a block (the records
        equal on its keys) only when the block holds at most this many: larger blocks are
        left to the other, more selective rules, so that every rule gives at most about
        max_block_size pairs per record, whatever the volume. None: no limit.
    seed: seed of those samplings (the only random steps), so results are reproducible.
    prior_recall: recall assumed for the deterministic rules that estimate the prior.
    max_strong_identities: a group of records joined by pairs at or above match_threshold
        holding more distinct strong identities (column strong_keys) than this is ambiguous:
        its pairs are not matches (see Households in the module docstring). None: no limit.
    household_guard: when true, a pair with the same family name and a clearly different
        first name keeps the fixed, vanishing m probability of the settings: it is never a
        match, even when nothing else tells a household member from a copy with a replaced
        first name. Off by default: EM estimates that m like the others, and
        max_strong_identities keeps household members apart (FEBRL4 F1 0.955 with the
        guard, 0.99 without).
    memory_limit: DuckDB memory limit of the matcher's in-memory database (e.g. "2GB"),
        beyond which Splink's joins spill to a temporary directory. None: DuckDB's default
        (80% of the machine's memory). Splink's blocking statement, one join per prediction
        rule, needs about 250 MB on two threads even for a few thousand records.
    """

    match_threshold: float = 0.9
    review_threshold: float = 0.5
    min_records_to_train: int = 2_000
    u_max_pairs: float = 5e6
    em_max_pairs: int = 1_000_000
    max_block_size: int | None = 50
    seed: int = 42
    prior_recall: float = 0.7
    max_strong_identities: int | None = 1
    household_guard: bool = False
    memory_limit: str | None = None


def _sorted_tokens(first: str, last: str) -> str:
    return " ".join(sorted(f"{first} {last}".split()))


def _column(values: Any) -> pa.Array:
    """A string column, blanks and missing values as nulls."""
    if isinstance(values, pd.Series):
        values = values.tolist()  # far faster to iterate than an Arrow-backed Series
    return pa.array([v if isinstance(v, str) and v else None for v in values], pa.string())


def _prepare(records: pd.DataFrame) -> pa.Table:
    """The input in the form the model compares: normalised strings, blanks as nulls."""
    missing = [c for c in INPUT_COLUMNS if c not in records.columns]
    if missing:
        raise ValueError(f"records lack columns {missing}")
    keys = records["record_key"].astype(str)
    if keys.duplicated().any():
        raise ValueError("record_key must be unique")
    first = records["first_name"].map(normalize_name)
    last = records["last_name"].map(normalize_name)
    address = records["address_line1"].map(normalize_address)
    street = [" ".join(_NUMBER_WORD.sub(" ", a).split()) for a in address]
    postcode = [
        normalize_postcode(code, country)
        for code, country in zip(records["postcode"], records["country"], strict=True)
    ]
    birth = pd.to_datetime(records["birth_date"], errors="coerce", format="mixed")
    strong_keys = (
        records["strong_keys"] if "strong_keys" in records.columns else [None] * len(records)
    )
    columns = {
        "unique_id": keys,
        "source": records["source"].astype(str),
        "first_name": first,
        "last_name": last,
        "name_key": [_sorted_tokens(f, s) for f, s in zip(first, last, strict=True)],
        "address": address,
        "house_number": address.str.extract(_HOUSE_NUMBER, expand=False),
        "street": street,
        "street_key": [" ".join(w for w in s.split() if w not in STREET_TYPES) for s in street],
        "postcode": postcode,
        "city": records["city"].map(normalize_address),
        "birth_date": birth.dt.strftime("%Y-%m-%d"),
        "identity": [_identity(values) for values in strong_keys],
    }
    table = pa.table({name: _column(values) for name, values in columns.items()})
    # records identical in every compared field and in identity are scored once, by the first
    compared = [name for name in columns if name not in ("unique_id", "source")]
    frame = table.to_pandas().sort_values("unique_id").drop_duplicates(compared)
    return pa.Table.from_pandas(frame, schema=table.schema, preserve_index=False)


def _identity(values: Any) -> str | None:
    """The strong identities of a record as one sorted string (None when it has none)."""
    if isinstance(values, list | tuple | np.ndarray) and len(values):
        return ";".join(sorted(str(v) for v in values))
    return None


def _load_settings(config: FuzzyConfig) -> dict[str, Any]:
    """The settings file, with the household level released when the guard is off, the
    prediction rules limited to blocks of at most `max_block_size` records and, with a limit
    of one strong identity, to pairs with a record of none (a pair of two records with
    identities can never be a match: two identities, or one identity that already links
    them). `prediction_rules`: the prediction rules as the file states them."""
    with SETTINGS_PATH.open(encoding="utf-8") as handle:
        settings = json.load(handle)
    rules = settings["splink"]["blocking_rules_to_generate_predictions"]
    settings["prediction_rules"] = [rule["blocking_rule"] for rule in rules]
    for i, rule in enumerate(rules):
        conditions = [f"({rule['blocking_rule']})"]
        if config.max_block_size is not None:
            conditions.append(f"l.block_size_{i} <= {config.max_block_size}")
        if config.max_strong_identities == 1:
            conditions.append("(l.identity IS NULL OR r.identity IS NULL)")
        rule["blocking_rule"] = " AND ".join(conditions)
    if not config.household_guard:
        for comparison in settings["splink"]["comparisons"]:
            for level in comparison["comparison_levels"]:
                level.pop("fix_m_probability", None)
    return settings


@contextlib.contextmanager
def _quiet_splink() -> Iterator[None]:
    """Silence Splink's log messages (info and warnings) while it runs."""
    splink_logger = logging.getLogger("splink")
    level = splink_logger.level
    splink_logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        splink_logger.setLevel(level)


def rule_keys(rule: str) -> list[str]:
    """The keys of a blocking rule made of equalities joined by AND, each the same
    expression of the left and the right record: ``l.postcode = r.postcode AND
    substr(l.street, 1, 3) = substr(r.street, 1, 3)`` -> ``["postcode", "substr(street, 1,
    3)"]``. Raises ValueError for any other condition."""
    keys = []
    for term in _AND.split(rule.strip()):
        left, equals, right = term.partition("=")
        left, right = left.strip(), right.strip()
        if not equals or "r." in left or _LEFT.sub("r.", left) != right or "l." not in left:
            raise ValueError(f"blocking rule term is not an equality l.x = r.x: {term!r}")
        keys.append(_LEFT.sub("", left))
    return keys


def block_pairs(connection: duckdb.DuckDBPyConnection, table: str, rule: str) -> int:
    """Pairs of records of `table` that blocking rule `rule` (see rule_keys) joins."""
    keys = rule_keys(rule)
    not_null = " and ".join(f"({key}) is not null" for key in keys)
    (pairs,) = connection.sql(
        f"select coalesce(sum(n * (n - 1) // 2), 0) from ("
        f"select count(*) as n from {table} where {not_null} group by {', '.join(keys)})"
    ).fetchone()
    return int(pairs)


def _with_block_sizes(
    connection: duckdb.DuckDBPyConnection, table: str, rules: list[str]
) -> pa.Table:
    """`table` with a column block_size_<i>: the records of each record's block under
    prediction rule i (the records equal to it on the rule's keys)."""
    sizes = ", ".join(
        f"count(*) over (partition by {', '.join(rule_keys(rule))}) as block_size_{i}"
        for i, rule in enumerate(rules)
    )
    return connection.sql(f"select *, {sizes} from {table} order by unique_id").to_arrow_table()


def sampled_rule(rule: str, pairs: int, max_pairs: int, seed: int) -> str:
    """`rule` restricted to a seeded sample of the records when it gives more than
    `max_pairs` pairs: each record is kept with probability sqrt(max_pairs / pairs), so
    about `max_pairs` pairs remain."""
    if pairs <= max_pairs:
        return rule
    kept = math.ceil(math.sqrt(max_pairs / pairs) * _SAMPLE_BUCKETS)
    sample = " AND ".join(
        f"hash({side}.unique_id, {seed}) % {_SAMPLE_BUCKETS} < {kept}" for side in "lr"
    )
    return f"({rule}) AND {sample}"


def _train(
    linker: Linker,
    settings: dict[str, Any],
    config: FuzzyConfig,
    em_pairs: dict[str, int],
    *,
    with_em: bool = True,
) -> None:
    training = linker.training
    training.estimate_probability_two_random_records_match(
        settings["prior_rules"], recall=config.prior_recall
    )
    training.estimate_u_using_random_sampling(max_pairs=config.u_max_pairs, seed=config.seed)
    if with_em:
        for rule, pairs in em_pairs.items():
            training.estimate_parameters_using_expectation_maximisation(
                sampled_rule(rule, pairs, config.em_max_pairs, config.seed)
            )


def _linker(table: Any, settings: dict[str, Any]) -> Linker:
    return Linker(table, SettingsCreator.from_path_or_dict(settings["splink"]), log_level=None)


def ambiguous_groups(
    left: pd.Series, right: pd.Series, strong_keys: dict[str, list[str]], limit: int
) -> np.ndarray:
    """For each pair (left[i], right[i]), whether the group of records that the pairs join
    (connected components) holds more than `limit` distinct strong identities."""
    keys = pd.Index(pd.concat([left, right], ignore_index=True).unique())
    if keys.empty:
        return np.zeros(0, dtype=bool)
    l_index, r_index = keys.get_indexer(left), keys.get_indexer(right)
    graph = coo_matrix(
        (np.ones(len(l_index), dtype=np.int8), (l_index, r_index)),
        shape=(len(keys), len(keys)),
    )
    _, labels = connected_components(graph.tocsr(), directed=False)
    identities = pd.DataFrame(
        [
            (label, strong)
            for key, label in zip(keys, labels, strict=True)
            for strong in strong_keys.get(key, ())
        ],
        columns=["group", "strong_key"],
    )
    counts = identities.drop_duplicates().groupby("group").size()
    ambiguous = set(counts[counts > limit].index)
    return np.array([label in ambiguous for label in labels[l_index]], dtype=bool)


@contextlib.contextmanager
def _matcher_connection(config: FuzzyConfig) -> Iterator[duckdb.DuckDBPyConnection]:
    """The matcher's own in-memory DuckDB, bounded by config.memory_limit, spilling to a
    temporary directory removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="omni-matcher-") as spill:
        settings = {"temp_directory": spill}
        if config.memory_limit is not None:
            settings["memory_limit"] = config.memory_limit
        connection = duckdb.connect(":memory:", config=settings)
        try:
            yield connection
        finally:
            connection.close()


def _matcher_records(
    connection: duckdb.DuckDBPyConnection,
    prepared: pa.Table,
    settings: dict[str, Any],
    config: FuzzyConfig,
) -> pa.Table:
    """The prepared records, registered on `connection` as prepared_records, with the
    block sizes of the prediction rules when they are limited."""
    connection.execute("SET enable_progress_bar = false")
    connection.register("prepared_records", prepared)
    if config.max_block_size is None:
        return prepared
    return _with_block_sizes(connection, "prepared_records", settings["prediction_rules"])


def pair_counts(records: pd.DataFrame, config: FuzzyConfig = FuzzyConfig()) -> dict[str, int]:
    """How many pairs of `records` the matcher works on (for benchmarks): em_pairs, the pairs
    of its expectation maximisation rules; em_pairs_trained, those it trains on (see
    em_max_pairs); prediction_pairs, the pairs its prediction blocking rules select."""
    settings = _load_settings(config)
    with _matcher_connection(config) as connection:
        prepared = _matcher_records(connection, _prepare(records), settings, config)
        connection.register("matcher_records", prepared)
        em_pairs = [
            (rule, block_pairs(connection, "prepared_records", rule))
            for rule in settings["em_blocking_rules"]
        ]
        trained = [
            connection.sql(
                "select count(*) from matcher_records as l join matcher_records as r "
                f"on ({sampled_rule(rule, pairs, config.em_max_pairs, config.seed)}) "
                "and l.unique_id < r.unique_id"
            ).fetchone()[0]
            for rule, pairs in em_pairs
        ]
        with _quiet_splink():
            counts = count_comparisons_from_blocking_rules(
                DuckDBAPI(connection).register(prepared, table_name="identity_records"),
                blocking_rules=[
                    rule["blocking_rule"]
                    for rule in settings["splink"]["blocking_rules_to_generate_predictions"]
                ],
                link_type="dedupe_only",
                record_sample_proportion=1.0,
            )
    return {
        "em_pairs": sum(pairs for _, pairs in em_pairs),
        "em_pairs_trained": int(sum(trained)),
        "prediction_pairs": int(counts[-1]["cumulative_comparison_count"]) if counts else 0,
    }


def score_pairs(records: pd.DataFrame, config: FuzzyConfig = FuzzyConfig()) -> pd.DataFrame:
    """Score the candidate pairs of `records` and return those at or above the review
    threshold: record_key_l < record_key_r, match_probability, match_weight, is_match.

    `records` has the columns of INPUT_COLUMNS (record_key unique); any of first_name,
    last_name, address_line1, postcode, city, country, birth_date may be null. An optional
    column `strong_keys` (list of strings or null) names the strong identities behind each
    record (see Households in the module docstring). Records identical in every compared
    field and in strong_keys are scored once, by the one with the smallest key: the pairs
    returned name that record (its duplicates share its exact name + address key).
    """
    prepared = _prepare(records)
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in OUTPUT_COLUMNS})
    if prepared.num_rows < 2:
        return empty
    settings = _load_settings(config)
    with _matcher_connection(config) as connection:
        db_api = DuckDBAPI(connection)
        prepared = _matcher_records(connection, prepared, settings, config)
        with _quiet_splink():
            table = db_api.register(prepared, table_name="identity_records")
            linker = _linker(table, settings)
            if prepared.num_rows >= config.min_records_to_train:
                em_pairs = {
                    rule: block_pairs(connection, "prepared_records", rule)
                    for rule in settings["em_blocking_rules"]
                }
                try:
                    _train(linker, settings, config, em_pairs)
                except ValueError:
                    # EM diverged: stored m probabilities, estimated prior and u
                    linker = _linker(table, settings)
                    _train(linker, settings, config, em_pairs, with_em=False)
            predictions = linker.inference.predict(
                threshold_match_probability=config.review_threshold, warning_mode="never"
            ).as_pandas_dataframe()
    if predictions.empty:
        return empty
    left = predictions["unique_id_l"].astype(str)
    right = predictions["unique_id_r"].astype(str)
    swap = left > right
    result = pd.DataFrame(
        {
            "record_key_l": left.where(~swap, right),
            "record_key_r": right.where(~swap, left),
            "match_probability": predictions["match_probability"].astype(float),
            "match_weight": predictions["match_weight"].astype(float),
        }
    )
    result["is_match"] = result["match_probability"] >= config.match_threshold
    if config.max_strong_identities is not None:
        identities = prepared.select(["unique_id", "identity"]).to_pylist()
        strong = {
            row["unique_id"]: row["identity"].split(";") for row in identities if row["identity"]
        }
        candidates = result[result["is_match"]]
        ambiguous = ambiguous_groups(
            candidates["record_key_l"],
            candidates["record_key_r"],
            strong,
            config.max_strong_identities,
        )
        result.loc[candidates.index[ambiguous], "is_match"] = False
    return result.sort_values(["record_key_l", "record_key_r"], ignore_index=True)
