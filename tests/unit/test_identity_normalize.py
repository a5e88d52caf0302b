"""The pure normalisers of omni.identity.normalize on hand-made French and English cases."""

from __future__ import annotations

import math

import pytest

from omni.identity.normalize import (
    normalize_address,
    normalize_name,
    normalize_postcode,
    split_full_name,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Marie Dupont", "marie dupont"),
        ("  DUPONT   Marie ", "dupont marie"),
        ("Hélène Côté", "helene cote"),
        ("Mme Hélène Côté", "helene cote"),
        ("M. Jean-Luc Tremblay", "jean luc tremblay"),
        ("Mlle Zoé Lefèvre", "zoe lefevre"),
        ("Madame Marie Dupont", "marie dupont"),
        ("Monsieur François Pérès", "francois peres"),
        ("Mr John Smith", "john smith"),
        ("Mrs. Jane Smith", "jane smith"),
        ("Ms Jane Smith", "jane smith"),
        ("Dr. Gregory House", "gregory house"),
        ("Mme Dr Marie Curie", "marie curie"),
        ("M", "m"),
        ("Jean M. Dupont", "jean m dupont"),
        ("O'Brien", "obrien"),
        ("Béatrice D\u2019Amours", "beatrice damours"),
        ("Cœur-de-Lion", "coeur de lion"),
        ("Æsa Strauß", "aesa strauss"),
        ("", ""),
        (None, ""),
        (math.nan, ""),
    ],
)
def test_normalize_name(raw: object, expected: str) -> None:
    assert normalize_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Mme Marie Dupont", ("Marie", "Dupont")),
        ("M. Jean-Luc Tremblay", ("Jean-Luc", "Tremblay")),
        ("Mme Hélène Côté", ("Hélène", "Côté")),
        ("Mr John Paul Smith", ("John Paul", "Smith")),
        ("M. Jean de la Fontaine", ("Jean", "de la Fontaine")),
        ("Mme DUPONT Marie", ("Marie", "DUPONT")),
        ("M. J. Tremblay", ("J.", "Tremblay")),
        ("Dupont", ("", "Dupont")),
        ("Mme", ("", "Mme")),
        ("", ("", "")),
        (None, ("", "")),
    ],
)
def test_split_full_name(raw: object, expected: tuple[str, str]) -> None:
    assert split_full_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12 av. Victor Hugo", "12 avenue victor hugo"),
        ("12 avenue Victor-Hugo", "12 avenue victor hugo"),
        ("12 Av Victor Hugo", "12 avenue victor hugo"),
        ("350 5th Ave", "350 5th avenue"),
        ("1 boul. René-Lévesque", "1 boulevard rene levesque"),
        ("1 boul René Lévesque", "1 boulevard rene levesque"),
        ("8 bd Haussmann", "8 boulevard haussmann"),
        ("100 Sunset Blvd", "100 sunset boulevard"),
        ("221B Baker St", "221b baker street"),
        ("221B Baker St.", "221b baker street"),
        ("12 Main St Apt 4", "12 main street apartment 4"),
        ("12 Main St 4", "12 main street 4"),
        ("4000 rue St-Denis", "4000 rue saint denis"),
        ("4000 rue St Denis", "4000 rue saint denis"),
        ("10 rue Ste-Catherine", "10 rue sainte catherine"),
        ("5 Abbey Rd", "5 abbey road"),
        ("45 ch. de la Côte-des-Neiges", "45 chemin de la cote des neiges"),
        ("3 Mulholland Dr", "3 mulholland drive"),
        ("7 rue de la Paix, app. 12", "7 rue de la paix apartment 12"),
        ("7 rue de la Paix, appt 12", "7 rue de la paix apartment 12"),
        ("7 King St W, apt 3", "7 king street w apartment 3"),
        ("7 King Street #3", "7 king street apartment 3"),
        ("15 Place Ville-Marie", "15 place ville marie"),
        ("  15   PLACE  ville marie ", "15 place ville marie"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_address(raw: object, expected: str) -> None:
    assert normalize_address(raw) == expected


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("H2X 1Y4", "CA", "H2X1Y4"),
        ("h2x1y4", "CA", "H2X1Y4"),
        (" h2x-1y4 ", "ca", "H2X1Y4"),
        ("75016", "FR", "75016"),
        ("75 016", "FR", "75016"),
        ("6000", "FR", "06000"),
        (6000, "FR", "06000"),
        ("10001", "US", "10001"),
        ("10001-1234", "US", "10001"),
        ("100011234", "US", "10001"),
        ("2134", "US", "02134"),
        ("sw1a 1aa", "GB", "SW1A1AA"),
        ("H2X 1Y4", None, "H2X1Y4"),
        ("", "FR", ""),
        (None, "FR", ""),
    ],
)
def test_normalize_postcode(raw: object, country: object, expected: str) -> None:
    assert normalize_postcode(raw, country) == expected
