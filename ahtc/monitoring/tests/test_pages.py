"""The monitoring pages up the access ladder, and what they show."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.core.models import AuditEvent
from ahtc.monitoring.services import target_set
from ahtc.monitoring.tests.conftest import area, at, submit

pytestmark = pytest.mark.django_db
LoginAs = Callable[[User], Client]

DASHBOARD = reverse("cell:monitoring:dashboard")
EXPLORE = reverse("cell:monitoring:explore")
MAP = reverse("cell:monitoring:map")
TARGETS = reverse("cell:monitoring:targets")
ROWS = reverse("cell:monitoring:rows")
JULY = {"indicator": "reports_received", "area": "PK620", "period": "2025-07", "by": "channel"}


@pytest.fixture
def reports(db: Any) -> None:
    submit(at("2025-07-05"), "PK620")
    submit(at("2025-07-06"), "PK620")
    submit(at("2025-07-07"), "PK610")


def refusals(object_type: str = "") -> Any:
    rows = AuditEvent.objects.filter(outcome="refused")
    return rows.filter(object_type=object_type) if object_type else rows


@pytest.mark.parametrize("url", [DASHBOARD, EXPLORE, MAP, TARGETS, ROWS])
def test_anonymous_is_sent_to_sign_in(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


@pytest.mark.parametrize("persona", ["investigator", "fia_liaison"])
@pytest.mark.parametrize("url", [DASHBOARD, EXPLORE, MAP, TARGETS, ROWS])
def test_roles_without_view_aggregates_are_refused_and_audited(
    persona: str, url: str, request: pytest.FixtureRequest, login_as: LoginAs
) -> None:
    response = login_as(request.getfixturevalue(persona)).get(url)
    assert response.status_code == 403
    assert refusals("page").filter(reason__contains="view_aggregates").exists()


def test_monitor_dashboard_shows_key_figures_trend_comparison_and_rollout(
    provincial_monitor: User, reports: None, login_as: LoginAs
) -> None:
    page = login_as(provincial_monitor).get(DASHBOARD, {"period": "2025B4"})
    assert page.status_code == 200
    text = page.content.decode()
    for words in ("Reports received", "the last 12 months", "Scorecard", "Rollout of the cells"):
        assert words in text
    assert "Mandi Bahauddin" in text
    assert "<svg" in text


def test_committee_sees_its_district_and_gets_404_for_another(
    committee_mbdin: User, reports: None, login_as: LoginAs
) -> None:
    client = login_as(committee_mbdin)
    assert client.get(DASHBOARD, {"area": "PK620", "period": "2025-07"}).status_code == 200
    assert client.get(DASHBOARD, {"area": "PK610", "period": "2025-07"}).status_code == 404
    assert client.get(EXPLORE, {**JULY, "area": "PK610"}).status_code == 200  # not in the list
    assert refusals("geography.area").exists()


def test_explorer_shows_the_table_and_the_chart(
    analyst_province: User, officer_mbdin: User, reports: None, login_as: LoginAs
) -> None:
    page = login_as(analyst_province).get(EXPLORE, JULY).content.decode()
    assert "Reports received" in page
    assert "web portal" in page
    assert '<td data-label="Value">fewer than 11</td>' in page  # test_suppression.py
    assert "<svg" in page
    exact = login_as(officer_mbdin).get(EXPLORE, JULY).content.decode()  # the district's cell
    assert '<td data-label="Value">2</td>' in exact


def test_explorer_keeps_what_was_typed_and_says_why(
    analyst_province: User, login_as: LoginAs
) -> None:
    page = login_as(analyst_province).get(EXPLORE, {**JULY, "period": "July 2025"})
    text = page.content.decode()
    assert page.status_code == 200
    assert 'value="July 2025"' in text
    assert "Write a period as a month" in text


def test_explorer_refuses_a_breakdown_the_indicator_lacks(
    analyst_province: User, login_as: LoginAs
) -> None:
    page = login_as(analyst_province).get(EXPLORE, {**JULY, "indicator": "firs_registered"})
    assert "cannot be broken down that way" in page.content.decode()


def test_xlsx_export_has_the_screens_numbers_and_is_audited(
    officer_mbdin: User, reports: None, login_as: LoginAs
) -> None:
    from openpyxl import load_workbook

    response = login_as(officer_mbdin).get(EXPLORE, {**JULY, "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][:3] == ("Reports received", "reports_received", 2)
    assert AuditEvent.objects.filter(action="export", object_type="monitoring.table").exists()


def test_committee_cannot_download_tables(
    committee_mbdin: User, reports: None, login_as: LoginAs
) -> None:
    response = login_as(committee_mbdin).get(EXPLORE, {**JULY, "format": "xlsx"})
    assert response.status_code == 403
    assert refusals("monitoring.table").exists()


@pytest.mark.parametrize("persona", ["provincial_monitor", "committee_mbdin", "analyst_province"])
def test_the_rows_behind_an_aggregate_are_refused_and_audited(
    persona: str, request: pytest.FixtureRequest, login_as: LoginAs
) -> None:
    client = login_as(request.getfixturevalue(persona))
    response = client.get(ROWS, {"indicator": "victims_identified", "area": "PK620"})
    assert response.status_code == 403
    event = refusals("monitoring.rows").get()
    assert event.object_id == "victims_identified"
    assert event.area_code == "PK620"


def test_a_cell_officer_is_sent_to_their_own_list(officer_mbdin: User, login_as: LoginAs) -> None:
    response = login_as(officer_mbdin).get(ROWS, {"indicator": "reports_received"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cell:intake")


def test_tile_map_has_one_tile_per_district(
    provincial_monitor: User, reports: None, login_as: LoginAs
) -> None:
    page = login_as(provincial_monitor).get(
        MAP, {"indicator": "reports_received", "period": "2025-07"}
    )
    text = page.content.decode()
    assert text.count("<rect") == 41
    assert "Values by district" in text
    assert "●" in text


def test_scorecard_and_league_table_in_words_and_symbols(
    provincial_monitor: User, reports: None, login_as: LoginAs
) -> None:
    target_set(indicator_code="reports_received", area=area("PK620"), period="2025-07",
               value=Decimal(2), by=provincial_monitor, baseline_value=Decimal(1))  # fmt: skip
    target_set(indicator_code="reports_received", area=area("PK610"), period="2025-07",
               value=Decimal(5), by=provincial_monitor)  # fmt: skip
    page = login_as(provincial_monitor).get(TARGETS, {"area": "PK6DV03", "period": "2025-07"})
    text = page.content.decode()
    assert "District league table" in text
    assert "1 of 1" in text
    assert "0 of 1" in text
    assert "no targets set" in text
    mbdin = login_as(provincial_monitor).get(TARGETS, {"area": "PK620", "period": "2025-07"})
    assert "✔" in mbdin.content.decode()
    assert "target met" in mbdin.content.decode()


def test_pages_work_in_urdu(provincial_monitor: User, login_as: LoginAs) -> None:
    client = login_as(provincial_monitor)
    client.cookies["ahtc_lang"] = "ur"
    for url in (DASHBOARD, EXPLORE, MAP, TARGETS):
        page = client.get(url)
        assert page.status_code == 200
        assert 'dir="rtl"' in page.content.decode()


def test_the_overview_points_monitors_to_the_dashboard(
    provincial_monitor: User, login_as: LoginAs
) -> None:
    page = login_as(provincial_monitor).get(reverse("cell:home")).content.decode()
    assert DASHBOARD in page
