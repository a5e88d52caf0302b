"""The fixed world: stores, markets, campaigns (the plan), media spend and FX rates.

Everything here depends only on the seed and the timeline, never on the customers; the
reference extracts (pos/stores, marketing/campaigns, marketing/spend, finance/fx_rates) are
emitted from it into a batch of their own.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from omni.generate.batch import Batch
from omni.generate.calendar import DAILY_FILES, Timeline


@dataclass(frozen=True)
class Market:
    code: str  # FR, QC, US
    country: str  # ISO 3166 alpha-2
    currency: str
    shop_tz: str  # the online shop's clock for this market
    lang: str  # main language


MARKETS = {
    "FR": Market("FR", "FR", "EUR", "Europe/Paris", "fr"),
    "QC": Market("QC", "CA", "CAD", "America/Toronto", "fr"),
    "US": Market("US", "US", "USD", "America/New_York", "en"),
}


@dataclass(frozen=True)
class Store:
    store_id: str
    name: str
    city: str
    market: str
    tz: str
    opened: date

    @property
    def currency(self) -> str:
        return MARKETS[self.market].currency


STORES = (
    Store("FR-PAR-01", "Maison Paris Rivoli", "Paris", "FR", "Europe/Paris", date(2012, 3, 14)),
    Store("FR-PAR-02", "Maison Paris Marais", "Paris", "FR", "Europe/Paris", date(2016, 9, 1)),
    Store("FR-LYO-01", "Maison Lyon Bellecour", "Lyon", "FR", "Europe/Paris", date(2014, 4, 5)),
    Store(
        "FR-BOR-01",
        "Maison Bordeaux Sainte-Catherine",
        "Bordeaux",
        "FR",
        "Europe/Paris",
        date(2018, 10, 20),
    ),
    Store("FR-LIL-01", "Maison Lille Grand Place", "Lille", "FR", "Europe/Paris", date(2019, 2, 2)),
    Store(
        "FR-MRS-01", "Maison Marseille Prado", "Marseille", "FR", "Europe/Paris", date(2021, 5, 19)
    ),
    Store(
        "CA-MTL-01",
        "Maison Montréal Sainte-Catherine",
        "Montréal",
        "QC",
        "America/Toronto",
        date(2017, 6, 10),
    ),
    Store(
        "CA-MTL-02",
        "Maison Montréal Laurier",
        "Montréal",
        "QC",
        "America/Toronto",
        date(2020, 8, 15),
    ),
    Store(
        "CA-QUE-01",
        "Maison Québec Saint-Jean",
        "Québec",
        "QC",
        "America/Toronto",
        date(2019, 11, 9),
    ),
    Store(
        "US-NYC-01", "Maison New York SoHo", "New York", "US", "America/New_York", date(2018, 4, 21)
    ),
    Store(
        "US-BOS-01",
        "Maison Boston Newbury St",
        "Boston",
        "US",
        "America/New_York",
        date(2022, 3, 12),
    ),
    Store(
        "US-CHI-01",
        "Maison Chicago Michigan Ave",
        "Chicago",
        "US",
        "America/Chicago",
        date(2021, 9, 25),
    ),
    Store(
        "US-LAX-01",
        "Maison Los Angeles Abbot Kinney",
        "Los Angeles",
        "US",
        "America/Los_Angeles",
        date(2023, 5, 6),
    ),
)
NEW_STORE_DAYS_BEFORE_END = 7  # Laval opens a week before the end: delivered as an update


def new_store(timeline: Timeline) -> Store:
    opened = timeline.end - timedelta(days=NEW_STORE_DAYS_BEFORE_END)
    return Store("CA-LAV-01", "Maison Laval Carrefour", "Laval", "QC", "America/Toronto", opened)


@dataclass(frozen=True)
class Campaign:
    campaign_id: str
    name: str
    utm: str  # utm_campaign value used in tagged links
    market: str
    kind: str  # newsletter, catalog, push, telesales, social, brand, sms
    channels: tuple[str, ...]
    start: int  # day index
    end: int
    time_of_day: str
    how: str
    objective: str
    kpi: str
    segment: str
    message: str
    target: str
    budget_cents: int

    @property
    def currency(self) -> str:
        return MARKETS[self.market].currency


# kind -> (cadence days, duration days, channels, how, objective, kpi, segment, time of day)
_KINDS = {
    "newsletter": (
        14,
        6,
        ("email", "web"),
        "newsletter",
        "conversion",
        "revenue",
        "newsletter_subscribers",
        "morning",
    ),
    "push": (
        21,
        3,
        ("push", "web"),
        "push",
        "retention",
        "engagement_rate",
        "app_users",
        "evening",
    ),
    "catalog": (
        91,
        30,
        ("direct_mail", "web", "store"),
        "catalog",
        "reactivation",
        "orders",
        "loyalty_members_mail_opt_in",
        "any",
    ),
    "telesales": (
        120,
        21,
        ("call_center",),
        "call",
        "reactivation",
        "revenue",
        "lapsed_buyers_180d",
        "afternoon",
    ),
    "social": (
        30,
        10,
        ("social", "web"),
        "post",
        "awareness",
        "engagement_rate",
        "social_followers",
        "any",
    ),
    "brand": (
        180,
        28,
        ("web", "store", "social"),
        "video",
        "awareness",
        "new_customers",
        "all_prospects",
        "evening",
    ),
    "sms": (
        60,
        2,
        ("sms", "store"),
        "in_store",
        "conversion",
        "orders",
        "loyalty_members",
        "afternoon",
    ),
}
_THEMES_FR = {
    1: "Soldes d'hiver",
    2: "Saint-Valentin",
    3: "Printemps",
    4: "Nouvelle collection",
    5: "Fête des mères",
    6: "Soldes d'été",
    7: "Soldes d'été",
    8: "Rentrée",
    9: "Rentrée",
    10: "Collection automne",
    11: "Black Friday",
    12: "Noël",
}
_THEMES_EN = {
    1: "Winter sale",
    2: "Valentine's Day",
    3: "Spring",
    4: "New collection",
    5: "Mother's Day",
    6: "Summer sale",
    7: "Summer sale",
    8: "Back to school",
    9: "Back to school",
    10: "Fall collection",
    11: "Black Friday",
    12: "Holidays",
}


def make_campaigns(timeline: Timeline, seed: int) -> list[Campaign]:
    """The campaign plan, from the first day of history to two weeks after the end."""
    rng = random.Random(f"{seed}:campaigns")
    out: list[Campaign] = []
    horizon = timeline.days - 1 + DAILY_FILES
    for market in MARKETS:
        for kind, (
            cadence,
            duration,
            channels,
            how,
            objective,
            kpi,
            segment,
            tod,
        ) in _KINDS.items():
            if kind == "telesales" and market == "US":
                continue
            start = rng.randrange(min(cadence, 20))
            while start <= horizon:
                out.append(
                    _campaign(
                        rng,
                        timeline,
                        market,
                        kind,
                        start,
                        duration,
                        channels,
                        how,
                        objective,
                        kpi,
                        segment,
                        tod,
                        len(out) + 1,
                    )
                )
                start += cadence + rng.randint(-2, 2)
    out.sort(key=lambda c: (c.start, c.campaign_id))
    return out


def _campaign(
    rng: random.Random,
    timeline: Timeline,
    market: str,
    kind: str,
    start: int,
    duration: int,
    channels: tuple[str, ...],
    how: str,
    objective: str,
    kpi: str,
    segment: str,
    tod: str,
    number: int,
) -> Campaign:
    d = timeline.date(start)
    french = MARKETS[market].lang == "fr"
    theme = (_THEMES_FR if french else _THEMES_EN)[d.month]
    label = {
        "newsletter": "Newsletter",
        "push": "Push",
        "catalog": "Catalogue",
        "telesales": "Télévente" if french else "Telesales",
        "social": "Social",
        "brand": "Campagne TV" if french else "TV campaign",
        "sms": "SMS",
    }[kind]
    name = f"{label} {theme} {d:%Y} {market}"
    utm = f"{kind}_{theme}_{d:%Y%m}_{market}".lower()
    utm = "".join(c if c.isalnum() or c == "_" else "_" for c in utm)
    percent = rng.choice((10, 15, 20, 25, 30))
    message = (
        f"Jusqu'à -{percent} % sur la collection {theme.lower()}"
        if french
        else f"Up to {percent}% off: {theme}"
    )
    if kpi == "engagement_rate":
        target = f"{rng.choice((0.02, 0.03, 0.05, 0.08)):.2f}"
    else:
        target = f"{rng.randrange(50, 2000) * (100 if kpi == 'revenue' else 1)}.00"
    budget = rng.randrange(5, 80) * (10_000_00 if kind == "brand" else 500_00)
    return Campaign(
        campaign_id=f"CMP-{market}-{d:%y%m}-{number:03d}",
        name=name,
        utm=utm,
        market=market,
        kind=kind,
        channels=channels,
        start=start,
        end=start + duration - 1,
        time_of_day=tod,
        how=how,
        objective=objective,
        kpi=kpi,
        segment=segment,
        message=message,
        target=target,
        budget_cents=budget,
    )


def money(cents: int) -> str:
    """Cents as a decimal string with a `.` and two decimals."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def _campaign_row(c: Campaign, timeline: Timeline, budget_cents: int) -> dict[str, str]:
    return {
        "campaign_id": c.campaign_id,
        "name": c.name,
        "what_message": c.message,
        "who_segment": c.segment,
        "where_channels": "|".join(c.channels),
        "when_start": timeline.date(c.start).isoformat(),
        "when_end": timeline.date(c.end).isoformat(),
        "when_time_of_day": c.time_of_day,
        "how_format": c.how,
        "why_objective": c.objective,
        "why_kpi": c.kpi,
        "target_value": c.target,
        "budget": money(budget_cents),
        "currency": c.currency,
    }


