"""Changing the language never loses what was typed, nor the receipt code shown once.

Run with JavaScript on and off: the language button submits the report form
itself (portal/switch.py), so both paths keep the text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import expect

from .conftest import submit

pytestmark = pytest.mark.browser

PHOTO = Path(__file__).parents[2] / "ahtc" / "static" / "ahtc" / "icon-192.png"
CODE = re.compile(r"^\d{4} \d{4} \d{4} \d{4}$")
DESCRIPTION = "کھاریاں کے ایک ایجنٹ نے دبئی میں نوکری کا جھانسہ دے کر پیسے لیے۔"
PLACE = "بس اسٹینڈ کے قریب"
PHONE = "0300-1112223"

JS_ON = {"viewport": {"width": 360, "height": 740}}
JS_OFF = {"viewport": {"width": 360, "height": 740}, "java_script_enabled": False}


@pytest.fixture
def demo(transactional_db: None) -> None:
    """Only the areas (loaded for every test) are needed, not the whole demo."""
    from ahtc.portal.forms import area_caches_clear

    area_caches_clear()


def fill(page) -> None:
    page.check("input[name=category][value=fake_agent]")
    page.select_option("select[name=district]", "PK620")
    page.select_option("select[name=tehsil]", "PK62003")
    page.fill("input[name=place]", PLACE)
    page.fill("textarea[name=description]", DESCRIPTION)
    page.check("input[name=child_involved][value=no]")
    page.check("input[name=danger_now]")
    page.fill("input[name=contact]", PHONE)


def assert_kept(page) -> None:
    assert page.input_value("textarea[name=description]") == DESCRIPTION
    assert page.input_value("input[name=place]") == PLACE
    assert page.input_value("input[name=contact]") == PHONE
    assert page.input_value("select[name=tehsil]") == "PK62003"
    assert page.is_checked("input[name=category][value=fake_agent]")
    assert page.is_checked("input[name=child_involved][value=no]")
    assert page.is_checked("input[name=danger_now]")


def language(page) -> str:
    return page.locator("html").get_attribute("lang") or ""


@pytest.mark.parametrize("browser_context_args", [JS_ON, JS_OFF], ids=["js", "no-js"])
def test_switching_language_on_the_report_form_and_receipt_keeps_everything(page):
    from ahtc.portal.models import Tip

    page.goto("/report/")
    assert language(page) == "ur"
    fill(page)
    token = page.input_value("input[name=client_token]")
    page.set_input_files("input[name=attachments]", files=[str(PHOTO)])

    submit(page, page.get_by_role("button", name="English"))
    assert language(page) == "en"
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert_kept(page)
    assert page.input_value("input[name=client_token]") == token  # still the same report
    expect(page.get_by_text("Files cannot be kept when the language is changed")).to_be_visible()
    assert not page.locator(".form-errors").count()
    assert Tip.objects.count() == 0  # switching sent nothing

    submit(page, page.get_by_role("button", name="اردو"))
    assert language(page) == "ur"
    assert_kept(page)

    page.locator("form#report-form button.primary").click()
    code = page.locator("main .receipt-code output")
    expect(code).to_have_text(CODE)
    shown = code.inner_text()
    assert Tip.objects.count() == 1

    # The code is shown only once: changing the language shows it again.
    submit(page, page.get_by_role("button", name="English"))
    assert language(page) == "en"
    expect(page.locator("main .receipt-code output")).to_have_text(shown)
    expect(page.get_by_role("heading", name="Your report has been received")).to_be_visible()
    expect(page.get_by_text("Someone is in danger: call now.").first).to_be_visible()
    assert shown.replace(" ", "") not in page.url

    submit(page, page.get_by_role("button", name="اردو"))
    assert language(page) == "ur"
    expect(page.locator("main .receipt-code output")).to_have_text(shown)
    assert Tip.objects.count() == 1


@pytest.mark.parametrize("browser_context_args", [JS_ON], ids=["js"])
def test_enter_in_a_text_box_still_sends_the_report_not_the_language(page):
    page.goto("/report/")
    page.wait_for_selector("#offline-status[data-state]", state="attached")
    fill(page)
    page.press("input[name=place]", "Enter")
    expect(page.locator("main .receipt-code output")).to_have_text(CODE)
    assert language(page) == "ur"


@pytest.mark.parametrize("browser_context_args", [JS_ON], ids=["js"])
def test_without_a_connection_the_switch_waits_and_says_why(page):
    page.goto("/report/")
    page.wait_for_selector("#offline-status[data-state]", state="attached")
    fill(page)
    page.context.set_offline(True)
    page.get_by_role("button", name="English").click()
    status = page.locator("#offline-status")
    expect(status).to_contain_text(status.get_attribute("data-msg-offline-language") or "-")
    assert language(page) == "ur"
    assert_kept(page)
    page.context.set_offline(False)


@pytest.mark.parametrize("browser_context_args", [JS_ON], ids=["js"])
def test_receipt_of_a_report_sent_from_the_queue_survives_a_switch(page):
    page.goto("/report/")
    page.wait_for_selector("#offline-status[data-state]", state="attached")
    page.context.set_offline(True)
    fill(page)
    page.locator("form#report-form button.primary").click()
    status = page.locator("#offline-status")
    expect(status).to_have_attribute("data-state", "waiting")
    page.context.set_offline(False)
    code = page.locator("#offline-status .receipt-code output")
    expect(code).to_have_text(CODE)
    shown = code.inner_text()

    submit(page, page.get_by_role("button", name="English"))
    assert language(page) == "en"
    expect(page.locator("#offline-status .receipt-code output")).to_have_text(shown)
    # Kept only across the switch: the next page no longer shows it.
    page.goto("/")
    page.wait_for_selector("#offline-status[data-state]", state="attached")
    assert page.locator("#offline-status .receipt-code").count() == 0
    assert page.evaluate("sessionStorage.length") == 0


@pytest.mark.parametrize("browser_context_args", [JS_ON], ids=["js"])
def test_file_box_shows_an_urdu_button_and_the_chosen_names(page):
    page.goto("/report/")
    pick = page.locator("[data-file-pick]")
    expect(pick).to_have_class(re.compile(r"\benhanced\b"))
    button = pick.locator(".file-button")
    expect(button).to_be_visible()
    with translation.override("ur"):
        assert button.inner_text() == translation.gettext("Choose files")
    box = pick.locator("input[type=file]").bounding_box()
    assert box is not None
    assert box["width"] <= 1  # the browser's own (English) button is not shown
    names = pick.locator(".file-names")
    assert names.inner_text() == pick.get_attribute("data-msg-none")
    page.set_input_files("input[name=attachments]", files=[str(PHOTO)])
    expect(names).to_have_text("icon-192.png")
    # The label opens the same box: it names the input for assistive tools.
    assert page.get_by_label(re.compile("تصاویر|تصویریں")).count() >= 1


@pytest.mark.parametrize("browser_context_args", [JS_ON, JS_OFF], ids=["js", "no-js"])
def test_switching_language_on_the_follow_up_page_keeps_the_thread_and_the_reply(page):
    from ahtc.portal.models import Tip

    page.goto("/report/")
    fill(page)
    page.locator("form#report-form button.primary").click()
    code = page.locator("main .receipt-code output")
    expect(code).to_have_text(CODE)
    shown = code.inner_text()

    page.goto("/follow-up/")
    page.fill("input[name=code]", shown)
    submit(page, page.locator("main form button.primary"))
    expect(page.locator("#status-h")).to_be_visible()
    reply = "ایجنٹ کا دفتر بس اسٹینڈ کے پاس ہے۔"
    page.fill("textarea[name=body]", reply)

    submit(page, page.get_by_role("button", name="English"))
    assert language(page) == "en"
    expect(page.locator("#status-h")).to_contain_text("Status")
    assert page.input_value("textarea[name=body]") == reply
    assert shown.replace(" ", "") not in page.url

    submit(page, page.get_by_role("button", name="اردو"))
    assert language(page) == "ur"
    assert page.input_value("textarea[name=body]") == reply
    assert not Tip.objects.get().messages.filter(from_reporter=True).exists()  # nothing sent
