"""The case workspace views are split by stage so each module reads in one
sitting (issue 10, "Shape of the code"); the URLs still reach every view."""

from __future__ import annotations

from pathlib import Path

from django.urls import resolve, reverse

import ahtc.cases.views as case_views
from ahtc.cases.selectors import filtered_cases

MAX_LINES = 300


def test_each_stage_module_reads_in_one_sitting() -> None:
    package = Path(case_views.__file__).parent
    modules = sorted(package.glob("*.py"))
    assert package.name == "views"
    assert len(modules) > 5
    too_long = {p.name: n for p in modules if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not too_long, f"split further: {too_long}"


def test_case_urls_reach_the_stage_modules() -> None:
    match = resolve(reverse("cell:case_fir", args=["MBD-2026-0001"]))
    assert match.func.__module__ == "ahtc.cases.views.proceedings"
    assert resolve(reverse("cell:cases")).func.__module__ == "ahtc.cases.views.lists"


def test_the_list_filter_is_a_public_selector() -> None:
    # jobs/exports.py builds the export's rows with it, outside the views.
    assert filtered_cases.__module__ == "ahtc.cases.selectors"
