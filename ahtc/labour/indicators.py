"""The labour indicators, as query functions (aggregated in the database).

Each takes the path of an area (a district's, a division's, the province's:
records count for the area they were filed under, by path prefix) and a
period [start, end) or a day. Monitoring (`ahtc/monitoring`) reads these; the
survey page uses `survey_figures`. Definitions, in words, are in docs/labour.md.

The last part of this module gives monitoring's sources (`ahtc/monitoring/
sources.py`) their rows and conditions for the indicators of the catalogue
(wage-compliant share, advances above the limit, attending at six months),
so that the labour rules stay here and monitoring only counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from ahtc.labour.models import (
    EOBI,
    Advance,
    Attendance,
    AttendanceCheck,
    BrickKiln,
    ChildLabourFinding,
    EnrolmentStatus,
    Inspection,
    InspectionKind,
    Repayment,
    SchemeEnrolment,
    WageObservation,
    Worker,
)

SIX_MONTHS = dt.timedelta(days=182)
STILL_IN_SCHOOL = (Attendance.ATTENDING, Attendance.IRREGULAR)


@dataclass(frozen=True)
class Share:
    numerator: int
    denominator: int

    @property
    def percent(self) -> int | None:
        """Whole per cent, half up; None when there is nothing to divide by."""
        if not self.denominator:
            return None
        return (200 * self.numerator + self.denominator) // (2 * self.denominator)


def kilns_inspected(*, area_path: str, start: dt.date, end: dt.date) -> int:
    """Kilns with at least one inspection (survey, inspection or follow-up) in the period."""
    rows = Inspection.objects.filter(
        kiln__isnull=False,
        district__path__startswith=area_path,
        inspected_on__gte=start,
        inspected_on__lt=end,
    )
    return rows.values("kiln").distinct().count()


def wage_compliant_share(*, area_path: str, start: dt.date, end: dt.date) -> Share:
    """Of the kilns whose wages were seen in the period (against a notified
    rate), those whose last wage seen in the period met the rate of its day."""
    last = WageObservation.objects.filter(
        kiln=OuterRef("pk"), observed_on__gte=start, observed_on__lt=end, rate__isnull=False
    ).order_by("-observed_on", "-pk")
    kilns = (
        BrickKiln.objects.filter(district__path__startswith=area_path)
        .annotate(
            paid=Subquery(last.values("amount")[:1]), due=Subquery(last.values("rate__amount")[:1])
        )
        .filter(paid__isnull=False)
    )
    counted = kilns.aggregate(all=Count("pk"), met=Count("pk", filter=Q(paid__gte=F("due"))))
    return Share(counted["met"], counted["all"])


def workers_registered_eobi(*, area_path: str, start: dt.date, end: dt.date) -> int:
    """Workers registered with EOBI in the period (registered or card issued since)."""
    return SchemeEnrolment.objects.filter(
        scheme__code=EOBI,
        worker__district__path__startswith=area_path,
        status__in=(EnrolmentStatus.REGISTERED, EnrolmentStatus.CARD_ISSUED),
        registered_on__gte=start,
        registered_on__lt=end,
    ).count()


def advances_above_limit(*, area_path: str, start: dt.date, end: dt.date) -> int:
    """Advances given in the period that took the worker's debt above the legal limit."""
    return Advance.objects.filter(
        worker__district__path__startswith=area_path,
        given_on__gte=start,
        given_on__lt=end,
        above_limit=True,
    ).count()


def children_withdrawn(*, area_path: str, start: dt.date, end: dt.date) -> int:
    return ChildLabourFinding.objects.filter(
        district__path__startswith=area_path, withdrawn_on__gte=start, withdrawn_on__lt=end
    ).count()


def children_enrolled(*, area_path: str, start: dt.date, end: dt.date) -> int:
    return ChildLabourFinding.objects.filter(
        district__path__startswith=area_path, enrolled_on__gte=start, enrolled_on__lt=end
    ).count()


def still_attending_after_six_months(*, area_path: str, on: dt.date) -> Share:
    """Of the children enrolled at least six months before `on`, those whose
    last attendance check up to `on`, made six months or more after the
    enrolment, says they still attend. A child with no such check does not
    count as attending: unknown is not success."""
    last = AttendanceCheck.objects.filter(
        finding=OuterRef("pk"),
        checked_on__lte=on,
        checked_on__gte=F("finding__enrolled_on") + SIX_MONTHS,
    ).order_by("-checked_on", "-pk")
    enrolled = ChildLabourFinding.objects.filter(
        district__path__startswith=area_path, enrolled_on__lte=on - SIX_MONTHS
    ).annotate(last_status=Subquery(last.values("status")[:1]))
    counted = enrolled.aggregate(
        all=Count("pk"), still=Count("pk", filter=Q(last_status__in=STILL_IN_SCHOOL))
    )
    return Share(counted["still"], counted["all"])


