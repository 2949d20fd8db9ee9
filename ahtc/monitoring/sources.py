"""One query per active indicator, over the real records (never identities).

A source says which rows an indicator counts, which date places a row in a
period, which district (and tehsil, where recorded) the row is filed under, and
which field gives each breakdown. `compute.py` turns that into one grouped
query. Records count for the area they were filed under, as it was: a report
filed under a district before a split stays that district's (docs/areas.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from ahtc.monitoring.periods import Period

QueryFactory = Callable[[], QuerySet[Any]]
# Conditions take the period (None when aggregates.py stores every month).
PeriodQ = Callable[[Any], Q]


@dataclass(frozen=True)
class Rows:
    """Countable rows: each counts once (distinct primary key)."""

    query: QueryFactory
    when: str  # a date or datetime field (or annotation) placing the row in a period
    district: str  # path to the district the row is filed under
    tehsil: str = ""  # path to the tehsil, where the record has one
    dims: dict[str, str] = field(default_factory=dict)
    also: PeriodQ | None = None  # further conditions, in the same filter() as `when`


@dataclass(frozen=True)
class Rate:
    """Percentage of `base` rows that also satisfy `hit`."""

    base: Rows
    hit: PeriodQ


@dataclass(frozen=True)
class Durations:
    """Median days from `start` to `end` over `rows` (`rows.when` is the end)."""

    rows: Rows
    start: tuple[str, ...]  # first non-empty of these fields is the start
    end: str


@dataclass(frozen=True)
class PerPopulation:
    rows: Rows


Source = Rows | Rate | Durations | PerPopulation


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value)
    return value if isinstance(value, dt.date) else None


# --- portal ----------------------------------------------------------------------------------


def _tips() -> QuerySet[Any]:
    from ahtc.portal.models import Tip

    return Tip.objects.all()


TIP_ROWS = Rows(
    _tips,
    "created_at",
    "district",
    "tehsil",
    {"channel": "channel", "category": "category"},
)


def _service_levels() -> list[tuple[Q, dt.timedelta, dt.timedelta]]:
    """(district filter, urgent, normal) per group of districts with the same
    service levels; districts not onboarded keep the defaults (staff_views)."""
    from ahtc.onboarding.selectors import service_levels
    from ahtc.portal.staff_views import SLA_NORMAL, SLA_URGENT

    groups: dict[tuple[dt.timedelta, dt.timedelta], list[int]] = {}
    for district_id, levels in service_levels().items():
        groups.setdefault(levels, []).append(district_id)
    onboarded = [pk for ids in groups.values() for pk in ids]
    rows = [(~Q(district_id__in=onboarded), SLA_URGENT, SLA_NORMAL)]
    rows += [(Q(district_id__in=ids), u, n) for (u, n), ids in groups.items()]
    return rows


def _within(urgent: dt.timedelta, normal: dt.timedelta, field_q: Callable[[dt.timedelta], Q]) -> Q:
    from ahtc.portal.models import URGENT

    return (URGENT & field_q(urgent)) | (~URGENT & field_q(normal))


def acknowledged_in_time(_period: Period) -> Q:
    """Acknowledged no later than received + the district's level (staff_views.sla_due)."""
    query = Q(pk__in=[])
    for districts, urgent, normal in _service_levels():
        query |= districts & _within(
            urgent, normal, lambda d: Q(acknowledged_at__lte=F("created_at") + d)
        )
    return query


def acknowledgement_due(_period: Period) -> Q:
    """Acknowledged, or past its time: a report still inside its time is not yet judged."""
    now = timezone.now()
    late = Q(pk__in=[])
    for districts, urgent, normal in _service_levels():
        late |= districts & _within(urgent, normal, lambda d: Q(created_at__lt=now - d))
    return Q(acknowledged_at__isnull=False) | late


# --- cases -----------------------------------------------------------------------------------


def _first_fir() -> Subquery:
    from ahtc.cases.models import Fir

    return Subquery(Fir.objects.filter(case=OuterRef("pk")).order_by("date").values("date")[:1])


