"""One `omni run` at a time per warehouse: an exclusive lock on `<warehouse>.lock`.

DuckDB allows one writer per file; two runs on the same warehouse would fail each other's
steps half way. `omni run` takes this lock (`flock`, released by the kernel when the process
ends, even on SIGKILL) before it starts, and a second `omni run` is refused at once with the
holder's process id. Runs launched by the Dagster daemon queue instead (pool `warehouse`,
see dagster.yaml).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse."""


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


@contextmanager
def warehouse_lock(warehouse: Path) -> Iterator[None]:
    """Hold the warehouse's write lock, or raise `WarehouseBusy` naming its holder."""
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
            raise WarehouseBusy(
                f"{warehouse} is being written by another run ({holder}). One run writes "
                "the warehouse at a time: try again when it has finished."
            ) from None
        os.ftruncate(fd, 0)
        started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        os.pwrite(fd, f"omni run, pid {os.getpid()}, started {started}\n".encode(), 0)
        yield
    finally:
        os.close(fd)
