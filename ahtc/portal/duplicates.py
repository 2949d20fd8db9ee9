"""Possible duplicates of a report, shown on triage.

Signals: the same phone number or name in "who is involved" (compared as keyed
hashes, since the text is encrypted), or the same category in the same
district within two weeks. The officer decides; nothing is merged here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.dispatch import Signal
from django.utils.translation import gettext as _

from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.core.hashing import keyed_hex
from ahtc.portal.models import IndicatorKind, Tip, TipIndicator
from ahtc.portal.selectors import tips_for_user

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
# A value shared by more than this many other reports in the user's districts
# (a common name, a helpline number) says nothing about one matter: it counts
# for nothing, else every report would look like a duplicate of every other.
COMMON_VALUE_LIMIT = 50
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
        [
            TipIndicator(tip=tip, kind=kind, value_hash=value, district_id=tip.district_id)
            for kind, value in rows
        ],
        ignore_conflicts=True,
    )
    phones = {value for kind, value in rows if kind == IndicatorKind.PHONE.value}
    if phones:
        indicators_recorded.send(sender=Tip, tip=tip, hashes=phones)


@dataclass
class Candidate:
    tip: Tip
    reasons: list[str]


def _scope(user: Any) -> tuple[QuerySet[Tip], QuerySet[TipIndicator]]:
    """The reports the user may triage and their indicator rows: the rule of
    `tips_for_user`, applied to the district each indicator row carries."""
    rule = user_scope(user).q(Perm.TRIAGE_TIPS, "district__path")
    return tips_for_user(user), TipIndicator.objects.filter(rule)


def _rare_hashes(tip: Tip, indicators: QuerySet[TipIndicator]) -> list[str]:
    """The report's hashes shared by at most COMMON_VALUE_LIMIT other reports
    in scope. "More than the limit" is an EXISTS at that offset, so the
    database stops reading at limit + 1 index entries however common a value
    is, and reads no report rows (the district is on the indicator row)."""
    beyond = indicators.filter(value_hash=OuterRef("value_hash")).exclude(tip_id=tip.pk)
    crowded = Exists(beyond[COMMON_VALUE_LIMIT : COMMON_VALUE_LIMIT + 1])
    mine = tip.indicators.annotate(common=crowded).filter(common=False)
    return list(mine.values_list("value_hash", flat=True))


def _shares(tip: Tip, hashes: list[str], kind: str | None = None) -> QuerySet[TipIndicator]:
    rows = TipIndicator.objects.filter(tip=OuterRef("pk"), value_hash__in=hashes)
    return rows.filter(kind=kind) if kind else rows


def _ranked(
    tip: Tip, within: QuerySet[Tip], indicators: QuerySet[TipIndicator], hashes: list[str]
) -> QuerySet[Tip]:
    """Reports in scope sharing a rare hash or of the same kind nearby, scored
    in the database: the weights of shared hashes, plus one for nearby. The
    candidates are a UNION of two indexed lookups, not an OR over the reports."""
    weight = Case(
        *(When(kind=kind, then=Value(w)) for kind, w in WEIGHTS.items()),
        default=Value(0),
    )
    shared_score = _shares(tip, hashes).values("tip").annotate(s=Sum(weight)).values("s")
    near = Q(
        district_id=tip.district_id,
        category=tip.category,
        created_at__range=(tip.created_at - NEARBY, tip.created_at + NEARBY),
    )
    sharing = indicators.filter(value_hash__in=hashes).order_by().values("tip_id")
    candidates = sharing.union(Tip.objects.filter(near).order_by().values("pk"))
    return (
        within.filter(pk__in=candidates)
        .exclude(pk=tip.pk)
        .annotate(
            shared_score=Coalesce(Subquery(shared_score), Value(0)),
            is_near=Case(When(near, then=Value(1)), default=Value(0)),
            same_phone=Exists(_shares(tip, hashes, IndicatorKind.PHONE.value)),
            same_name=Exists(_shares(tip, hashes, IndicatorKind.NAME.value)),
        )
        .annotate(score=F("shared_score") + F("is_near"))
        .select_related("district")
        .order_by("-score", "-pk")
    )


def possible_duplicates(tip: Tip, user: Any, limit: int = 5) -> list[Candidate]:
    """Other reports the user may triage that look like the same matter.

    Ranked only among the reports in the user's districts, so a small
    district's matches are never pushed out by stronger ones elsewhere; two
    queries at any size."""
    labels = {  # translated once per value, not per row
        "same_phone": str(IndicatorKind.PHONE.label),
        "same_name": str(IndicatorKind.NAME.label),
        "is_near": _("same kind, same district, within two weeks"),
    }
    within, indicators = _scope(user)
    found = []
    for other in _ranked(tip, within, indicators, _rare_hashes(tip, indicators))[:limit]:
        reasons = sorted(label for name, label in labels.items() if getattr(other, name))
        found.append(Candidate(other, reasons))
    return found
