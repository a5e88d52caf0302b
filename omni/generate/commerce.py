"""Purchases and customer records: online orders (with lines and status versions), store
receipts and returns, online accounts and loyalty members (with their versions).
"""

from __future__ import annotations

from dataclasses import dataclass

from omni.generate import ids, names
from omni.generate.calendar import rint
from omni.generate.context import ChunkContext
from omni.generate.people import Person
from omni.generate.quirks import (
    PLACEHOLDER_EMAILS,
    PLACEHOLDER_PHONES,
    STAFF_CARD,
    address_variant,
    format_phone,
    messy_email,
    name_variant,
    typed_card,
)
from omni.generate.world import MARKETS, STORES, Store, money

_PRICE_FACTOR = {"EUR": 1.0, "CAD": 1.45, "USD": 1.08}
_TAX_RATE = {"FR": 0.20, "QC": 0.14975, "US": 0.08875}
_SHIPPING = {"EUR": 490, "CAD": 995, "USD": 795}
_FREE_SHIPPING = {"EUR": 100_00, "CAD": 150_00, "USD": 120_00}
DAY = 86400


def price(cents_eur: int, currency: str) -> int:
    """A catalogue price in `currency`, ending in .90/.99 like real price lists."""
    raw = int(cents_eur * _PRICE_FACTOR[currency])
    return max(raw - raw % 100 + (90 if currency == "EUR" else 99), 99)


@dataclass(slots=True)
class Order:
    order_id: str
    total: str
    currency: str


def _contact_phone(ctx: ChunkContext, p: Person, day: int, rate: float) -> str:
    """A phone as typed in a form: mobile mostly, the household landline, or a placeholder."""
    rng = ctx.rng
    r = rng.random()
    if r >= rate:
        return ""
    if r < 0.03 * rate:
        return rng.choice(PLACEHOLDER_PHONES[:2] + PLACEHOLDER_PHONES[3:])
    number = p.landline if p.landline and rng.random() < 0.2 else p.mobile_at(day)
    return format_phone(rng, number)


