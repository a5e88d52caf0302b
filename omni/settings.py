"""Where the project finds its landing zone, its warehouse and its Dagster home.

`OMNI_LANDING_DIR` and `OMNI_WAREHOUSE` override the defaults (relative to the project root).
Importing this module sets both variables to absolute paths when they are not set, so that
dbt (whose profile reads `OMNI_WAREHOUSE`) and Dagster always point at the same file.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LANDING_DIR = PROJECT_ROOT / "data" / "landing"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse" / "omnichannel.duckdb"


def _absolute(value: str) -> str:
    path = Path(value)
    return str(path if path.is_absolute() else (PROJECT_ROOT / path).resolve())


def landing_dir() -> Path:
    return Path(os.environ["OMNI_LANDING_DIR"])


def warehouse_path() -> Path:
    return Path(os.environ["OMNI_WAREHOUSE"])


def dagster_home() -> Path:
    """`DAGSTER_HOME`, or `.dagster/` in the project, holding the project's dagster.yaml."""
    home = Path(os.environ.get("DAGSTER_HOME") or PROJECT_ROOT / ".dagster")
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text((PROJECT_ROOT / "dagster.yaml").read_text())
    return home


def use(
    landing: str | os.PathLike[str] | None = None, warehouse: str | os.PathLike[str] | None = None
) -> None:
    """Point the project at a landing zone and a warehouse file (absolute paths in the env)."""
    if landing is not None:
        os.environ["OMNI_LANDING_DIR"] = str(Path(landing).resolve())
    if warehouse is not None:
        os.environ["OMNI_WAREHOUSE"] = str(Path(warehouse).resolve())


os.environ["OMNI_LANDING_DIR"] = _absolute(
    os.environ.get("OMNI_LANDING_DIR") or str(DEFAULT_LANDING_DIR)
)
os.environ["OMNI_WAREHOUSE"] = _absolute(os.environ.get("OMNI_WAREHOUSE") or str(DEFAULT_WAREHOUSE))
