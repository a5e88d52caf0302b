"""bench.samples.deliver: a held-back sample plus the delivered files is the whole sample."""

from pathlib import Path

from bench.samples import deliver
from omni.generate import generate


def contents(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }


def test_delivering_the_last_day_makes_the_held_back_sample_whole(tmp_path: Path) -> None:
    whole, held = tmp_path / "whole", tmp_path / "held"
    generate(whole, customers=60, days=20, seed=3)
    generate(held, customers=60, days=20, seed=3, hold_back=1)
    (held / "stray.csv").write_text("not in the whole sample\n")
    before = contents(held)
    new = sorted(name for name, data in contents(whole).items() if before.get(name) != data)
    assert new

    copied = deliver(whole, held)

    assert contents(held) == contents(whole)
    assert copied == len(new)
    # the delivered files keep the order in which they were written (the loader's order)
    for name in new:
        assert (held / name).stat().st_mtime_ns == (whole / name).stat().st_mtime_ns
