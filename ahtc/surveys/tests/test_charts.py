"""The results page's charts: server-drawn SVG of shares with their 95%
ranges and of coverage, mirrored for Urdu, suppressed cells not drawn, and
the same numbers in the table beside them."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.geography.models import Area
from ahtc.surveys.aggregates import (
    CHART_PAD,
    CHART_TEXT,
    CHART_WIDTH,
    Coverage,
    Share,
    coverage_chart,
    share_chart,
)
from ahtc.surveys.imports import batch_import_now
from ahtc.surveys.models import Instrument, Submission, Universe
from ahtc.surveys.tests import exports
from ahtc.surveys.tests.conftest import kiln_sub

LoginAs = Callable[[User], Client]
ROOM = CHART_WIDTH - CHART_PAD - CHART_TEXT


def test_a_share_is_a_bar_from_the_start_with_its_interval_around_its_end() -> None:
    chart = share_chart([Share("yes", "Yes", 89, 100)], rtl=False, suppressed_text="hidden")
    bar = chart.bars[0]
    assert bar.drawn
    assert bar.x == CHART_PAD
    assert bar.width == pytest.approx(ROOM * 0.89, abs=0.1)
    assert bar.low < bar.x + bar.width < bar.high
    assert bar.text == "89% (81%–94%)"
    assert chart.anchor_label == "start"


def test_right_to_left_mirrors_the_bars_and_keeps_the_numbers() -> None:
    ltr = share_chart([Share("yes", "Yes", 89, 100)], rtl=False, suppressed_text="-").bars[0]
    rtl = share_chart([Share("yes", "Yes", 89, 100)], rtl=True, suppressed_text="-").bars[0]
    assert rtl.x + rtl.width == pytest.approx(CHART_WIDTH - ltr.x, abs=0.2)
    assert rtl.width == ltr.width
    assert rtl.low == pytest.approx(CHART_WIDTH - ltr.low)
    assert rtl.high == pytest.approx(CHART_WIDTH - ltr.high)
    assert rtl.label_x == CHART_WIDTH - CHART_PAD
    assert rtl.text == ltr.text


def test_a_suppressed_count_is_not_drawn_and_says_so() -> None:
    chart = share_chart(
        [Share("yes", "Yes", 7, 100), Share("no", "No", 93, 100)],
        rtl=False,
        suppressed_text="hidden",
    )
    assert not chart.bars[0].drawn
    assert chart.bars[0].width == 0
    assert chart.bars[0].text == "<11: hidden"
    assert chart.bars[1].drawn


def test_coverage_without_a_known_number_draws_no_bar() -> None:
    chart = coverage_chart(
        [Coverage("A", 44, 230), Coverage("B", 5, None)],
        rtl=False,
        of_text="%(n)s of %(of)s (%(pct)s)",
        unknown_text="unknown",
    )
    assert chart.bars[0].text == "44 of 230 (19%)"
    assert chart.bars[0].width == pytest.approx(ROOM * 44 / 230, abs=0.1)
    assert not chart.bars[1].drawn
    assert chart.bars[1].text == "5 (unknown)"


@pytest.fixture
def approved_kilns(kiln: Instrument) -> Instrument:
    batch_import_now(
        instrument=kiln,
        district=Area.objects.get(code="PK620"),
        file_name="k.json",
        content=exports.kobo_json([kiln_sub(f"k-{n}", families=3) for n in range(12)]),
    )
    Submission.objects.update(status="approved")
    Universe.objects.create(instrument=kiln, district=Area.objects.get(code="PK620"), size=230)
    return kiln


def _svgs(body: str) -> list[str]:
    return re.findall(r"<svg.*?</svg>", body, flags=re.S)


@pytest.mark.django_db
def test_the_results_page_draws_each_choice_question_beside_its_table(
    approved_kilns: Instrument, provincial_monitor: User, login_as: LoginAs
) -> None:
    url = reverse("cell:surveys:aggregates", args=[approved_kilns.form_id])
    body = login_as(provincial_monitor).get(url).content.decode()
    svgs = _svgs(body)
    assert len(svgs) > 3
    assert all('role="img"' in svg and "<title" in svg and "<desc" in svg for svg in svgs)
    assert "12 of 230 (5%)" in svgs[0]
    debt = next(svg for svg in svgs if "Working to pay off the advance" in svg)
    assert "100% (" in debt  # 36 of 36 families
    assert debt.count("<rect") == 1  # "No" is 0 of 36: a zero-length bar is not drawn
    assert not any("<script" in svg for svg in svgs)
    assert not re.search(r'<script[^>]+src="(https?:)?//', body)  # no outside script


@pytest.mark.django_db
def test_in_urdu_the_charts_are_mirrored(
    approved_kilns: Instrument, provincial_monitor: User, login_as: LoginAs
) -> None:
    client = login_as(provincial_monitor)
    client.cookies["ahtc_lang"] = "ur"
    url = reverse("cell:surveys:aggregates", args=[approved_kilns.form_id])
    body = client.get(url).content.decode()
    assert 'dir="rtl"' in body
    coverage = _svgs(body)[0]
    assert 'text-anchor="end"' in coverage
    label_x = float(re.search(r'<g>\s*<text x="([\d.]+)"', coverage).group(1))  # type: ignore[union-attr]
    assert label_x == CHART_WIDTH - CHART_PAD
