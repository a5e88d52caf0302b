"""Identifiers: unique, deterministic and random-looking, derived from counters.

Each id is a bijective scramble of a counter, so ids never collide across customer chunks
(chunk ``c`` numbers its records from ``c * CHUNK_STRIDE``) and the same seed gives the same
ids. A counter beyond its format's modulus (the 100th chunk of mailings, 200,000 customers
on) keeps the scramble of its remainder and writes the quotient before it: one more digit,
still unique. Random 128-bit ids (web message ids, cookies, devices) come from the chunk's
RNG.
"""

from __future__ import annotations

import random

CHUNK_STRIDE = 10_000_000  # per-chunk counter space for every kind of record


def scramble(n: int, modulus: int, multiplier: int = 387_420_489, shift: int = 0) -> int:
    """A bijection of [0, modulus) (multiplier coprime to modulus), offset by `shift`."""
    return (n * multiplier + shift) % modulus


def account_id(pid: int) -> str:
    return str(3_000_000_000 + scramble(pid, 10**9, shift=12_345))


def member_id(pid: int) -> str:
    return f"M{scramble(pid, 10**8, shift=4_242):08d}"


def card_number(pid: int) -> str:
    """A 16-digit loyalty card, in groups of four (6034 1xxx xxxx xxxx)."""
    digits = f"60341{scramble(pid, 10**11, multiplier=94_143_178_827, shift=31_337):011d}"
    return " ".join(digits[i : i + 4] for i in range(0, 16, 4))


def subscriber_id(pid: int) -> str:
    return f"sub_{scramble(pid, 10**10, multiplier=3_486_784_401, shift=777):010d}"


def person_id(pid: int) -> str:
    return f"P{pid:07d}"


def household_id(hid: int) -> str:
    return f"H{hid:07d}"


class Counter:
    """Per-chunk numbering of one kind of record, formatted by a template."""

    def __init__(self, chunk: int, fmt: str, modulus: int, multiplier: int) -> None:
        self.next = chunk * CHUNK_STRIDE
        self.limit = self.next + CHUNK_STRIDE
        self.fmt, self.modulus, self.multiplier = fmt, modulus, multiplier

    def __call__(self) -> str:
        n = self.next
        self.next += 1
        if n >= self.limit:
            raise OverflowError("per-chunk id space exhausted")
        wraps, rest = divmod(n, self.modulus)
        scrambled = scramble(rest, self.modulus, self.multiplier, self.modulus // 7)
        return self.fmt.format(wraps * self.modulus + scrambled)


class Ids:
    """All record counters of one chunk."""

    def __init__(self, chunk: int, rng: random.Random) -> None:
        self.rng = rng
        self.order = Counter(chunk, "{:010d}", 10**10, 3_486_784_401)
        self.receipt = Counter(chunk, "R{:011d}", 10**11, 7_625_597_484_987)
        self.call = Counter(chunk, "CALL{:010d}", 10**10, 1_162_261_467)
        self.email_event = Counter(chunk, "ev_{:012d}", 10**12, 205_891_132_094_649)
        self.social = Counter(chunk, "{:015d}", 10**15, 150_094_635_296_999_121)
        self.mailing = Counter(chunk, "DM{:09d}", 10**9, 129_140_163)
        self._ticket = 100_000 + chunk * CHUNK_STRIDE

    def ticket(self) -> int:
        self._ticket += 1
        return self._ticket

    def uuid(self) -> str:
        h = f"{self.rng.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"