def _cases() -> QuerySet[Any]:
    from ahtc.cases.models import Case as CaseModel

    return CaseModel.objects.all()


def _cases_with_dates() -> QuerySet[Any]:
    from ahtc.cases.models import Case as CaseModel
    from ahtc.cases.models import Verdict

    first_verdict = Verdict.objects.filter(party__case=OuterRef("pk")).order_by("date")
    return CaseModel.objects.annotate(
        first_fir=_first_fir(), first_verdict=Subquery(first_verdict.values("date")[:1])
    )


def _firs() -> QuerySet[Any]:
    from ahtc.cases.models import Fir

    return Fir.objects.all()


def _arrests() -> QuerySet[Any]:
    from ahtc.cases.models import Arrest

    return Arrest.objects.all()


def _challans() -> QuerySet[Any]:
    from ahtc.cases.models import Case as CaseModel

    return CaseModel.objects.all()


def _accused() -> QuerySet[Any]:
    from ahtc.cases.models import Party

    return Party.objects.all()


def _verdict_in(period: Period, outcome: str) -> Exists:
    from ahtc.cases.models import Verdict

    return Exists(
        Verdict.objects.filter(
            party=OuterRef("pk"), outcome=outcome, date__gte=period.start, date__lt=period.end
        )
    )


def _convicted(period: Period) -> Q:
    return Q(_verdict_in(period, "convicted"))


def _acquitted_only(period: Period) -> Q:
    return Q(verdicts__outcome="acquitted") & ~Q(_verdict_in(period, "convicted"))


ACCUSED = {"sex": "person__sex"}


# --- victims ---------------------------------------------------------------------------------


def _records() -> QuerySet[Any]:
    from ahtc.victims.models import ProtectionRecord, TraffickingStatus

    age_group = Case(
        When(child=True, then=Value("child")), default=Value("adult"), output_field=CharField()
    )
    return ProtectionRecord.objects.exclude(
        trafficking_status=TraffickingStatus.NOT_A_VICTIM
    ).annotate(age_group=age_group)


def _referrals() -> QuerySet[Any]:
    from ahtc.victims.models import Referral

    return Referral.objects.all()


def _follow_ups() -> QuerySet[Any]:
    from ahtc.victims.models import FollowUp

    return FollowUp.objects.all()


def _alerts() -> QuerySet[Any]:
    from ahtc.victims.models import ReappearanceAlert

    return ReappearanceAlert.objects.all()


VICTIM_ROWS = Rows(
    _records,
    "created_at",
    "district",
    dims={"sex": "person__sex", "age_group": "age_group", "exploitation": "exploitation"},
)


def _follow_up_counted(_period: Period) -> Q:
    return Q(due__lt=timezone.localdate()) | Q(done_on__isnull=False)


# --- labour ----------------------------------------------------------------------------------


def _findings() -> QuerySet[Any]:
    from ahtc.labour.models import ChildLabourFinding

    return ChildLabourFinding.objects.all()


def _enrolled_after_withdrawal(_period: Period) -> Q:
    return Q(withdrawn=True)


CHILD = {"sex": "person__sex"}


def _kilns() -> QuerySet[Any]:
    """Kilns, each counted once however many times it was inspected in the period
    (`when` goes through the inspections)."""
    from ahtc.labour.models import BrickKiln

    return BrickKiln.objects.all()


def _agencies() -> QuerySet[Any]:
    """Travel agencies, each counted once however often inspected in the period."""
    from ahtc.agencies.models import Agency

    return Agency.objects.all()


def _agency_notices() -> QuerySet[Any]:
    from ahtc.agencies.models import Notice

    return Notice.objects.all()


def _eobi_enrolments() -> QuerySet[Any]:
    from ahtc.labour.models import SchemeEnrolment

    return SchemeEnrolment.objects.filter(scheme__code="eobi")


def _labour() -> Any:
    """The labour rules live in the labour app (`labour/indicators.py`), imported
    when a value is computed, like the models above."""
    from ahtc.labour import indicators

    return indicators


