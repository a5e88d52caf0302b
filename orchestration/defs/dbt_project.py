"""The dbt project, with its manifest kept up to date for Dagster.

dagster-dbt builds the asset graph from `target/manifest.json`. The manifest is parsed again
whenever it is missing or older than any file of the dbt project, so that `omni run`, the
tests and `dagster dev` always see the models as they are on disk.
"""

from __future__ import annotations

import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from omni.settings import PROJECT_ROOT

_DBT_INPUTS = ("models", "macros", "seeds", "tests/dbt")
_DBT_FILES = ("dbt_project.yml", "profiles.yml")


def _newest_input_mtime(root: Path) -> float:
    paths = [root / name for name in _DBT_FILES]
    for folder in _DBT_INPUTS:
        paths.extend(p for p in (root / folder).rglob("*") if p.is_file())
    return max((p.stat().st_mtime for p in paths if p.exists()), default=0.0)


def manifest_is_stale(project: DbtProject) -> bool:
    manifest = project.manifest_path
    return not manifest.exists() or manifest.stat().st_mtime < _newest_input_mtime(
        Path(project.project_dir)
    )


# The dbt installed beside this interpreter, whether or not the venv is on PATH.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")

dbt_project = DbtProject(project_dir=PROJECT_ROOT, profiles_dir=PROJECT_ROOT, target="dev")
if manifest_is_stale(dbt_project):
    DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE).cli(
        ["parse", "--quiet"], target_path=dbt_project.target_path, raise_on_error=True
    ).wait()
