"""The risk score of an agency, 0-100, and the reasons behind it.

The score orders the inspection list; every point has a reason shown beside
it. The formula (docs/agencies.md has the same table):

| reason                                               | points         |
|------------------------------------------------------|----------------|
| no licence on record (unregistered)                  | 40             |
| licences on record, none valid today (expired)       | 25             |
| failed inspections in the last 365 days              | 10 each, ≤ 30  |
| complaints: citizen reports linked to the agency     | 5 each, ≤ 25   |
| owners or staff who are suspects in cases            | 15 each, ≤ 30  |
| the agency named as broker / travel agent in cases   | 10 each, ≤ 20  |

The sum is capped at 100. A closed agency scores 0 for its licence (it does
not trade); everything else still counts. The score is computed in the
database (one query for a page of agencies), so the list can be ordered by it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ahtc.agencies.models import (
    CHECKLIST,
    Agency,
    AgencyParty,
    AgencyPerson,
    AgencyReport,
    AgencyStatus,
    Inspection,
    Licence,
)
from ahtc.cases.models import SUSPECT_ROLES

UNREGISTERED = 40
EXPIRED = 25
PER_FAILED, MAX_FAILED = 10, 30
PER_COMPLAINT, MAX_COMPLAINTS = 5, 25
PER_SUSPECT, MAX_SUSPECTS = 15, 30
PER_CASE, MAX_CASES = 10, 20
CAP = 100
FAILED_WINDOW_DAYS = 365


def _count(query: QuerySet[Any], field: str = "pk") -> Coalesce:
    counted = query.values("agency").annotate(n=Count(field, distinct=True)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _failed_q() -> Q:
    failed = Q(pk__in=[])
    for item in CHECKLIST:
        failed |= Q(**{item: False})
    return failed


def with_risk(rows: QuerySet[Agency], today: dt.date) -> QuerySet[Any]:
    """`rows` annotated with the counts behind the score and `risk`, the score."""
    agency = OuterRef("pk")
    valid = Licence.objects.filter(
        agency=agency, valid_from__lte=today, valid_to__gte=today
    ).filter(Q(cancelled_on__isnull=True) | Q(cancelled_on__gt=today))
    since = today - dt.timedelta(days=FAILED_WINDOW_DAYS)
    failed = Inspection.objects.filter(agency=agency, on__gte=since, on__lte=today).filter(
        _failed_q()
    )
    suspects = AgencyPerson.objects.filter(
        agency=agency, person__parties__role__in=[str(r) for r in SUSPECT_ROLES]
    )
    rows = rows.annotate(
        licence_any=Exists(Licence.objects.filter(agency=agency)),
        licence_valid=Exists(valid),
        failed_count=_count(failed),
        complaint_count=_count(AgencyReport.objects.filter(agency=agency)),
        suspect_count=_count(suspects, "person"),
        case_count=_count(AgencyParty.objects.filter(agency=agency), "party__case"),
    )
    trading = ~Q(status=AgencyStatus.CLOSED)
    licence_points = Case(
        When(trading & Q(licence_any=False), then=Value(UNREGISTERED)),
        When(trading & Q(licence_valid=False), then=Value(EXPIRED)),
        default=Value(0),
        output_field=IntegerField(),
    )
    total = (
        licence_points
        + Least("failed_count", Value(MAX_FAILED // PER_FAILED)) * PER_FAILED
        + Least("complaint_count", Value(MAX_COMPLAINTS // PER_COMPLAINT)) * PER_COMPLAINT
        + Least("suspect_count", Value(MAX_SUSPECTS // PER_SUSPECT)) * PER_SUSPECT
        + Least("case_count", Value(MAX_CASES // PER_CASE)) * PER_CASE
    )
    return rows.annotate(risk=Least(total, Value(CAP), output_field=IntegerField()))


@dataclass(frozen=True)
class Reason:
    points: int
    text: str | Promise


def risk_reasons(agency: Any) -> list[Reason]:
    """The reasons of an agency annotated by `with_risk`, largest first."""
    reasons: list[Reason] = []
    if agency.status != AgencyStatus.CLOSED and not agency.licence_any:
        reasons.append(Reason(UNREGISTERED, _("unregistered: no licence on record")))
    elif agency.status != AgencyStatus.CLOSED and not agency.licence_valid:
        reasons.append(Reason(EXPIRED, _("licence expired or cancelled")))
    counted = (
        (agency.failed_count, PER_FAILED, MAX_FAILED, _failed_text),
        (agency.complaint_count, PER_COMPLAINT, MAX_COMPLAINTS, _complaint_text),
        (agency.suspect_count, PER_SUSPECT, MAX_SUSPECTS, _suspect_text),
        (agency.case_count, PER_CASE, MAX_CASES, _case_text),
    )
    for count, per, most, text in counted:
        if count:
            reasons.append(Reason(min(count * per, most), text(count)))
    return sorted(reasons, key=lambda r: -r.points)


def _failed_text(n: int) -> str:
    return ngettext(
        "%(n)d failed inspection in the last year", "%(n)d failed inspections in the last year", n
    ) % {"n": n}


def _complaint_text(n: int) -> str:
    return ngettext("%(n)d complaint (citizen report)", "%(n)d complaints (citizen reports)", n) % {
        "n": n
    }


def _suspect_text(n: int) -> str:
    return ngettext(
        "%(n)d owner or member of staff is a suspect in a case",
        "%(n)d owners or members of staff are suspects in cases",
        n,
    ) % {"n": n}


def _case_text(n: int) -> str:
    return ngettext(
        "named as broker or travel agent in %(n)d case",
        "named as broker or travel agent in %(n)d cases",
        n,
    ) % {"n": n}
