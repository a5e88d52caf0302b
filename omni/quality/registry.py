"""The suite modules, one per layer, in the order a run checks them.

Each module defines `LAYER`: its suites, each naming the asset it guards and, rule by
rule, its severity. A new layer is one module with its `LAYER` added to this tuple; nothing
else changes: `orchestration/defs/quality.py` makes one Dagster multi-asset check of each
layer.
"""

from __future__ import annotations

from omni.quality import deliveries, freshness, identity, marts, raw, staging
from omni.quality.core import Layer

LAYERS: tuple[Layer, ...] = (
    raw.LAYER,
    deliveries.LAYER,
    freshness.LAYER,
    staging.LAYER,
    identity.LAYER,
    marts.LAYER,
)
