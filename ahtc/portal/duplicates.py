"""Possible duplicates of a report, shown on triage.

Signals: the same phone number or name in "who is involved" (compared as keyed
hashes, since the text is encrypted), or the same category in the same
district within two weeks. The officer decides; nothing is merged here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.dispatch import Signal
from django.utils.translation import gettext as _

from ahtc.core.hashing import keyed_hex
from ahtc.portal.models import IndicatorKind, Tip, TipIndicator

PHONE_RE = re.compile(r"(?:\+|00)?[\d][\d\s-]{8,15}\d")
WORD_RE = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
STOPWORDS = {
    "agent",
    "agency",
    "travel",
    "travels",
    "name",
    "phone",
    "number",
    "from",
    "with",
    "called",
    "that",
    "this",
    "they",
    "there",
    "ایجنٹ",
    "ایجنسی",
    "نام",
    "نمبر",
}
NEARBY = dt.timedelta(days=14)
# A shared phone number says more than a shared word; both more than timing.
WEIGHTS = {IndicatorKind.PHONE.value: 5, IndicatorKind.NAME.value: 2}


def normalise_phone(raw: str) -> str | None:
    """Pakistani numbers in any local form -> 03XXXXXXXXX; others: digits only."""
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("0092"):
        digits = "0" + digits[4:]
    elif digits.startswith("92") and len(digits) == 12:
        digits = "0" + digits[2:]
    elif digits.startswith("3") and len(digits) == 10:
        digits = "0" + digits
    return digits if 10 <= len(digits) <= 15 else None


def _hash(kind: str, value: str) -> str:
    return keyed_hex(key=settings.AHTC_RECEIPT_KEY, purpose=f"indicator:{kind}", value=value)


def indicators_from(text: str) -> set[tuple[str, str]]:
    found = set()
    for match in PHONE_RE.findall(text):
        phone = normalise_phone(match)
        if phone:
            found.add((IndicatorKind.PHONE.value, _hash("phone", phone)))
    for word in WORD_RE.findall(PHONE_RE.sub(" ", text).casefold()):
        if word not in STOPWORDS:
            found.add((IndicatorKind.NAME.value, _hash("name", word)))
    return found


# Sent after a report's indicators are stored, with the phone hashes, so other
# apps (victim protection) can match them without reading the report.
indicators_recorded = Signal()


def indicators_record(tip: Tip) -> None:
    rows = indicators_from(f"{tip.involved}\n{tip.contact}")
    TipIndicator.objects.bulk_create(
        [TipIndicator(tip=tip, kind=kind, value_hash=value) for kind, value in rows],
        ignore_conflicts=True,
    )
    phones = {value for kind, value in rows if kind == IndicatorKind.PHONE.value}
    if phones:
        indicators_recorded.send(sender=Tip, tip=tip, hashes=phones)


@dataclass
class Candidate:
    tip: Tip
    reasons: list[str]


def possible_duplicates(tip: Tip, within: Any, limit: int = 5) -> list[Candidate]:
    """Other reports the user may see (`within`) that look like the same matter."""
    reasons: dict[int, set[str]] = defaultdict(set)
    score: dict[int, int] = defaultdict(int)
    mine = tip.indicators.values_list("value_hash", flat=True)
    shared = TipIndicator.objects.filter(value_hash__in=mine).exclude(tip=tip)
    for other_id, kind in shared.values_list("tip_id", "kind"):
        reasons[other_id].add(str(IndicatorKind(kind).label))
        score[other_id] += WEIGHTS[kind]
    near = within.filter(
        district=tip.district,
        category=tip.category,
        created_at__range=(tip.created_at - NEARBY, tip.created_at + NEARBY),
    ).exclude(pk=tip.pk)
    for other_id in near.values_list("pk", flat=True)[:50]:
        reasons[other_id].add(_("same kind, same district, within two weeks"))
        score[other_id] += 1
    ranked = sorted(reasons, key=lambda pk: (-score[pk], -pk))
    visible = within.filter(pk__in=ranked[: limit * 4]).select_related("district")
    by_id = {t.pk: t for t in visible}
    found = [Candidate(by_id[pk], sorted(reasons[pk])) for pk in ranked if pk in by_id]
    return found[:limit]
