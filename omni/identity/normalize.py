"""Pure normalisers for names, postal addresses and postcodes (French and English).

Every function takes raw text as channels deliver it (any case, accents, titles, punctuation,
abbreviations, missing values) and returns a canonical form in which two spellings of the same
thing are equal: ``Mme Hélène Côté`` and ``helene cote``, ``12 av. Victor-Hugo`` and
``12 avenue victor hugo``, ``h2x 1y4`` and ``H2X1Y4``. Missing values (None, NaN, blank)
become the empty string. The functions are cached and meant to be applied row by row with
pandas ``Series.map`` on up to millions of rows.

Street-type rule for ``st``: ``st`` (and ``st.``) is expanded to ``street`` when it is the
last word of the address or is followed by a number, a unit word or a compass point
(``12 main st apt 4``, ``7 king st w``),
and to ``saint`` otherwise (``rue st denis``, ``st-laurent``). ``ste`` always becomes
``sainte``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CACHE_SIZE = 1 << 18

# Letters that NFKD does not decompose into ASCII plus a combining mark.
_LIGATURES = str.maketrans(
    {
        "œ": "oe",
        "Œ": "OE",
        "æ": "ae",
        "Æ": "AE",
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "þ": "th",
    }
)
# Apostrophes glue elided particles to the next word in names (O'Brien, D'Amours): they are
# removed so that "O'Brien", "OBrien" and "O Brien" do not all differ; any other non
# alphanumeric character (hyphen, dot, comma, slash...) separates words.
_APOSTROPHES = re.compile("['\u2019`\u00b4]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")

NAME_TITLES = frozenset(
    {
        "m",
        "mme",
        "mmes",
        "mlle",
        "mlles",
        "mm",
        "madame",
        "mesdames",
        "monsieur",
        "messieurs",
        "mademoiselle",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "docteur",
        "doctor",
        "pr",
        "prof",
        "professeur",
        "professor",
        "me",
    }
)
# Words that start a family name ("Jean de la Fontaine", "Ludwig van Beethoven").
_SURNAME_PARTICLES = frozenset(
    {"de", "du", "des", "del", "della", "der", "la", "le", "van", "von", "da", "di", "dos", "st"}
)

ADDRESS_ABBREVIATIONS: dict[str, str] = {
    # French
    "av": "avenue",
    "ave": "avenue",
    "avn": "avenue",
    "boul": "boulevard",
    "boulv": "boulevard",
    "bd": "boulevard",
    "bld": "boulevard",
    "blvd": "boulevard",
    "ch": "chemin",
    "chem": "chemin",
    "imp": "impasse",
    "pl": "place",
    "rte": "route",
    "fbg": "faubourg",
    "sq": "square",
    "ste": "sainte",
    "app": "apartment",
    "appt": "apartment",
    "apt": "apartment",
    "apartement": "apartment",
    "appartement": "apartment",
    # English
    "rd": "road",
    "str": "street",
    "dr": "drive",
    "cres": "crescent",
    "cir": "circle",
    "ct": "court",
    "ln": "lane",
    "hwy": "highway",
    "pkwy": "parkway",
    "pky": "parkway",
    "ter": "terrace",
    "terr": "terrace",
    "mt": "mount",
    "ft": "fort",
    "unit": "apartment",
    "suite": "apartment",
}
# Words after which "st" is a street type, not "saint": a unit marker (12 main st apt 4) or
# a compass point (7 king st w).
_AFTER_STREET = frozenset(
    {"apt", "app", "appt", "apartment", "unit", "suite", "bureau"}
    | {"n", "s", "e", "w", "o", "ne", "nw", "se", "sw", "no", "so"}
    | {"north", "south", "east", "west", "nord", "sud", "est", "ouest"}
)


def _ascii_lower(text: str) -> str:
    """Lower-case ASCII letters and digits of ``text``: accents and ligatures folded."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
        text = text.encode("ascii", "ignore").decode("ascii")
    return text.lower()


def _words(text: object) -> list[str]:
    """The words of ``text`` once folded to lower-case ASCII; [] for a missing value."""
    if not isinstance(text, str):
        return []
    folded = _APOSTROPHES.sub("", _ascii_lower(text))
    return _NON_ALNUM.sub(" ", folded).split()


