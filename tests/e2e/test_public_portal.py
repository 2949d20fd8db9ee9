"""The public portal: Urdu first, right to left, and a language switch without JavaScript."""

from __future__ import annotations

import re

import pytest

from .conftest import submit

pytestmark = pytest.mark.browser

ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture
def browser_context_args() -> dict[str, object]:
    return {"java_script_enabled": False}


def test_home_renders_in_urdu_right_to_left(page):
    response = page.goto("/")
    assert response is not None
    assert response.status == 200
    html = page.locator("html")
    assert html.get_attribute("lang") == "ur"
    assert html.get_attribute("dir") == "rtl"
    heading = page.get_by_role("heading", level=1).inner_text()
    assert ARABIC_SCRIPT.search(heading), f"home heading is not in Urdu: {heading!r}"
    assert ARABIC_SCRIPT.search(page.locator("footer").inner_text())


def test_english_button_switches_to_english_without_javascript(page):
    page.goto("/")
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl"

    submit(page, page.get_by_role("button", name="English"))

    assert re.search(r"/$", page.url), page.url
    assert html.get_attribute("lang") == "en"
    assert html.get_attribute("dir") == "ltr"
    assert page.get_by_role(
        "heading", name="Human trafficking is a crime. You can help stop it.", level=1
    ).is_visible()
    assert page.get_by_role("link", name="Staff sign-in").is_visible()
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies.get("ahtc_lang") == "en"

    # And back to Urdu.
    submit(page, page.get_by_role("button", name="اردو"))
    assert html.get_attribute("dir") == "rtl"
    assert html.get_attribute("lang") == "ur"