@dataclass(frozen=True)
class SurveyFigures:
    kilns: int
    kilns_surveyed: int
    workers: int
    in_debt: Share
    unaware_of_minimum_wage: Share
    illiterate: Share
    without_contract: Share


def _owed_on_survey() -> tuple[Subquery, Subquery]:
    given = (
        Advance.objects.filter(worker=OuterRef("pk"), given_on__lte=OuterRef("recorded_on"))
        .values("worker")
        .annotate(t=Sum("amount"))
        .values("t")
    )
    paid = (
        Repayment.objects.filter(worker=OuterRef("pk"), paid_on__lte=OuterRef("recorded_on"))
        .values("worker")
        .annotate(t=Sum("amount"))
        .values("t")
    )
    return Subquery(given, output_field=IntegerField()), Subquery(paid, output_field=IntegerField())


def survey_figures(*, area_path: str) -> SurveyFigures:
    """The kiln survey's figures, computed from the records: workers at
    surveyed kilns, and of them how many owed an advance on the day they were
    recorded (debt bondage), did not know the minimum wage, could not read,
    had no written contract."""
    kilns = BrickKiln.objects.filter(district__path__startswith=area_path)
    surveyed = kilns.filter(inspections__kind=InspectionKind.SURVEY).distinct()
    given, paid = _owed_on_survey()
    workers = Worker.objects.filter(kiln__in=surveyed.values("pk")).annotate(
        owed=Coalesce(given, Value(0)) - Coalesce(paid, Value(0))
    )
    c = workers.aggregate(
        all=Count("pk"),
        debt=Count("pk", filter=Q(owed__gt=0)),
        unaware=Count("pk", filter=Q(knows_minimum_wage=False)),
        illiterate=Count("pk", filter=Q(literate=False)),
        no_contract=Count("pk", filter=Q(written_contract=False)),
    )
    return SurveyFigures(
        kilns=kilns.count(),
        kilns_surveyed=surveyed.count(),
        workers=c["all"],
        in_debt=Share(c["debt"], c["all"]),
        unaware_of_minimum_wage=Share(c["unaware"], c["all"]),
        illiterate=Share(c["illiterate"], c["all"]),
        without_contract=Share(c["no_contract"], c["all"]),
    )


# --- rows and conditions for monitoring's catalogue (ahtc/monitoring/sources.py) ------------


def kilns() -> QuerySet[BrickKiln]:
    """Kilns, each counted once however many wages were seen in the period."""
    return BrickKiln.objects.all()


def wage_against_a_rate(_period: Any) -> Q:
    """Goes with `when="wages__observed_on"`: a wage seen against a notified rate."""
    return Q(wages__rate__isnull=False)


def last_wage_met_the_rate(period: Any) -> Q:
    """The kiln's last wage seen in the period (against a rate) met the rate of its day."""
    last = (
        WageObservation.objects.filter(
            kiln=OuterRef(OuterRef("pk")),
            observed_on__gte=period.start,
            observed_on__lt=period.end,
            rate__isnull=False,
        )
        .order_by("-observed_on", "-pk")
        .values("pk")[:1]
    )
    met = WageObservation.objects.filter(pk=Subquery(last), amount__gte=F("rate__amount"))
    return Q(Exists(met))


def advances_above() -> QuerySet[Advance]:
    return Advance.objects.filter(above_limit=True)


def six_month_marks() -> QuerySet[ChildLabourFinding]:
    """Enrolled children, placed in a period by the day they reach six months
    in school (`six_months_on`), with what the first check made on or after
    that day says (`status_at_six_months`; none yet: not counted as attending)."""
    first = AttendanceCheck.objects.filter(
        finding=OuterRef("pk"), checked_on__gte=F("finding__enrolled_on") + SIX_MONTHS
    ).order_by("checked_on", "pk")
    return ChildLabourFinding.objects.filter(enrolled_on__isnull=False).annotate(
        six_months_on=ExpressionWrapper(F("enrolled_on") + SIX_MONTHS, output_field=DateField()),
        status_at_six_months=Subquery(first.values("status")[:1]),
    )


def attending_at_six_months(_period: Any) -> Q:
    return Q(status_at_six_months__in=STILL_IN_SCHOOL)
