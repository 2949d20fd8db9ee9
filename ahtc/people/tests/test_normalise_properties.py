"""Properties of the identifier normalisers, over any text Hypothesis can make:
they never raise anything but IdentifierError (a form error), and normalising
a normalised value changes nothing."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ahtc.people.normalise import IdentifierError, Normalised, cnic, passport, phone

# Fixed seed (derandomize), no example database on disk, no timing limits.
PROPERTIES = settings(derandomize=True, database=None, deadline=None, max_examples=400)

# Any text at all, and text made mostly of digits and digit look-alikes of every
# script (decimal digits, superscripts, fractions, Roman numerals) with the
# separators officers type, which reaches deeper into the normalisers.
DIGITISH = st.characters(categories=["Nd", "No", "Nl"]) | st.sampled_from("0123456789-+ ()?x*_")
INPUTS = st.text() | st.text(alphabet=DIGITISH, max_size=30)
URDU_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

NORMALISERS: dict[str, tuple[Callable[[str], Normalised], str]] = {
    "cnic": (cnic, r"[0-9?]{5,13}"),
    "phone": (phone, r"\+[0-9]{2,17}"),
    "passport": (passport, r"[A-Z0-9]{5,20}"),
}


def _normalised_or_none(normalise: Callable[[str], Normalised], raw: str) -> Normalised | None:
    try:
        return normalise(raw)
    except IdentifierError:
        return None  # the one refusal allowed; anything else fails the test


@pytest.mark.parametrize("kind", sorted(NORMALISERS))
@PROPERTIES
@given(raw=INPUTS)
def test_only_identifier_error_and_canonical_values(kind: str, raw: str) -> None:
    normalise, shape = NORMALISERS[kind]
    result = _normalised_or_none(normalise, raw)
    if result is not None:
        assert re.fullmatch(shape, result.value)


@pytest.mark.parametrize("kind", sorted(NORMALISERS))
@PROPERTIES
@given(raw=INPUTS)
def test_normalising_twice_changes_nothing(kind: str, raw: str) -> None:
    normalise, _shape = NORMALISERS[kind]
    once = _normalised_or_none(normalise, raw)
    if once is not None:
        assert normalise(once.value) == once


@PROPERTIES
@given(digits=st.text(alphabet="0123456789", min_size=13, max_size=13))
def test_a_cnic_in_urdu_digits_is_the_same_cnic(digits: str) -> None:
    typed = f"{digits[:5]}-{digits[5:12]}-{digits[12]}"
    assert cnic(typed.translate(URDU_DIGITS)) == cnic(typed) == Normalised(digits)
