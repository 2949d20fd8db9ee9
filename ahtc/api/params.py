"""Query parameters read strictly: ASCII digits only.

`str.isdigit()` is true for "²" and other Unicode digits that `int()` then
refuses (a 500); `int()` itself accepts "٣" and " 3 ". A parameter is either
what the schema says or a 400 with the field named.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

DIGITS = re.compile(r"[0-9]{1,9}")


def int_param(raw: str, name: str, *, minimum: int = 0, maximum: int = 999_999_999) -> int:
    if not DIGITS.fullmatch(raw) or not minimum <= int(raw) <= maximum:
        raise ValidationError(
            {
                name: [
                    _("Give a whole number from %(low)d to %(high)d.")
                    % {"low": minimum, "high": maximum}
                ]
            }
        )
    return int(raw)
