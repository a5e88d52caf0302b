"""Resources: the DuckDB warehouse file and the dbt CLI."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource

from omni import settings  # noqa: F401  (sets OMNI_WAREHOUSE and OMNI_LANDING_DIR)
from omni.lock import warehouse_lock
from orchestration.defs.dbt_project import DBT_EXECUTABLE, dbt_project


class Warehouse(dg.ConfigurableResource):
    """The DuckDB warehouse file and the landing zone that is loaded into it.

    DuckDB allows one writer per file: open a connection only for the time of a step. A run
    holds the warehouse's write lock (omni.lock) from the initialisation of this resource to
    its end, so that a run started while another writes is refused with a clear message.
    """

    database: str
    landing_dir: str

    @contextmanager
    def yield_for_execution(
        self, context: dg.InitResourceContext
    ) -> Generator[Warehouse, None, None]:
        run = context.run_id or "outside a run"
        with warehouse_lock(Path(self.database), holder=f"Dagster run {run}"):
            yield self

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        Path(self.database).parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(self.database)
        con.execute("set TimeZone = 'UTC'")
        try:
            yield con
        finally:
            con.close()


def warehouse_from_env() -> Warehouse:
    """Paths resolved when a run starts, so that `omni run --warehouse` and tests can switch."""
    return Warehouse(
        database=dg.EnvVar("OMNI_WAREHOUSE"), landing_dir=dg.EnvVar("OMNI_LANDING_DIR")
    )


def dbt_from_env() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)
