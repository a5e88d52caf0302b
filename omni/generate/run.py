"""The generation run: reference data, then customer chunks, then file defects and truth."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from multiprocessing.pool import AsyncResult
from pathlib import Path

import pyarrow as pa

from omni.generate import deliveries
from omni.generate.activity import CHUNK_SIZE, generate_chunk
from omni.generate.batch import Batch
from omni.generate.calendar import Timeline
from omni.generate.sink import CORRECTED_DAYS_BEFORE_END, ChunkOutput, RenderSettings, Sink, render
from omni.generate.summary import GenerationSummary
from omni.generate.truth import FxTable, Truth, persons_table, truth_dir_for
from omni.generate.world import Campaign, emit_reference, fx_rates, make_campaigns

_REJECTED = {
    "empty_file",
    "wrong_encoding",
    "header_renamed",
    "header_missing_column",
    "header_extra_column",
    "duplicate_content",
    "ignored",
}


def _job(args: tuple[RenderSettings, list[Campaign], int, int]) -> tuple[pa.Table, ChunkOutput]:
    """Generate and serialise one chunk (in a worker process when there are several)."""
    settings, campaigns, chunk, customers = args
    first = chunk * CHUNK_SIZE
    count = min(CHUNK_SIZE, customers - first)
    people, ctx = generate_chunk(settings.seed, chunk, settings.timeline, campaigns, first, count)
    return persons_table(people), render(ctx.batch, chunk, settings)


def chunk_results(
    settings: RenderSettings, campaigns: list[Campaign], customers: int, chunks: int
) -> Iterator[tuple[pa.Table, ChunkOutput]]:
    """Each chunk's persons and output, in chunk order. Worker processes compute them when
    there are several chunks and cores, with at most two chunks in flight per worker."""
    jobs = ((settings, campaigns, chunk, customers) for chunk in range(chunks))
    workers = min(os.cpu_count() or 1, chunks)
    if workers < 2:
        yield from map(_job, jobs)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pending: deque[AsyncResult] = deque()
        for job in jobs:
            pending.append(pool.apply_async(_job, (job,)))
            if len(pending) >= 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def generate(
    out: Path,
    *,
    customers: int = 5000,
    days: int = 365,
    seed: int = 42,
    hold_back: int = 0,
    progress: Callable[[str], None] | None = None,
) -> GenerationSummary:
    """Write a landing zone for `customers` persons over `days` days ending on END_DATE.

    Same arguments give byte-identical files; `hold_back` leaves out the deliveries of the
    last `hold_back` days without changing anything else. The truth goes to truth_dir_for(out).
    """
    if customers < 1 or hold_back < 0:
        raise ValueError("customers must be positive and hold_back not negative")
    started = time.perf_counter()
    out = Path(out)
    timeline = Timeline(days)
    if hold_back >= days:
        raise ValueError("hold_back must be smaller than days")
    cutoff = timeline.days - 1 - hold_back
    fx = FxTable(
        [
            (timeline.date(day).isoformat(), currency, rate)
            for day, currency, rate in fx_rates(timeline, seed)
            if day <= cutoff
        ]
    )
    settings = RenderSettings(seed, timeline, hold_back, fx)
    truth = Truth(truth_dir_for(out))
    sink = Sink(out, settings, truth)
    campaigns = make_campaigns(timeline, seed)
    reference = Batch(timeline.days - 1, timeline.backfill_day)
    emit_reference(reference, timeline, campaigns, seed)
    sink.write(render(reference, -1, settings))
    chunks = (customers + CHUNK_SIZE - 1) // CHUNK_SIZE
    done = 0
    for chunk, (persons, output) in enumerate(
        chunk_results(settings, campaigns, customers, chunks)
    ):
        sink.write(output)
        truth.add_persons(persons)
        done += persons.num_rows
        if progress is not None:
            progress(f"chunk {chunk + 1}/{chunks}: {done:,} persons")
    sink.close()
    corrected = sink.path_for("ecommerce/orders", timeline.days - 1 - CORRECTED_DAYS_BEFORE_END)
    if hold_back < CORRECTED_DAYS_BEFORE_END and corrected in sink.files:
        sink.files[corrected].defect = "corrected_redelivery"
    deliveries.apply(sink)
    files = list(sink.files.values())
    for f in files:
        if f.bad_lines and not f.defect:
            f.defect = "bad_rows"
    rows: Counter[str] = Counter()
    bad_rows: Counter[str] = Counter()
    special: Counter[str] = Counter()
    for f in files:
        if f.defect:
            special[f.defect] += 1
        if f.defect not in _REJECTED:
            rows[f.extract] += f.rows_written - f.rows_bad
            bad_rows.update(kind for _, kind in f.bad_lines)
    summary = GenerationSummary(
        out=str(out),
        files_written=len(files),
        rows_by_extract=dict(rows),
        bad_rows_by_kind=dict(bad_rows),
        bad_files_by_kind=dict(special),
        persons=truth.persons,
        elapsed_seconds=time.perf_counter() - started,
    )
    truth.finish(
        files,
        {
            "arguments": {
                "customers": customers,
                "days": days,
                "seed": seed,
                "hold_back": hold_back,
            },
            "end_date": timeline.end.isoformat(),
            "start_date": timeline.start.isoformat(),
            "last_delivery_date": timeline.date(sink.cutoff).isoformat(),
            "persons": truth.persons,
            "files": len(files),
            "rows_by_extract": dict(rows),
            "bad_rows_by_kind": dict(bad_rows),
            "files_by_defect": dict(special),
        },
    )
    return summary
