"""The Great Expectations project of a warehouse, and its Data Docs site.

It lives next to the DuckDB file: for `warehouse/omnichannel.duckdb`, the GX file context
(suites, validation definitions, validation results) is in `warehouse/omnichannel_quality/gx/`
and the Data Docs site in `warehouse/omnichannel_quality/data_docs/index.html`. Suites are
written from code at every run, so the site always shows the rules as they are in
`omni/quality/`; the validation results of every run are kept and listed in the site.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import great_expectations as gx
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.base import (
    DataContextConfig,
    FilesystemStoreBackendDefaults,
    ProgressBarsConfig,
)
from great_expectations.data_context.types.resource_identifiers import (
    ExpectationSuiteIdentifier,
    ValidationResultIdentifier,
)

if TYPE_CHECKING:
    from omni.quality.core import Suite

SITE = "omni_quality"
DATA_SOURCE = "quality_frames"
BATCH = "frame"


def quality_root(warehouse: Path) -> Path:
    return warehouse.parent / f"{warehouse.stem}_quality"


def docs_index(warehouse: Path) -> Path:
    """Where the Data Docs site of a warehouse has its index page."""
    return quality_root(warehouse) / "data_docs" / "index.html"


class QualityContext:
    """A GX file context next to the warehouse, with the site configured and bars off."""

    def __init__(self, warehouse: Path) -> None:
        root = quality_root(warehouse)
        self.index = docs_index(warehouse)
        # An ephemeral context whose stores are folders: no YAML project file to re-read at
        # every validation (the file context's cost), yet suites and results persist.
        config = DataContextConfig(
            store_backend_defaults=FilesystemStoreBackendDefaults(root_directory=str(root / "gx")),
            data_docs_sites={
                SITE: {
                    "class_name": "SiteBuilder",
                    "show_how_to_buttons": False,
                    "store_backend": {
                        "class_name": "TupleFilesystemStoreBackend",
                        "base_directory": str(self.index.parent),
                    },
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                }
            },
            progress_bars=ProgressBarsConfig(globally=False),
        )
        self.context = gx.get_context(mode="ephemeral", project_config=config)
        self.source = self.context.data_sources.add_or_update_pandas(DATA_SOURCE)
        self._definitions: dict[str, gx.ValidationDefinition] = {}

    def validation_definition(self, suite: Suite) -> gx.ValidationDefinition:
        """The suite as a GX validation definition over a whole-dataframe batch (cached)."""
        if suite.name not in self._definitions:
            asset = self.source.add_dataframe_asset(suite.name)
            batch = asset.add_batch_definition_whole_dataframe(BATCH)
            expectations = self.context.suites.add_or_update(
                gx.ExpectationSuite(
                    name=suite.name,
                    # copies: a rule's expectation may already belong to another context's suite
                    expectations=[copy.copy(rule.expectation) for rule in suite.rules],
                    meta={"description": suite.description, "asset": "/".join(suite.asset)},
                )
            )
            self._definitions[suite.name] = self.context.validation_definitions.add_or_update(
                gx.ValidationDefinition(name=suite.name, data=batch, suite=expectations)
            )
        return self._definitions[suite.name]

    @staticmethod
    def result_identifier(
        suite: Suite, validation: Any, run: RunIdentifier
    ) -> ValidationResultIdentifier:
        # A dataframe batch is identified as `<data source>-<data asset>` in the store.
        batch = validation.meta["active_batch_definition"]
        return ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite.name),
            run_id=run,
            batch_identifier=f"{batch['datasource_name']}-{batch['data_asset_name']}",
        )

    def page(self, identifier: ValidationResultIdentifier) -> str | None:
        """The URL of a validation result's page in the site (built by `build`)."""
        urls = self.context.get_docs_sites_urls(
            resource_identifier=identifier, site_name=SITE, only_if_exists=False
        )
        return urls[0]["site_url"] if urls else None

    def build(self, identifiers: list[ValidationResultIdentifier]) -> Path:
        """Render these validation results and the site's index; return the index page."""
        self.context.build_data_docs(site_names=[SITE], resource_identifiers=identifiers)
        return self.index


@cache
def quality_context(warehouse: Path) -> QualityContext:
    """One context per warehouse and process: the steps of a run share it."""
    return QualityContext(warehouse)
