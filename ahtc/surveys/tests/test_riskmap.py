"""The district risk map: the composite's formula, who sees the page, and
small numbers hidden from those who see aggregates only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.agencies import services as agency_services
from ahtc.cases import services as case_services
from ahtc.geography.models import Area
from ahtc.labour import services as labour
from ahtc.surveys.riskmap import Counts, Row, area_counts, figures, risk_rows, score

LoginAs = Callable[[User], Client]


def _row(code: str, counts: Counts, population: int | None, k: int = 0) -> Row:
    area = Area(pk=hash(code) % 10_000, code=code, name_en=code, population=population)
    return Row(area, counts, figures(counts, population, k))


def test_the_composite_is_the_mean_of_the_scaled_parts() -> None:
    a = _row("A", Counts(kilns=40, tehsils=4, families=20, bonded=18, unlicensed=10,
                         notices=10, reports=30, cases=20), 1_000_000)  # fmt: skip
    b = _row("B", Counts(kilns=10, tehsils=2, families=20, bonded=9, unlicensed=5,
                         notices=0, reports=60, cases=10), 500_000)  # fmt: skip
    ranked = score([b, a])
    # A: kilns/tehsil 10 (top) and debt 90% (top) -> belt 1; agencies 2 per 100k
    # (B: 1) -> 1; reports 3 (B: 12) -> 0.25; cases 2 (B: 2) -> 1. Mean 0.8125.
    assert [r.area.code for r in ranked] == ["A", "B"]
    assert ranked[0].score == pytest.approx(81.25, abs=0.06)
    # B: belt (0.5 + 0.5) / 2 = 0.5; agencies 0.5; reports 1; cases 1 -> 0.75.
    assert ranked[1].score == 75.0
    assert (ranked[0].rank, ranked[1].rank) == (1, 2)


def test_an_area_without_population_is_ranked_on_the_kiln_belt_alone() -> None:
    row = score([_row("A", Counts(kilns=5, families=12, bonded=6), None)])[0]
    assert row.components["agencies"] is None
    assert row.components["reports"] is None
    assert row.score == 100.0  # the only area: its parts are the highest


def test_small_numbers_are_hidden_and_left_out_of_the_score_for_aggregate_viewers() -> None:
    counts = Counts(kilns=4, families=6, bonded=5, reports=3, cases=12)
    exact = figures(counts, 1_000_000, k=0)
    hidden = figures(counts, 1_000_000, k=11)
    assert exact["reports"].text == "0.3"
    assert exact["debt"].text == "83%"
    assert (hidden["reports"].text, hidden["reports"].value) == ("<11", None)
    assert hidden["debt"].hidden
    assert hidden["cases"].text == "1.2"  # 12 cases: not small
    row = score([Row(Area(pk=1, code="A", name_en="A"), counts, hidden)])[0]
    assert row.components["reports"] is None


@pytest.fixture
def recorded(officer_mbdin: User, officer_gujrat: User) -> None:
    Area.objects.filter(code="PK620").update(population=1_000_000)
    Area.objects.filter(code="PK610").update(population=2_000_000)
    mbdin, gujrat = Area.objects.get(code="PK620"), Area.objects.get(code="PK610")
    for n in range(6):
        labour.kiln_create(
            district=mbdin,
            by=officer_mbdin,
            owner_name=f"Owner {n} (synthetic)",
            location="Road (synthetic)",
            season="dry_season",
        )
    agency_services.agency_create(
        district=gujrat,
        by=officer_gujrat,
        name_en="Unlicensed Synthetic Travels",
        kind="unregistered_operator",
        status="unregistered",
        status_since=dt.date(2025, 1, 1),
    )
    for n in range(3):
        case_services.case_open(
            district=mbdin, by=officer_mbdin, title=f"Case {n}", origin="own_initiative"
        )


@pytest.mark.django_db
def test_counts_come_from_the_registries_and_cases(recorded: None) -> None:
    areas = list(Area.objects.filter(code__in=["PK620", "PK610"]).order_by("code"))
    counts = area_counts(areas, dt.date(2000, 1, 1))
    gujrat, mbdin = counts[areas[0].pk], counts[areas[1].pk]
    assert (mbdin.kilns, mbdin.cases, mbdin.unlicensed) == (6, 3, 0)
    assert (gujrat.kilns, gujrat.cases, gujrat.unlicensed) == (0, 0, 1)
    assert mbdin.tehsils == Area.objects.filter(parent__code="PK620").count()


@pytest.mark.django_db
def test_the_monitor_sees_every_district_with_small_counts_hidden(
    recorded: None, provincial_monitor: User, dpo_mbdin: User, login_as: LoginAs
) -> None:
    url = reverse("cell:surveys:risk_map")
    page = login_as(provincial_monitor).get(url)
    assert page.status_code == 200
    rows = page.context["rows"]
    assert len(rows) > 30  # the province's districts
    mbdin = next(r for r in rows if r.area.code == "PK620")
    assert mbdin.figures["cases"].text == "<11"
    assert "<svg" in page.content.decode()
    own = risk_rows(dpo_mbdin, [Area.objects.get(code="PK620")])[0]
    assert own.figures["cases"].text == "0.3"  # the district's cell head sees it exactly


@pytest.mark.django_db
def test_a_cell_head_sees_the_district_and_its_tehsils_only(
    recorded: None, dpo_mbdin: User, login_as: LoginAs
) -> None:
    client = login_as(dpo_mbdin)
    url = reverse("cell:surveys:risk_map")
    rows = client.get(url).context["rows"]
    assert [r.area.code for r in rows] == ["PK620"]
    tehsils = client.get(url, {"district": "PK620"})
    assert tehsils.status_code == 200
    assert {r.area.parent.code for r in tehsils.context["rows"]} == {"PK620"}
    assert client.get(url, {"district": "PK610"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["helpline", "io", "labour"])
def test_roles_without_statistics_are_refused(
    role: str, people: dict[str, User], login_as: LoginAs
) -> None:
    assert login_as(people[role]).get(reverse("cell:surveys:risk_map")).status_code == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("cell:surveys:risk_map"))
    assert response.status_code == 302
