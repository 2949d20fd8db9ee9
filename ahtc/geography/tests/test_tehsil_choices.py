"""The tehsil list follows the chosen district, with or without JavaScript (issue 10)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.geography.choices import tehsil_optgroups, tehsils_by_district
from ahtc.portal.forms import ReportForm, area_caches_clear

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_areas() -> None:
    area_caches_clear()


def codes(choices: list[tuple[str, list[tuple[str, str]]]]) -> set[str]:
    return {code for _label, options in choices for code, _name in options}


def test_tehsils_are_grouped_under_their_district() -> None:
    groups = tehsils_by_district()
    label, options = groups["PK620"]
    assert label == "Mandi Bahauddin"
    assert {"PK62001", "PK62002", "PK62003"} <= {code for code, _name in options}
    assert all(code.startswith("PK620") for code, _name in options)


def test_moved_tehsils_are_not_offered() -> None:
    assert "PK60904" not in codes(tehsil_optgroups(tehsils_by_district()))


def test_chosen_district_narrows_the_list() -> None:
    groups = tehsils_by_district()
    only = tehsil_optgroups(groups, "PK620")
    assert [label for label, _options in only] == ["Mandi Bahauddin"]
    assert codes(only) == {code for code, _name in groups["PK620"][1]}


def test_unknown_district_keeps_every_group() -> None:
    groups = tehsils_by_district()
    assert len(tehsil_optgroups(groups, "PK999")) == len(groups)
    assert len(tehsil_optgroups(groups, None)) == len(groups)


def tehsil_options(form: ReportForm) -> set[str]:
    html = str(form["tehsil"])
    return {part.split('"')[0] for part in html.split('value="')[1:] if part.split('"')[0]}


def test_form_shown_again_offers_only_the_chosen_districts_tehsils() -> None:
    form = ReportForm(data={"district": "PK620", "tehsil": "PK61001"})
    assert not form.is_valid()
    assert "That tehsil is not in the district you chose." in form.errors["tehsil"]
    offered = tehsil_options(form)
    assert offered
    assert all(code.startswith("PK620") for code in offered)


def test_blank_form_offers_every_district_in_groups() -> None:
    html = str(ReportForm()["tehsil"])
    assert '<optgroup label="Mandi Bahauddin">' in html
    assert '<optgroup label="Gujrat">' in html


def test_report_page_in_urdu_narrows_after_a_refusal(client: Client) -> None:
    client.cookies["ahtc_lang"] = "ur"
    data = {"district": "PK620", "tehsil": "PK61001", "description": "short"}
    page = client.post(reverse("portal:report"), data).content.decode()
    assert 'value="PK62003"' in page
    assert 'value="PK61001"' not in page
    assert 'lang="ur"' in page
    assert "ahtc/tehsils.js" in page
