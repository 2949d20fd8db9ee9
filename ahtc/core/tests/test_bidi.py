"""Phone numbers, CNICs and codes keep their order in Urdu and in English pages."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.core.templatetags.bidi import ltr, ltr_numbers
from ahtc.geography.models import Area
from ahtc.portal.models import Tip
from ahtc.portal.services import tip_submit

PHONE = "0300-1112223"
CNIC = "35202-1234567-1"
ISOLATED_PHONE = f'<bdi dir="ltr">{PHONE}</bdi>'


class TestFilters:
    def test_a_phone_after_urdu_words_is_isolated(self) -> None:
        assert ltr_numbers(f"ایجنٹ کا فون {PHONE}") == f"ایجنٹ کا فون {ISOLATED_PHONE}"

    def test_cnic_and_international_numbers_are_isolated_whole(self) -> None:
        out = ltr_numbers(f"CNIC {CNIC}, +92 300 1112223.")
        assert f'<bdi dir="ltr">{CNIC}</bdi>' in out
        assert '<bdi dir="ltr">+92 300 1112223</bdi>.' in out

    def test_short_numbers_are_left_alone(self) -> None:
        assert ltr_numbers("3 بچے، عمر 12 سال، 2025") == "3 بچے، عمر 12 سال، 2025"

    def test_text_is_escaped_before_numbers_are_marked(self) -> None:
        out = ltr_numbers(f"<script>alert(1)</script> {PHONE} 'x'")
        assert "<script>" not in out
        assert "&lt;script&gt;" in out
        assert ISOLATED_PHONE in out
        assert "&#x27;x&#x27;" in out

    def test_line_breaks_still_work_after_the_filter(self) -> None:
        html = Template("{% load bidi %}{{ v|ltr_numbers|linebreaksbr }}").render(
            Context({"v": f"a <b>\n{PHONE}"})
        )
        assert html == f"a &lt;b&gt;<br>{ISOLATED_PHONE}"

    def test_ltr_isolates_and_escapes_a_code(self) -> None:
        assert ltr("MBD-2026-0002") == '<bdi dir="ltr">MBD-2026-0002</bdi>'
        assert ltr("<x>") == '<bdi dir="ltr">&lt;x&gt;</bdi>'
        assert ltr("") == ""
        assert ltr(None) == ""


def make_tip(**changes: Any) -> Tip:
    values: dict[str, Any] = {
        "client_token": uuid.uuid4().hex,
        "category": "fake_agent",
        "district": Area.objects.get(code="PK620"),
        "tehsil": None,
        "description": f"ایجنٹ نے پیسے لیے۔ اس کا نمبر {PHONE} ہے اور شناختی کارڈ {CNIC}",
        "involved": f"بشیر، {PHONE}",
        "contact": f"فون {PHONE}",
        "child_involved": "no",
    }
    values.update(changes)
    return tip_submit(**values).tip


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ur"])
def test_staff_report_page_isolates_numbers_in_both_languages(
    language: str, officer_mbdin: User, login_as: Callable[[User], Client]
) -> None:
    tip = make_tip()
    client = login_as(officer_mbdin)
    client.cookies["ahtc_lang"] = language
    html = client.get(reverse("cell:intake_detail", args=[tip.pk])).content.decode()
    assert f'lang="{language}"' in html
    # Description, people involved and the reporter's contact: each number isolated.
    assert html.count(ISOLATED_PHONE) >= 3
    assert f'<bdi dir="ltr">{CNIC}</bdi>' in html
    assert f"{PHONE}</bdi>" in html
    assert f" {PHONE} " not in html  # never bare in running text
    assert f'<span dir="ltr">{tip.reference}</span>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ur"])
def test_receipt_code_is_isolated_in_both_languages(client: Client, language: str) -> None:
    client.cookies["ahtc_lang"] = language
    data = {
        "client_token": uuid.uuid4().hex,
        "category": "fake_agent",
        "district": "PK620",
        "description": "An agent took money for a visa and vanished.",
        "child_involved": "no",
    }
    html = client.post(reverse("portal:report"), data).content.decode()
    assert f'lang="{language}"' in html
    assert '<p class="receipt-code" dir="ltr" lang="en"><output>' in html