def _strip_titles(words: list[str]) -> list[str]:
    """Drop leading courtesy titles, keeping at least one word (``M`` alone is an initial)."""
    start = 0
    while start < len(words) - 1 and words[start] in NAME_TITLES:
        start += 1
    return words[start:]


@lru_cache(maxsize=_CACHE_SIZE)
def _normalize_name(text: str) -> str:
    return " ".join(_strip_titles(_words(text)))


def normalize_name(text: object) -> str:
    """Canonical person name: ASCII lower case, leading titles removed, one space between
    words (hyphens and punctuation split words): ``Mme Hélène Côté-Roy`` -> ``helene cote roy``.
    """
    if not isinstance(text, str):
        return ""
    return _normalize_name(text)


def split_full_name(text: object) -> tuple[str, str]:
    """Split a one-field name with a title (direct mail ``recipient_name``) into
    ``(first_name, last_name)``, title removed, spelling otherwise kept.

    The last name is the last word, extended leftwards over particles (``de la Fontaine``);
    a name written ``DUPONT Marie`` (leading word(s) in capitals, the rest not) has its
    family name first. A single word is taken as the last name.
    """
    if not isinstance(text, str):
        return "", ""
    raw = [w for w in re.split(r"[\s,]+", text.strip()) if w]
    keep = len(_strip_titles([" ".join(_words(w)) for w in raw]))
    raw = raw[len(raw) - keep :]
    if not raw:
        return "", ""
    if len(raw) == 1:
        return "", raw[0]
    capitals = [w.isupper() and sum(c.isalpha() for c in w) > 1 for w in raw]
    if capitals[0] and not all(capitals):
        split = capitals.index(False)
        return " ".join(raw[split:]), " ".join(raw[:split])
    start = len(raw) - 1
    while start > 1 and _ascii_lower(raw[start - 1]).strip(".") in _SURNAME_PARTICLES:
        start -= 1
    return " ".join(raw[:start]), " ".join(raw[start:])


def _expand_address_word(words: list[str], i: int) -> str:
    word = words[i]
    if word == "st":
        following = words[i + 1] if i + 1 < len(words) else None
        is_street = following is None or following.isdigit() or following in _AFTER_STREET
        return "street" if is_street else "saint"
    return ADDRESS_ABBREVIATIONS.get(word, word)


@lru_cache(maxsize=_CACHE_SIZE)
def _normalize_address(text: str) -> str:
    words = _words(text.replace("#", " apartment "))
    return " ".join(_expand_address_word(words, i) for i in range(len(words)))


def normalize_address(text: object) -> str:
    """Canonical street address: ASCII lower case, punctuation removed, numbers kept, street
    types and unit words spelled out in full in both languages (``av.`` -> ``avenue``,
    ``boul.``/``bd`` -> ``boulevard``, ``St`` -> ``street`` or ``saint``, ``rd`` -> ``road``,
    ``ch.`` -> ``chemin``, ``apt``/``app``/``#`` -> ``apartment``...).
    """
    if not isinstance(text, str):
        return ""
    return _normalize_address(text)


_POSTCODE_DIGITS = {"FR": 5, "US": 5, "DE": 5, "ES": 5, "IT": 5, "BE": 4, "CH": 4, "AU": 4}


@lru_cache(maxsize=_CACHE_SIZE)
def _normalize_postcode(text: str, country: str) -> str:
    code = re.sub(r"[^A-Z0-9]", "", _ascii_lower(text).upper())
    digits = _POSTCODE_DIGITS.get(country)
    if country == "US":
        # ZIP+4 (12345-6789) keeps its 5-digit ZIP; a ZIP read as a number lost its zeros.
        return code[:5].zfill(5) if code.isdigit() else code
    if digits is not None and code.isdigit() and len(code) < digits:
        return code.zfill(digits)
    return code


def normalize_postcode(text: object, country: object = None) -> str:
    """Canonical postcode: upper case, no spaces or dashes (``h2x 1y4`` -> ``H2X1Y4``);
    US ZIP+4 cut to the 5-digit ZIP; an all-digit code that lost its leading zeros in a
    spreadsheet gets them back (FR ``6000`` -> ``06000``). ``country`` is ISO alpha-2.
    """
    if isinstance(text, int):
        text = str(text)
    if not isinstance(text, str):
        return ""
    country_code = country.strip().upper() if isinstance(country, str) else ""
    return _normalize_postcode(text, country_code)
