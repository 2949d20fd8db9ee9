"""Automated accessibility checks with axe-core (WCAG 2.0/2.1, levels A and AA).

Every page a citizen or a cell officer uses is checked in Urdu (the default,
right-to-left) and in English. axe-core comes bundled in the PyPI package
axe-playwright-python, so nothing is fetched at run time.

A check marked xfail(strict=True) names a known violation that needs a
template or Python fix; it turns red (XPASS) as soon as that fix lands, so
the mark must then be removed.
"""

from __future__ import annotations

import re

import pytest

from .conftest import DEMO_PASSWORD, submit, totp_now

pytestmark = pytest.mark.browser

LANGUAGES = ["ur", "en"]
LANGUAGE_COOKIE = "ahtc_lang"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
# axe reports some findings as "incomplete" (needs review) because a script
# might still fix them. These pages are rendered on the server and nothing
# fixes them later, so for these rules needs-review counts as a violation.
# aria-valid-attr-value: aria-describedby/-labelledby naming an id that is not on the page.
INCOMPLETE_IS_VIOLATION = {"aria-valid-attr-value"}

OFFICER = "officer_mbdin"
ADMIN = "admin"


def set_language(page, live_server, language: str) -> None:
    page.context.add_cookies([{"name": LANGUAGE_COOKIE, "value": language, "url": live_server.url}])


def sign_in(page, username: str) -> None:
    """Password + TOTP, by field names, so it works in either language."""
    page.goto("/accounts/sign-in/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("input[name=otp_token]").fill(totp_now(username))
    submit(page, page.locator("form:has(input[name=otp_token]) button[type=submit]"))
    page.wait_for_url(re.compile(r"/cell/$"))


def format_violations(violations: list[dict]) -> str:
    lines = [f"{len(violations)} axe violation(s) on the page:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    {target}")
            summary = node.get("failureSummary") or "; ".join(
                check["message"] for check in node["any"] + node["all"] + node["none"]
            )
            lines.append(f"      {summary.replace(chr(10), ' ')}")
            lines.append(f"      html: {node['html'][:200]}")
    return "\n".join(lines)


def assert_no_violations(page, language: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    # Guard against checking the wrong page: the cookie must have taken effect.
    assert page.locator("html").get_attribute("lang") == language, page.url
    response = Axe().run(page, options=AXE_OPTIONS).response
    violations = response["violations"] + [
        {**finding, "impact": f"{finding['impact']}, needs review"}
        for finding in response["incomplete"]
        if finding["id"] in INCOMPLETE_IS_VIOLATION
    ]
    assert not violations, f"{page.url} ({language})\n" + format_violations(violations)


def page_params(pages: list[str], xfails: dict[tuple[str, str], str] | None = None) -> list:
    """One parameter per page and language; known violations are strict xfails."""
    xfails = xfails or {}
    params = []
    for path in pages:
        for language in LANGUAGES:
            marks = []
            reason = xfails.get((path, language)) or xfails.get((path, "*"))
            if reason:
                marks.append(pytest.mark.xfail(strict=True, reason=reason))
            params.append(pytest.param(path, language, marks=marks, id=f"{language}-{path}"))
    return params


PUBLIC_PAGES = ["/", "/report/", "/follow-up/", "/accounts/sign-in/"]
OFFICER_PAGES = [
    "/cell/",
    "/cell/areas/PK620/",
    "/cell/organisations/",
    "/cell/intake/",
    "intake-detail",  # the first report linked from /cell/intake/
    "/cell/cases/",
    "/cell/cases/due/",
    "/cell/cases/new/",
    "case",  # a case under investigation, and its forms:
    "case:classify/",
    "case:parties/",
    "case:fir/",
    "/cell/victims/",
    "victim",  # the first protection record in the list
    "/cell/referrals/",
    "/cell/services/",
    "/cell/families/",
]
ADMIN_PAGES = ["/cell/users/", "/cell/audit/", "/cell/areas/import/"]


# Known violations that need a template fix (not CSS). Each is a strict xfail:
# when the template is fixed the check XPASSes, and the entry must go.
HELP_TEXT_UNLINKED = (
    "aria-valid-attr-value: the input's aria-describedby (added by Django for help_text) "
    "names {id}, but the help text has {has} - the help is never announced"
)
ADMIN_XFAILS: dict[tuple[str, str], str] = {}


@pytest.mark.parametrize(("path", "language"), page_params(PUBLIC_PAGES))
def test_public_page(page, live_server, path, language):
    set_language(page, live_server, language)
    page.goto(path)
    assert_no_violations(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_report_form_with_errors(page, live_server, language):
    set_language(page, live_server, language)
    page.goto("/report/")
    submit(page, page.locator("form button[type=submit].primary"))
    # With JavaScript the answer is swapped in after the POST: wait for it.
    page.locator(".field-errors").first.wait_for()
    assert_no_violations(page, language)


@pytest.mark.parametrize(("path", "language"), page_params(OFFICER_PAGES))
def test_officer_workspace_page(page, live_server, path, language):
    set_language(page, live_server, language)
    sign_in(page, OFFICER)
    if path == "intake-detail":
        page.goto("/cell/intake/")
        link = page.locator("main table a[href^='/cell/intake/']").first
        href = link.get_attribute("href")
        assert href is not None
        assert re.fullmatch(r"/cell/intake/\d+/", href), href
        page.goto(href)
    elif path == "victim":
        page.goto("/cell/victims/")
        href = page.locator("main table a.ref").first.get_attribute("href")
        assert href is not None
        assert re.fullmatch(r"/cell/victims/VIC-MBD-\d{4}-\d{4}/", href), href
        page.goto(href)
    elif path.startswith("case"):
        page.goto("/cell/cases/?view=district&status=investigation")
        href = page.locator("main table a.ref").first.get_attribute("href")
        assert href is not None
        assert re.fullmatch(r"/cell/cases/MBD-\d{4}-\d{4}/", href), href
        page.goto(href + path.partition(":")[2])
    else:
        page.goto(path)
    assert_no_violations(page, language)


@pytest.mark.parametrize(("path", "language"), page_params(ADMIN_PAGES, ADMIN_XFAILS))
def test_admin_workspace_page(page, live_server, path, language):
    set_language(page, live_server, language)
    sign_in(page, ADMIN)
    page.goto(path)
    assert_no_violations(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_provider_referral_page(page, live_server, language):
    set_language(page, live_server, language)
    sign_in(page, "hospital_mbdin")
    page.goto("/cell/referrals/")
    assert_no_violations(page, language)
    page.locator("main table a.ref").first.click()
    assert_no_violations(page, language)
