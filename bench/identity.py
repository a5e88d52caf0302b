"""Identity resolution benchmark: time the identity models and score them against the truth.

    python -m bench.identity [--customers 10000] [--days 365] [--seed 42] [--no-reachable]
    python -m bench.identity --warehouse FILE --truth DIR   (score a built warehouse only)

1. generates a landing zone of N customers once (cached under bench/.data/), loads and
   stages it once (omni.landing.loader.load_extract, then dbt seed and staging, whose record
   models are tables: the staging build time is printed apart; cached too, and staged again
   when the cache holds staging views, as it did before staging was materialised);
2. times `dbt build --select path:models/intermediate/identity path:models/marts/identity`
   on a copy of that warehouse (models and their tests), with the peak memory of the dbt
   process (its own rusage, os.wait4). Staging is not part of this time: the
   identity models read staging tables already built (before, they evaluated the staging
   views, deduplication and JSON parsing included, on every read);
3. reports the slowest models of that build (dbt's run_results.json), the fuzzy matcher's
   own seconds and the pairs it works on (expectation maximisation pairs, those trained
   on, prediction pairs);
4. scores the customers against the generator's truth (record -> true person).

Scoring. The records scored are the *identifiable* records: records of a real person (bots
have no person in the truth) that carry at least one identifier (int_identifiers_extracted,
any type but the descriptive person_name, whatever the rules decide about it: switching a
rule off does not take its records out of the score), except the records of *anonymous
visitors*. A record without any identifier (a cash receipt without card, email or phone)
cannot be attributed by anyone and is left out. An anonymous visitor's record is a web or
app event whose only identifiers are cookies or devices (types in ANONYMOUS_TYPES) none of
which is ever seen on a record with an identifier of another type (the visitor never logs
in, never buys, never gives an email): nobody can tell whose it is (issue 4: customer_id is
null only for "a visitor never identified"). The definition looks only at the identifiers
extracted, never at what the rules accept. The figures over every record with an identifier
(anonymous visitors included, the definition used before) are printed too, under
`with_anonymous_visitors`, so that both can be compared.

A scored record outside every customer (all its identifiers refused) counts as a customer of
its own. B-cubed precision and recall are the means over the scored records of
|customer ∩ person| / |customer| and |customer ∩ person| / |person| (person restricted to
the scored records); F1 their harmonic mean.

`reachable recall` is the same recall against an oracle that links two records of one
person only when they share an identifier value (ignoring every rule, the fuzzy matcher
excluded): the best recall any exact rule set could reach; what is missing below it is
lost to the rules (shared identifiers, uncorroborated member ids) or to the fuzzy matcher.
`exclusive reachable recall` is the recall of the same oracle when it links only through
values that one true person holds (a family email, a household landline or the staff card
never link): the best recall of exact rules that refuse every identifier two people share,
as the issue's rules must. Records without such a value are customers of their own there.

Prints a table, the top causes of false merges and splits, and writes
bench/results/identity-<N>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from bench.dbt_runner import node_seconds, run_dbt, run_dbt_measured
from bench.samples import landing_zone

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
DATA = HERE / ".data"
RESULTS = HERE / "results"
SELECT = ["path:models/intermediate/identity", "path:models/marts/identity"]
# identifiers of a browser or a device, not of a person (see the scoring in the docstring)
ANONYMOUS_TYPES = ("anonymous_id", "device_id")
SCORING_MEMORY = "6GB"
TOP_MODELS = 8


def staged_warehouse(customers: int, days: int, seed: int) -> tuple[Path, Path]:
    """Landing zone and staged warehouse of this sample, built once and cached."""
    landing = landing_zone(customers, days, seed)
    staged = DATA / f"staged-{customers}-{days}-{seed}.duckdb"
    if not staged.with_suffix(".complete").exists() or not staging_is_materialised(staged):
        staged.unlink(missing_ok=True)
        started = time.perf_counter()
        env = {
            **os.environ,
            "OMNI_WAREHOUSE": str(staged),
            "DAGSTER_HOME": str(DATA / "dagster_home"),
        }
        (DATA / "dagster_home").mkdir(parents=True, exist_ok=True)
        # load raw and stage only (the identity models are timed separately)
        subprocess.run(
            [sys.executable, "-m", "bench.identity", "_load", str(landing), str(staged)],
            cwd=PROJECT,
            env=env,
            check=True,
        )
        staged.with_suffix(".complete").touch()
        print(f"loaded and staged {staged} in {time.perf_counter() - started:.1f}s")
    return landing, staged


def staging_is_materialised(warehouse: Path) -> bool:
    """Whether the warehouse's staging holds tables (a cache built before holds views)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return (
            con.sql(
                "select count(*) from information_schema.tables where table_schema = 'staging' "
                "and table_name = 'stg_web__events' and table_type = 'BASE TABLE'"
            ).fetchone()[0]
            == 1
        )
    finally:
        con.close()


