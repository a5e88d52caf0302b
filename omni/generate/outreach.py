"""Campaign-driven contacts and their responses.

The campaign plan decides who is reached, where and when: email sends (opens, clicks that
land on the site with UTM tags and sometimes buy), app pushes (opened, sometimes a purchase),
direct-mail pieces with a unique promo code (redeemed online or in store), outbound
telesales calls (some end in a phone order) and reactions to social posts.
"""

from __future__ import annotations

from omni.generate.calendar import rint
from omni.generate.commerce import place_order, recipient_title, store_visit, unique_promo
from omni.generate.contact import call, social
from omni.generate.context import ChunkContext
from omni.generate.digital import SITE, app_session, browse, push_received, utm_for, web_checkout
from omni.generate.ids import subscriber_id
from omni.generate.people import Person
from omni.generate.quirks import address_variant, messy_email
from omni.generate.world import MARKETS, STORES, Campaign

DAY = 86400
_BOUNCE_DOMAINS = ("wanadoo.fr", "aol.com", "sympatico.ca")


def _email_event(
    ctx: ChunkContext,
    p: Person,
    c: Campaign,
    event: str,
    ts: int,
    email: str,
    url: str = "",
    bounce: str = "",
) -> None:
    row = {
        "event_id": ctx.ids.email_event(),
        "campaign_id": c.campaign_id,
        "subscriber_id": subscriber_id(p.pid),
        "email": email,
        "event_type": event,
        "occurred_at": str(ts),
        "url": url,
        "bounce_type": bounce,
    }
    ctx.emit("email/events", ts, row, p.person_id)


def email_campaigns(ctx: ChunkContext, p: Person) -> None:
    rng, tl = ctx.rng, ctx.timeline
    engaged = min(0.9, 0.22 * p.activity)
    unsubscribed = False
    for c in ctx.campaigns(p.market, "newsletter"):
        if unsubscribed:
            return
        if rng.random() > 0.45:
            continue
        ts = tl.sample_ts(rng, c.start, MARKETS[p.market].shop_tz, "office")
        email = messy_email(rng, p.email_at(c.start), 0.05)
        _email_event(ctx, p, c, "sent", ts, email)
        domain = email.rsplit("@", 1)[-1].strip().lower()
        if rng.random() < (0.2 if domain in _BOUNCE_DOMAINS else 0.015):
            kind = "hard" if rng.random() < 0.4 else "soft"
            _email_event(ctx, p, c, "bounced", ts + rint(rng, 1, 120), email, bounce=kind)
            continue
        _email_event(ctx, p, c, "delivered", ts + rint(rng, 1, 60), email)
        if rng.random() > engaged:
            continue
        opened = ts + int(rng.expovariate(1 / 20000)) + 60
        _email_event(ctx, p, c, "opened", opened, email)
        r = rng.random()
        if r < 0.004:
            _email_event(ctx, p, c, "unsubscribed", opened + 30, email)
            unsubscribed = True
            continue
        if r < 0.005:
            _email_event(ctx, p, c, "complained", opened + 30, email)
            continue
        if r < 0.3:
            url = (
                f"{SITE}/collections/nouveautes?utm_source=newsletter&utm_medium=email"
                f"&utm_campaign={c.utm}"
            )
            clicked = opened + rint(rng, 5, 600)
            _email_event(ctx, p, c, "clicked", clicked, email, url=url)
            if p.web and p.cookies:
                s = browse(ctx, p, clicked + 3, utm_for("newsletter", "email", c.utm))
                if p.online_buyer and rng.random() < 0.12:
                    order = place_order(ctx, p, s.ts + 60, "web")
                    web_checkout(s, order)


def push_campaigns(ctx: ChunkContext, p: Person) -> None:
    rng, tl = ctx.rng, ctx.timeline
    for c in ctx.campaigns(p.market, "push"):
        if rng.random() > 0.7:
            continue
        ts = tl.sample_ts(rng, c.start, p.tz, "online")
        push_received(ctx, p, ts, c.campaign_id)
        if rng.random() < 0.15:
            order = None
            if p.online_buyer and rng.random() < 0.1:
                order = place_order(ctx, p, ts + 300, "app").order_id
            app_session(ctx, p, ts + rint(rng, 5, 3600), order_id=order, push=c.campaign_id)


def direct_mail(ctx: ChunkContext, p: Person) -> None:
    rng, tl = ctx.rng, ctx.timeline
    for c in ctx.campaigns(p.market, "catalog"):
        if rng.random() > 0.55:
            continue
        promo = unique_promo(ctx, "CAT" if p.lang == "fr" else "MAIL")
        mailing_id = ctx.ids.mailing()
        title = recipient_title(p)
        first, last = (p.first, p.last) if rng.random() < 0.9 else (p.first[0] + ".", p.last)
        row = {
            "mailing_id": mailing_id,
            "campaign_id": c.campaign_id,
            "recipient_name": f"{title} {first} {last}",
            "address_line1": address_variant(rng, p.street_no, p.street_type, p.street, 0.5),
            "postcode": p.postcode,
            "city": p.city,
            "country": p.country,
            "sent_on": tl.date(c.start).isoformat(),
            "piece_type": rng.choice(("catalog", "catalog", "postcard", "letter")),
            "promo_code": promo,
        }
        ctx.batch.add("direct_mail/sends", c.start + rint(rng, 1, 3), row, p.person_id)
        if rng.random() < 0.06 * p.activity:
            day = min(c.start + rint(rng, 3, 30), tl.days - 1)
            if p.store and (not p.online_buyer or rng.random() < 0.5):
                store = STORES[p.home_store]
                store_visit(ctx, p, tl.sample_ts(rng, day, store.tz, "shopping"), store, promo)
            elif p.online_buyer:
                ts = tl.sample_ts(rng, day, p.tz, "online")
                order = place_order(ctx, p, ts, "web", promo=promo)
                if p.web and p.cookies:
                    s = browse(ctx, p, ts - 400, utm_for("catalogue", "print", c.utm), login=True)
                    web_checkout(s, order)


def telesales(ctx: ChunkContext, p: Person) -> None:
    rng, tl = ctx.rng, ctx.timeline
    for c in ctx.campaigns(p.market, "telesales"):
        if rng.random() > 0.08:
            continue
        day = rint(rng, c.start, min(c.end, tl.days - 1))
        ts = tl.sample_ts(rng, day, "America/Toronto", "office")
        r = rng.random()
        disposition = (
            "NO_ANSWER"
            if r < 0.35
            else "VOICEMAIL"
            if r < 0.55
            else "CALLBACK"
            if r < 0.65
            else "SALE"
            if r < 0.8
            else "RESOLVED"
        )
        order_ref = None
        if disposition == "SALE":
            order_ref = place_order(ctx, p, ts + rint(rng, 120, 900), "phone").order_id
        call(
            ctx,
            p,
            ts,
            "TELESALES",
            disposition,
            order_ref,
            outbound=True,
            campaign_id=c.campaign_id,
        )


def social_campaigns(ctx: ChunkContext, p: Person) -> None:
    rng, tl = ctx.rng, ctx.timeline
    for c in (*ctx.campaigns(p.market, "social"), *ctx.campaigns(p.market, "brand")):
        if rng.random() > 0.12:
            continue
        day = rint(rng, c.start, min(c.end, tl.days - 1))
        social(
            ctx,
            p,
            tl.sample_ts(rng, day, p.tz, "online"),
            rng.choice(("comment", "comment", "share", "mention")),
            campaign_id=c.campaign_id,
        )
