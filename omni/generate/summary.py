"""The figures of one generation run, printable as a short table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class GenerationSummary:
    out: str
    files_written: int
    rows_by_extract: dict[str, int]
    bad_rows_by_kind: dict[str, int]
    bad_files_by_kind: dict[str, int]
    persons: int
    elapsed_seconds: float

    @property
    def rows_written(self) -> int:
        return sum(self.rows_by_extract.values())

    @property
    def rows_per_second(self) -> float:
        return self.rows_written / self.elapsed_seconds if self.elapsed_seconds else 0.0

    def __str__(self) -> str:
        width = max(len(k) for k in self.rows_by_extract) if self.rows_by_extract else 10
        lines = [
            f"Landing zone {self.out}: {self.persons:,} persons, {self.files_written:,} "
            f"files, {self.rows_written:,} rows in {self.elapsed_seconds:.1f} s "
            f"({self.rows_per_second:,.0f} rows/s)"
        ]
        lines += [f"  {k:<{width}}  {v:>12,}" for k, v in sorted(self.rows_by_extract.items())]
        if self.bad_rows_by_kind:
            bad = ", ".join(f"{k} {v}" for k, v in sorted(self.bad_rows_by_kind.items()))
            lines.append(f"  bad rows: {bad}")
        if self.bad_files_by_kind:
            bad = ", ".join(f"{k} {v}" for k, v in sorted(self.bad_files_by_kind.items()))
            lines.append(f"  special files: {bad}")
        return "\n".join(lines)
