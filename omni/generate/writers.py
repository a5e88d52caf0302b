"""Serialising rows, and streaming them into files deterministic to the byte.

Workers turn rows into bytes (CSV with any delimiter and encoding, JSON Lines) or Arrow
tables (Parquet); the main process appends them to one open file per delivery, optionally
gzip-compressed with mtime 0 and no file name in the gzip header.
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path
from typing import Any, BinaryIO

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from omni.contract import Extract


class CsvLines:
    """Accumulates CSV lines of one extract (no header) and returns them as bytes."""

    def __init__(self, extract: Extract) -> None:
        self._buffer = io.StringIO(newline="")
        terminator = "\r\n" if extract.encoding == "cp1252" else "\n"
        self._csv = csv.writer(self._buffer, delimiter=extract.delimiter, lineterminator=terminator)
        self.encoding = extract.encoding

    def write(self, fields: list[str]) -> None:
        self._csv.writerow(fields)

    def getvalue(self) -> bytes:
        return self._buffer.getvalue().encode(self.encoding)


def csv_header(extract: Extract) -> bytes:
    lines = CsvLines(extract)
    lines.write(extract.column_names)
    return lines.getvalue()


def jsonl(records: list[dict[str, Any] | bytes]) -> bytes:
    """JSON Lines; bytes items are written as they are (deliberately broken lines)."""
    parts = [r if isinstance(r, bytes) else orjson.dumps(r) for r in records]
    parts.append(b"")
    return b"\n".join(parts)


def parquet_schema(extract: Extract) -> pa.Schema:
    """Arrow schema of a Parquet extract: epoch_micros as int64, everything else string."""
    return pa.schema(
        [
            pa.field(c.name, pa.int64() if c.kind == "epoch_micros" else pa.string(), c.nullable)
            for c in extract.columns
        ]
    )


def _open_binary(path: Path, compress: bool) -> BinaryIO:
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = path.open("wb")
    if not compress:
        return raw
    return gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=1)  # type: ignore[return-value]


class BytesWriter:
    """A CSV or JSON Lines file, written as blocks of complete lines."""

    def __init__(self, path: Path, compress: bool, header: bytes = b"") -> None:
        self._stream = _open_binary(path, compress)
        self._stream.write(header)
        self.lines = 0  # data lines written

    def write(self, data: bytes, lines: int) -> None:
        self._stream.write(data)
        self.lines += lines

    def close(self) -> None:
        inner = self._stream.fileobj if isinstance(self._stream, gzip.GzipFile) else None
        self._stream.close()
        if inner is not None:
            inner.close()


class ParquetWriter:
    """A Parquet file; tables are buffered into row groups of at least 20,000 rows."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = pq.ParquetWriter(path, schema, compression="snappy")
        self._buffer: list[pa.Table] = []
        self._buffered = 0
        self.lines = 0

    def write(self, table: pa.Table, lines: int) -> None:
        self._buffer.append(table)
        self._buffered += lines
        self.lines += lines
        if self._buffered >= 20_000:
            self.flush()

    def flush(self) -> None:
        if self._buffer:
            self._writer.write_table(pa.concat_tables(self._buffer))
            self._buffer, self._buffered = [], 0

    def close(self) -> None:
        self.flush()
        self._writer.close()
