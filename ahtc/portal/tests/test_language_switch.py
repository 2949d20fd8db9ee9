"""Changing the language keeps what is on the page: the typed report, the receipt code."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from ahtc.portal.models import Tip
from ahtc.portal.switch import RECEIPT_SALT, receipt_token

DESCRIPTION = "ایک ایجنٹ نے اٹلی کے ویزے کے لیے تیس لاکھ روپے لیے۔"


def typed(**changes: str) -> dict[str, str]:
    data = {
        "client_token": uuid.uuid4().hex,
        "pow_challenge": "old-challenge",
        "pow_nonce": "42",
        "category": "fake_agent",
        "district": "PK620",
        "tehsil": "PK62003",
        "place": "بس اسٹینڈ کے قریب",
        "description": DESCRIPTION,
        "child_involved": "no",
        "danger_now": "on",
        "contact": "0300-1112223",
    }
    data.update(changes)
    return data


def switch(client: Client, language: str, data: dict[str, Any]) -> Any:
    return client.post(reverse("portal:report"), {**data, "switch_language": language})


@pytest.fixture(autouse=True)
def no_padding(settings: Any) -> None:
    settings.AHTC_RECEIPT_MIN_SECONDS = 0


@pytest.mark.django_db
class TestReportForm:
    def test_the_report_form_comes_back_in_english_with_everything_typed(
        self, client: Client
    ) -> None:
        data = typed()
        response = switch(client, "en", data)
        assert response.status_code == 200
        html = response.content.decode()
        assert '<html lang="en" dir="ltr">' in html
        assert response.cookies["ahtc_lang"].value == "en"
        assert DESCRIPTION in html
        assert 'value="0300-1112223"' in html
        assert re.search(r'value="fake_agent"[^>]*checked', html)
        assert re.search(r'name="danger_now"[^>]*checked', html)
        assert re.search(r'<option value="PK62003" selected', html)
        assert f'value="{data["client_token"]}"' in html  # the same report, not a new one
        assert "old-challenge" not in html  # a fresh proof of work
        assert "data-carried" in html
        # Not sent, not checked: no report stored, no errors shown.
        assert not Tip.objects.exists()
        assert "form-errors" not in html
        assert "errorlist" not in html

    def test_switching_back_to_urdu_keeps_it_too(self, client: Client) -> None:
        client.cookies["ahtc_lang"] = "en"
        response = switch(client, "ur", typed())
        html = response.content.decode()
        assert '<html lang="ur" dir="rtl">' in html
        assert DESCRIPTION in html
        assert response.cookies["ahtc_lang"].value == "ur"

    def test_the_language_button_submits_the_report_form_itself(self, client: Client) -> None:
        html = client.get(reverse("portal:report")).content.decode()
        assert 'id="report-form"' in html
        button = re.search(r"<button[^>]*data-switch-language[^>]*>", html)
        assert button
        assert 'form="report-form"' in button.group(0)
        assert 'formenctype="application/x-www-form-urlencoded"' in button.group(0)  # no files
        # A hidden default button comes first, so Enter in a text box sends the report.
        first = re.search(r'<button type="submit" form="report-form"[^>]*>', html)
        assert first
        assert "hidden" in first.group(0)

    def test_chosen_files_are_asked_for_again(self, client: Client) -> None:
        response = switch(client, "en", typed(attachments="raseed.jpg"))
        assert "Files cannot be kept when the language is changed" in response.content.decode()
        assert "Files cannot be kept" not in switch(client, "en", typed()).content.decode()

    def test_an_unknown_language_is_an_ordinary_submission(self, client: Client) -> None:
        response = switch(client, "fr", typed(description="short"))
        assert "form-errors" in response.content.decode()  # checked like a report
        assert "ahtc_lang" not in response.cookies

    def test_an_overlong_value_is_cut_not_echoed_whole(self, client: Client) -> None:
        response = switch(client, "en", typed(place="x" * 100_000))
        assert len(response.content) < 60_000


@pytest.mark.django_db
class TestReceipt:
    def test_the_receipt_code_is_shown_again_in_the_other_language(self, client: Client) -> None:
        sent = client.post(reverse("portal:report"), typed(pow_challenge="", pow_nonce=""))
        html = sent.content.decode()
        code = re.search(r"<output>([0-9 ]{19})</output>", html)
        assert code
        token = re.search(r'name="receipt" value="([^"]+)"', html)
        assert token
        assert 'form="receipt-language"' in html

        switched = switch(client, "en", {"receipt": token.group(1)})
        again = switched.content.decode()
        assert '<html lang="en" dir="ltr">' in again
        assert f"<output>{code.group(1)}</output>" in again
        assert "Someone is in danger: call now." in again  # danger_now was ticked
        assert switched.cookies["ahtc_lang"].value == "en"
        assert Tip.objects.count() == 1  # nothing sent twice

        token_again = re.search(r'name="receipt" value="([^"]+)"', again)
        assert token_again
        back = switch(client, "ur", {"receipt": token_again.group(1)})
        assert f"<output>{code.group(1)}</output>" in back.content.decode()

    def test_the_code_is_never_put_in_a_url(self, client: Client) -> None:
        token = receipt_token(code="1234 5678 9012 3456", danger_now=False)
        response = switch(client, "en", {"receipt": token})
        assert response.status_code == 200
        assert "1234" not in response.get("Location", "")

    def test_an_altered_receipt_token_shows_no_code(self, client: Client) -> None:
        forged = signing.dumps({"code": "1111 2222 3333 4444", "danger": False}, salt="other")
        response = switch(client, "en", {"receipt": forged})
        html = response.content.decode()
        assert "1111 2222" not in html
        assert 'id="report-form"' in html  # the report form, in English

    def test_an_old_receipt_token_shows_no_code(
        self, client: Client, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        token = signing.dumps({"code": "1111 2222 3333 4444", "danger": False}, salt=RECEIPT_SALT)
        monkeypatch.setattr("ahtc.portal.switch.RECEIPT_MAX_AGE", -1)
        html = switch(client, "en", {"receipt": token}).content.decode()
        assert "1111 2222" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ur", "en"])
def test_file_box_help_comes_first_and_its_button_speaks_the_page_language(
    client: Client, language: str
) -> None:
    client.cookies["ahtc_lang"] = language
    html = client.get(reverse("portal:report")).content.decode()
    help_at = html.index('id="id_attachments_helptext"')
    input_at = html.index('type="file"')
    assert help_at < input_at  # read before choosing
    box = html[input_at - 200 : html.index("</div>", input_at)]
    assert 'aria-describedby="id_attachments_helptext"' in box
    assert 'class="file-button" aria-hidden="true"' in box
    assert "data-file-pick" in html
    assert html.count('id="id_attachments_helptext"') == 1


@pytest.mark.django_db
def test_no_typed_text_or_code_reaches_the_logs(client: Client, caplog: Any) -> None:
    """A variable missing from a template is logged with the whole context."""
    with caplog.at_level("DEBUG"):
        client.get(reverse("portal:report"))
        switch(client, "en", typed())
        sent = client.post(reverse("portal:report"), typed(pow_challenge="", pow_nonce=""))
        token = re.search(r'name="receipt" value="([^"]+)"', sent.content.decode())
        assert token
        switch(client, "ur", {"receipt": token.group(1)})
    code = re.search(r"<output>([0-9 ]{19})</output>", sent.content.decode())
    assert code
    assert DESCRIPTION not in caplog.text
    assert "0300-1112223" not in caplog.text
    assert code.group(1) not in caplog.text
    assert "Exception while resolving variable" not in caplog.text


def _looked_up(client: Client) -> tuple[str, str]:
    """Send a report, read its code, look it up: (code, the page's thread token)."""
    sent = client.post(reverse("portal:report"), typed(pow_challenge="", pow_nonce=""))
    found = re.search(r"<output>([0-9 ]{19})</output>", sent.content.decode())
    assert found
    code = found.group(1).replace(" ", "")
    page = client.post(reverse("portal:follow_up"), {"code": code}).content.decode()
    token = re.search(r'name="thread" value="([^"]+)"', page)
    assert token
    assert 'form="follow-up-reply"' in page  # the language button submits the reply form
    return code, token.group(1)


def switch_follow_up(client: Client, language: str, data: dict[str, Any]) -> Any:
    return client.post(reverse("portal:follow_up"), {**data, "switch_language": language})


@pytest.mark.django_db
class TestFollowUp:
    def test_the_thread_and_the_reply_being_typed_come_back_in_english(
        self, client: Client
    ) -> None:
        code, token = _looked_up(client)
        reply = "ایجنٹ کا دفتر بس اسٹینڈ کے پاس ہے۔"
        response = switch_follow_up(
            client, "en", {"code": code, "thread": token, "body": reply, "pow_nonce": ""}
        )
        html = response.content.decode()
        assert '<html lang="en" dir="ltr">' in html
        assert "Status" in html
        assert "Your message to the cell" in html
        assert reply in html  # what was typed, not sent
        assert response.cookies["ahtc_lang"].value == "en"
        tip = Tip.objects.get()
        assert not tip.messages.filter(from_reporter=True).exists()
        assert code not in response.get("Location", "")

    def test_files_chosen_for_a_reply_are_asked_for_again(self, client: Client) -> None:
        code, token = _looked_up(client)
        html = switch_follow_up(
            client, "en", {"code": code, "thread": token, "body": "x", "attachments": "a.jpg"}
        ).content.decode()
        assert "Files cannot be kept when the language is changed" in html

    def test_a_typed_code_is_kept_but_not_looked_up(self, client: Client) -> None:
        html = switch_follow_up(client, "en", {"code": "1234 5678"}).content.decode()
        assert 'value="1234 5678"' in html
        assert 'id="status-h"' not in html  # no look-up without the proof of work
        assert 'id="follow-up-lookup"' in html

    def test_a_forged_or_old_thread_token_shows_no_thread(
        self, client: Client, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        code, token = _looked_up(client)
        forged = signing.dumps({"thread": code}, salt="other")
        html = switch_follow_up(client, "en", {"thread": forged}).content.decode()
        assert 'id="status-h"' not in html
        monkeypatch.setattr("ahtc.portal.switch.THREAD_MAX_AGE", -1)
        html = switch_follow_up(client, "en", {"thread": token}).content.decode()
        assert 'id="status-h"' not in html
