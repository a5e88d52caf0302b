"""Fuzzy matching of person records on name + postal address (+ birth date), with Splink.

`score_pairs` takes records of any channel that carry a name and a postal address
(loyalty members, online accounts and orders, direct-mail recipients), normalises them with
`omni.identity.normalize`, and scores candidate pairs with a Fellegi-Sunter model run by
Splink on an in-memory DuckDB connection of its own (it never opens the warehouse file).

The model (comparisons and blocking rules) is in ``fuzzy_settings.json`` next to this module:

- name: compared as a whole and order-free, so ``DUPONT Marie`` equals ``Marie Dupont``;
  fuzzy levels take the better of the straight and swapped orientations. A pair with the same
  family name but a clearly different first name (Jaro-Winkler < 0.8) is a household member
  (same address, same surname): its m probability is fixed at 1e-12, a veto of about 38 bits
  that no agreement on address, postcode and city can outweigh, so such a pair is never
  merged (see `FuzzyConfig.household_guard`).
- address: exact, then same house number with a close street, then close street only;
- postcode, city: exact or close (typos);
- birth date: exact or one typo, only when both records have one.

Parameters: u probabilities are estimated by random sampling of the input (seeded), m
probabilities by expectation maximisation on two blocked samples (same postcode; same name),
and the prior by deterministic rules. A small input (fewer records than
`FuzzyConfig.min_records_to_train`) cannot train a model: it is scored with the parameters
stored in the settings file. The same input always gives the same output.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
from splink import DuckDBAPI, Linker, SettingsCreator

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
OUTPUT_COLUMNS = ("record_key_l", "record_key_r", "match_probability", "match_weight", "is_match")


@dataclass(frozen=True)
class FuzzyConfig:
    """Thresholds and training settings of the matcher.

    match_threshold: probability at or above which a pair is the same person (merged).
    review_threshold: pairs scored from here up to match_threshold are low-confidence
        matches: returned (visible) with is_match false, never merged; pairs below are dropped.
    min_records_to_train: below this many records the stored parameters are used as they are.
    u_max_pairs: pairs sampled at random to estimate the u probabilities.
    seed: seed of that sampling (the only random step), so results are reproducible.
    prior_recall: recall assumed for the deterministic rules that estimate the prior.
    household_guard: when true, a pair with the same family name and a clearly different
        first name (a household member at the same address) keeps the fixed, vanishing m
        probability of the settings: it is never a match. When false that m is estimated
        by EM like the others (the FEBRL4 protocol: about 7% of its corrupted copies have
        their first name replaced by another one).
    """

    match_threshold: float = 0.9
    review_threshold: float = 0.5
    min_records_to_train: int = 2_000
    u_max_pairs: float = 5e6
    seed: int = 42
    prior_recall: float = 0.7
    household_guard: bool = True


def _sorted_tokens(first: str, last: str) -> str:
    return " ".join(sorted(f"{first} {last}".split()))


def _column(values: Any) -> pa.Array:
    """A string column, blanks and missing values as nulls."""
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
    postcode = [
        normalize_postcode(code, country)
        for code, country in zip(records["postcode"], records["country"], strict=True)
    ]
    birth = pd.to_datetime(records["birth_date"], errors="coerce", format="mixed")
    columns = {
        "unique_id": keys,
        "source": records["source"].astype(str),
        "first_name": first,
        "last_name": last,
        "name_key": [_sorted_tokens(f, s) for f, s in zip(first, last, strict=True)],
        "address": address,
        "house_number": address.str.extract(_HOUSE_NUMBER, expand=False),
        "street": [" ".join(_NUMBER_WORD.sub(" ", a).split()) for a in address],
        "postcode": postcode,
        "city": records["city"].map(normalize_address),
        "birth_date": birth.dt.strftime("%Y-%m-%d"),
    }
    return pa.table({name: _column(values) for name, values in columns.items()})


def _load_settings(config: FuzzyConfig) -> dict[str, Any]:
    """The settings file, with the household level released when the guard is off."""
    with SETTINGS_PATH.open(encoding="utf-8") as handle:
        settings = json.load(handle)
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


def _train(linker: Linker, settings: dict[str, Any], config: FuzzyConfig) -> None:
    training = linker.training
    training.estimate_probability_two_random_records_match(
        settings["prior_rules"], recall=config.prior_recall
    )
    training.estimate_u_using_random_sampling(max_pairs=config.u_max_pairs, seed=config.seed)
    for rule in settings["em_blocking_rules"]:
        training.estimate_parameters_using_expectation_maximisation(rule)


def score_pairs(records: pd.DataFrame, config: FuzzyConfig = FuzzyConfig()) -> pd.DataFrame:
    """Score the candidate pairs of `records` and return those at or above the review
    threshold: record_key_l < record_key_r, match_probability, match_weight, is_match.

    `records` has the columns of INPUT_COLUMNS (record_key unique); any of first_name,
    last_name, address_line1, postcode, city, country, birth_date may be null.
    """
    prepared = _prepare(records)
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in OUTPUT_COLUMNS})
    if prepared.num_rows < 2:
        return empty
    settings = _load_settings(config)
    connection = duckdb.connect(":memory:")
    try:
        connection.execute("SET enable_progress_bar = false")
        db_api = DuckDBAPI(connection)
        with _quiet_splink():
            table = db_api.register(prepared, table_name="identity_records")
            linker = Linker(
                table,
                SettingsCreator.from_path_or_dict(settings["splink"]),
                log_level=None,
            )
            if prepared.num_rows >= config.min_records_to_train:
                _train(linker, settings, config)
            predictions = linker.inference.predict(
                threshold_match_probability=config.review_threshold, warning_mode="never"
            ).as_pandas_dataframe()
    finally:
        connection.close()
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
    return result.sort_values(["record_key_l", "record_key_r"], ignore_index=True)