def _load(landing: Path, warehouse: Path) -> None:
    """Load every extract into raw, then the seeds and staging (dbt), timed apart."""
    from omni.contract import EXTRACTS
    from omni.landing.loader import load_extract

    con = duckdb.connect(str(warehouse))
    try:
        for extract in EXTRACTS:
            load_extract(con, extract, landing)
    finally:
        con.close()
    run_dbt(["seed"], warehouse)
    seconds = run_dbt(["run", "--select", "path:models/staging"], warehouse)
    print(f"staging built (dbt run, record models as tables) in {seconds:.1f}s")


def time_identity(staged: Path, work: Path) -> dict[str, float]:
    """dbt build of the identity models on a fresh copy of the staged warehouse."""
    work.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(staged, work)
    seconds = run_dbt(["seed", "--select", "identity_*"], work)
    # buildable: the tests of the identity models and of their parents (seeds), not the
    # relationships tests of downstream marts (fct_orders...) that refer to dim_customers
    build, peak_mb = run_dbt_measured(
        ["build", "--select", *SELECT, "--indirect-selection", "buildable"], work
    )
    return {
        "seed_seconds": round(seconds, 2),
        "build_seconds": round(build, 2),
        "peak_memory_mb": round(peak_mb, 1),
    }


def matcher_figures(work: Path, seconds: float) -> dict[str, float]:
    """The fuzzy matcher's seconds in the last build and the pairs it works on
    (omni.identity.fuzzy.pair_counts of its input in `work`)."""
    from omni.identity.fuzzy import pair_counts

    with duckdb.connect(str(work), read_only=True) as con:
        records = con.sql("select * from intermediate.int_name_address_records_selected").df()
    counts = pair_counts(records)
    return {"matcher_seconds": seconds, **{f"matcher_{k}": v for k, v in counts.items()}}


