"""One writing run at a time per warehouse: an exclusive lock on `<warehouse>.lock`.

DuckDB allows one writer per file; two runs on the same warehouse would fail each other's
steps half way. `omni run` takes this lock (`flock`, released by the kernel when the process
ends, even on SIGKILL) before it starts, and so does every Dagster run when it initialises
the `warehouse` resource (orchestration/defs/resources.py): a second run, whichever started
it, is refused at once with its holder (the lock file names it while the lock is held).
Runs launched by the Dagster daemon queue before that (pool `warehouse`, see dagster.yaml).
The lock is re-entrant within a process: the Dagster run that `omni run` executes
in-process finds it already held by its own process.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse."""


# Lock files held by this process (the lock is re-entrant within a process).
_HELD: set[Path] = set()


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


@contextmanager
def warehouse_lock(warehouse: Path, holder: str = "omni run") -> Iterator[None]:
    """Hold the warehouse's write lock, or raise `WarehouseBusy` naming its holder."""
    path = lock_path(warehouse.resolve())
    if path in _HELD:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WarehouseBusy(
                f"{warehouse} is being written by another run ({_holder(fd)}). One run "
                "writes the warehouse at a time: try again when it has finished."
            ) from None
        started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        os.pwrite(fd, f"{holder}, pid {os.getpid()}, started {started}\n".encode(), 0)
        _HELD.add(path)
        try:
            yield
        finally:
            _HELD.discard(path)
            os.ftruncate(fd, 0)  # still locked: the file names only a current holder
    finally:
        os.close(fd)


def _holder(fd: int) -> str:
    """The holder's line; it writes it just after taking the lock, so wait for it briefly."""
    for _ in range(20):
        text = os.pread(fd, 200, 0).decode(errors="replace").strip()
        if text:
            return text
        time.sleep(0.05)
    return "another process"
