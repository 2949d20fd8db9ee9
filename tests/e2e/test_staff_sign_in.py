"""Staff sign-in end to end: password + TOTP, the workspace, scope, sign-out."""

from __future__ import annotations

import re

import pytest

from .conftest import DEMO_PASSWORD, submit, totp_now

pytestmark = pytest.mark.browser

OFFICER = "officer_mbdin"
MBDIN_UR = "منڈی بہاؤالدین"


def switch_to_english(page) -> None:
    submit(page, page.get_by_role("button", name="English"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("html").get_attribute("dir") == "ltr"


def sign_in(page, username: str, code: str | None = None) -> None:
    """Fill the one sign-in form by its field names (works in either language)."""
    page.goto("/accounts/sign-in/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("input[name=otp_token]").fill(code if code is not None else totp_now(username))
    submit(page, page.locator("form:has(input[name=otp_token]) button[type=submit]"))


def other_code(username: str) -> str:
    """A six-digit code that is not valid now, nor in the tolerated steps around now."""
    from django_otp.oath import TOTP

    from ahtc.accounts.services import demo_totp_key

    totp = TOTP(bytes.fromhex(demo_totp_key(username)), step=30, t0=0, digits=6)
    valid = set()
    for drift in range(-2, 3):
        totp.drift = drift
        valid.add(f"{totp.token():06d}")
    return next(c for c in ("000000", "123456", "654321", "111111") if c not in valid)


def test_officer_signs_in_sees_district_opens_profile_and_signs_out(page):
    page.goto("/accounts/sign-in/")
    assert page.locator("html").get_attribute("dir") == "rtl"  # Urdu first
    switch_to_english(page)
    assert page.get_by_role("heading", name="Staff sign-in").is_visible()

    page.get_by_label("Username").fill(OFFICER)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(totp_now(OFFICER))
    submit(page, page.get_by_role("button", name="Sign in", exact=True))

    page.wait_for_url(re.compile(r"/cell/$"))
    assert page.get_by_role("heading", name="Overview", level=1).is_visible()
    main = page.locator("main")
    assert "Mandi Bahauddin" in main.inner_text()
    nav = page.get_by_role("navigation", name="Workspace")
    assert nav.get_by_role("link", name="Overview").is_visible()
    assert nav.get_by_role("link", name="Organisations").is_visible()
    # A cell officer administers nothing.
    assert nav.get_by_role("link", name="Users and roles").count() == 0
    assert nav.get_by_role("link", name="Audit log").count() == 0

    main.get_by_role("link", name="Mandi Bahauddin", exact=True).first.click()
    page.wait_for_url(re.compile(r"/cell/areas/PK620/$"))
    assert "Mandi Bahauddin" in page.get_by_role("heading", level=1).inner_text()
    assert page.locator("dl.facts").get_by_text("PK620", exact=True).is_visible()

    submit(page, page.get_by_role("button", name="Sign out"))
    page.wait_for_url(re.compile(r"/accounts/sign-in/"))
    assert page.get_by_text("You have signed out.").is_visible()

    response = page.goto("/cell/")
    assert response is not None
    assert re.search(r"/accounts/sign-in/\?next=/cell/$", page.url), page.url
    assert page.get_by_role("heading", name="Staff sign-in").is_visible()


def test_officer_overview_in_urdu_shows_urdu_district_name(page):
    sign_in(page, OFFICER)
    assert re.search(r"/cell/$", page.url), page.url
    html = page.locator("html")
    assert html.get_attribute("lang") == "ur"
    assert html.get_attribute("dir") == "rtl"
    assert MBDIN_UR in page.locator("main").inner_text()
    page.locator("main a[href='/cell/areas/PK620/']").first.click()
    page.wait_for_url(re.compile(r"/cell/areas/PK620/$"))
    assert MBDIN_UR in page.get_by_role("heading", level=1).inner_text()


def test_wrong_code_shows_error_and_does_not_sign_in(page):
    page.goto("/accounts/sign-in/")
    switch_to_english(page)
    page.get_by_label("Username").fill(OFFICER)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(other_code(OFFICER))
    submit(page, page.get_by_role("button", name="Sign in", exact=True))

    assert re.search(r"/accounts/sign-in/", page.url), page.url
    alert = page.get_by_role("alert")
    assert "Sign-in failed: the username, password or code is wrong." in alert.inner_text()
    assert page.get_by_role("button", name="Sign out").count() == 0

    page.goto("/cell/")
    assert re.search(r"/accounts/sign-in/\?next=/cell/$", page.url), page.url


def test_officer_gets_404_for_another_district(page):
    sign_in(page, OFFICER)
    assert re.search(r"/cell/$", page.url), page.url
    switch_to_english(page)

    response = page.goto("/cell/areas/PK610/")
    assert response is not None
    assert response.status == 404
    assert page.get_by_role("heading", name="Not found", level=1).is_visible()
    assert "Gujrat" not in page.locator("main").inner_text()
    # Still signed in: the 404 keeps the workspace header.
    assert page.get_by_role("button", name="Sign out").is_visible()
