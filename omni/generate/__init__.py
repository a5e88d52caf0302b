"""Sample-data generator: a deterministic landing zone that follows the landing contract.

``generate(out, customers=..., days=..., seed=..., hold_back=...)`` writes every channel's
deliveries under ``out`` and the truth (who is behind each record, revenue, defects) under
``truth_dir_for(out)``. Modules, each with one job:

- calendar: the fixed end date, seasonality, time zones, delivery delays;
- names, world: vocabularies; stores, campaigns, spend and FX rates;
- people, ids, quirks: persons and households, their identifiers, how channels mistype them;
- commerce, digital, contact, outreach, activity: what each person does on each channel;
- batch, layout, writers, sink: routing records to deliveries and writing files;
- badrows, deliveries: bad rows, bad and duplicate files, ignored files;
- truth, summary, run: the truth files, the run's figures, the run itself.
"""

from __future__ import annotations

from omni.generate.run import generate
from omni.generate.summary import GenerationSummary
from omni.generate.truth import truth_dir_for

__all__ = ["GenerationSummary", "generate", "truth_dir_for"]
