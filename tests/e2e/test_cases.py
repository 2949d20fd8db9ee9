"""A cell officer works a case in the browser: open, add a person, classify."""

from __future__ import annotations

import re

import pytest

from .conftest import submit
from .test_accessibility import set_language, sign_in

pytestmark = pytest.mark.browser


def test_officer_opens_a_case_adds_a_victim_and_classifies_it(page, live_server):
    set_language(page, live_server, "en")
    sign_in(page, "officer_mbdin")
    page.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_role("link", name="Open a case").click()
    page.get_by_label("Short title").fill("Agent took money for Libya")
    page.get_by_label("Opened from").select_option("walk_in")
    submit(page, page.get_by_role("button", name="Open the case"))
    assert re.search(r"/cell/cases/MBD-\d{4}-\d{4}/$", page.url), page.url
    reference = page.url.rstrip("/").rsplit("/", 1)[1]

    page.get_by_role("link", name="Add a person or organisation").click()
    page.get_by_label("Role in the case").select_option("victim")
    page.get_by_label("Name (Latin script)").fill("Demo Victim E2E")
    page.get_by_label("Age (years)").fill("16")
    page.get_by_label("CNIC").fill("34402 1234567 1")
    submit(page, page.get_by_role("button", name="Save"))
    assert page.get_by_text(f"{reference}-V1").count() >= 1

    page.get_by_role("link", name="Open the classification assistant").click()
    # Every fact is yes, no or not known (classification v2).
    page.get_by_label("recruited", exact=True).select_option("yes")
    page.get_by_label("compelled labour, including debt bondage").select_option("yes")
    page.get_by_label("Age of the victim (years)").fill("16")
    page.get_by_label("Evidence of age").select_option("document")
    submit(page, page.get_by_role("button", name="Suggest"))
    suggestion = page.locator("#suggestion")
    assert "Trafficking in persons (child)" in suggestion.inner_text()
    assert "369A" not in suggestion.inner_text()
    submit(page, page.get_by_role("button", name="Record the decision"))
    assert page.url.endswith(f"/cell/cases/{reference}/") or "#classification" in page.url
    assert "Trafficking in persons (child)" in page.locator("#classification").inner_text()
    # The next step says what is missing before an FIR.
    assert "Record the FIR first" in page.locator("#next").inner_text()


def test_fia_liaison_sees_a_shared_case_without_victims_names(page, live_server):
    """FIA investigates: it sees the suspects (issue 10, audited per person),
    never a victim's name without the victim's consent."""
    set_language(page, live_server, "en")
    sign_in(page, "fia_liaison")
    page.goto("/cell/cases/")
    links = page.locator("main table a.ref")
    assert links.count() > 0
    links.first.click()
    body = page.locator("main").inner_text()
    assert "Shared with your agency" in body
    rows = page.locator("#parties tbody tr")
    victims = [
        rows.nth(i).inner_text()
        for i in range(rows.count())
        if "not punishable" in rows.nth(i).inner_text()
    ]
    assert victims
    assert all("(demo)" not in row for row in victims)
