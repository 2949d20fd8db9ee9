"""Aggregates: Wilson intervals, small cells suppressed on the page and in
the XLSX, coverage against the known universe, and the demo's records give
the case study's figures."""

from __future__ import annotations

import io
import random
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from ahtc.accounts.models import User
from ahtc.demo.build import DemoContext
from ahtc.demo.surveys import build_surveys
from ahtc.surveys.aggregates import Share, instrument_summary, wilson
from ahtc.surveys.models import Instrument, Submission

LoginAs = Callable[[User], Client]


def test_wilson_matches_the_closed_form_at_zero_and_stays_inside_0_1() -> None:
    low, high = wilson(0, 10)
    assert low == 0.0
    assert high == pytest.approx(3.8415 / 13.8415, abs=1e-4)
    low, high = wilson(89, 100)
    assert low == pytest.approx(0.8132, abs=1e-3)
    assert high == pytest.approx(0.9374, abs=1e-3)
    assert wilson(10, 10)[1] == pytest.approx(1.0)


def test_counts_under_eleven_are_suppressed_with_their_share() -> None:
    assert Share("yes", "Yes", 10, 100).shown_count == "<11"
    assert Share("yes", "Yes", 10, 100).share is None
    assert Share("yes", "Yes", 0, 100).shown_count == "0"
    assert Share("yes", "Yes", 11, 100).share == 0.11
    # Too few answering: no share at all, whatever the count.
    assert Share("yes", "Yes", 0, 10).interval is None


@pytest.fixture
def demo(db: object) -> None:
    build_surveys(DemoContext(rng=random.Random(20241101)))  # noqa: S311 (demo data)


def _summary(form_id: str) -> dict[str, object]:
    instrument = Instrument.objects.get(form_id=form_id)
    rows = Submission.objects.filter(instrument=instrument, status="approved")
    summary = instrument_summary(instrument, rows)
    return {"summary": summary, **{f.path: f for f in summary.fields}}


def _share(item: object, value: str) -> float:
    share = next(s for s in item.shares if s.value == value)  # type: ignore[attr-defined]
    return float(round(share.share * 100))


def test_the_demo_kiln_survey_gives_the_case_study_figures(demo: None) -> None:
    got = _summary("ahtc_brick_kiln")
    coverage = got["summary"].coverage[0]  # type: ignore[attr-defined]
    assert (coverage.surveyed, coverage.universe) == (44, 230)
    assert _share(got["family/debt_bondage"], "yes") == 89
    assert _share(got["family/knows_min_wage"], "no") == 98
    assert _share(got["family/literate"], "no") == 95
    assert got["family/literate"].n == 100  # type: ignore[attr-defined]


def test_the_demo_migrants_each_paid_three_to_four_million(demo: None) -> None:
    got = _summary("ahtc_returned_migrant")
    paid = got["total_paid"].numbers  # type: ignore[attr-defined]
    assert paid["n"] == 49
    assert 3_000_000 <= paid["min"] <= paid["median"] <= paid["max"] <= 4_000_000


def test_the_demo_community_survey_counts_eleven_coerced(demo: None) -> None:
    got = _summary("ahtc_transgender_community")
    coerced = next(s for s in got["coerced"].shares if s.value == "yes")  # type: ignore[attr-defined]
    assert (coerced.count, coerced.n) == (11, 99)
    stored = Submission.objects.filter(instrument__form_id="ahtc_transgender_community")
    assert all(row.data == {} and row.sealed for row in stored)


def test_the_xlsx_export_suppresses_small_cells_and_is_audited(
    demo: None, make_user: Callable[..., User], login_as: LoginAs
) -> None:
    from ahtc.accounts.roles import Role
    from ahtc.core.models import AuditAction, AuditEvent

    analyst = make_user("analyst_mbdin", Role.ANALYST, "PK620")
    url = reverse("cell:surveys:aggregates", args=["ahtc_brick_kiln"])
    response = login_as(analyst).get(url + "?export=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for row in book["shares"].iter_rows(values_only=True) for c in row]
    assert "<11" in cells  # 2 families who know the minimum wage
    assert 2 not in cells
    by_tehsil = [c for row in book["by_tehsil"].iter_rows(values_only=True) for c in row]
    assert "<11" in by_tehsil
    coverage = list(book["coverage"].iter_rows(values_only=True))
    assert coverage[1][1:3] == (44, 230)
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, object_type="surveys.instrument"
    ).exists()


def test_the_results_page_shows_shares_and_coverage(
    demo: None, make_user: Callable[..., User], login_as: LoginAs
) -> None:
    from ahtc.accounts.roles import Role

    monitor = make_user("provincial_monitor", Role.PROVINCIAL_MONITOR, "PK6")
    page = login_as(monitor).get(reverse("cell:surveys:aggregates", args=["ahtc_brick_kiln"]))
    body = page.content.decode()
    assert "89%" in body
    assert "&lt;11" in body
    assert "230" in body