def score(warehouse: Path, truth_dir: Path, top: int = 8, reachable: bool = True) -> dict:
    """B-cubed precision/recall/F1 of the customers against the truth, and error causes
    (with the reachable recalls unless `reachable` is false)."""
    # bounded, spilling to disk: at 1,000,000 customers the default limit (80% of the
    # machine's memory) and the arrays of the reachable recall together ran out of memory
    con = duckdb.connect(
        str(warehouse),
        read_only=True,
        config={
            "memory_limit": SCORING_MEMORY,
            "temp_directory": str(DATA / "work" / "scoring.tmp"),
        },
    )
    truth = truth_dir / "record_persons.parquet"
    con.execute(
        """
        create temp view linking_identifiers as
        select * from intermediate.int_identifiers_extracted
        where identifier_type not in (
            select identifier_type from reference.identity_rules
            where not is_linking and strong_identity_kind is not null
        )
        """
    )
    anonymous = ", ".join(f"'{t}'" for t in ANONYMOUS_TYPES)
    con.execute(
        f"""
        create temp table identified_records as
        -- records with an identifier, and whether they belong to an anonymous visitor
        with personal_records as (
            select distinct record_key from linking_identifiers
            where identifier_type not in ({anonymous})
        ),
        identified_values as (
            select distinct i.identifier_type, i.identifier_value
            from linking_identifiers as i
            join personal_records using (record_key)
            where i.identifier_type in ({anonymous})
        )
        select
            i.record_key,
            bool_and(
                i.identifier_type in ({anonymous}) and v.identifier_value is null
            ) as is_anonymous_visitor
        from linking_identifiers as i
        left join identified_values as v using (identifier_type, identifier_value)
        group by i.record_key
        """
    )
    con.execute(
        f"""
        create temp table scored_all as
        select
            truth.source || '/' || truth.extract || ':' || truth.record_id as record_key,
            truth.person_id,
            coalesce(clusters.customer_id, 'single:' || truth.record_id) as customer_id,
            identified.is_anonymous_visitor
        from read_parquet('{truth}') as truth
        join identified_records as identified
            on identified.record_key
            = truth.source || '/' || truth.extract || ':' || truth.record_id
        left join intermediate.int_identity_records_clustered as clusters
            on clusters.record_key = identified.record_key
        where truth.person_id is not null
        """
    )
    con.execute("create temp view scored as select * from scored_all")
    with_anonymous = _bcubed(con, reachable)
    con.execute(
        "create or replace temp view scored as "
        "select * from scored_all where not is_anonymous_visitor"
    )
    figures = _bcubed(con, reachable)
    merges = con.sql(
        f"""
        -- accepted link nodes holding records of more than one true person
        with linked as (
            select links.link_type, links.identifier_value, links.rule, scored.person_id,
                   scored.record_key
            from intermediate.int_identity_links_evaluated as links
            join scored using (record_key)
            where links.is_accepted
        )
        select rule, count(*) as nodes, sum(records) as records
        from (select link_type, identifier_value, rule, count(*) as records from linked
              group by all
              having count(distinct person_id) > 1)
        group by rule order by nodes desc limit {top}
        """
    ).fetchall()
    splits = con.sql(
        f"""
        -- pieces of one person in different customers: is there an identifier value the
        -- pieces share (and which rule refused it), or none at all (by the pieces' sources)
        with pieces as (
            select person_id, customer_id, record_key from scored
            where person_id in (select person_id from scored group by 1
                                having count(distinct customer_id) > 1)
        ),
        shared as (
            select pieces.person_id, links.link_type, links.identifier_value,
                   min(case when not links.is_accepted then links.rule end) as refused_rule
            from pieces
            join intermediate.int_identity_links_evaluated as links using (record_key)
            group by all
            having count(distinct pieces.customer_id) > 1
        ),
        per_person as (
            select person_id, coalesce(min(refused_rule), 'linked elsewhere?') as cause
            from shared group by 1
        ),
        minority as (
            -- the smaller pieces of each person, described by their sources
            select person_id, customer_id, string_agg(distinct split_part(record_key, ':', 1), '+'
                   order by split_part(record_key, ':', 1)) as sources, count(*) as records,
                   row_number() over (partition by person_id order by count(*) desc,
                                      customer_id) as rank
            from pieces group by person_id, customer_id
        )
        select coalesce(per_person.cause, 'no shared identifier: ' || minority.sources) as cause,
               count(*) as pieces, sum(minority.records) as records
        from minority left join per_person using (person_id)
        where minority.rank > 1
        group by 1 order by records desc limit {top}
        """
    ).fetchall()
    con.close()
    return {
        **figures,
        "anonymous_visitor_records": with_anonymous["records_scored"] - figures["records_scored"],
        "with_anonymous_visitors": with_anonymous,
        "false_merges_by_rule": [
            {"rule": a, "nodes": int(b), "records": int(c)} for a, b, c in merges
        ],
        "splits_by_cause": [
            {"cause": a, "pieces": int(b), "records": int(c)} for a, b, c in splits
        ],
    }


def _bcubed(con: duckdb.DuckDBPyConnection, reachable: bool) -> dict:
    """B-cubed precision, recall, F1 and reachable recall of the view `scored`."""
    p, r, n = con.sql(
        """
        with pairs as (select customer_id, person_id, count(*) as n from scored group by all),
        by_customer as (select customer_id, sum(n) as n from pairs group by all),
        by_person as (select person_id, sum(n) as n from pairs group by all)
        select
            sum(pairs.n * pairs.n / by_customer.n) / sum(pairs.n),
            sum(pairs.n * pairs.n / by_person.n) / sum(pairs.n),
            sum(pairs.n)
        from pairs
        join by_customer using (customer_id)
        join by_person using (person_id)
        """
    ).fetchone()
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    max_persons, impure = con.sql(
        "select coalesce(max(c), 0), count(*) filter (where c > 1) "
        "from (select count(distinct person_id) as c from scored group by customer_id)"
    ).fetchone()
    return {
        "records_scored": int(n),
        "precision": round(float(p), 5),
        "recall": round(float(r), 5),
        "f1": round(float(f1), 5),
        **(
            {
                "reachable_recall": round(_reachable_recall(con), 5),
                "exclusive_reachable_recall": round(_reachable_recall(con, exclusive=True), 5),
            }
            if reachable
            else {}
        ),
        "max_true_persons_per_customer": int(max_persons),
        "customers_with_several_persons": int(impure),
    }


