"""Generated landing zones of the benchmarks, cached under bench/.data/.

One folder per sample, `landing-<customers>-<days>-<seed>[-held<N>]`, complete once it holds
`.complete`. A lock file makes a second process that asks for the same sample wait for the
first one's generation instead of writing the same folder (generating 1,000,000 customers
takes about half an hour on the 2-core machine, so a benchmark may start it ahead).
"""

from __future__ import annotations

import fcntl
import filecmp
import shutil
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent / ".data"
MARKER = ".complete"


def landing_zone(customers: int, days: int, seed: int, hold_back: int = 0) -> Path:
    """The sample's landing zone (its last `hold_back` days of deliveries left out),
    generated once; the truth is beside it (omni.generate.truth_dir_for)."""
    from omni.generate import generate

    name = f"landing-{customers}-{days}-{seed}" + (f"-held{hold_back}" if hold_back else "")
    out = DATA / name
    DATA.mkdir(parents=True, exist_ok=True)
    with (DATA / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / MARKER).exists():
            shutil.rmtree(out, ignore_errors=True)
            started = time.perf_counter()
            generate(out, customers=customers, days=days, seed=seed, hold_back=hold_back)
            (out / MARKER).touch()
            print(f"generated {out} in {time.perf_counter() - started:.1f}s")
    return out


def deliver(source: Path, landing: Path) -> int:
    """Make `landing` hold exactly the files of `source`: copy those it lacks or holds with
    other bytes (with their modification times, which order the deliveries), remove those
    `source` does not have. The number of files copied."""
    copied = 0
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name == MARKER:
            continue
        target = landing / path.relative_to(source)
        if target.exists() and filecmp.cmp(path, target, shallow=True):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        copied += 1
    for path in sorted(landing.rglob("*")):
        if (
            path.is_file()
            and path.name != MARKER
            and not (source / path.relative_to(landing)).exists()
        ):
            path.unlink()
    return copied
