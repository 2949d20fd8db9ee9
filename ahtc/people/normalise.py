"""Identifiers as officers type them, turned into one canonical form each.

- CNIC: 13 digits (NNNNN-NNNNNNN-N on the card). A partial number (digits
  missing, written with ?, x or *) is kept as a pattern with ? for unknowns.
- Phone: E.164 (+923001234567) from any local form: 0300-1234567,
  0092 300 1234567, 300 1234567, +92-300-1234567, landlines with area codes.
- Passport: letters and digits, upper case, no spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

DEFAULT_REGION = "PK"
CNIC_LENGTH = 13
_UNKNOWN = set("?xX*_")


class IdentifierError(ValueError):
    pass


@dataclass(frozen=True)
class Normalised:
    value: str
    partial: bool = False


def _ascii_digits(raw: str) -> str:
    """Urdu/Arabic-Indic digits typed on phones become 0-9."""
    out = []
    for char in raw:
        if char.isdigit():
            out.append(str(int(char)))
        else:
            out.append(char)
    return "".join(out)


def cnic(raw: str) -> Normalised:
    text = _ascii_digits(raw.strip())
    if not text:
        raise IdentifierError("empty CNIC")
    if re.search(r"[^\d\s\-?xX*_]", text):
        raise IdentifierError("a CNIC has digits and dashes only")
    symbols = [c if c.isdigit() else "?" for c in text if c.isdigit() or c in _UNKNOWN]
    if len(symbols) > CNIC_LENGTH:
        raise IdentifierError("a CNIC has 13 digits")
    partial = len(symbols) < CNIC_LENGTH or "?" in symbols
    if partial and sum(c.isdigit() for c in symbols) < 5:
        raise IdentifierError("too few digits to be useful")
    return Normalised("".join(symbols), partial=partial)


def phone(raw: str, region: str = DEFAULT_REGION) -> Normalised:
    text = _ascii_digits(raw.strip())
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise IdentifierError("not a phone number") from exc
    if not phonenumbers.is_possible_number(number):
        raise IdentifierError("not a possible phone number")
    return Normalised(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def passport(raw: str) -> Normalised:
    value = re.sub(r"[\s\-]", "", raw).upper()
    if not re.fullmatch(r"[A-Z0-9]{5,20}", value):
        raise IdentifierError("a passport number has 5-20 letters and digits")
    return Normalised(value)


NORMALISERS = {"cnic": cnic, "phone": phone, "passport": passport}