KILN_WAGES = Rows(
    lambda: _labour().kilns(),
    "wages__observed_on",
    "district",
    "tehsil",
    also=lambda period: _labour().wage_against_a_rate(period),
)
SIX_MONTH_MARKS = Rows(
    lambda: _labour().six_month_marks(), "six_months_on", "district", "tehsil", CHILD
)


SOURCES: dict[str, Source] = {
    "reports_received": TIP_ROWS,
    "reports_acknowledged_in_time": Rate(
        Rows(_tips, "created_at", "district", "tehsil", TIP_ROWS.dims, acknowledgement_due),
        acknowledged_in_time,
    ),
    "cases_opened": Rows(
        _cases, "created_at", "district", dims={"classification": "classification"}
    ),
    "firs_registered": Rows(_firs, "date", "case__district"),
    "arrests": Rows(_arrests, "date", "party__case__district", dims={"sex": "party__person__sex"}),
    "challans_submitted": Rows(
        _challans,
        "status_changes__at",
        "district",
        also=lambda _p: Q(status_changes__to_status="challan_submitted"),
    ),
    "accused_convicted": Rows(
        _accused,
        "verdicts__date",
        "case__district",
        dims=ACCUSED,
        also=lambda _p: Q(verdicts__outcome="convicted"),
    ),
    "accused_acquitted": Rows(
        _accused, "verdicts__date", "case__district", dims=ACCUSED, also=_acquitted_only
    ),
    "conviction_rate": Rate(
        Rows(
            _accused,
            "verdicts__date",
            "case__district",
            dims=ACCUSED,
            also=lambda _p: Q(verdicts__outcome__in=["convicted", "acquitted"]),
        ),
        _convicted,
    ),
    "median_days_report_to_fir": Durations(
        Rows(_cases_with_dates, "first_fir", "district", dims={"classification": "classification"}),
        ("tip__created_at", "created_at"),
        "first_fir",
    ),
    "median_days_fir_to_verdict": Durations(
        Rows(
            _cases_with_dates,
            "first_verdict",
            "district",
            dims={"classification": "classification"},
        ),
        ("first_fir",),
        "first_verdict",
    ),
    "victims_identified": VICTIM_ROWS,
    "sdg_16_2_2": PerPopulation(VICTIM_ROWS),
    "referrals_made": Rows(_referrals, "sent_at", "record__district", dims={"service": "service"}),
    "referrals_completed": Rows(
        _referrals, "delivered_on", "record__district", dims={"service": "service"}
    ),
    "median_days_to_service": Durations(
        Rows(_referrals, "delivered_on", "record__district", dims={"service": "service"}),
        ("sent_at",),
        "delivered_on",
    ),
    "follow_ups_on_time": Rate(
        Rows(_follow_ups, "due", "record__district", also=_follow_up_counted),
        lambda _p: Q(done_on__lte=F("due")),
    ),
    "seen_again_alerts": Rows(
        _alerts, "created_at", "record__district", dims={"alert_source": "source"}
    ),
    "children_withdrawn": Rows(_findings, "withdrawn_on", "district", "tehsil", CHILD),
    "kilns_inspected": Rows(_kilns, "inspections__inspected_on", "district", "tehsil"),
    "agencies_inspected": Rows(_agencies, "inspections__on", "district", "tehsil"),
    "agency_notices_served": Rows(
        _agency_notices, "served_on", "agency__district", "agency__tehsil"
    ),
    "workers_eobi_registered": Rows(_eobi_enrolments, "registered_on", "worker__district"),
    "children_enrolled": Rows(
        _findings, "enrolled_on", "district", "tehsil", CHILD, _enrolled_after_withdrawal
    ),
    "kilns_wage_compliant": Rate(KILN_WAGES, lambda p: _labour().last_wage_met_the_rate(p)),
    "advances_above_limit": Rows(
        lambda: _labour().advances_above(), "given_on", "worker__district"
    ),
    "children_attending_six_months": Rate(
        SIX_MONTH_MARKS, lambda p: _labour().attending_at_six_months(p)
    ),
}


def rows_of(source: Source) -> Rows:
    if isinstance(source, Rate):
        return source.base
    if isinstance(source, Durations | PerPopulation):
        return source.rows
    return source
