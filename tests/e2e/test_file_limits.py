"""A file that is too large never cuts a report short: with JavaScript the
phone says so before sending; without it the server sends the form back with
everything typed. Either way no receipt is shown for a partial report."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import submit

pytestmark = pytest.mark.browser

BIG = {
    "name": "tasveer.pdf",
    "mimeType": "application/pdf",
    "buffer": b"%PDF-1.4\n" + b"0" * (9 * 1024 * 1024),
}
DESCRIPTION = "ایجنٹ نے ویزے کے نام پر پیسے لیے، یہ اس کی رسید کی تصویر ہے۔"
CONTACT = "0300-1112223 شام کے بعد"


def fill(page) -> None:
    page.goto("/report/")
    page.check("input[name=category][value=fake_agent]")
    page.select_option("select[name=district]", "PK620")
    page.fill("textarea[name=description]", DESCRIPTION)
    page.check("input[name=child_involved][value=no]")
    page.set_input_files("input[name=attachments]", files=[BIG])
    page.fill("input[name=contact]", CONTACT)


def tips_with(description: str) -> list:
    from ahtc.portal.models import Tip

    return [tip for tip in Tip.objects.all() if tip.description == description]


class TestWithJavaScript:
    @pytest.fixture
    def browser_context_args(self) -> dict[str, object]:
        return {"viewport": {"width": 360, "height": 740}}

    def test_too_large_file_is_refused_on_the_phone_and_nothing_typed_is_lost(self, page):
        fill(page)
        posts: list[str] = []
        page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
        page.locator("form[data-offline-form] button[type=submit]").click()
        alert = page.locator("#id_attachments_size[role=alert]")
        expect(alert).to_be_visible()
        assert "8" in alert.inner_text()
        assert posts == []
        assert page.input_value("textarea[name=description]") == DESCRIPTION
        assert page.input_value("input[name=contact]") == CONTACT
        assert tips_with(DESCRIPTION) == []


class TestWithoutJavaScript:
    @pytest.fixture
    def browser_context_args(self) -> dict[str, object]:
        return {"java_script_enabled": False, "viewport": {"width": 360, "height": 740}}

    def test_server_refuses_the_whole_report_and_refills_the_form(self, page):
        fill(page)
        submit(page, page.locator("form button[type=submit].primary"))
        expect(page.locator(".receipt-code")).to_have_count(0)
        expect(page.locator(".field-errors[role=alert]").first).to_be_visible()
        assert page.input_value("textarea[name=description]") == DESCRIPTION
        assert page.input_value("input[name=contact]") == CONTACT
        assert tips_with(DESCRIPTION) == []