def place_order(
    ctx: ChunkContext,
    p: Person,
    ts: int,
    channel: str,
    promo: str | None = None,
    guest: bool | None = None,
) -> Order:
    """An online order (web, app or phone) with its lines and its status versions."""
    rng, tl = ctx.rng, ctx.timeline
    market = MARKETS[p.market]
    cur = market.currency
    order_id = ctx.ids.order()
    day = tl.local_day_of(ts, market.shop_tz)
    lines, amounts = [], []
    for line_no in range(1, 1 + min(1 + int(rng.expovariate(0.9)), 6)):
        sku, fr, en, category, eur = names.PRODUCTS[int(rng.random() * len(names.PRODUCTS))]
        qty = 1 if rng.random() < 0.85 else rint(rng, 2, 3)
        unit = price(eur, cur)
        amounts.append(unit * qty)
        lines.append(
            {
                "order_id": order_id,
                "line_number": str(line_no),
                "sku": sku,
                "product_name": fr if p.lang == "fr" else en,
                "category": category,
                "quantity": str(qty),
                "unit_price": money(unit),
                "line_total": money(unit * qty),
            }
        )
    subtotal = sum(amounts)
    discount = subtotal * rng.choice((10, 15, 20, 25)) // 100 if promo else 0
    fulfilment = "home_delivery"
    pickup = ""
    r = rng.random()
    if r < 0.15 and channel != "phone":
        fulfilment = "click_and_collect"
        opened = [
            s for s in ctx.stores[p.market] if s.store_id != "CA-LAV-01" or day >= ctx.laval_day
        ]
        pickup = rng.choice(opened).store_id
    elif r < 0.2:
        fulfilment = "office_delivery"
    shipping = (
        0
        if fulfilment == "click_and_collect" or subtotal - discount >= _FREE_SHIPPING[cur]
        else _SHIPPING[cur]
    )
    tax = round((subtotal - discount + shipping) * _TAX_RATE[p.market])
    total = subtotal - discount + shipping + tax
    if guest is None:
        guest = not p.has_account or rng.random() < 0.1
    first, last = name_variant(rng, p.first, p.last)
    email = messy_email(rng, p.email_at(day))
    if channel == "phone" and rng.random() < 0.15:
        email = rng.choice(PLACEHOLDER_EMAILS)
    base = {
        "order_id": order_id,
        "account_id": "" if guest else p.account_id,
        "email": email,
        "phone": _contact_phone(ctx, p, day, 0.85 if channel == "phone" else 0.6),
        "first_name": first,
        "last_name": last,
        "ship_address_line1": address_variant(rng, p.street_no, p.street_type, p.street),
        "ship_postcode": p.postcode,
        "ship_city": p.city,
        "ship_country": p.country,
        "created_at": tl.iso_local(ts, market.shop_tz),
    }
    tail = {
        "sales_channel": channel,
        "fulfilment": fulfilment,
        "pickup_store_id": pickup,
        "currency": cur,
        "subtotal": money(subtotal),
        "discount_total": money(discount),
        "shipping_total": money(shipping),
        "tax_total": money(tax),
        "total": money(total),
    }
    versions = _status_path(ctx, ts, total, amounts)
    first_day = None
    for status, at, refunded in versions:
        if tl.local_day_index(at) > tl.days - 1:
            break
        row = {
            **base,
            "updated_at": tl.iso_local(at, market.shop_tz),
            "status": status,
            **tail,
            "refunded_total": money(refunded),
            "promo_code": promo or "",
        }
        vday = tl.local_day_of(at, market.shop_tz) + tl.delay(rng)
        if first_day is None:
            first_day = vday
        ctx.batch.add("ecommerce/orders", vday, row, p.person_id)
    if first_day is not None:
        for line in lines:
            ctx.batch.add("ecommerce/order_lines", first_day, line)
    return Order(order_id, money(total), cur)


