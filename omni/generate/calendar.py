"""Time in the sample world: the fixed end date, seasonality, time zones and delivery days.

Days are indexed from 0 (the first day of history) to ``days - 1`` (END_DATE). Timestamps are
integer epoch seconds (UTC); the formatters below turn them into each channel's own form.
"""

from __future__ import annotations

import bisect
import functools
import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

END_DATE = date(2026, 11, 21)
DAILY_FILES = 14  # the last 14 days arrive one file a day; everything before in one backfill
TIMEZONES = (
    "Europe/Paris",
    "America/Toronto",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
)
_DAY = 86400

# Local hour-of-day activity profiles (24 weights each).
HOURS_SHOPPING = (0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 5, 7, 8, 7, 6, 6, 7, 8, 9, 7, 4, 1, 0, 0)
HOURS_ONLINE = (2, 1, 1, 0, 0, 1, 2, 4, 5, 5, 5, 6, 7, 6, 5, 5, 6, 7, 9, 11, 12, 10, 7, 4)
HOURS_OFFICE = (0, 0, 0, 0, 0, 0, 0, 0, 5, 9, 10, 9, 6, 8, 9, 9, 8, 5, 2, 0, 0, 0, 0, 0)


def _cumulate(weights: tuple[float, ...] | list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _offset_text(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"


class Timeline:
    """The history window, its seasonality and the clock helpers used by every channel."""

    def __init__(self, days: int) -> None:
        if days < DAILY_FILES + 1:
            raise ValueError(f"days must be at least {DAILY_FILES + 1}")
        self.days = days
        self.end = END_DATE
        self.start = END_DATE - timedelta(days=days - 1)
        self.backfill_day = days - 1 - DAILY_FILES  # last day covered by the backfill file
        self.day_epoch = [
            int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp())
            for d in (self.date(i) for i in range(days + 8))
        ]
        self.offsets = {tz: self._offsets(tz) for tz in TIMEZONES}
        self.offset_text = {m: _offset_text(m) for m in range(-12 * 60, 14 * 60 + 1, 30)}
        self._season = _cumulate(self._seasonality())
        self._hours = {
            "shopping": _cumulate(HOURS_SHOPPING),
            "online": _cumulate(HOURS_ONLINE),
            "office": _cumulate(HOURS_OFFICE),
        }

    def date(self, day: int) -> date:
        return self.start + timedelta(days=day)

    def day_of(self, d: date) -> int:
        return (d - self.start).days

    def _offsets(self, tz: str) -> list[int]:
        zone = ZoneInfo(tz)
        out = []
        for i in range(self.days + 8):
            d = self.date(i)
            noon = datetime(d.year, d.month, d.day, 12, tzinfo=UTC).astimezone(zone)
            out.append(int(noon.utcoffset().total_seconds()) // 60)  # type: ignore[union-attr]
        return out

    def _seasonality(self) -> list[float]:
        """Daily weight of shopping activity: week pattern, peaks and sales."""
        weekday = (1.0, 0.95, 0.95, 1.0, 1.15, 1.35, 0.8)
        weights = []
        for i in range(self.days):
            d = self.date(i)
            w = weekday[d.weekday()]
            black_friday = _black_friday(d.year)
            if black_friday <= d <= black_friday + timedelta(days=3):
                w *= 3.0  # Black Friday to Cyber Monday
            elif d.month == 12 and 10 <= d.day <= 24:
                w *= 1.9  # Christmas shopping
            elif (d.month == 12 and d.day >= 26) or (d.month == 1 and d.day <= 10):
                w *= 1.5  # boxing week and winter sales
            elif (d.month == 6 and d.day >= 24) or (d.month == 7 and d.day <= 20):
                w *= 1.4  # summer sales
            elif d.month == 2 or (d.month == 8 and d.day >= 10):
                w *= 0.8  # quiet months
            if d.month == 12 and d.day == 25:
                w *= 0.3
            weights.append(w)
        return weights

    # --- sampling -------------------------------------------------------------------
    def sample_day(self, rng: random.Random, lo: int = 0, hi: int | None = None) -> int:
        """A day in [lo, hi] weighted by seasonality."""
        hi = self.days - 1 if hi is None else hi
        base = self._season[lo - 1] if lo > 0 else 0.0
        x = base + rng.random() * (self._season[hi] - base)
        return min(bisect.bisect_left(self._season, x), hi)

    def sample_ts(self, rng: random.Random, day: int, tz: str, profile: str) -> int:
        """Epoch seconds of a moment of local day `day` in `tz`, hour drawn from a profile."""
        hours = self._hours[profile]
        hour = bisect.bisect_left(hours, rng.random() * hours[-1])
        local = hour * 3600 + int(rng.random() * 3600)
        return self.day_epoch[day] - self.offsets[tz][day] * 60 + local

    def local_day_of(self, ts: int, tz: str) -> int:
        """Local day index of an instant (using the offset of that day)."""
        day = (ts - self.day_epoch[0]) // _DAY
        day = max(0, min(day, self.days + 6))
        return (ts + self.offsets[tz][day] * 60 - self.day_epoch[0]) // _DAY

    @staticmethod
    def delay(rng: random.Random) -> int:
        """Days between an event and the delivery that carries it (most on time)."""
        r = rng.random()
        if r < 0.92:
            return 0
        if r < 0.97:
            return 1
        return rint(rng, 2, 5)

    # --- formatting ------------------------------------------------------------------
    def iso_local(self, ts: int, tz: str) -> str:
        """ISO-8601 with the offset of `tz` (e.g. ``2026-11-21T14:03:11+01:00``)."""
        off = self.offsets[tz][self.local_day_index(ts)]
        return _ymd_hms(ts + off * 60, "T") + self.offset_text[off]

    def local_day_index(self, ts: int) -> int:
        """The UTC day index of an instant, clamped to the table of offsets."""
        day = (ts - self.day_epoch[0]) // _DAY
        if 0 <= day <= self.days + 6:
            return day
        return 0 if day < 0 else self.days + 6

    def local_text(self, ts: int, tz: str, dmy: bool = False) -> str:
        """Wall-clock time in `tz` without offset: ``YYYY-MM-DD HH:MM:SS`` or DD/MM/YYYY."""
        off = self.offsets[tz][self.local_day_index(ts)]
        if dmy:
            day, sec = divmod(ts + off * 60, _DAY)
            return f"{_dmy_text(day)} {_HMS[sec]}"
        return _ymd_hms(ts + off * 60, " ")


_HMS = [f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)]
_EPOCH = date(1970, 1, 1)


@functools.cache
def _date_text(epoch_day: int) -> str:
    return (_EPOCH + timedelta(days=epoch_day)).isoformat()


@functools.cache
def _dmy_text(epoch_day: int) -> str:
    return f"{_EPOCH + timedelta(days=epoch_day):%d/%m/%Y}"


def _ymd_hms(ts: int, sep: str) -> str:
    day, sec = divmod(ts, _DAY)
    return _date_text(day) + sep + _HMS[sec]


def iso_utc(ts: int) -> str:
    return _ymd_hms(ts, "T") + "Z"


def iso_utc_millis(ts: int, millis: int) -> str:
    return f"{_ymd_hms(ts, 'T')}.{millis:03d}Z"


def rint(rng: random.Random, low: int, high: int) -> int:
    """A fast ``rng.randint(low, high)`` (one float draw)."""
    return low + int(rng.random() * (high - low + 1))


def _black_friday(year: int) -> date:
    nov1 = date(year, 11, 1)
    first_thursday = nov1 + timedelta(days=(3 - nov1.weekday()) % 7)
    return first_thursday + timedelta(days=22)
