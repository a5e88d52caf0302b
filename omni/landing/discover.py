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

_HASH_CHUNK = 1 << 20


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

    def inspect(self) -> Inspection:
        """Read the file once: its hash, and for gzip whether the stream is complete."""
        digest = hashlib.sha256()
        inflater = zlib.decompressobj(wbits=47) if self.is_gzip else None
        last_byte = b""
        with self.path.open("rb") as handle:
            while chunk := handle.read(_HASH_CHUNK):
                digest.update(chunk)
                if inflater is not None:
                    try:
                        out = inflater.decompress(chunk)
                    except zlib.error:
                        return Inspection(digest.hexdigest(), False, False)
                    last_byte = out[-1:] or last_byte
                else:
                    last_byte = chunk[-1:]
        complete = inflater is None or inflater.eof
        ends_mid_line = self.extract.file_format != "parquet" and last_byte not in (b"", b"\n")
        return Inspection(digest.hexdigest(), ends_mid_line, complete)


@dataclass(frozen=True)
class Inspection:
    content_hash: str
    """sha256 of the file as delivered."""
    ends_mid_line: bool
    """A text file whose content does not end with a newline: its last line is cut."""
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
