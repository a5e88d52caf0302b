"""People and households of one customer chunk, with their identifiers and habits.

A person lives in a market (France, Québec, USA), belongs to a household (shared address,
sometimes a shared landline or family email), may change email or mobile during the year,
and has propensities for each channel. Identifiers are unique per person (derived from the
global person index) except what households deliberately share.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from omni.generate import ids, names
from omni.generate.calendar import Timeline
from omni.generate.quirks import email_local
from omni.generate.world import MARKETS, STORES

_MARKET_WEIGHTS = (("FR", 0.45), ("QC", 0.25), ("US", 0.30))
# segment -> probability; each segment sets which channels a person uses
_SEGMENTS = (
    ("store_only", 0.26),
    ("online_only", 0.22),
    ("omni", 0.27),
    ("anonymous_browser", 0.13),
    ("app_first", 0.07),
    ("dormant", 0.05),
)


@dataclass(slots=True)
class Person:
    pid: int
    person_id: str
    household_id: str
    market: str
    tz: str
    lang: str
    first: str
    last: str
    female: bool
    birth: str | None
    street_no: str
    street_type: tuple[str, str]
    street: str
    postcode: str
    city: str
    emails: list[str]
    email_change_day: int  # emails[1] is used from this day (if any)
    mobiles: list[str]  # E.164
    phone_change_day: int
    landline: str | None
    family_email: str | None
    segment: str
    activity: float  # multiplier of every activity rate
    web: bool = False
    app: bool = False
    store: bool = False
    online_buyer: bool = False
    subscriber: bool = False
    has_account: bool = False
    member: bool = False
    social_handle: str | None = None
    account_day: int = 0
    member_day: int = 0
    home_store: int = 0  # index in STORES
    cookies: list[tuple[str, int]] = field(default_factory=list)  # (anonymous_id, from day)
    devices: list[tuple[str, str, str]] = field(default_factory=list)  # id, platform, version

    @property
    def country(self) -> str:
        return MARKETS[self.market].country

    @property
    def currency(self) -> str:
        return MARKETS[self.market].currency

    @property
    def account_id(self) -> str:
        return ids.account_id(self.pid)

    @property
    def member_id(self) -> str:
        return ids.member_id(self.pid)

    @property
    def card(self) -> str:
        return ids.card_number(self.pid)

    def email_at(self, day: int) -> str:
        return (
            self.emails[1]
            if len(self.emails) > 1 and day >= self.email_change_day
            else self.emails[0]
        )

    def mobile_at(self, day: int) -> str:
        return (
            self.mobiles[1]
            if len(self.mobiles) > 1 and day >= self.phone_change_day
            else self.mobiles[0]
        )

    def cookie_at(self, day: int) -> str:
        current = self.cookies[0][0]
        for cookie, since in self.cookies:
            if since <= day:
                current = cookie
        return current


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    x = rng.random()
    for value, w in weighted:
        x -= w
        if x < 0:
            return value
    return weighted[-1][0]


def _phone(market: str, n: int, area: str) -> str:
    """A unique E.164 number derived from `n` (mobile or landline)."""
    if market == "FR":
        return f"+33{6 + n % 2}{ids.scramble(n, 10**8, 43_046_721):08d}"
    local = 2_000_000 + ids.scramble(n, 8_000_000, 7_625_597)
    return f"+1{area}{local}"


def make_people(rng: random.Random, timeline: Timeline, first_pid: int, count: int) -> list[Person]:
    """`count` persons numbered from `first_pid`, grouped in households."""
    people: list[Person] = []
    pid = first_pid
    while pid < first_pid + count:
        size = min(rng.choice((1, 1, 1, 1, 1, 2, 2, 2, 3, 4)), first_pid + count - pid)
        people.extend(_household(rng, timeline, pid, size))
        pid += size
    return people


def _household(rng: random.Random, timeline: Timeline, first: int, size: int) -> list[Person]:
    market = _pick(rng, _MARKET_WEIGHTS)
    hid = first  # a household is numbered after its first person
    last = rng.choice({"FR": names.FR_LAST, "QC": names.QC_LAST, "US": names.US_LAST}[market])
    if market == "FR":
        city, prefix, area = rng.choice(names.FR_CITIES)
        tz, postcode = (
            "Europe/Paris",
            f"{prefix}{rng.randrange(10 ** (5 - len(prefix))):0{5 - len(prefix)}d}",
        )
        street_type, street = rng.choice(names.FR_STREET_TYPES), rng.choice(names.FR_STREETS)
        domains = names.FR_DOMAINS
    elif market == "QC":
        city, prefix, area = rng.choice(names.QC_CITIES)
        tz = "America/Toronto"
        postcode = (
            f"{prefix}{rng.choice('ABCEGHJKLMNPRSTVXY')} {rng.randrange(10)}"
            f"{rng.choice('ABCEGHJKLMNPRSTVWXYZ')}{rng.randrange(10)}"
        )
        street_type, street = rng.choice(names.QC_STREET_TYPES), rng.choice(names.QC_STREETS)
        domains = names.QC_DOMAINS
    else:
        city, prefix, area, tz, _state = rng.choice(names.US_CITIES)
        postcode = f"{prefix}{rng.randrange(100):02d}"
        street_type, street = rng.choice(names.US_STREET_TYPES), rng.choice(names.US_STREETS)
        domains = names.US_DOMAINS
    street_no = str(rng.randint(1, 250 if market == "FR" else 9999))
    landline = (
        _phone(market, hid + 6_000_000, area) if rng.random() < (0.6 if size > 1 else 0.2) else None
    )
    if market == "FR" and landline:
        landline = f"+33{area}{ids.scramble(hid, 10**8, 43_046_721, 17):08d}"
    family_email = None
    if size > 1 and rng.random() < 0.25:
        family_email = (
            f"famille.{email_local(last)}{hid}@{rng.choice(domains)}"
            if market != "US"
            else f"the{email_local(last)}s{hid}@{rng.choice(domains)}"
        )
    stores = [i for i, s in enumerate(STORES) if s.market == market]
    home_store = rng.choice(stores)
    out = []
    for k in range(size):
        pid = first + k
        female = rng.random() < 0.55
        first_name = _first_name(rng, market, female)
        member_last = (
            last
            if k == 0 or rng.random() < 0.8
            else rng.choice({"FR": names.FR_LAST, "QC": names.QC_LAST, "US": names.US_LAST}[market])
        )
        year = rng.randint(1950, 2006) if k < 2 else rng.randint(2000, 2008)
        birth = (
            f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            if rng.random() < 0.8
            else None
        )
        local = _email_local(rng, first_name, member_last, pid)
        emails = [f"{local}@{rng.choice(domains)}"]
        if family_email and rng.random() < 0.6:
            emails[0] = family_email
        change = rng.randrange(timeline.days // 4, timeline.days - 3)
        if rng.random() < 0.1:
            emails.append(
                f"{_email_local(rng, first_name, member_last, pid + 7_000_000)}"
                f"@{rng.choice(domains)}"
            )
        mobiles = [_phone(market, pid, area)]
        if rng.random() < 0.06:
            mobiles.append(_phone(market, pid + 3_000_000, area))
        segment = _pick(rng, _SEGMENTS)
        p = Person(
            pid=pid,
            person_id=ids.person_id(pid),
            household_id=ids.household_id(hid),
            market=market,
            tz=tz,
            lang=MARKETS[market].lang if market != "QC" or rng.random() < 0.8 else "en",
            first=first_name,
            last=member_last,
            female=female,
            birth=birth,
            street_no=street_no,
            street_type=street_type,
            street=street,
            postcode=postcode,
            city=city,
            emails=emails,
            email_change_day=change,
            mobiles=mobiles,
            phone_change_day=rng.randrange(timeline.days // 4, timeline.days - 3),
            landline=landline,
            family_email=family_email,
            segment=segment,
            activity=min(rng.lognormvariate(0, 0.7), 6.0),
            home_store=home_store,
        )
        _habits(rng, timeline, p)
        out.append(p)
    return out


def _first_name(rng: random.Random, market: str, female: bool) -> str:
    if market == "FR":
        return rng.choice(names.FR_FIRST_F if female else names.FR_FIRST_M)
    if market == "QC":
        return rng.choice(names.QC_FIRST_F if female else names.QC_FIRST_M)
    return rng.choice(names.US_FIRST_F if female else names.US_FIRST_M)


def _email_local(rng: random.Random, first: str, last: str, n: int) -> str:
    f, la = email_local(first), email_local(last)
    style = rng.randrange(5)
    if style == 0:
        return f"{f}.{la}{n}"
    if style == 1:
        return f"{f[0]}{la}{n}"
    if style == 2:
        return f"{la}.{f}{n}"
    if style == 3:
        return f"{f}_{la}{n}"
    return f"{f}{n}"


def _habits(rng: random.Random, timeline: Timeline, p: Person) -> None:
    """Channels used, accounts, loyalty membership, cookies and devices."""
    seg = p.segment
    p.web = seg in ("online_only", "omni", "anonymous_browser") or rng.random() < 0.25
    p.app = seg == "app_first" or (seg in ("online_only", "omni") and rng.random() < 0.35)
    p.store = seg in ("store_only", "omni") or rng.random() < 0.1
    p.online_buyer = seg in ("online_only", "omni", "app_first")
    p.has_account = (p.online_buyer and rng.random() < 0.8) or (p.app and seg != "dormant")
    p.subscriber = seg != "anonymous_browser" and rng.random() < (0.75 if p.has_account else 0.35)
    p.member = (p.store and rng.random() < 0.55) or (seg == "omni" and rng.random() < 0.3)
    if rng.random() < 0.12:
        handle = f"{email_local(p.first)}_{email_local(p.last)[:4]}{p.pid % 997}"
        p.social_handle = handle
    p.account_day = rng.randrange(timeline.days) if rng.random() < 0.35 else 0
    p.member_day = rng.randrange(timeline.days) if rng.random() < 0.3 else 0
    ids_rng = rng
    if p.web:
        n_cookies = 1 + (rng.random() < 0.3) + (rng.random() < 0.1)
        days = sorted(rng.randrange(timeline.days) for _ in range(n_cookies - 1))
        p.cookies = [(f"{ids_rng.getrandbits(128):032x}", since) for since in [0, *days]]
    if p.app:
        n_devices = 1 + (rng.random() < 0.2)
        for _ in range(n_devices):
            platform = "ios" if rng.random() < 0.55 else "android"
            did = f"{ids_rng.getrandbits(128):032X}"
            device = f"{did[:8]}-{did[8:12]}-{did[12:16]}-{did[16:20]}-{did[20:]}"
            p.devices.append(
                (device, platform, rng.choice(("5.12.0", "5.13.1", "5.14.0", "5.14.2", "6.0.0")))
            )
