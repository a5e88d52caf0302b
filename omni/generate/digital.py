"""Web (Segment-style JSON) and app (analytics export) events: sessions of people and bots.

A web session uses one of the person's cookies; the visitor is logged in (user_id) only when
they have an account and sign in. Sessions can come from campaign links (UTM), end with an
order (``Order Completed``), be retried by the collector (duplicate message_id) or carry
unknown extra keys. Bots and crawlers visit anonymously with telling user agents.
"""

from __future__ import annotations

import json
from typing import Any

from omni.generate import names
from omni.generate.calendar import iso_utc_millis, rint
from omni.generate.commerce import Order
from omni.generate.context import ChunkContext
from omni.generate.people import Person
from omni.generate.quirks import format_phone, messy_email

SITE = "https://www.maison-exemple.com"
_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
)
BOT_UA = (
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots) crawler",
)
_REFERRERS = (
    "",
    "",
    "https://www.google.com/",
    "https://www.google.fr/",
    "https://www.bing.com/",
    "https://www.instagram.com/",
    "https://www.facebook.com/",
)
_PAGES = (
    ("/", "Accueil"),
    ("/collections/nouveautes", "Nouveautés"),
    ("/collections/soldes", "Soldes"),
    ("/magasins", "Nos magasins"),
    ("/aide", "Aide"),
    ("/compte", "Mon compte"),
    ("/panier", "Panier"),
)
_LOCALES = {"FR": "fr-FR", "QC": "fr-CA", "US": "en-US"}


class WebSession:
    """Builds the events of one visit, one after the other."""

    def __init__(
        self,
        ctx: ChunkContext,
        ts: int,
        anonymous_id: str,
        person: Person | None,
        user_id: str | None,
        utm: dict[str, str] | None,
        user_agent: str,
    ) -> None:
        rng = ctx.rng
        self.ctx, self.ts, self.anonymous_id, self.person = ctx, ts, anonymous_id, person
        self.user_id = user_id
        self.tz = person.tz if person else "America/New_York"
        self.locale = _LOCALES[person.market] if person else "en-US"
        self.user_agent = user_agent
        octets = (rint(rng, 2, 223), rint(rng, 0, 255), rint(rng, 0, 255), rint(rng, 1, 254))
        self.ip = "{}.{}.{}.{}".format(*octets)
        self.utm = utm
        r = rng.random()
        self.skew = (
            0
            if r < 0.95
            else rint(rng, -900, 900)
            if r < 0.995
            else rint(rng, 1, 4) * 86400 + rint(rng, 0, 3600)
        )
        self.referrer = "" if utm else rng.choice(_REFERRERS)
        self.person_id = person.person_id if person else None

    def _event(
        self,
        type_: str,
        event: str | None,
        path: str,
        title: str,
        properties: dict[str, Any] | None = None,
        traits: dict[str, str] | None = None,
    ) -> None:
        ctx, rng, tl = self.ctx, self.ctx.rng, self.ctx.timeline
        self.ts += rint(rng, 5, 180)
        context: dict[str, Any] = {
            "page": {
                "url": f"{SITE}{path}",
                "path": path,
                "referrer": self.referrer,
                "title": title,
            }
        }
        if self.utm:
            context["campaign"] = self.utm
        context["user_agent"] = self.user_agent
        context["ip"] = self.ip
        context["locale"] = self.locale
        row: dict[str, Any] = {
            "message_id": ctx.ids.uuid(),
            "type": type_,
            "event": event,
            "anonymous_id": self.anonymous_id,
            "user_id": self.user_id,
            "timestamp": tl.iso_local(self.ts + self.skew, self.tz),
            "received_at": iso_utc_millis(self.ts + rint(rng, 0, 2), int(rng.random() * 1000)),
            "context": context,
            "traits": traits,
            "properties": properties,
        }
        if rng.random() < 0.01:
            row["_metadata"] = {"bundled": ["Segment.io"], "unbundled": []}
        if rng.random() < 0.005:
            row["integrations"] = {"All": True}
        self.referrer = f"{SITE}{path}"
        ctx.emit("web/events", self.ts, row, self.person_id)
        if rng.random() < 0.004:  # the collector retried: the same line again
            ctx.emit("web/events", self.ts, row, self.person_id)

    def page(self) -> None:
        path, title = _PAGES[int(self.ctx.rng.random() * len(_PAGES))]
        self._event("page", None, path, title)

    def product(self, add: bool) -> dict[str, Any]:
        rng = self.ctx.rng
        sku, fr, en, _category, eur = names.PRODUCTS[int(rng.random() * len(names.PRODUCTS))]
        props = {
            "product_id": sku.lower(),
            "sku": sku,
            "price": round(eur / 100, 2),
            "currency": "EUR",
        }
        path = f"/produits/{sku.lower()}"
        self._event("page", None, path, fr)
        self._event("track", "Product Viewed", path, fr, props)
        if add:
            self._event("track", "Product Added", path, en, props)
        return props

    def track(self, event: str, properties: dict[str, Any] | None = None) -> None:
        self._event("track", event, "/", "Accueil", properties)

    def login(self, account_id: str) -> None:
        self.user_id = account_id
        self._event("track", "Logged In", "/compte/connexion", "Connexion")
        if self.ctx.rng.random() < 0.3:
            self.identify()

    def identify(self) -> None:
        p, rng = self.person, self.ctx.rng
        if p is None:
            return
        traits: dict[str, str] = {}
        if rng.random() < 0.9:
            traits["email"] = messy_email(
                rng, p.email_at(self.ctx.timeline.local_day_index(self.ts))
            )
        if rng.random() < 0.4:
            traits["phone"] = format_phone(rng, p.mobile_at(0))
        if rng.random() < 0.7:
            traits["first_name"] = p.first
            traits["last_name"] = p.last
        self._event("identify", None, "/compte", "Mon compte", traits=traits)


