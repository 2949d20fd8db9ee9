"""Each indicator against the hand-counted world of conftest.story."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ahtc.cases.models import Case
from ahtc.cases.tests.conftest import Flow
from ahtc.geography.models import Area
from ahtc.monitoring.compute import ValueStatus, breakdown, by_area, table, value
from ahtc.monitoring.indicators import CATALOGUE, IndicatorStatus
from ahtc.monitoring.periods import period_parse
from ahtc.monitoring.sources import SOURCES
from ahtc.monitoring.tests.conftest import Story, area, build_proceedings

pytestmark = pytest.mark.django_db

JULY = period_parse("2025-07")


def v(code: str, where: str = "PK620", period: str = "2025-07", **by: str) -> Any:
    return value(code, area(where), period_parse(period), by or None).value


def test_every_active_indicator_has_a_source_and_pending_ones_none() -> None:
    for entry in CATALOGUE:
        assert (entry.code in SOURCES) == (entry.status == IndicatorStatus.ACTIVE), entry.code
    pending = {e.code for e in CATALOGUE if e.status == IndicatorStatus.PENDING}
    assert "officers_trained" in pending  # a module not yet built: listed, never computed
    assert {"kilns_inspected", "agencies_inspected"} <= set(SOURCES)  # wired by their modules


def test_reports_received_by_area_period_channel_and_category(story: Story) -> None:
    assert v("reports_received") == 4
    assert v("reports_received", "PK6DV03") == 5
    assert v("reports_received", "PK6") == 5
    assert v("reports_received", "PK610") == 1
    assert v("reports_received", period="2025B4") == 5  # July and August
    assert v("reports_received", period="2025-06") == 1  # 30 June, 23:30 in Pakistan
    assert v("reports_received", "PK62002") == 1  # the one report with a tehsil
    channels = breakdown("reports_received", area("PK620"), JULY, "channel")
    assert (channels["web"].value, channels["helpline"].value, channels["in_person"].value) == (
        3,
        1,
        0,
    )
    assert v("reports_received", category="fake_agent") == 2


def test_reports_acknowledged_within_the_districts_service_level(story: Story) -> None:
    result = value("reports_acknowledged_in_time", area("PK620"), JULY)
    assert (result.numerator, result.denominator, result.value) == (2, 4, 50.0)
    assert result.display == "50.0%"


def test_victims_identified_with_breakdowns_and_sdg_16_2_2(story: Story) -> None:
    assert v("victims_identified") == 2  # v3 is not a victim; v4 is June's
    assert v("victims_identified", sex="feminine") == 1
    assert v("victims_identified", age_group="child") == 1
    forms = breakdown("victims_identified", area("PK620"), JULY, "exploitation")
    assert (forms["ForcedLabour"].value, forms["ChildLabour"].value) == (2, 1)
    sdg = value("sdg_16_2_2", area("PK620"), JULY)
    assert (sdg.numerator, sdg.denominator) == (2, 1_829_486)
    assert sdg.value == round(2 * 100_000 / 1_829_486, 2)
    division = value("sdg_16_2_2", area("PK6DV03"), JULY)
    assert division.status == ValueStatus.NO_POPULATION  # never summed: split districts


def test_referrals_and_days_to_service(story: Story) -> None:
    assert v("referrals_made") == 2  # the child's draft to Child Protection was never sent
    assert v("referrals_completed") == 2
    assert v("referrals_completed", service="Health") == 1
    assert v("median_days_to_service") == 7.0


def test_follow_ups_on_time(story: Story) -> None:
    result = value("follow_ups_on_time", area("PK620"), period_parse("2025-08"))
    assert (result.numerator, result.denominator) == (1, 3)
    assert result.value == 33.3


def test_seen_again_alerts_and_cases_opened(story: Story) -> None:
    assert v("seen_again_alerts") == 1
    assert v("seen_again_alerts", alert_source="case") == 1
    assert v("cases_opened") == 2  # the two cases naming v2


def test_children_withdrawn_and_enrolled(story: Story) -> None:
    assert v("children_withdrawn") == 2
    assert v("children_withdrawn", sex="feminine") == 1
    assert v("children_enrolled") == 0
    assert v("children_enrolled", period="2025-08") == 1
    assert v("children_enrolled", period="FY2025-26") == 1


def test_proceedings_indicators(flow: Flow, make_case: Callable[..., Case]) -> None:
    story = Story()
    build_proceedings(story, flow, make_case)
    q1 = "2025Q1"
    assert v("accused_convicted", period=q1) == 1
    assert v("accused_acquitted", period=q1) == 2
    assert v("accused_acquitted", period=q1, sex="feminine") == 1
    rate = value("conviction_rate", area("PK620"), period_parse(q1))
    assert (rate.numerator, rate.denominator, rate.value) == (1, 3, 33.3)
    assert v("challans_submitted", period=q1) == 2
    assert v("median_days_fir_to_verdict", period=q1) == 372.5
    assert v("firs_registered", period="2024Q1") == 2
    assert v("median_days_report_to_fir", period="2024Q1") == 4.0
    assert v("arrests", period="2024-03") == 1
    assert v("arrests", period="2024-03", sex="masculine") == 1
    assert v("cases_opened", period="2024B2") == 2
    assert v("accused_convicted", "PK610", q1) == 0


def test_pending_indicators_are_never_computed(db: Any) -> None:
    result = value("officers_trained", area("PK620"), JULY)
    assert result.status == ValueStatus.PENDING
    assert result.value is None
    assert result.note


def test_a_breakdown_the_indicator_does_not_allow_is_refused(db: Any) -> None:
    with pytest.raises(ValueError, match="cannot be broken down"):
        value("firs_registered", area("PK620"), JULY, {"sex": "feminine"})


def test_indicators_without_a_tehsil_are_unavailable_at_tehsil_level(story: Story) -> None:
    assert value("cases_opened", area("PK62002"), JULY).status == ValueStatus.UNAVAILABLE


def test_table_puts_categories_in_columns(story: Story) -> None:
    result = table(["reports_received", "firs_registered"], area("PK620"), JULY, by="channel")
    # Every channel is a column, the partner gateways' too, even when empty.
    assert [c for c, _label in result.columns] == [
        "web",
        "helpline",
        "in_person",
        "sms",
        "whatsapp",
        "portal_other_province",
    ]
    reports, firs = result.rows
    assert reports.total.value == 4
    assert reports.cells["web"].value == 3
    assert firs.cells == {}
    assert firs.total.value == 0


def test_district_comparison_groups_by_district(story: Story) -> None:
    values = {
        a.area.code: a.value.value for a in by_area("reports_received", area("PK6DV03"), JULY)
    }
    assert values == {"PK610": 1, "PK611": 0, "PK620": 4, "PK637": 0}
    divisions = by_area("reports_received", area("PK6"), JULY, level="division")
    assert {a.area.code: a.value.value for a in divisions}["PK6DV03"] == 5


def test_area_without_population_reads_as_none(db: Any) -> None:
    assert Area.objects.get(code="PK6DV03").population is None


def test_kilns_inspected_counts_each_kiln_once(officer_mbdin: Any) -> None:
    """A kiln inspected twice in the period counts once; one inspected only
    before the period does not count (the labour module's kiln register)."""
    import datetime as dt

    from ahtc.labour.services import inspection_record, kiln_create

    district = area("PK620")
    officer = officer_mbdin

    def kiln() -> Any:
        return kiln_create(
            district=district,
            by=officer,
            location="Synthetic road",
            season="year_round",
            owner_name="Synthetic Owner",
        )

    twice, before = kiln(), kiln()
    for place, day in ((twice, dt.date(2025, 7, 3)), (twice, dt.date(2025, 7, 20))):
        inspection_record(by=officer, inspected_on=day, kind="inspection", kiln=place)
    inspection_record(by=officer, inspected_on=dt.date(2025, 5, 2), kind="survey", kiln=before)
    assert value("kilns_inspected", district, JULY).value == 1