_HOLIDAYS = {(1, 1), (5, 1), (12, 25), (12, 26)}
_FX_BASE = {"CAD": 0.6550, "USD": 0.8790}


def fx_rates(timeline: Timeline, seed: int) -> list[tuple[int, str, str]]:
    """(day index, currency, rate_to_eur) on business days, from a week before history."""
    rng = random.Random(f"{seed}:fx")
    level = dict(_FX_BASE)
    out = []
    for day in range(-7, timeline.days):
        d = timeline.date(day)
        for cur in level:
            level[cur] *= 1 + rng.gauss(0, 0.003)
        if d.weekday() >= 5 or (d.month, d.day) in _HOLIDAYS:
            continue
        for cur in ("CAD", "USD"):
            out.append((day, cur, f"{level[cur]:.6f}"))
    return out


_ALWAYS_ON = {  # channel -> (daily spend EUR cents, impressions per euro, click rate)
    "paid_search": (180_000, 40, 0.045),
    "paid_social": (120_000, 120, 0.012),
    "display": (60_000, 400, 0.002),
    "affiliate": (40_000, 0, 0.0),
}
_CAMPAIGN_SPEND = {  # campaign kind -> channels with spend
    "newsletter": ("email",),
    "push": ("push",),
    "catalog": ("direct_mail",),
    "telesales": ("telesales",),
    "social": ("paid_social",),
    "brand": ("tv", "radio", "print"),
    "sms": ("sms",),
}


