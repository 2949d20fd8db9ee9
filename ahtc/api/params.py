"""Query parameters read strictly: what the schema says, or a 400 naming the field.

`str.isdigit()` is true for "²" and other Unicode digits that `int()` then
refuses (a 500); `int()` itself accepts "٣" and " 3 ". A typed parameter
(number, date, choice, yes/no) given twice or given empty is refused too,
rather than silently ignored: a client's typo must not widen its answer
(the contract fuzzer, scripts/api_fuzz.sh, checks both).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

DIGITS = re.compile(r"[0-9]{1,9}")
BOOLEANS = {"true": True, "false": False, "1": True, "0": False}


def refuse(name: str, message: str) -> ValidationError:
    return ValidationError({name: [message]})


def int_param(raw: str, name: str, *, minimum: int = 0, maximum: int = 999_999_999) -> int:
    if not DIGITS.fullmatch(raw) or not minimum <= int(raw) <= maximum:
        raise refuse(
            name,
            _("Give a whole number from %(low)d to %(high)d.") % {"low": minimum, "high": maximum},
        )
    return int(raw)


def single(params: QueryDict, name: str) -> str | None:
    """The one value of a typed parameter, None when it is left out."""
    values = params.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise refuse(name, _("Give this parameter once."))
    if values[0] == "":
        raise refuse(name, _("Give a value, or leave the parameter out."))
    return values[0]


def int_query(params: QueryDict, name: str, *, minimum: int, maximum: int) -> int | None:
    raw = single(params, name)
    return None if raw is None else int_param(raw, name, minimum=minimum, maximum=maximum)


def date_query(params: QueryDict, name: str) -> dt.date | None:
    raw = single(params, name)
    if raw is None:
        return None
    # fromisoformat also takes "20250101" and week dates; the schema says YYYY-MM-DD.
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
        raise refuse(name, _("Give a date as YYYY-MM-DD."))
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise refuse(name, _("Give a date as YYYY-MM-DD.")) from None


def choice_query(params: QueryDict, name: str, choices: Iterable[str]) -> str | None:
    raw = single(params, name)
    allowed = list(choices)
    if raw is not None and raw not in allowed:
        raise refuse(name, _("Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)})
    return raw


def bool_query(params: QueryDict, name: str) -> bool | None:
    raw = single(params, name)
    if raw is not None and raw not in BOOLEANS:
        raise refuse(name, _("Give true or false."))
    return None if raw is None else BOOLEANS[raw]
