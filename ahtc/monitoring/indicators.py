"""The indicator catalogue, as data (STYLE.md §9).

Each entry says what is counted, over which records, how it may be broken
down, for which periods, and whether more is better. An active entry has one
query in `sources.py` under the same code; a pending one names the module that
will wire it and is never computed (the issue: "never faked").

`ahtc indicators sync` copies this table into `monitoring.Indicator` (targets
point at those rows); the Urdu names are the translations of the English ones
at the time of the sync. Adding an indicator: one entry here, one source in
`sources.py`, then `ahtc indicators sync` (docs/monitoring.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ahtc.cases.classification import Classification
from ahtc.monitoring.periods import PeriodKind
from ahtc.people.models import Sex
from ahtc.portal.models import Channel, TipCategory
from ahtc.victims.models import AlertSource, Exploitation, ServiceType

Text = str | Promise


class Measure(models.TextChoices):
    COUNT = "count", _("number")
    PERCENT = "percent", _("percentage")
    MEDIAN_DAYS = "median_days", _("median days")
    PER_100K = "per_100k", _("per 100,000 population")


class IndicatorStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    PENDING = "pending", _("pending")


@dataclass(frozen=True)
class Dimension:
    code: str
    label: Text
    choices: tuple[tuple[str, Text], ...]
    # A record may fall in several categories (a victim of two forms of
    # exploitation): the categories then add up to more than the total.
    multi: bool = False

    def label_of(self, value: str) -> Text:
        return dict(self.choices).get(value, value or _("not recorded"))


AGE_GROUPS: tuple[tuple[str, Text], ...] = (("child", _("child (under 18)")), ("adult", _("adult")))

DIMENSIONS: dict[str, Dimension] = {
    d.code: d
    for d in (
        Dimension("sex", _("sex"), tuple(Sex.choices)),
        Dimension("age_group", _("child or adult"), AGE_GROUPS),
        Dimension("exploitation", _("form of exploitation"), tuple(Exploitation.choices), True),
        Dimension("channel", _("channel"), tuple(Channel.choices)),
        Dimension("category", _("what was reported"), tuple(TipCategory.choices)),
        Dimension("classification", _("classification"), tuple(Classification.choices)),
        Dimension("service", _("service"), tuple(ServiceType.choices)),
        Dimension("alert_source", _("where the victim was seen"), tuple(AlertSource.choices)),
    )
}

ALL_PERIODS = tuple(PeriodKind.values)


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    name: Text
    numerator: Text
    denominator: Text = ""
    measure: str = Measure.COUNT
    disaggregations: tuple[str, ...] = ()
    period_kinds: tuple[str, ...] = ALL_PERIODS
    higher_is_better: bool = True
    status: str = IndicatorStatus.ACTIVE
    pending_note: Text = ""
    module: str = ""

    @property
    def is_active(self) -> bool:
        return self.status == IndicatorStatus.ACTIVE

    @property
    def definition(self) -> str:
        if not self.denominator:
            return str(self.numerator)
        return f"{self.numerator} / {self.denominator}"


def _pending(code: str, name: Text, numerator: Text, module: Text) -> IndicatorDef:
    return IndicatorDef(
        code=code,
        name=name,
        numerator=numerator,
        status=IndicatorStatus.PENDING,
        pending_note=module,
    )


CATALOGUE: tuple[IndicatorDef, ...] = (
    # --- reports (portal) ---------------------------------------------------------------
    IndicatorDef(
        "reports_received",
        _("Reports received"),
        _("Citizen reports received in the period (web, helpline, front desk)"),
        disaggregations=("channel", "category"),
        module="portal",
    ),
    IndicatorDef(
        "reports_acknowledged_in_time",
        _("Reports acknowledged within the service level"),
        _("Reports received in the period and acknowledged within their district's time"),
        _("reports received in the period whose time to acknowledge has run out"),
        measure=Measure.PERCENT,
        disaggregations=("channel", "category"),
        module="portal",
    ),
    # --- cases and proceedings -------------------------------------------------------------
    IndicatorDef(
        "cases_opened",
        _("Cases opened"),
        _("Cases opened in the period"),
        disaggregations=("classification",),
        module="cases",
    ),
    IndicatorDef(
        "firs_registered",
        _("FIRs registered"),
        _("FIRs dated in the period, of the district's cases"),
        module="cases",
    ),
    IndicatorDef(
        "arrests",
        _("Arrests"),
        _("Arrests of accused dated in the period"),
        disaggregations=("sex",),
        module="cases",
    ),
    IndicatorDef(
        "challans_submitted",
        _("Challans submitted"),
        _("Cases whose challan was submitted to court in the period"),
        module="cases",
    ),
    IndicatorDef(
        "accused_convicted",
        _("Accused convicted"),
        _("Accused with at least one conviction in a judgment dated in the period"),
        disaggregations=("sex",),
        module="cases",
    ),
    IndicatorDef(
        "accused_acquitted",
        _("Accused acquitted"),
        _("Accused acquitted in a judgment dated in the period and convicted of nothing in it"),
        disaggregations=("sex",),
        higher_is_better=False,
        module="cases",
    ),
    IndicatorDef(
        "conviction_rate",
        _("Conviction rate"),
        _("Accused convicted in the period"),
        _("accused convicted or acquitted in the period"),
        measure=Measure.PERCENT,
        disaggregations=("sex",),
        module="cases",
    ),
    IndicatorDef(
        "median_days_report_to_fir",
        _("Median days from report to FIR"),
        _(
            "Median days from the citizen report (or the opening of the case) to the "
            "case's first FIR, for cases whose first FIR is dated in the period"
        ),
        measure=Measure.MEDIAN_DAYS,
        disaggregations=("classification",),
        higher_is_better=False,
        module="cases",
    ),
    IndicatorDef(
        "median_days_fir_to_verdict",
        _("Median days from FIR to judgment"),
        _(
            "Median days from the case's first FIR to its first judgment, for cases "
            "whose first judgment is dated in the period"
        ),
        measure=Measure.MEDIAN_DAYS,
        disaggregations=("classification",),
        higher_is_better=False,
        module="cases",
    ),
    # --- victims ---------------------------------------------------------------------------
    IndicatorDef(
        "victims_identified",
        _("Victims identified"),
        _(
            "Protection records opened in the period for possible or actual victims "
            "(not those found not to be victims)"
        ),
        disaggregations=("sex", "age_group", "exploitation"),
        module="victims",
    ),
    IndicatorDef(
        "sdg_16_2_2",
        _("Detected victims per 100,000 population (SDG 16.2.2)"),
        _("Victims identified in the period"),
        _(
            "the area's population (census) divided by 100,000; breakdowns are per "
            "100,000 of the whole population, as population by sex and age is not loaded"
        ),
        measure=Measure.PER_100K,
        disaggregations=("sex", "age_group", "exploitation"),
        module="victims",
    ),
    IndicatorDef(
        "referrals_made",
        _("Referrals made"),
        _("Referrals to service providers sent in the period"),
        disaggregations=("service",),
        module="victims",
    ),
    IndicatorDef(
        "referrals_completed",
        _("Referrals completed"),
        _("Referrals whose service was delivered in the period"),
        disaggregations=("service",),
        module="victims",
    ),
    IndicatorDef(
        "median_days_to_service",
        _("Median days from referral to service"),
        _(
            "Median days from sending a referral to the service being delivered, for "
            "services delivered in the period"
        ),
        measure=Measure.MEDIAN_DAYS,
        disaggregations=("service",),
        higher_is_better=False,
        module="victims",
    ),
    IndicatorDef(
        "follow_ups_on_time",
        _("Follow-ups done on time"),
        _("Follow-up visits due in the period and done by their due date"),
        _("follow-up visits due in the period, up to today"),
        measure=Measure.PERCENT,
        module="victims",
    ),
    IndicatorDef(
        "seen_again_alerts",
        _("Victims seen again"),
        _(
            "Re-trafficking alerts raised in the period: a known victim named in "
            "another case or whose phone is in a new citizen report"
        ),
        disaggregations=("alert_source",),
        higher_is_better=False,
        module="victims",
    ),
    # --- child labour (labour) --------------------------------------------------------------
    IndicatorDef(
        "children_withdrawn",
        _("Children withdrawn from work"),
        _("Children found at work and withdrawn from it in the period"),
        disaggregations=("sex",),
        module="labour",
    ),
    IndicatorDef(
        "children_enrolled",
        _("Children enrolled in school"),
        _("Children withdrawn from work and enrolled in school in the period"),
        disaggregations=("sex",),
        module="labour",
    ),
    IndicatorDef(
        "kilns_inspected",
        _("Brick kilns inspected"),
        _("Brick kilns with at least one inspection, survey or follow-up in the period"),
        module="labour",
    ),
    IndicatorDef(
        "workers_eobi_registered",
        _("Workers registered with EOBI"),
        _("Kiln and workshop workers whose EOBI registration came through in the period"),
        module="labour",
    ),
    IndicatorDef(
        "kilns_wage_compliant",
        _("Kilns paying the notified wage"),
        _("Kilns whose last wage seen in the period met the notified rate of its day"),
        _("kilns whose wages were seen in the period against a notified rate"),
        measure=Measure.PERCENT,
        module="labour",
    ),
    IndicatorDef(
        "advances_above_limit",
        _("Advances above the legal limit"),
        _("Advances (peshgi) given in the period that took a worker's debt above the legal limit"),
        higher_is_better=False,
        module="labour",
    ),
    IndicatorDef(
        "children_attending_six_months",
        _("Children still in school after six months"),
        _(
            "Children withdrawn from work who reached six months in school in the period "
            "and whose first attendance check from then on says they attend"
        ),
        _("children withdrawn from work who reached six months in school in the period"),
        measure=Measure.PERCENT,
        disaggregations=("sex",),
        module="labour",
    ),
    # --- travel agencies (agencies) -----------------------------------------------------------
    IndicatorDef(
        "agencies_inspected",
        _("Travel agencies inspected"),
        _("Travel agencies and promoters with at least one inspection in the period"),
        module="agencies",
    ),
    IndicatorDef(
        "agency_notices_served",
        _("Notices served on travel agencies"),
        _("Notices (register or stop, display the licence ...) served in the period"),
        module="agencies",
    ),
    # --- modules still to come: listed, never computed -----------------------------------------
    _pending(
        "officers_trained",
        _("Officers trained"),
        _("Officers who completed anti-trafficking training in the period"),
        _("wired by the outreach and training module"),
    ),
    _pending(
        "awareness_sessions",
        _("Awareness sessions held"),
        _("Awareness sessions held in the period"),
        _("wired by the outreach and training module"),
    ),
    _pending(
        "survey_submissions",
        _("Survey submissions"),
        _("Survey submissions received in the period"),
        _("wired by the surveys module"),
    ),
)

BY_CODE: dict[str, IndicatorDef] = {i.code: i for i in CATALOGUE}


def indicator_def(code: str) -> IndicatorDef:
    """The catalogue entry; KeyError for an unknown code."""
    return BY_CODE[code]


def active_indicators() -> list[IndicatorDef]:
    return [i for i in CATALOGUE if i.is_active]
