"""A provider answers a referral in the browser; the cell sees the progress."""

from __future__ import annotations

import pytest

from .conftest import submit
from .test_accessibility import set_language, sign_in

pytestmark = pytest.mark.browser


def test_hospital_accepts_and_records_the_service(page, live_server):
    set_language(page, live_server, "en")
    sign_in(page, "hospital_mbdin")
    page.goto("/cell/referrals/")
    waiting = page.locator("main table tr", has_text="sent: waiting for the provider")
    assert waiting.count() > 0
    waiting.first.locator("a.ref").click()
    number = page.locator("h1 span[dir=ltr]").inner_text()
    assert (
        "Not shared" in page.locator("main").inner_text()
        or "Phone" in page.locator("main").inner_text()
    )
    page.get_by_label("Accept").check()
    submit(page, page.get_by_role("button", name="Send the answer"))
    page.locator("main table a.ref", has_text=number).first.click()
    page.get_by_label("What was done").fill("Examined and treated.")
    submit(page, page.get_by_role("button", name="Save"))
    assert "Service recorded" in page.locator("body").inner_text()


def test_provider_never_sees_the_victims_list(page, live_server):
    set_language(page, live_server, "en")
    sign_in(page, "hospital_mbdin")
    response = page.goto("/cell/victims/")
    assert response is not None
    assert response.status == 403
