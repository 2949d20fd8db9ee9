"""The report form's tehsil list follows the chosen district (issue 10)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args() -> dict[str, object]:
    return {"viewport": {"width": 360, "height": 740}}


def visible_groups(page: Any) -> list[str]:
    labels: list[str] = page.eval_on_selector_all(
        "select[name=tehsil] optgroup", "gs => gs.filter(g => !g.disabled).map(g => g.label)"
    )
    return labels


def test_choosing_a_district_narrows_the_tehsils(page: Any) -> None:
    page.goto("/report/")
    assert len(visible_groups(page)) > 10  # nothing chosen: every district, grouped
    page.select_option("select[name=district]", "PK620")
    groups = visible_groups(page)
    assert len(groups) == 1
    page.select_option("select[name=tehsil]", "PK62003")
    page.select_option("select[name=district]", "PK610")
    assert page.input_value("select[name=tehsil]") == ""  # a tehsil of another district is cleared
    assert len(visible_groups(page)) == 1