def utm_for(source: str, medium: str, campaign: str, content: str | None = None) -> dict[str, str]:
    utm = {"source": source, "medium": medium, "name": campaign}
    if content:
        utm["content"] = content
    return utm


def browse(
    ctx: ChunkContext,
    p: Person,
    ts: int,
    utm: dict[str, str] | None = None,
    login: bool | None = None,
) -> WebSession:
    """A web visit by `p`: pages and products; logs in when asked (or at random)."""
    rng = ctx.rng
    cookie = p.cookie_at(ctx.timeline.local_day_index(ts))
    ua = _UA[(p.pid + len(cookie)) % len(_UA)] if rng.random() < 0.8 else rng.choice(_UA)
    s = WebSession(ctx, ts, cookie, p, None, utm, ua)
    if login is None:
        login = p.has_account and p.segment != "anonymous_browser" and rng.random() < 0.45
    s.page()
    if login:
        s.login(p.account_id)
    for _ in range(int(rng.expovariate(0.45))):
        r = rng.random()
        if r < 0.55:
            s.product(add=rng.random() < 0.2)
        elif r < 0.85:
            s.page()
        elif r < 0.9:
            s.track("Store Locator Used")
        elif r < 0.94:
            s.track(
                "Contact Form Submitted",
                {"form_topic": rng.choice(("commande", "retour", "fidélité", "other"))},
            )
        elif r < 0.97 and not login:
            s.track("Newsletter Subscribed")
        else:
            s.page()
    return s


def web_checkout(s: WebSession, order: Order) -> None:
    props = s.product(add=True)
    s.track("Checkout Started", {"currency": order.currency})
    s.track(
        "Order Completed",
        {
            "order_id": order.order_id,
            "revenue": float(order.total),
            "currency": order.currency,
            "product_id": props["product_id"],
        },
    )


def sign_up(s: WebSession, p: Person) -> None:
    s.user_id = p.account_id
    rng = s.ctx.rng
    traits = {"email": messy_email(rng, p.emails[0]), "first_name": p.first, "last_name": p.last}
    if rng.random() < 0.5:
        traits["phone"] = format_phone(rng, p.mobiles[0])
    s._event("track", "Signed Up", "/compte/inscription", "Inscription", traits=traits)


def bot_visit(ctx: ChunkContext, ts: int) -> None:
    rng = ctx.rng
    s = WebSession(ctx, ts, ctx.ids.uuid(), None, None, None, rng.choice(BOT_UA))
    for _ in range(rint(rng, 3, 25)):
        if rng.random() < 0.6:
            s.page()
        else:
            s.product(add=False)


def app_session(
    ctx: ChunkContext,
    p: Person,
    ts: int,
    order_id: str | None = None,
    push: str | None = None,
    login: bool | None = None,
) -> None:
    """An app session: open, screens, products; a purchase or a push open when given."""
    rng = ctx.rng
    device, platform, version = p.devices[int(rng.random() * len(p.devices))]
    logged = p.has_account and (login if login is not None else rng.random() < 0.75)
    user = p.account_id if logged else None

    def event(
        name: str,
        params: dict[str, Any] | None = None,
        order: str | None = None,
        campaign: str | None = None,
    ) -> None:
        nonlocal ts
        ts += rint(rng, 2, 120)
        row = {
            "event_id": ctx.ids.uuid(),
            "event_name": name,
            "event_timestamp": ts * 1_000_000 + int(rng.random() * 1_000_000),
            "device_id": device,
            "platform": platform,
            "app_version": version,
            "user_id": user,
            "order_id": order,
            "campaign_id": campaign,
            "params": json.dumps(params, ensure_ascii=False) if params else None,
        }
        ctx.emit("app/events", ts, row, p.person_id)

    if push:
        event("push_opened", {"title": "Offre"}, campaign=push)
    event("app_open", {"cold_start": rng.random() < 0.6})
    if p.has_account and not logged and rng.random() < 0.2:
        user = p.account_id
        event("login", {"method": rng.choice(("password", "apple", "google"))})
    for _ in range(int(rng.expovariate(0.5))):
        if rng.random() < 0.5:
            event(
                "screen_view",
                {"screen": rng.choice(("home", "search", "wishlist", "stores", "account"))},
            )
        else:
            sku = names.PRODUCTS[int(rng.random() * len(names.PRODUCTS))][0]
            event("product_view", {"sku": sku})
            if rng.random() < 0.15:
                event("add_to_cart", {"sku": sku, "quantity": 1})
    if order_id:
        if user is None and p.has_account:
            user = p.account_id
            event("login", {"method": "password"})
        event("purchase", {"items": rint(rng, 1, 4)}, order=order_id)


def push_received(ctx: ChunkContext, p: Person, ts: int, campaign_id: str) -> None:
    rng = ctx.rng
    device, platform, version = p.devices[0]
    row = {
        "event_id": ctx.ids.uuid(),
        "event_name": "push_received",
        "event_timestamp": ts * 1_000_000 + int(rng.random() * 1_000_000),
        "device_id": device,
        "platform": platform,
        "app_version": version,
        "user_id": p.account_id if p.has_account else None,
        "order_id": None,
        "campaign_id": campaign_id,
        "params": None,
    }
    ctx.emit("app/events", ts, row, p.person_id)
