"""Data quality: the Great Expectations suites of `omni.quality` as Dagster asset checks.

One multi-asset check per layer (`omni.quality.registry.LAYERS`): each suite is a check on
the asset it guards, named after the suite (`raw/ecommerce__orders:raw_rows`). A suite
with a blocking rule is a blocking check: when such a rule fails, the check fails with
ERROR severity and the assets downstream are not built; a suite whose failed rules are all
warnings fails with WARN severity and stops nothing. Every rule's result goes to
`audit.quality_results`, and the Data Docs site next to the warehouse is updated.
"""

from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from omni.quality.core import Layer, Suite, SuiteResult, validate_layer
from omni.quality.docs import quality_context
from omni.quality.registry import LAYERS
from omni.quality.results import record
from orchestration.defs.ingest import WAREHOUSE_POOL
from orchestration.defs.resources import Warehouse


def check_key(suite: Suite) -> dg.AssetCheckKey:
    return dg.AssetCheckKey(dg.AssetKey(list(suite.asset)), suite.check)


def _description(suite: Suite) -> str:
    rules = "\n".join(f"- **{r.severity}** `{r.name}`: {r.reason}" for r in suite.rules)
    return f"{suite.description}\n\n{rules}"


def _spec(suite: Suite) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        name=suite.check,
        asset=dg.AssetKey(list(suite.asset)),
        description=_description(suite),
        blocking=suite.blocking,
        metadata={"suite": suite.name, "blocking": suite.blocking},
    )


def _failures_table(result: SuiteResult) -> str:
    lines = ["| rule | severity | observed | examples |", "|---|---|---|---|"]
    for o in result.failed:
        examples = str(o.examples).replace("|", "/")
        lines.append(f"| {o.rule.name} | {o.rule.severity} | {o.observed_text} | {examples} |")
    return "\n".join(lines)


def _check_result(result: SuiteResult, docs_index: Path) -> dg.AssetCheckResult:
    suite = result.suite
    blocking = result.blocking_failed or (result.passed and suite.blocking)
    metadata: dict[str, dg.RawMetadataValue] = {
        "rows_validated": result.rows,
        "rules_passed": len(result.outcomes) - len(result.failed),
        "rules_failed": len(result.failed),
        "failed": dg.MetadataValue.md(_failures_table(result)) if result.failed else "none",
        "data_docs_index": dg.MetadataValue.path(str(docs_index)),
    }
    if result.docs_page:
        metadata["data_docs_page"] = dg.MetadataValue.url(result.docs_page)
    return dg.AssetCheckResult(
        asset_key=dg.AssetKey(list(suite.asset)),
        check_name=suite.check,
        passed=result.passed,
        severity=dg.AssetCheckSeverity.ERROR if blocking else dg.AssetCheckSeverity.WARN,
        description="; ".join(f"{o.rule.name}: {o.observed_text}" for o in result.failed) or None,
        metadata=metadata,
    )


def _layer_check(layer: Layer) -> dg.AssetChecksDefinition:
    by_key = {check_key(suite): suite for suite in layer.suites}

    @dg.multi_asset_check(
        specs=[_spec(suite) for suite in layer.suites],
        name=f"quality_{layer.name}",
        description=f"Great Expectations suites of the {layer.name} layer (omni.quality).",
        can_subset=True,
        pool=WAREHOUSE_POOL,
    )
    def _check(
        context: dg.AssetCheckExecutionContext, warehouse: Warehouse
    ) -> Iterator[dg.AssetCheckResult]:
        selected = {by_key[key].name for key in context.selected_asset_check_keys}
        path = Path(warehouse.database)
        gx_context = quality_context(path)
        with warehouse.connect() as con:
            results = validate_layer(con, layer, context.run.run_id, gx_context, selected)
            record(con, context.run.run_id, results)
        for result in results:
            yield _check_result(result, gx_context.index)

    return _check


quality_checks = [_layer_check(layer) for layer in LAYERS]
