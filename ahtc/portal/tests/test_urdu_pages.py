"""Every public page, rendered in Urdu, is Urdu (issue 18).

Visible text (and the attributes a person hears or reads: labels, titles,
placeholders, the messages the scripts show) may hold no Latin-script word
outside a short allow-list, and no message from Django's own catalogue: those
reach a page in English or misspelt. Text marked `lang="en"` or `dir="ltr"`
(receipt codes, numbers, the "English" button) is left out on purpose.
"""

from __future__ import annotations

import re
import uuid
from html.parser import HTMLParser

import pytest
from django import forms
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ahtc.geography.models import Area
from ahtc.onboarding.defaults import STARTER_PAGES
from ahtc.portal.models import (
    ContentPage,
    Tip,
    TipAttachment,
    TipMessage,
    TipStatus,
)
from ahtc.portal.receipts import normalise_code

# Latin words allowed on an Urdu page: none so far beyond what is marked
# left-to-right. Add brand names here only with a reason.
ALLOWED_LATIN: frozenset[str] = frozenset()
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
HEARD_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
SKIPPED_TAGS = {"script", "style", "template"}
VOID_TAGS = {"area", "br", "hr", "img", "input", "link", "meta", "source", "wbr", "col"}


class VisibleText(HTMLParser):
    """Text a reader meets on the page, without parts marked left to right."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # True: this element's text is skipped
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        marked_ltr = values.get("lang") == "en" or values.get("dir") == "ltr"
        skipped = tag in SKIPPED_TAGS or marked_ltr or bool(self.stack and self.stack[-1])
        if not skipped:
            for name, value in attrs:
                if value and (name in HEARD_ATTRIBUTES or name.startswith("data-msg-")):
                    self.parts.append(value)
        if tag not in VOID_TAGS:
            self.stack.append(skipped)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_TAGS and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def latin_words(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(parser.parts)
    return {word for word in LATIN_WORD.findall(text) if word not in ALLOWED_LATIN}


def django_default_messages() -> list[str]:
    """Django's own messages for the fields the public forms use, in Urdu,
    cut before the first placeholder (the part that shows on a page)."""
    fields = [forms.CharField(), forms.ChoiceField(), forms.FileField(), forms.IntegerField()]
    messages = [m for field in fields for m in field.error_messages.values()]
    messages += [MinLengthValidator(10).message, MaxLengthValidator(10).message]
    with translation.override("ur"):
        texts = {str(message).split("%(")[0].strip() for message in messages}
    return sorted(text for text in texts if len(text) > 3)


def report_data(**changes: str) -> dict[str, str]:
    data = {
        "client_token": uuid.uuid4().hex,
        "category": "fake_agent",
        "district": "PK620",
        "tehsil": "",
        "description": "ایک ایجنٹ نے ویزے کے لیے پیسے لیے اور غائب ہو گیا۔",
        "child_involved": "no",
    }
    data.update(changes)
    return data


def receipt_of(response: object) -> str:
    match = re.search(r"<output>([0-9 ]{19})</output>", response.content.decode())  # type: ignore[attr-defined]
    assert match, "no receipt code on the page"
    return normalise_code(match.group(1))


def assert_urdu(html: str, page: str) -> None:
    assert 'lang="ur"' in html, page
    assert latin_words(html) == set(), f"Latin-script words on {page}"
    shown = [m for m in django_default_messages() if m in html]
    assert shown == [], f"Django's own messages on {page}"


@pytest.fixture(autouse=True)
def no_padding(settings: object) -> None:
    settings.AHTC_RECEIPT_MIN_SECONDS = 0  # type: ignore[attr-defined]


@pytest.fixture
def urdu_client() -> Client:
    client = Client()
    client.cookies["ahtc_lang"] = "ur"
    return client


@pytest.fixture
def thread(urdu_client: Client) -> tuple[str, Tip]:
    """A report with a reply from the cell carrying a file, and a file sent back."""
    code = receipt_of(urdu_client.post(reverse("portal:report"), report_data()))
    tip = Tip.objects.get()
    from_cell = TipMessage.objects.create(tip=tip, from_reporter=False, body="شکریہ۔ ایجنٹ کا نام؟")
    from_reporter = TipMessage.objects.create(tip=tip, from_reporter=True, body="نام یاد نہیں۔")
    for message, kind, size in ((from_cell, "pdf", 1_572_864), (from_reporter, "jpeg", 40_000)):
        TipAttachment.objects.create(
            tip=tip,
            message=message,
            stored_name=uuid.uuid4().hex,
            kind=kind,
            size=size,
            sha256="0" * 64,
        )
    return code, tip


@pytest.mark.django_db
class TestPublicPagesAreUrdu:
    def test_home_report_form_help_and_leave(self, urdu_client: Client) -> None:
        slug, kind, title_en, title_ur, body_en, body_ur = STARTER_PAGES[0]
        ContentPage.objects.create(
            slug=slug,
            kind=kind,
            area=Area.objects.get(code="PK6"),
            title_en=title_en,
            title_ur=title_ur,
            body_en=body_en,
            body_ur=body_ur,
            published=True,
        )
        pages = {
            "home": urdu_client.get(reverse("portal:home")),
            "report form": urdu_client.get(reverse("portal:report")),
            "help": urdu_client.get(reverse("help:index") + "?district=PK620"),
            "help page": urdu_client.get(reverse("help:page", args=[slug])),
            "follow-up": urdu_client.get(reverse("portal:follow_up")),
            "leave": urdu_client.post(reverse("portal:leave")),
        }
        for name, response in pages.items():
            assert response.status_code == 200, name
            assert_urdu(response.content.decode(), name)

    @pytest.mark.parametrize(
        "changes",
        [
            {"category": "", "district": "", "description": "", "child_involved": ""},
            {"description": "مختصر"},
            {"description": "ب" * 4001, "place": "ج" * 301},
            {"category": "no-such-kind", "child_involved": "maybe", "district": "PK999"},
            {"client_token": ""},
        ],
    )
    def test_report_form_refusals(self, urdu_client: Client, changes: dict[str, str]) -> None:
        response = urdu_client.post(reverse("portal:report"), report_data(**changes))
        html = response.content.decode()
        assert 'class="field-errors"' in html or "form-errors" in html
        assert_urdu(html, f"report form refused with {sorted(changes)}")

    def test_receipt(self, urdu_client: Client) -> None:
        response = urdu_client.post(reverse("portal:report"), report_data(danger_now="on"))
        assert_urdu(response.content.decode(), "receipt")

    def test_follow_up_not_found_and_bad_codes(self, urdu_client: Client) -> None:
        for code in ("0000 0000 0000 0000", "123", "", "9" * 41):
            response = urdu_client.post(reverse("portal:follow_up"), {"code": code})
            assert_urdu(response.content.decode(), f"follow-up with {code!r}")

    @pytest.mark.parametrize("status", list(TipStatus))
    def test_follow_up_thread_in_every_status(
        self, urdu_client: Client, thread: tuple[str, Tip], status: TipStatus
    ) -> None:
        code, tip = thread
        # "linked" needs a case, or the review flag of reports linked before that rule.
        Tip.objects.filter(pk=tip.pk).update(status=status, link_review=True)
        response = urdu_client.post(reverse("portal:follow_up"), {"code": code})
        html = response.content.decode()
        assert "1.5 ایم بی" in html
        assert "پی ڈی ایف دستاویز" in html
        assert_urdu(html, f"follow-up thread, status {status}")

    def test_reporter_reply_refused(self, urdu_client: Client, thread: tuple[str, Tip]) -> None:
        code, _tip = thread
        response = urdu_client.post(reverse("portal:follow_up"), {"code": code, "body": ""})
        html = response.content.decode()
        assert "field-errors" in html
        assert_urdu(html, "follow-up reply refused")

    @pytest.mark.parametrize(
        "template", ["portal/busy.html", "portal/too_large.html", "portal/file_held.html"]
    )
    def test_pages_shown_on_refusal(self, template: str) -> None:
        with translation.override("ur"):
            html = render_to_string(template, {})
        assert_urdu(html, template)


@pytest.mark.django_db
def test_public_status_never_uses_the_cells_terms(
    urdu_client: Client, thread: tuple[str, Tip]
) -> None:
    code, tip = thread
    Tip.objects.filter(pk=tip.pk).update(status=TipStatus.NOT_ACTIONABLE)
    html = urdu_client.post(reverse("portal:follow_up"), {"code": code}).content.decode()
    with translation.override("ur"):
        staff_words = [str(label) for label in TipStatus.labels]
    assert [word for word in staff_words if word in html] == []


def test_the_checker_finds_latin_words_and_skips_marked_text() -> None:
    html = '<p>ہم <b>Ensure</b> <span dir="ltr">PK620</span></p><input aria-label="Send">'
    assert latin_words(html) == {"Ensure", "Send"}
