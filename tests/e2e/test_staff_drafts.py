"""Staff forms: a warning before the idle sign-out, and drafts kept in the tab until saved."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import submit

pytestmark = pytest.mark.browser

TITLE = "Visit-visa agent, Libya route"
SUMMARY = "Three young men from Phalia paid an agent; the agent's number was 0300-1112223."
NOTE = "Met at the bus stand twice; will come to the cell with his brother."
PASSWORD = "correct-horse-battery-42"  # conftest.PASSWORD


@pytest.fixture
def demo(transactional_db: None) -> None:
    """Only the areas (loaded for every test) are needed, not the whole demo."""


@pytest.fixture
def browser_context_args() -> dict[str, object]:
    return {"viewport": {"width": 360, "height": 740}}


@pytest.fixture
def officer(page, make_user):
    return make_user("officer_mbdin")


def sign_in(page, username: str, step: int = 0) -> None:
    """Sign in with the code of the current 30-second step, or of the next one
    (a code is accepted once; the next step's is within the tolerated drift)."""
    from django_otp.oath import totp

    from ahtc.accounts.services import demo_totp_key

    key = bytes.fromhex(demo_totp_key(username))
    code = totp(key, t0=-30 * step, step=30, digits=6)
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=otp_token]").fill(f"{code:06d}")
    submit(page, page.locator("form:has(input[name=otp_token]) button[type=submit]"))


def drafts(page) -> list[str]:
    return page.evaluate("Object.keys(sessionStorage).filter((k) => k.startsWith('ahtc-draft:'))")


def test_idle_warning_then_sign_out_keeps_the_draft_until_it_is_saved(page, officer, settings):
    from ahtc.cases.models import Case

    session_cookie = settings.SESSION_COOKIE_NAME
    page.clock.install()
    page.goto("/accounts/sign-in/?next=/cell/cases/new/")
    sign_in(page, "officer_mbdin")
    page.wait_for_url(re.compile(r"/cell/cases/new/$"))
    page.select_option("select[name=district]", index=1)
    page.select_option("select[name=origin]", "walk_in")
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=summary]", SUMMARY)

    # A few minutes before the idle limit the page warns; staying signed in asks the server.
    warning = page.locator("#session-warning")
    expect(warning).to_be_hidden()
    page.clock.run_for("26:00")
    expect(warning).to_be_visible()
    with page.expect_response(lambda r: r.url.endswith("/session/alive/") and r.ok):
        warning.get_by_role("button").click()
    expect(warning).to_be_hidden()

    # The session ends on the server (as after 30 idle minutes); the page says so.
    page.context.clear_cookies(name=session_cookie)
    page.clock.run_for("31:00")
    expired = page.locator("#session-expired")
    expect(expired).to_be_visible()
    assert expired.locator("a").get_attribute("href").endswith("?next=%2Fcell%2Fcases%2Fnew%2F")

    # Pressing Save now lands on the sign-in page; nothing typed is lost.
    page.locator("main form button.primary").click()
    page.wait_for_url(re.compile(r"/accounts/sign-in/"))
    sign_in(page, "officer_mbdin", step=1)
    page.wait_for_url(re.compile(r"/cell/cases/new/$"))
    assert page.input_value("input[name=title]") == TITLE
    assert page.input_value("textarea[name=summary]") == SUMMARY
    expect(page.locator("main .draft-note")).to_be_visible()

    # Saved: the draft is gone.
    page.locator("main form button.primary").click()
    page.wait_for_url(re.compile(r"/cell/cases/[A-Z]+-\d{4}-\d{4}/$"))
    assert Case.objects.filter(title=TITLE).count() == 1
    assert drafts(page) == []


def test_identity_fields_are_never_kept_and_sign_out_clears_drafts(page, officer):
    page.goto("/accounts/sign-in/?next=/cell/cases/new/")
    sign_in(page, "officer_mbdin")
    page.wait_for_url(re.compile(r"/cell/cases/new/$"))
    page.select_option("select[name=district]", index=1)
    page.select_option("select[name=origin]", "walk_in")
    page.fill("input[name=title]", TITLE)
    page.locator("main form button.primary").click()
    page.wait_for_url(re.compile(r"/cell/cases/[A-Z]+-\d{4}-\d{4}/$"))
    party_url = page.url + "parties/"

    page.goto(party_url)
    page.fill("input[name=name_latin]", "Test Person")
    page.fill("input[name=cnic]", "35202-1234567-1")
    page.fill("input[name=phone]", "0300-1112223")
    page.fill("textarea[name=note]", NOTE)
    stored = page.evaluate("JSON.stringify(Object.assign({}, sessionStorage))")
    assert NOTE in stored
    assert "Test Person" not in stored
    assert "35202" not in stored
    assert "1112223" not in stored

    page.goto("/cell/")
    page.goto(party_url)
    assert page.input_value("textarea[name=note]") == NOTE
    assert page.input_value("input[name=name_latin]") == ""
    assert page.input_value("input[name=cnic]") == ""

    # Discarding puts the form back as it was served.
    page.locator("main .draft-note button").click()
    assert page.input_value("textarea[name=note]") == ""
    assert drafts(page) == []

    page.fill("textarea[name=note]", NOTE)
    assert len(drafts(page)) == 1
    submit(page, page.locator("header form button[type=submit]").first)  # Sign out
    assert drafts(page) == []
