"""Shared fixtures: a generated sample landing zone and a warehouse built from it.

The sample is small (a few hundred customers, 60 days) so the whole suite stays quick on a
2-core machine; it is generated once per session and never modified by tests (tests that
change deliveries copy it first).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from omni.generate import generate, truth_dir_for

SAMPLE = {"customers": 300, "days": 60, "seed": 7}


@pytest.fixture(scope="session")
def sample_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "landing"
    generate(out, **SAMPLE)
    return out


@pytest.fixture(scope="session")
def sample_truth(sample_landing: Path) -> Path:
    return truth_dir_for(sample_landing)


@pytest.fixture
def landing_copy(sample_landing: Path, tmp_path: Path) -> Path:
    """A private copy of the sample landing zone (with its truth beside it)."""
    out = tmp_path / "landing"
    shutil.copytree(sample_landing, out)
    shutil.copytree(truth_dir_for(sample_landing), truth_dir_for(out))
    return out


@pytest.fixture
def dagster_instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as instance:
        yield instance


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory, sample_landing: Path):
    """The sample built once into a warehouse; yields (summary, warehouse path, instance)."""
    from omni.pipeline import run_pipeline

    warehouse = tmp_path_factory.mktemp("warehouse") / "omnichannel.duckdb"
    with dg.instance_for_test() as instance:
        summary = run_pipeline(sample_landing, warehouse, instance=instance, show_progress=False)
        yield summary, warehouse, instance
