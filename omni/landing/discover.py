"""Find the deliveries of an extract in the landing zone.

The landing zone is `<root>/<source>/<extract>/`; a missing or empty folder simply has no
deliveries. Files that are not deliveries (`.DS_Store`, `README.txt`, `*.tmp`, `*.part`) are
passed over. Deliveries are ordered by arrival (modification time, then name), which is the
order in which "delivered later" is decided.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from pathlib import Path

from omni.contract import Extract, is_delivery

_CHUNK = 1 << 20


@dataclass(frozen=True)
class Delivery:
    extract: Extract
    path: Path
    rel_path: str
    size_bytes: int
    mtime_ns: int

    @property
    def is_gzip(self) -> bool:
        return self.path.name.endswith(".gz")

    def content_hash(self) -> str:
        """sha256 of the file as delivered."""
        digest = hashlib.sha256()
        with self.path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    def check_ending(self) -> Ending:
        """How the content ends: cut off mid-line, or (gzip) cut off before the stream's end.

        For a gzip file this inflates the whole stream (DuckDB reads a cut-off gzip without
        complaint), which the loader runs in a thread while DuckDB reads the same file.
        """
        if self.extract.file_format == "parquet" or self.size_bytes == 0:
            return Ending(mid_line=False, complete=True)
        if not self.is_gzip:
            with self.path.open("rb") as handle:
                handle.seek(-1, 2)
                return Ending(mid_line=handle.read(1) != b"\n", complete=True)
        inflater = zlib.decompressobj(wbits=47)
        last_byte = b""
        with self.path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                try:
                    last_byte = inflater.decompress(chunk)[-1:] or last_byte
                except zlib.error:
                    return Ending(mid_line=False, complete=False)
        return Ending(mid_line=last_byte not in (b"", b"\n"), complete=inflater.eof)


@dataclass(frozen=True)
class Ending:
    mid_line: bool
    """The content does not end with a newline: its last line is cut."""
    complete: bool
    """False for a gzip stream cut off before its end."""


def discover(root: Path, extract: Extract) -> list[Delivery]:
    folder = root / extract.source / extract.name
    if not folder.is_dir():
        return []
    deliveries = []
    for path in folder.iterdir():
        if not path.is_file() or not is_delivery(path.name):
            continue
        stat = path.stat()
        deliveries.append(
            Delivery(
                extract=extract,
                path=path,
                rel_path=path.relative_to(root).as_posix(),
                size_bytes=stat.st_size,
                mtime_ns=stat.st_mtime_ns,
            )
        )
    return sorted(deliveries, key=lambda d: (d.mtime_ns, d.rel_path))
