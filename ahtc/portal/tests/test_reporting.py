"""The reporter's side: submit, receipt, idempotent retry, follow-up, anonymity."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from ahtc.portal.models import Tip, TipMessage, TipStatus
from ahtc.portal.receipts import normalise_code, receipt_code_for
from ahtc.portal.services import tip_staff_reply

CLIENT_ADDRESS = "203.0.113.77"
USER_AGENT = "Mozilla/5.0 (Linux; Android 8.1; itel A16) UniqueAgent/9.9"


def report_data(**changes):
    data = {
        "client_token": uuid.uuid4().hex,
        "category": "fake_agent",
        "district": "PK620",
        "tehsil": "PK62003",
        "place": "near the bus stand",
        "when": "last month",
        "description": "An agent took 3 million rupees for a visa to Italy and vanished.",
        "involved": "agent called Bashir, 0300-1234567",
        "child_involved": "no",
        "contact": "",
    }
    data.update(changes)
    return data


def submit(client, **changes):
    return client.post(
        reverse("portal:report"),
        report_data(**changes),
        REMOTE_ADDR=CLIENT_ADDRESS,
        HTTP_USER_AGENT=USER_AGENT,
        HTTP_REFERER="https://news.example/story",
    )


def receipt_in(response) -> str:
    match = re.search(rb"<output>([0-9 ]{19})</output>", response.content)
    assert match, "no receipt code on the page"
    return match.group(1).decode().replace(" ", "")


@pytest.fixture(autouse=True)
def no_padding(settings):
    settings.AHTC_RECEIPT_MIN_SECONDS = 0


@pytest.mark.django_db
class TestSubmit:
    def test_form_renders_in_urdu_without_storing_anything(self, client):
        response = client.get(reverse("portal:report"))
        assert response.status_code == 200
        assert b'lang="ur"' in response.content
        assert "no-store" in response["Cache-Control"]
        assert not Tip.objects.exists()

    def test_submission_gives_a_16_digit_receipt_shown_once(self, client):
        response = submit(client)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        code = receipt_in(response)
        assert len(code) == 16
        tip = Tip.objects.get()
        assert tip.status == TipStatus.NEW
        assert code not in str(vars(tip))

    def test_retry_returns_the_same_receipt_and_creates_nothing(self, client):
        token = uuid.uuid4().hex
        first = receipt_in(submit(client, client_token=token))
        second = receipt_in(submit(client, client_token=token))
        assert first == second
        assert Tip.objects.count() == 1

    def test_bad_input_is_explained_and_nothing_is_saved(self, client):
        client.cookies["ahtc_lang"] = "en"
        response = submit(client, description="short", district="", child_involved="maybe")
        assert response.status_code == 200
        assert b"Please correct the marked fields" in response.content
        assert b"at least 10 characters (you wrote 5)." in response.content
        assert not Tip.objects.exists()

    def test_tehsil_of_another_district_is_refused(self, client):
        client.cookies["ahtc_lang"] = "en"
        response = submit(client, tehsil="PK61001")
        assert b"That tehsil is not in the district you chose" in response.content
        assert not Tip.objects.exists()

    def test_danger_now_shows_emergency_numbers_at_once(self, client):
        response = submit(client, danger_now="on")
        assert b'href="tel:15"' in response.content
        assert b'role="alert"' in response.content

    def test_identity_fields_are_encrypted_at_rest(self, client):
        submit(client, contact="0301-7654321")
        with connection.cursor() as cursor:
            cursor.execute("SELECT description, involved, contact, place FROM portal_tip")
            row = cursor.fetchone()
        assert all(value.startswith("enc1:") for value in row)
        assert "Bashir" not in str(row)
        assert "7654321" not in str(row)


@pytest.mark.django_db
class TestAnonymity:
    def test_no_address_agent_or_referrer_is_stored_anywhere(self, client):
        submit(client)
        receipt = receipt_in(submit(client))
        client.post(reverse("portal:follow_up"), {"code": receipt}, REMOTE_ADDR=CLIENT_ADDRESS)
        needles = [CLIENT_ADDRESS, "UniqueAgent", "news.example"]
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names():
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
                dump = repr(cursor.fetchall())
                for needle in needles:
                    assert needle not in dump, f"{needle} found in {table}"

    def test_no_address_in_logs(self, client, caplog):
        with caplog.at_level("DEBUG"):
            submit(client)
            submit(client, description="x")
        assert CLIENT_ADDRESS not in caplog.text
        assert "UniqueAgent" not in caplog.text

    def test_referrer_policy_and_csp(self, client):
        response = client.get(reverse("portal:report"))
        assert response["Referrer-Policy"] == "no-referrer"
        assert "http" not in response["Content-Security-Policy"]


@pytest.mark.django_db
class TestFollowUp:
    def test_reporter_reads_reply_and_answers_with_the_code_in_the_body(
        self, client, officer_mbdin
    ):
        code = receipt_in(submit(client))
        tip = Tip.objects.get()
        tip_staff_reply(
            tip=tip, body="Thank you. Can you tell us the agency's name?", by=officer_mbdin
        )
        response = client.post(reverse("portal:follow_up"), {"code": code})
        assert b"Can you tell us the agency" in response.content
        response = client.post(
            reverse("portal:follow_up"), {"code": code, "body": "It was called Sky Travels."}
        )
        assert response.status_code == 200
        assert TipMessage.objects.filter(tip=tip, from_reporter=True).count() == 1
        assert code not in response.wsgi_request.get_full_path()

    def test_valid_and_invalid_codes_get_the_same_shape(self, client):
        code = receipt_in(submit(client))
        wrong = f"{(int(code) + 1) % 10**16:016d}"
        good = client.post(reverse("portal:follow_up"), {"code": code})
        bad = client.post(reverse("portal:follow_up"), {"code": wrong})
        assert good.status_code == bad.status_code == 200
        assert good.templates[0].name == bad.templates[0].name
        assert b'id="status-h"' in good.content
        assert b'id="status-h"' in bad.content

    def test_short_code_is_explained(self, client):
        client.cookies["ahtc_lang"] = "en"
        response = client.post(reverse("portal:follow_up"), {"code": "1234"})
        assert b"The receipt code has 16 digits" in response.content

    def test_guessing_is_throttled(self, client, settings):
        settings.AHTC_RECEIPT_LOOKUPS_PER_MINUTE = 3
        from django.core.cache import cache

        cache.clear()
        statuses = [
            client.post(reverse("portal:follow_up"), {"code": f"{n:016d}"}).status_code
            for n in range(5)
        ]
        assert statuses == [200, 200, 200, 429, 429]


def test_codes_typed_with_urdu_digits_and_spaces_are_understood():
    assert normalise_code("۱۲۳۴ ۵۶۷۸-9012 3456") == "1234567890123456"


def test_receipt_code_is_stable_per_token_and_differs_between_tokens():
    assert receipt_code_for("a" * 32) == receipt_code_for("a" * 32)
    assert receipt_code_for("a" * 32) != receipt_code_for("b" * 32)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"), [("district", "PK999"), ("district", "PK62003"), ("tehsil", "PK620")]
)
def test_codes_not_in_the_lists_are_refused(client, field, value):
    client.cookies["ahtc_lang"] = "en"
    response = submit(client, **{field: value})
    assert b"from the list" in response.content
    assert not Tip.objects.exists()
