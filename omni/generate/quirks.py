"""The contract's identifier quirks: how people and staff actually type emails, phones, names.

Each function takes a clean value and the chunk's RNG and returns what a channel writes.
"""

from __future__ import annotations

import random
import unicodedata

PLACEHOLDER_EMAILS = ("noemail@store.com", "none@none.com", "a@a.com", "refus@client.fr")
PLACEHOLDER_PHONES = ("0000000000", "1111111111", "ANONYMOUS", "999-999-9999")
STAFF_CARD = "6034 0000 0000 0000"
GMAIL_TAGS = ("promo", "shop", "news", "maison", "soldes", "orders")


def strip_accents(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).replace("œ", "oe")


def email_local(text: str) -> str:
    """A name as it appears in an email address: no accents, no spaces, lower case."""
    return strip_accents(text).lower().replace(" ", "").replace("'", "")


def messy_email(rng: random.Random, email: str, rate: float = 0.25) -> str:
    """Case changes, spaces around, and Gmail dots or +tags (same mailbox), at `rate`."""
    if rng.random() >= rate:
        return email
    local, _, domain = email.partition("@")
    r = rng.random()
    if domain == "gmail.com" and r < 0.45:
        if r < 0.25:
            local = f"{local}+{rng.choice(GMAIL_TAGS)}"
        else:
            plain = local.replace(".", "")
            cut = rng.randrange(1, len(plain)) if len(plain) > 1 else 1
            local = f"{plain[:cut]}.{plain[cut:]}"
        out = f"{local}@{domain}"
    else:
        out = email
    r = rng.random()
    if r < 0.35:
        out = out.upper() if r < 0.1 else out[0].upper() + out[1:]
    elif r < 0.6:
        out = f" {out} " if r < 0.45 else f"{out} "
    return out


def format_phone(rng: random.Random, e164: str, style: int | None = None) -> str:
    """A phone number in one of the formats people and systems type.

    French numbers: ``+33 6 12 34 56 78``, ``06.12.34.56.78``, ``0612345678``,
    ``06 12 34 56 78``, ``+33612345678``. North American: ``(514) 555-0199``,
    ``514-555-0199``, ``+1 514 555 0199``, ``5145550199``, ``+15145550199``.
    """
    style = rng.randrange(5) if style is None else style
    if e164.startswith("+33"):
        national = "0" + e164[3:]
        pairs = [national[i : i + 2] for i in range(0, 10, 2)]
        if style == 0:
            return f"+33 {national[1]} " + " ".join(pairs[1:])
        if style == 1:
            return ".".join(pairs)
        if style == 2:
            return national
        if style == 3:
            return " ".join(pairs)
        return e164
    n = e164[2:]
    area, exchange, line = n[:3], n[3:6], n[6:]
    if style == 0:
        return f"({area}) {exchange}-{line}"
    if style == 1:
        return f"{area}-{exchange}-{line}"
    if style == 2:
        return f"+1 {area} {exchange} {line}"
    if style == 3:
        return n
    return e164


def typed_card(rng: random.Random, card: str) -> str:
    """A loyalty card as a cashier or a scanner writes it: with or without spaces."""
    return card if rng.random() < 0.55 else card.replace(" ", "")


def mistyped_member_id(rng: random.Random, member: str) -> str:
    """An agent's typo: one digit changed or two swapped, or the prefix dropped."""
    digits = list(member[1:])
    r = rng.random()
    if r < 0.4:
        i = rng.randrange(len(digits))
        digits[i] = str((int(digits[i]) + rng.randint(1, 9)) % 10)
    elif r < 0.8:
        i = rng.randrange(len(digits) - 1)
        digits[i], digits[i + 1] = digits[i + 1], digits[i]
    else:
        return "".join(digits)
    return "M" + "".join(digits)


def name_variant(rng: random.Random, first: str, last: str, rate: float = 0.12) -> tuple[str, str]:
    """Names losing their accents, in capitals, or swapped first/last, at `rate`."""
    if rng.random() >= rate:
        return first, last
    r = rng.random()
    if r < 0.45:
        return strip_accents(first), strip_accents(last)
    if r < 0.7:
        return last, first
    if r < 0.85:
        return first.upper(), last.upper()
    return first, last.upper()


def address_variant(
    rng: random.Random, number: str, street_type: tuple[str, str], street: str, rate: float = 0.35
) -> str:
    """An address line with the street type spelled out or abbreviated."""
    long_form, short = street_type
    kind = short if rng.random() < rate else long_form
    if kind[0].isupper():  # US style: "12 Oak Street"
        return f"{number} {street} {kind}"
    return f"{number} {kind} {street}"