def _status_path(
    ctx: ChunkContext, ts: int, total: int, amounts: list[int]
) -> list[tuple[str, int, int]]:
    """(status, updated_at, refunded_total) of every version of an order."""
    rng = ctx.rng
    out: list[tuple[str, int, int]] = []
    at = ts
    if rng.random() < 0.2:
        out.append(("pending", at, 0))
        at += rint(rng, 30, 900)
        if rng.random() < 0.05:
            return out  # payment never completed
    out.append(("paid", at, 0))
    if rng.random() < 0.04:
        out.append(("cancelled", at + rint(rng, 600, 2 * DAY), 0))
        return out
    at += rint(rng, DAY // 2, 2 * DAY)
    out.append(("shipped", at, 0))
    at += rint(rng, DAY, 4 * DAY)
    out.append(("delivered", at, 0))
    r = rng.random()
    if r < 0.06:
        out.append(("refunded", at + rint(rng, 2 * DAY, 12 * DAY), total))
    elif r < 0.14 and len(amounts) > 1:
        refund = min(amounts[-1], total)
        out.append(("partially_refunded", at + rint(rng, 2 * DAY, 12 * DAY), refund))
    return out


def store_visit(
    ctx: ChunkContext, p: Person, ts: int, store: Store, promo: str | None = None
) -> None:
    """A till receipt in `store` at `ts`, sometimes followed by a return."""
    rng, tl = ctx.rng, ctx.timeline
    items = 1 + int(rng.expovariate(0.7))
    total = sum(
        price(names.PRODUCTS[int(rng.random() * len(names.PRODUCTS))][4], store.currency)
        for _ in range(items)
    )
    if promo:
        total -= total * 15 // 100
    receipt_id = ctx.ids.receipt()
    card = ""
    if p.member and tl.local_day_of(ts, store.tz) >= p.member_day and rng.random() < 0.85:
        card = typed_card(rng, p.card)
    elif rng.random() < 0.15:
        card = STAFF_CARD if rng.random() < 0.7 else STAFF_CARD.replace(" ", "")
    day = tl.local_day_of(ts, store.tz)
    email = ""
    r = rng.random()
    if r < 0.3:
        email = messy_email(rng, p.email_at(day), 0.4)
    elif r < 0.34:
        email = rng.choice(PLACEHOLDER_EMAILS)
    phone = ""
    r = rng.random()
    if r < 0.12:
        phone = format_phone(rng, p.landline if p.landline and r < 0.04 else p.mobile_at(day))
    elif r < 0.15:
        phone = rng.choice(PLACEHOLDER_PHONES)
    row = {
        "receipt_id": receipt_id,
        "store_id": store.store_id,
        "register_id": f"{store.store_id}-R{rint(rng, 1, 6):02d}",
        "transaction_local_time": tl.local_text(ts, store.tz),
        "transaction_type": "sale",
        "loyalty_card": card,
        "receipt_email": email,
        "phone": phone,
        "currency": store.currency,
        "total_amount": money(total),
        "item_count": str(items),
        "payment_method": rng.choice(("card", "card", "card", "cash", "gift_card", "mobile")),
        "original_receipt_id": "",
        "promo_code": promo or "",
    }
    ctx.emit("pos/transactions", ts, row, p.person_id, store.tz)
    if rng.random() < 0.07:
        back = ts + rint(rng, 2, 25) * DAY + rint(rng, -3 * 3600, 3 * 3600)
        if tl.local_day_index(back) >= tl.days:
            return
        refund = total if items == 1 or rng.random() < 0.5 else total // items
        ret = {
            **row,
            "receipt_id": ctx.ids.receipt(),
            "transaction_local_time": tl.local_text(back, store.tz),
            "transaction_type": "return",
            "total_amount": money(-refund),
            "item_count": str(1 if refund != total else items),
            "original_receipt_id": receipt_id,
            "promo_code": "",
            "payment_method": "card"
            if row["payment_method"] == "mobile"
            else row["payment_method"],
        }
        ctx.emit("pos/transactions", back, ret, p.person_id, store.tz)


def account_versions(ctx: ChunkContext, p: Person) -> None:
    """The online account: created, then a new version at each change of email or phone."""
    rng, tl = ctx.rng, ctx.timeline
    tz = MARKETS[p.market].shop_tz
    created = p.account_day
    created_ts = tl.sample_ts(rng, created, tz, "online")
    if created == 0:
        created_ts -= rint(rng, 1, 900) * DAY
    changes = sorted(
        {
            d
            for d in (
                p.email_change_day if len(p.emails) > 1 else -1,
                p.phone_change_day if len(p.mobiles) > 1 else -1,
                int(rng.random() * tl.days) if rng.random() < 0.15 else -1,
            )
            if d > created
        }
    )
    accepts = rng.random() < 0.6
    moments = [(created, created_ts)] + [(d, tl.sample_ts(rng, d, tz, "online")) for d in changes]
    for i, (day, ts) in enumerate(moments):
        if i and rng.random() < 0.3:
            accepts = not accepts
        phone = format_phone(rng, p.mobile_at(day)) if rng.random() < 0.75 else ""
        with_address = rng.random() < 0.85
        row = {
            "account_id": p.account_id,
            "email": messy_email(rng, p.email_at(day), 0.1),
            "phone": phone,
            "first_name": p.first,
            "last_name": p.last,
            "address_line1": address_variant(rng, p.street_no, p.street_type, p.street)
            if with_address
            else "",
            "postcode": p.postcode if with_address else "",
            "city": p.city if with_address else "",
            "country": p.country if with_address else "",
            "accepts_marketing": "true" if accepts else "false",
            "created_at": tl.iso_local(created_ts, tz),
            "updated_at": tl.iso_local(ts, tz),
        }
        ctx.emit("ecommerce/accounts", max(ts, tl.day_epoch[0]), row, p.person_id)


def member_versions(ctx: ChunkContext, p: Person) -> None:
    """The loyalty member: enrolled, then tier upgrades, contact changes, sometimes closed."""
    rng, tl = ctx.rng, ctx.timeline
    tz = ctx.stores[p.market][0].tz
    enrolled_ts = tl.sample_ts(rng, p.member_day, tz, "shopping")
    if p.member_day == 0:
        enrolled_ts -= rint(rng, 1, 1500) * DAY
    channel = (
        "store"
        if p.store and rng.random() < 0.75
        else rng.choice(
            ("web", "app", "call_center") if p.has_account else ("call_center", "store")
        )
    )
    store_id = STORES[p.home_store].store_id if channel == "store" else ""
    tier = rng.choice(("bronze", "bronze", "silver", "gold")) if p.member_day == 0 else "bronze"
    events: list[tuple[int, str]] = []
    for d in (
        p.email_change_day if len(p.emails) > 1 else -1,
        p.phone_change_day if len(p.mobiles) > 1 else -1,
    ):
        if d > p.member_day:
            events.append((d, "contact"))
    if rng.random() < 0.2:
        events.append((rint(rng, p.member_day, tl.days - 1), "tier"))
    if rng.random() < 0.03:
        events.append((rint(rng, p.member_day, tl.days - 1), "close"))
    events.sort()
    status = "active"
    opt = [rng.random() < 0.6, rng.random() < 0.3, rng.random() < 0.5]
    email_none = rng.random() < 0.05
    moments = [(p.member_day, enrolled_ts, "enrol")] + [
        (d, max(tl.sample_ts(rng, d, tz, "shopping"), enrolled_ts + 60), kind) for d, kind in events
    ]
    last_ts = 0
    for day, ts, kind in moments:
        ts = max(ts, last_ts + 60)
        last_ts = ts
        if kind == "tier":
            tier = {"bronze": "silver", "silver": "gold", "gold": "gold"}[tier]
        elif kind == "close":
            status = "closed"
        first, last = name_variant(rng, p.first, p.last, 0.08)
        phone = format_phone(rng, p.mobile_at(day)) if rng.random() < 0.8 else ""
        if rng.random() < 0.02:
            phone = "0000000000"
        row = {
            "member_id": p.member_id,
            "card_number": typed_card(rng, p.card),
            "account_id": p.account_id if p.has_account and rng.random() < 0.7 else "",
            "email": "refus@client.fr" if email_none else messy_email(rng, p.email_at(day), 0.15),
            "phone": phone,
            "first_name": first,
            "last_name": last,
            "birth_date": p.birth or "",
            "address_line1": address_variant(rng, p.street_no, p.street_type, p.street),
            "postcode": p.postcode,
            "city": p.city,
            "country": p.country,
            "preferred_language": p.lang,
            "email_opt_in": "true" if opt[0] else "false",
            "sms_opt_in": "true" if opt[1] else "false",
            "mail_opt_in": "true" if opt[2] else "false",
            "enrolled_at": tl.iso_local(enrolled_ts, tz),
            "enrolled_channel": channel,
            "enrolled_store_id": store_id,
            "tier": tier,
            "status": status,
            "updated_at": tl.iso_local(ts, tz),
        }
        ctx.emit("loyalty/members", max(ts, tl.day_epoch[0]), row, p.person_id)


def recipient_title(p: Person) -> str:
    if p.lang == "fr":
        return "Mme" if p.female else "M."
    return "Ms." if p.female else "Mr."


def unique_promo(ctx: ChunkContext, prefix: str) -> str:
    """A promo code unique to one direct-mail piece."""
    n = ctx.ids.mailing.next
    return f"{prefix}-{ids.scramble(n, 16**8, 2_654_435_761, 0x5EED):08X}"