def emit_reference(batch: Batch, timeline: Timeline, campaigns: list[Campaign], seed: int) -> None:
    """Rows of pos/stores, marketing/campaigns, marketing/spend and finance/fx_rates."""
    rng = random.Random(f"{seed}:reference")
    last = timeline.days - 1
    for s in (*STORES, new_store(timeline)):
        day = max(timeline.day_of(s.opened), 0)
        batch.add(
            "pos/stores",
            day,
            {
                "store_id": s.store_id,
                "store_name": s.name,
                "city": s.city,
                "country": MARKETS[s.market].country,
                "timezone": s.tz,
                "currency": s.currency,
                "opened_on": s.opened.isoformat(),
            },
        )
    plan_update = last - 10  # the plan is revised once during the daily deliveries
    revised = None
    for c in campaigns:
        planned = c.start - 14
        day = timeline.backfill_day if planned <= timeline.backfill_day else plan_update
        if day == plan_update and planned > plan_update:
            continue  # planned after the last revision: not delivered yet
        batch.add("marketing/campaigns", day, _campaign_row(c, timeline, c.budget_cents))
        if c.kind == "newsletter" and c.start <= timeline.backfill_day < c.end + 30:
            revised = c
    if revised is not None:  # budget revised: the later delivery wins
        batch.add(
            "marketing/campaigns",
            plan_update,
            _campaign_row(revised, timeline, revised.budget_cents + 250_000),
        )
    for day, cur, rate in fx_rates(timeline, seed):
        batch.add(
            "finance/fx_rates",
            day,
            {
                "rate_date": timeline.date(day).isoformat(),
                "currency": cur,
                "rate_to_eur": rate,
            },
        )
    _emit_spend(batch, timeline, campaigns, rng)


def _emit_spend(
    batch: Batch, timeline: Timeline, campaigns: list[Campaign], rng: random.Random
) -> None:
    for day in range(timeline.days):
        delivered = day + 1 + timeline.delay(rng)
        spend_date = timeline.date(day).isoformat()
        for channel, (cents, per_euro, ctr) in _ALWAYS_ON.items():
            amount = int(cents * rng.uniform(0.7, 1.3))
            impressions = int(amount / 100 * per_euro) if per_euro else None
            clicks = int(impressions * ctr) if impressions else None
            batch.add(
                "marketing/spend",
                delivered,
                _spend_row(spend_date, channel, None, "EUR", amount, impressions, clicks),
            )
        for c in campaigns:
            if not c.start <= day <= c.end:
                continue
            for channel in _CAMPAIGN_SPEND[c.kind]:
                one_shot = channel in ("email", "push", "direct_mail", "sms")
                if one_shot and day != c.start:
                    continue
                share = 0.6 if one_shot else 1 / (c.end - c.start + 1)
                amount = max(100, int(c.budget_cents * share * rng.uniform(0.8, 1.2)))
                impressions = (
                    int(amount * rng.uniform(0.5, 3))
                    if channel in ("paid_social", "tv", "radio")
                    else None
                )
                clicks = (
                    int(impressions * 0.01) if channel == "paid_social" and impressions else None
                )
                batch.add(
                    "marketing/spend",
                    delivered,
                    _spend_row(
                        spend_date, channel, c.campaign_id, c.currency, amount, impressions, clicks
                    ),
                )


def _spend_row(
    spend_date: str,
    channel: str,
    campaign: str | None,
    currency: str,
    cents: int,
    impressions: int | None,
    clicks: int | None,
) -> dict[str, str]:
    return {
        "spend_date": spend_date,
        "channel": channel,
        "campaign_id": campaign or "",
        "currency": currency,
        "spend": money(cents),
        "impressions": "" if impressions is None else str(impressions),
        "clicks": "" if clicks is None else str(clicks),
    }
