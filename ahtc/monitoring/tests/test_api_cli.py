"""The indicator API and `ahtc indicators`: same values, same access rules."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.core.models import AuditEvent
from ahtc.monitoring.models import Indicator, Target
from ahtc.monitoring.services import MonitoringError, indicators_sync, target_set
from ahtc.monitoring.tests.conftest import area, at, submit

pytestmark = pytest.mark.django_db
LoginAs = Callable[[User], Client]
LIST = reverse("api:indicators")


def values_url(code: str) -> str:
    return reverse("api:indicator_values", args=[code])


@pytest.fixture
def reports(db: Any) -> None:
    submit(at("2025-07-05"), "PK620")
    submit(at("2025-07-06"), "PK620", channel="helpline")
    submit(at("2025-07-07"), "PK610")


def test_api_lists_the_catalogue_with_pending_entries(
    analyst_province: User, login_as: LoginAs
) -> None:
    body = login_as(analyst_province).get(LIST).json()
    codes = {row["code"]: row for row in body["results"]}
    assert codes["sdg_16_2_2"]["measure"] == "per_100k"
    assert codes["officers_trained"]["status"] == "pending"
    assert codes["kilns_inspected"]["status"] == "active"


def test_api_serves_values_and_breakdowns(
    officer_mbdin: User, provincial_monitor: User, reports: None, login_as: LoginAs
) -> None:
    """The district's cell reads its numbers exactly; the monitor sees small
    ones hidden (test_suppression_surfaces.py)."""
    query = {"area": "PK620", "period": "2025-07", "by": "channel"}
    body = login_as(officer_mbdin).get(values_url("reports_received"), query).json()
    assert body["total"]["value"] == 2
    assert {v["category"]: v["value"] for v in body["values"]}["helpline"] == 1
    province = login_as(provincial_monitor).get(
        values_url("reports_received"), {"area": "PK6", "period": "2025-07"}
    )
    assert province.json()["total"]["display"] == "fewer than 11"


def test_api_refuses_bad_input(provincial_monitor: User, login_as: LoginAs) -> None:
    client = login_as(provincial_monitor)
    assert client.get(values_url("nonsense")).status_code == 404
    assert client.get(values_url("reports_received"), {"period": "July"}).status_code == 400
    by_sex = client.get(values_url("firs_registered"), {"by": "sex"})
    assert by_sex.status_code == 400


def test_api_committee_of_one_district_gets_404_for_another(
    committee_mbdin: User, login_as: LoginAs
) -> None:
    client = login_as(committee_mbdin)
    assert client.get(values_url("reports_received"), {"area": "PK620"}).status_code == 200
    assert client.get(values_url("reports_received"), {"area": "PK610"}).status_code == 404


@pytest.mark.parametrize("persona", ["investigator", "fia_liaison"])
def test_api_refuses_roles_without_view_aggregates(
    persona: str, request: pytest.FixtureRequest, login_as: LoginAs
) -> None:
    client = login_as(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert client.get(values_url("reports_received")).status_code == 403
    assert AuditEvent.objects.filter(outcome="refused", object_id="indicators").exists()


def test_api_anonymous_is_refused(client: Client) -> None:
    assert client.get(LIST).status_code in {401, 403}


def test_api_rows_behind_a_value_are_refused_and_audited(
    provincial_monitor: User, login_as: LoginAs
) -> None:
    response = login_as(provincial_monitor).get(values_url("victims_identified"), {"rows": "1"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(object_type="monitoring.rows", outcome="refused").exists()


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("indicators", *args, stdout=out)
    return out.getvalue()


def test_cli_lists_and_computes(reports: None) -> None:
    assert "sdg_16_2_2" in run("list")
    assert "pending" in run("list")
    out = run(
        "compute", "reports_received", "--area", "PK620", "--period", "2025-07", "--by", "channel"
    )
    assert "total\t2" in out
    assert "helpline\t1" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compute", "nonsense", "--area", "PK620", "--period", "2025-07"], "no indicator"),
        (["compute", "reports_received", "--area", "XX", "--period", "2025-07"], "no area"),
        (["compute", "reports_received", "--area", "PK620", "--period", "July"], "Write a period"),
        (
            ["compute", "firs_registered", "--area", "PK620", "--period", "2025-07", "--by", "sex"],
            "cannot be broken down",
        ),
        (
            ["target", "arrests", "--area", "PK620", "--period", "2025-07", "--value", "-1"],
            "negative",
        ),
    ],
)
def test_cli_refuses_bad_input(db: Any, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_sync_is_idempotent_and_targets_are_audited(db: Any) -> None:
    indicators_sync()
    assert indicators_sync().created == 0
    assert Indicator.objects.filter(code="sdg_16_2_2").exists()
    run(
        "target",
        "arrests",
        "--area",
        "PK620",
        "--period",
        "FY2025-26",
        "--value",
        "12",
        "--baseline",
        "8",
        "--baseline-date",
        "2025-06-30",
    )
    target = Target.objects.get()
    assert (target.value, target.baseline_value, target.period_kind) == (
        Decimal(12),
        Decimal(8),
        "fiscal_year",
    )
    assert AuditEvent.objects.filter(object_type="monitoring.target").exists()
    with pytest.raises(MonitoringError):
        target_set(
            indicator_code="nope", area=area("PK620"), period="2025-07", value=Decimal(1), by=None
        )
