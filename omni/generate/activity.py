"""A person's year across every channel, and a chunk of people (plus bots) at a time."""

from __future__ import annotations

import math
import random

from omni.generate.calendar import Timeline, rint
from omni.generate.commerce import account_versions, member_versions, place_order, store_visit
from omni.generate.contact import call, social, ticket
from omni.generate.context import ChunkContext
from omni.generate.digital import app_session, bot_visit, browse, sign_up, utm_for, web_checkout
from omni.generate.outreach import (
    direct_mail,
    email_campaigns,
    push_campaigns,
    social_campaigns,
    telesales,
)
from omni.generate.people import Person, make_people
from omni.generate.world import STORES, Campaign

CHUNK_SIZE = 2000  # persons per chunk: fixed, so output never depends on memory
_PAID = (
    ("google", "cpc"),
    ("facebook", "paid_social"),
    ("instagram", "paid_social"),
    ("criteo", "display"),
    ("awin", "affiliate"),
)


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, prod = math.exp(-lam), 0, rng.random()
    while prod > limit:
        k += 1
        prod *= rng.random()
    return k


def generate_chunk(
    seed: int, chunk: int, timeline: Timeline, campaigns: list[Campaign], first_pid: int, count: int
) -> tuple[list[Person], ChunkContext]:
    ctx = ChunkContext(seed, chunk, timeline, campaigns)
    people = make_people(ctx.rng, timeline, first_pid, count)
    for p in people:
        live(ctx, p)
    for _ in range(poisson(ctx.rng, count * 0.5 * timeline.days / 365)):
        day = timeline.sample_day(ctx.rng)
        bot_visit(ctx, timeline.sample_ts(ctx.rng, day, "America/New_York", "online"))
    return people, ctx


def live(ctx: ChunkContext, p: Person) -> None:
    rng, tl = ctx.rng, ctx.timeline
    scale = tl.days / 365 * p.activity
    if p.has_account:
        account_versions(ctx, p)
        if p.account_day > 0 and p.web and p.cookies:
            s = browse(ctx, p, tl.sample_ts(rng, p.account_day, p.tz, "online"), login=False)
            sign_up(s, p)
    if p.member:
        member_versions(ctx, p)
    orders = []
    if p.online_buyer:
        for _ in range(poisson(rng, 1.6 * scale)):
            day = tl.sample_day(rng, p.account_day if p.has_account else 0)
            ts = tl.sample_ts(rng, day, p.tz, "online")
            r = rng.random()
            channel = "app" if p.app and r < 0.45 else "phone" if r > 0.97 else "web"
            if channel == "web" and not (p.web and p.cookies):
                channel = "phone"
            order = place_order(ctx, p, ts, channel)
            orders.append((order.order_id, ts))
            if channel == "web":
                utm = None
                if rng.random() < 0.25:
                    source, medium = _PAID[int(rng.random() * len(_PAID))]
                    active = ctx.active_campaign(p.market, "brand", day) or ctx.active_campaign(
                        p.market, "social", day
                    )
                    utm = utm_for(source, medium, active.utm if active else "always_on")
                s = browse(ctx, p, ts - rint(rng, 120, 1800), utm, login=p.has_account)
                web_checkout(s, order)
            elif channel == "app":
                app_session(ctx, p, ts - rint(rng, 60, 600), order_id=order.order_id)
            else:
                call(ctx, p, ts - 300, "ORDERS", "SALE", order.order_id)
    if p.store:
        stores = [s for s in STORES if s.market == p.market]
        for _ in range(poisson(rng, 2.6 * scale)):
            store = STORES[p.home_store] if rng.random() < 0.85 else rng.choice(stores)
            day = tl.sample_day(rng)
            store_visit(ctx, p, tl.sample_ts(rng, day, store.tz, "shopping"), store)
    if p.web and p.cookies:
        for _ in range(poisson(rng, 2.0 * scale)):
            browse(ctx, p, tl.sample_ts(rng, tl.sample_day(rng), p.tz, "online"))
    if p.app and p.devices:
        for _ in range(poisson(rng, 3.0 * scale)):
            app_session(ctx, p, tl.sample_ts(rng, tl.sample_day(rng), p.tz, "online"))
    _contacts(ctx, p, orders, scale)
    if p.subscriber:
        email_campaigns(ctx, p)
    if p.app and p.devices:
        push_campaigns(ctx, p)
    if p.member or (p.has_account and rng.random() < 0.3):
        direct_mail(ctx, p)
    if p.online_buyer or p.member:
        telesales(ctx, p)
    if p.social_handle:
        social_campaigns(ctx, p)


def _contacts(ctx: ChunkContext, p: Person, orders: list[tuple[str, int]], scale: float) -> None:
    """Tickets, calls and social messages, many of them about an order."""
    rng, tl = ctx.rng, ctx.timeline
    day_s = 86400
    for order_id, ts in orders:
        r = rng.random()
        later = ts + rint(rng, day_s // 2, 10 * day_s)
        if r < 0.06:
            kind = rng.choice(("complaint", "complaint", "return", "question"))
            ticket(ctx, p, later, kind, order_id)
        elif r < 0.1:
            queue = "COMPLAINTS" if rng.random() < 0.4 else "ORDERS"
            call(
                ctx,
                p,
                later,
                queue,
                rng.choice(("RESOLVED", "RESOLVED", "ESCALATED", "CALLBACK", "ABANDONED")),
                order_id,
            )
        elif r < 0.12 and p.social_handle:
            social(ctx, p, later, "direct_message", order_ref=order_id)
    for _ in range(poisson(rng, 0.12 * scale)):
        ts = tl.sample_ts(rng, tl.sample_day(rng), "America/Toronto", "office")
        queue = "LOYALTY" if p.member and rng.random() < 0.5 else "PRODUCT_INFO"
        call(ctx, p, ts, queue, rng.choice(("RESOLVED", "RESOLVED", "CALLBACK", "ABANDONED")))
    for _ in range(poisson(rng, 0.08 * scale)):
        ts = tl.sample_ts(rng, tl.sample_day(rng), p.tz, "office")
        ticket(ctx, p, ts, rng.choice(("question", "question", "incident")), None)
    if p.social_handle:
        for _ in range(poisson(rng, 1.5 * scale)):
            ts = tl.sample_ts(rng, tl.sample_day(rng), p.tz, "online")
            social(ctx, p, ts, rng.choice(("review", "mention", "comment", "share")))