def _reachable_recall(con: duckdb.DuckDBPyConnection, exclusive: bool = False) -> float:
    """B-cubed recall of the oracle linking the records of one person that share a value.

    With `exclusive`, only values that one true person holds link. Records and persons are
    integer-coded in SQL, so that the graph and the pieces are numpy integer arrays.
    """
    con.execute(
        """
        create or replace temp table reachable_records as
        select
            dense_rank() over (order by scored.record_key) - 1 as r,
            dense_rank() over (order by scored.person_id) - 1 as p,
            scored.record_key
        from scored
        semi join (select distinct record_key from linking_identifiers) as linking
            using (record_key)
        """
    )
    keys = con.sql("select r, p from reachable_records order by r").fetchnumpy()
    kept = "count(distinct person_id) = 1" if exclusive else "true"
    edges = con.sql(
        f"""
        with ranked as (
            select records.r, scored.person_id, i.identifier_type, i.identifier_value
            from reachable_records as records
            join scored using (record_key)
            join linking_identifiers as i using (record_key)
        ),
        linking_values as (
            select identifier_type, identifier_value from ranked group by all having {kept}
        ),
        linking as (
            select * from ranked join linking_values using (identifier_type, identifier_value)
        )
        select r, dense_rank() over (order by person_id, identifier_type, identifier_value) - 1 as v
        from linking
        """
    ).fetchnumpy()
    con.execute("drop table reachable_records")
    rr, vv = np.asarray(edges["r"], dtype=np.int64), np.asarray(edges["v"], dtype=np.int64)
    del edges
    n_r = len(keys["r"])
    size = n_r + (int(vv.max()) + 1 if len(vv) else 0)
    graph = coo_matrix((np.ones(len(rr), dtype=np.int8), (rr, vv + n_r)), shape=(size, size))
    del rr, vv
    _, labels = connected_components(graph.tocsr(), directed=False)
    del graph
    persons = np.asarray(keys["p"], dtype=np.int64)
    components = labels[:n_r].astype(np.int64)
    # pieces: (person, component) pairs and their sizes; a person's size is its records
    _, pieces_index, pieces_size = np.unique(
        persons * size + components, return_index=True, return_counts=True
    )
    whole = np.bincount(persons)
    # B-cubed recall of the oracle (its precision is 1 by construction)
    per_piece = pieces_size.astype(float) ** 2 / whole[persons[pieces_index]]
    return float(per_piece.sum() / n_r)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_load":
        _load(Path(argv[1]), Path(argv[2]))
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.identity", description=__doc__)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--warehouse", help="score this already built warehouse (with --truth); no timing"
    )
    parser.add_argument("--truth", help="truth folder of --warehouse")
    parser.add_argument(
        "--no-reachable",
        action="store_true",
        help="leave out the reachable recalls (at 1,000,000 customers their joins spill "
        "more than 20 GB to disk)",
    )
    args = parser.parse_args(argv)

    if args.warehouse:
        result = {
            "warehouse": args.warehouse,
            **score(Path(args.warehouse), Path(args.truth), reachable=not args.no_reachable),
        }
        _print(result)
        return 0
    from omni.generate import truth_dir_for

    landing, staged = staged_warehouse(args.customers, args.days, args.seed)
    # same file name as the staged warehouse (its views name their catalog, the file stem)
    work = DATA / "work" / staged.name
    timing = time_identity(staged, work)
    with duckdb.connect(str(work), read_only=True) as con:
        volume = con.sql(
            "select (select count(*) from intermediate.int_identity_records_collected), "
            "(select count(*) from intermediate.int_identifiers_extracted), "
            "(select count(distinct customer_id) from intermediate.int_identity_records_clustered)"
        ).fetchone()
    result = {
        "customers_generated": args.customers,
        "days": args.days,
        "seed": args.seed,
        "records": volume[0],
        "identifiers": volume[1],
        "customers_resolved": volume[2],
        **timing,
    }
    models = node_seconds(resource_type="model")
    result.update(matcher_figures(work, models["int_name_address_matches_scored"]))
    result["slowest_models"] = dict(list(models.items())[:TOP_MODELS])
    # printed and written before the scoring, which can take longer than the build
    _print(result)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"identity-{args.customers}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    scores = score(work, truth_dir_for(landing), reachable=not args.no_reachable)
    _print(scores)
    out.write_text(json.dumps({**result, **scores}, indent=2) + "\n")
    print(f"written {out}")
    return 0


def _print(result: dict) -> None:
    width = max(len(k) for k in result)
    for key, value in result.items():
        if isinstance(value, dict):
            print(f"{key}:")
            print("    " + "  ".join(f"{k}={v}" for k, v in value.items()))
        elif isinstance(value, list):
            print(f"{key}:")
            for row in value:
                print("    " + "  ".join(f"{k}={v}" for k, v in row.items()))
        else:
            print(
                f"{key:<{width}}  {value:,}"
                if isinstance(value, int)
                else f"{key:<{width}}  {value}"
            )


if __name__ == "__main__":
    sys.exit(main())
