"""Customer contacts: call-centre calls, help-desk tickets (with versions), social messages."""

from __future__ import annotations

from omni.generate import names
from omni.generate.calendar import iso_utc, rint
from omni.generate.context import ChunkContext
from omni.generate.people import Person
from omni.generate.quirks import format_phone, messy_email, mistyped_member_id, strip_accents

CENTRE_TZ = "America/Toronto"
DAY = 86400
_AGENTS = tuple(f"AG{n:03d}" for n in range(101, 141))


def call(
    ctx: ChunkContext,
    p: Person,
    ts: int,
    queue: str,
    disposition: str,
    order_ref: str | None = None,
    outbound: bool = False,
    campaign_id: str | None = None,
) -> None:
    """One call, inbound or outbound, in the centre's legacy export format."""
    rng, tl = ctx.rng, ctx.timeline
    day = tl.local_day_index(ts)
    number = p.landline if p.landline and rng.random() < 0.3 else p.mobile_at(day)
    presented = format_phone(rng, number, rng.choice((1, 3, 4)))
    if not outbound and rng.random() < 0.06:
        presented = "ANONYMOUS"
    member = ""
    if p.member and rng.random() < 0.5:
        member = mistyped_member_id(rng, p.member_id) if rng.random() < 0.12 else p.member_id
    answered = disposition not in ("NO_ANSWER", "VOICEMAIL", "ABANDONED")
    note = rng.choice(names.CALL_NOTES) if answered and rng.random() < 0.6 else ""
    if note and rng.random() < 0.1:
        note = f"{note}; rappeler {p.first} {p.last}"
    row = {
        "call_id": ctx.ids.call(),
        "direction": "OUT" if outbound else "IN",
        "caller_number": "" if outbound else presented,
        "called_number": presented if outbound else "",
        "started_at": tl.local_text(ts, CENTRE_TZ, dmy=True),
        "duration_sec": str(rint(rng, 60, 1500) if answered else rint(rng, 0, 40)),
        "queue": queue,
        "disposition": disposition,
        "member_id": member,
        "order_ref": order_ref or "",
        "agent_id": rng.choice(_AGENTS) if answered or outbound else "IVR",
        "campaign_id": campaign_id or "",
        "csat": str(rint(rng, 1, 5)) if answered and rng.random() < 0.3 else "",
        "notes": note,
    }
    ctx.emit("call_center/calls", ts, row, p.person_id, CENTRE_TZ)


def ticket(ctx: ChunkContext, p: Person, ts: int, kind: str, order_ref: str | None) -> None:
    """A help-desk ticket and its versions (new, open, pending, solved, closed)."""
    rng, tl = ctx.rng, ctx.timeline
    tid = ctx.ids.ticket()
    channel = rng.choice(("email", "email", "web_form", "chat", "social"))
    name = f"{p.first} {p.last}" if rng.random() < 0.85 else strip_accents(f"{p.first} {p.last}")
    requester = {
        "name": name,
        "email": messy_email(rng, p.email_at(tl.local_day_index(ts))),
        "phone": format_phone(rng, p.mobile_at(0)) if rng.random() < 0.3 else None,
    }
    priority = (
        "high"
        if kind == "complaint" and rng.random() < 0.4
        else rng.choice(
            ("low", "normal", "normal", "normal", "urgent" if kind == "incident" else "high")
        )
    )
    tags = [kind, p.market.lower()] + (["commande"] if order_ref else [])
    subject = rng.choice(names.TICKET_SUBJECTS[kind])
    path = ["new", "open"] + (["pending"] if rng.random() < 0.4 else []) + ["solved", "closed"]
    at = ts
    for status in path:
        if tl.local_day_index(at) > tl.days - 1:
            break
        score = "unoffered"
        if status in ("solved", "closed"):
            score = rng.choice(("good", "good", "bad", "offered"))
        row = {
            "id": tid,
            "created_at": iso_utc(ts),
            "updated_at": iso_utc(at),
            "channel": channel,
            "status": status,
            "priority": priority,
            "type": kind,
            "subject": subject,
            "requester": requester,
            "order_ref": order_ref,
            "satisfaction": {"score": score},
            "tags": tags,
        }
        ctx.emit("support/tickets", at, row, p.person_id)
        at += rint(rng, 600, 3 * DAY) if status != "solved" else rint(rng, DAY, 4 * DAY)


def social(
    ctx: ChunkContext,
    p: Person,
    ts: int,
    kind: str,
    campaign_id: str | None = None,
    order_ref: str | None = None,
) -> None:
    rng, tl = ctx.rng, ctx.timeline
    text = rng.choice(names.SOCIAL_TEXTS[kind])
    if "{ref}" in text:
        text = text.format(ref=order_ref or "")
    linked = kind == "direct_message" or rng.random() < 0.1
    row = {
        "id": ctx.ids.social(),
        "platform": rng.choice(
            (
                "facebook",
                "instagram",
                "instagram",
                "x",
                "linkedin",
                "youtube",
                "tiktok",
                "pinterest",
            )
        ),
        "handle": f"@{p.social_handle}",
        "interaction_type": kind,
        "text": text,
        "created_at": iso_utc(ts),
        "campaign_id": campaign_id,
        "rating": rint(rng, 1, 5) if kind == "review" else None,
        "linked_email": messy_email(rng, p.email_at(tl.local_day_index(ts)))
        if linked and rng.random() < 0.6
        else None,
        "linked_order_ref": order_ref if linked else None,
    }
    ctx.emit("social/interactions", ts, row, p.person_id)
