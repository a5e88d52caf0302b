"""What every channel generator of one chunk shares: RNG, clock, ids, campaigns, the batch."""

from __future__ import annotations

import random
from collections import defaultdict

from omni.generate.batch import Batch
from omni.generate.calendar import Timeline
from omni.generate.ids import Ids
from omni.generate.world import MARKETS, STORES, Campaign, Store, new_store


class ChunkContext:
    def __init__(
        self, seed: int, chunk: int, timeline: Timeline, campaigns: list[Campaign]
    ) -> None:
        self.rng = random.Random(f"{seed}:chunk:{chunk}")
        self.timeline = timeline
        self.ids = Ids(chunk, random.Random(f"{seed}:ids:{chunk}"))
        self.batch = Batch(timeline.days - 1, timeline.backfill_day)
        self.by_kind: dict[tuple[str, str], list[Campaign]] = defaultdict(list)
        for c in campaigns:
            if c.start < timeline.days:
                self.by_kind[(c.market, c.kind)].append(c)
        laval = new_store(timeline)
        self.stores: dict[str, list[Store]] = {
            m: [s for s in (*STORES, laval) if s.market == m] for m in MARKETS
        }
        self.laval_day = timeline.day_of(laval.opened)

    def emit(self, folder: str, ts: int, row: dict, person: str | None, tz: str = "UTC") -> None:
        """Add a record that happened at `ts`, to the delivery of its day plus a delay."""
        tl = self.timeline
        day = tl.local_day_index(ts) if tz == "UTC" else tl.local_day_of(ts, tz)
        r = self.rng.random()
        if r >= 0.92:  # late: inlined Timeline.delay, the hottest path
            day += 1 if r < 0.97 else 2 + int(self.rng.random() * 4)
        self.batch.add(folder, day, row, person)

    def campaigns(self, market: str, kind: str) -> list[Campaign]:
        return self.by_kind.get((market, kind), [])

    def active_campaign(self, market: str, kind: str, day: int) -> Campaign | None:
        for c in self.by_kind.get((market, kind), ()):
            if c.start <= day <= c.end:
                return c
        return None
