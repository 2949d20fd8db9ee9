"""Identifiers as officers type them, turned into one canonical form each.

- CNIC: 13 digits (NNNNN-NNNNNNN-N on the card). A partial number (digits
  missing, written with ?, x or *) is kept as a pattern with ? for unknowns.
- Phone: E.164 (+923001234567) from any local form: 0300-1234567,
  0092 300 1234567, 300 1234567, +92-300-1234567, landlines with area codes.
- Passport: letters and digits, upper case, no spaces.

Digits may be typed in any script's decimal digits (Urdu/Arabic-Indic on
phones); other characters that only look like digits (², ①, ½) are refused.
Every refusal is an IdentifierError whose message is for the user.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from django.utils.translation import gettext as _

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
    """Decimal digits of any script (Urdu/Arabic-Indic typed on phones) become
    0-9. Other digit-like characters (superscripts, circled numbers) pass
    isdigit() but are no digit of a number: refused, never a crash."""
    out = []
    for char in raw:
        if char.isdecimal():
            out.append(str(unicodedata.decimal(char)))
        elif char.isnumeric():
            raise IdentifierError(
                _("“%(char)s” is not a digit: type the digits 0-9 (or ۰-۹).") % {"char": char}
            )
        else:
            out.append(char)
    return "".join(out)


def _ascii_digit(char: str) -> bool:
    return "0" <= char <= "9"


def cnic(raw: str) -> Normalised:
    text = _ascii_digits(raw.strip())
    if not text:
        raise IdentifierError(_("The CNIC is empty."))
    if re.search(r"[^0-9\s\-?xX*_]", text):
        raise IdentifierError(_("A CNIC has digits and dashes only."))
    symbols = [c if _ascii_digit(c) else "?" for c in text if _ascii_digit(c) or c in _UNKNOWN]
    if len(symbols) > CNIC_LENGTH:
        raise IdentifierError(_("A CNIC has 13 digits."))
    partial = len(symbols) < CNIC_LENGTH or "?" in symbols
    if partial and sum(_ascii_digit(c) for c in symbols) < 5:
        raise IdentifierError(_("Too few digits of the CNIC to be useful (at least 5)."))
    return Normalised("".join(symbols), partial=partial)


def phone(raw: str, region: str = DEFAULT_REGION) -> Normalised:
    text = _ascii_digits(raw.strip())
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise IdentifierError(_("This is not a phone number.")) from exc
    if not phonenumbers.is_possible_number(number):
        raise IdentifierError(_("This is not a possible phone number."))
    return Normalised(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def passport(raw: str) -> Normalised:
    value = re.sub(r"[\s\-]", "", raw).upper()
    if not re.fullmatch(r"[A-Z0-9]{5,20}", value):
        raise IdentifierError(_("A passport number has 5 to 20 letters and digits."))
    return Normalised(value)


NORMALISERS = {"cnic": cnic, "phone": phone, "passport": passport}
