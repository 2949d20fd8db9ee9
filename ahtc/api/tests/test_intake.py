"""Citizen reports from partner systems: POST /api/v1/reports/ (issue 20).

A gateway's token (scope reports:submit, a helpline role) sends a report on a
citizen's behalf; it is checked like the web form, stored whole by the same
service, once per idempotency key, and nothing of it is echoed or logged."""

from __future__ import annotations

import base64
import io
import logging
import re
import secrets
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from PIL import Image
from rest_framework.test import APIClient

from ahtc.accounts.models import OrganisationKind, User
from ahtc.accounts.roles import Role
from ahtc.api import throttling
from ahtc.api.services import api_token_create
from ahtc.core import ratelimit
from ahtc.core.models import AuditAction, AuditEvent
from ahtc.portal.files import MAX_FILE_BYTES, read_decrypted, storage_dir
from ahtc.portal.models import Channel, Tip, TipAttachment
from ahtc.portal.receipts import normalise_code
from ahtc.portal.services import tip_for_receipt

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/"
TEXT = "An agent took 3 million rupees for a visa to Italy and vanished."
PHONE = "0300-7654321"  # synthetic
NAME = "Syntheticname Agentovich"
Client = Callable[..., APIClient]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def pdf_bytes(size: int = 2000) -> bytes:
    head = b"%PDF-1.4\n"
    return head + b"a" * (size - len(head))


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


def attachment(
    data: bytes, name: str = "scan.pdf", kind: str = "application/pdf"
) -> dict[str, str]:
    return {"name": name, "content_type": kind, "data": b64(data)}


def report(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "idempotency_key": "sms-0001-" + secrets.token_hex(4),
        "channel": "sms",
        "category": "fake_agent",
        "district": "PK620",
        "tehsil": "PK62003",
        "place": "near the bus stand",
        "when": "last month",
        "description": TEXT,
        "involved": f"agent called {NAME}, {PHONE}",
        "child_involved": "no",
        "danger_now": False,
        "contact": PHONE,
    }
    body.update(changes)
    return body


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def frozen_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    """Half past a minute of its own: budgets never cross a minute boundary."""
    now = 60.0 * (1_000_000 + secrets.randbelow(10**9)) + 30.0
    clock = SimpleNamespace(time=lambda: now)
    monkeypatch.setattr(ratelimit, "time", clock)
    monkeypatch.setattr(throttling, "time", clock)


@pytest.fixture
def gateway_user(make_user: Callable[..., User]) -> User:
    return make_user("sms_gateway", Role.HELPLINE, "PK6", kind=OrganisationKind.NGO)


@pytest.fixture
def client_for(db: None) -> Client:
    def make(user: User, scopes: tuple[str, ...] = ("reports:submit",)) -> APIClient:
        _token, key = api_token_create(user=user, name="SMS gateway", by=None, scopes=scopes)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


@pytest.fixture
def gateway(client_for: Client, gateway_user: User) -> APIClient:
    return client_for(gateway_user)


def post(client: APIClient, body: Any) -> Any:
    return client.post(URL, body, format="json")


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content[:500]
    body: dict[str, Any] = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    return body


def stored_files() -> list[Any]:
    folder = storage_dir()
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


class TestHappyPath:
    def test_report_is_stored_whole_with_a_receipt(
        self, gateway: APIClient, gateway_user: User
    ) -> None:
        photo, scan = jpeg_bytes(), pdf_bytes()
        files = [attachment(photo, "IMG_1.jpg", "image/jpeg"), attachment(scan)]
        response = post(gateway, report(attachments=files, danger_now=True))
        assert response.status_code == 201, response.content
        body = response.json()
        assert set(body) == {"receipt_code", "status", "stored_at"}
        assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", body["receipt_code"])
        assert body["status"] == "new"
        tip = Tip.objects.get()
        assert tip_for_receipt(normalise_code(body["receipt_code"])) == tip
        assert tip.tehsil is not None
        assert (tip.description, tip.category, tip.district.code, tip.tehsil.code) == (
            TEXT,
            "fake_agent",
            "PK620",
            "PK62003",
        )
        assert tip.contact == PHONE
        assert tip.danger_now
        assert tip.channel == Channel.SMS
        with translation.override("en"):  # the request left Urdu active in this thread
            assert tip.get_channel_display() == "SMS gateway"
        assert tip.partner == gateway_user.organisation
        assert tip.partner_token is not None
        assert tip.partner_token.user == gateway_user
        assert tip.recorded_by == gateway_user
        assert not tip.held_for_review
        kinds = sorted(a.kind for a in tip.attachments.all())
        assert kinds == ["jpeg", "pdf"]
        pdf_row = tip.attachments.get(kind="pdf")
        assert read_decrypted(pdf_row.stored_name) == scan

    def test_the_write_is_audited_by_the_gateway_user(
        self, gateway: APIClient, gateway_user: User
    ) -> None:
        post(gateway, report())
        tip = Tip.objects.get()
        event = AuditEvent.objects.get(object_type="portal.tip", action=AuditAction.CREATE)
        assert (event.actor, event.object_id) == (gateway_user, str(tip.pk))

    def test_each_api_channel_is_recorded(self, gateway: APIClient) -> None:
        expected = {
            "sms": Channel.SMS,
            "whatsapp": Channel.WHATSAPP,
            "helpline": Channel.HELPLINE,
            "portal_other_province": Channel.OTHER_PROVINCE,
        }
        for channel in expected:
            assert post(gateway, report(channel=channel)).status_code == 201
        assert sorted(Tip.objects.values_list("channel", flat=True)) == sorted(expected.values())

    def test_optional_fields_may_be_left_out(self, gateway: APIClient) -> None:
        body = {k: v for k, v in report().items() if k not in {"tehsil", "place", "when"}}
        body.pop("involved"), body.pop("contact"), body.pop("danger_now")
        assert post(gateway, body).status_code == 201


class TestIdempotency:
    def test_a_retry_returns_the_same_receipt_and_stores_nothing(self, gateway: APIClient) -> None:
        body = report(attachments=[attachment(pdf_bytes())])
        first = post(gateway, body)
        events = AuditEvent.objects.count()
        again = post(gateway, body)
        assert again.status_code == 200
        assert again.json() == first.json()
        assert Tip.objects.count() == 1
        assert TipAttachment.objects.count() == 1
        assert len(stored_files()) == 1
        assert AuditEvent.objects.count() == events

    def test_a_different_report_under_a_used_key_is_a_409(self, gateway: APIClient) -> None:
        body = report()
        post(gateway, body)
        changed = {**body, "description": "Another report entirely, about a kiln."}
        assert_error(post(gateway, changed), 409, "idempotency_conflict")
        other_file = {**body, "attachments": [attachment(pdf_bytes())]}
        assert_error(post(gateway, other_file), 409, "idempotency_conflict")
        other_channel = {**body, "channel": "whatsapp"}
        assert_error(post(gateway, other_channel), 409, "idempotency_conflict")
        assert Tip.objects.count() == 1
        assert TipAttachment.objects.count() == 0

    def test_a_new_token_of_the_same_organisation_keeps_its_keys(
        self, client_for: Client, gateway_user: User
    ) -> None:
        body = report()
        first = post(client_for(gateway_user), body)
        again = post(client_for(gateway_user), body)
        assert (first.status_code, again.status_code) == (201, 200)
        assert again.json()["receipt_code"] == first.json()["receipt_code"]

    def test_two_organisations_may_use_the_same_key(
        self, client_for: Client, gateway_user: User, make_user: Callable[..., User]
    ) -> None:
        other = make_user(
            "other_portal", Role.HELPLINE, "PK6", kind=OrganisationKind.SOCIAL_WELFARE
        )
        body = report(idempotency_key="shared-key-0001")
        first = post(client_for(gateway_user), body)
        second = post(client_for(other), body)
        assert (first.status_code, second.status_code) == (201, 201)
        assert first.json()["receipt_code"] != second.json()["receipt_code"]
        assert Tip.objects.count() == 2


class TestValidation:
    def test_field_errors_come_in_the_json_error_format(self, gateway: APIClient) -> None:
        body = report(description="short", district="PK999", category="nonsense")
        error = assert_error(post(gateway, body), 400, "invalid")
        assert {"description", "category"} <= set(error["fields"])
        assert Tip.objects.count() == 0

    def test_the_web_forms_checks_apply(self, gateway: APIClient) -> None:
        error = assert_error(post(gateway, report(district="PK999")), 400, "invalid")
        assert error["fields"] == {"district": ["Choose a district from the list."]}
        error = assert_error(post(gateway, report(tehsil="PK61001")), 400, "invalid")
        assert error["fields"] == {"tehsil": ["That tehsil is not in the district you chose."]}
        assert Tip.objects.count() == 0

    def test_missing_fields_are_named(self, gateway: APIClient) -> None:
        error = assert_error(post(gateway, {"channel": "sms"}), 400, "invalid")
        required = {"idempotency_key", "category", "district", "description", "child_involved"}
        assert required <= set(error["fields"])

    def test_bad_key_channel_and_boolean_are_refused(self, gateway: APIClient) -> None:
        body = report(idempotency_key="a b", channel="fax", danger_now="yes")
        error = assert_error(post(gateway, body), 400, "invalid")
        assert {"idempotency_key", "channel", "danger_now"} <= set(error["fields"])

    def test_a_body_that_is_not_an_object_is_refused(self, gateway: APIClient) -> None:
        assert_error(post(gateway, [report()]), 400, "invalid")

    def test_form_encoded_bodies_are_refused(self, gateway: APIClient) -> None:
        response = gateway.post(URL, {"description": TEXT}, format="multipart")
        assert_error(response, 415, "unsupported_media_type")

    def test_a_token_serves_its_own_districts_only(
        self, client_for: Client, make_user: Callable[..., User]
    ) -> None:
        district_line = make_user(
            "helpline_mbdin", Role.HELPLINE, "PK620", kind=OrganisationKind.NGO
        )
        client = client_for(district_line)
        error = assert_error(post(client, report(district="PK610", tehsil="")), 400, "invalid")
        assert set(error["fields"]) == {"district"}
        assert post(client, report()).status_code == 201
        assert Tip.objects.get().district.code == "PK620"


class TestAttachments:
    def test_an_oversize_file_is_refused_with_the_reason_and_nothing_stored(
        self, gateway: APIClient
    ) -> None:
        big = attachment(pdf_bytes(MAX_FILE_BYTES + 1))
        body = report(attachments=[attachment(pdf_bytes()), big])
        error = assert_error(post(gateway, body), 400, "invalid")
        assert "8 MB" in error["fields"]["attachments.1.data"][0]
        assert Tip.objects.count() == 0
        assert stored_files() == []

    def test_a_file_of_the_wrong_type_is_refused_and_nothing_stored(
        self, gateway: APIClient
    ) -> None:
        page = attachment(b"<html><script>alert(1)</script></html>", "a.pdf")
        body = report(attachments=[attachment(pdf_bytes()), page])
        error = assert_error(post(gateway, body), 400, "invalid")
        assert error["fields"]["attachments.1.data"][0]
        assert Tip.objects.count() == 0
        assert stored_files() == []

    def test_the_type_is_read_from_the_content_not_the_claim(self, gateway: APIClient) -> None:
        body = report(attachments=[attachment(pdf_bytes(), "photo.jpg", "image/jpeg")])
        assert post(gateway, body).status_code == 201
        assert TipAttachment.objects.get().kind == "pdf"

    def test_more_than_three_files_are_refused(self, gateway: APIClient) -> None:
        body = report(attachments=[attachment(pdf_bytes(1000 + n)) for n in range(4)])
        error = assert_error(post(gateway, body), 400, "invalid")
        assert "attachments" in error["fields"]
        assert Tip.objects.count() == 0

    def test_data_that_is_not_base64_is_refused(self, gateway: APIClient) -> None:
        bad = {"name": "a.pdf", "content_type": "application/pdf", "data": "%%%not base64"}
        error = assert_error(post(gateway, report(attachments=[bad])), 400, "invalid")
        assert error["fields"] == {"attachments.0.data": ["Give the file's bytes as base64."]}

    def test_a_retry_with_the_files_stores_them_once(self, gateway: APIClient) -> None:
        body = report(attachments=[attachment(jpeg_bytes(), "p.jpg", "image/jpeg")])
        assert post(gateway, body).status_code == 201
        assert post(gateway, body).status_code == 200
        assert TipAttachment.objects.count() == 1


class TestWhoMaySend:
    def test_a_staff_token_without_reports_submit_gets_403(
        self, client_for: Client, officer_mbdin: User
    ) -> None:
        client = client_for(officer_mbdin, ("read", "write"))
        assert_error(post(client, report()), 403, "insufficient_scope")
        assert Tip.objects.count() == 0

    def test_an_intake_token_does_nothing_else(self, gateway: APIClient) -> None:
        assert_error(gateway.get("/api/v1/cases/"), 403, "insufficient_scope")
        assert_error(gateway.get("/api/v1/me/"), 403, "insufficient_scope")
        body = {"facts": {"act_recruit": "yes"}}
        response = gateway.post("/api/v1/classification/suggest/", body, format="json")
        assert_error(response, 403, "insufficient_scope")

    def test_a_user_who_may_not_record_reports_gets_403(
        self, client_for: Client, fia_liaison: User
    ) -> None:
        assert_error(post(client_for(fia_liaison), report()), 403, "permission_denied")
        assert Tip.objects.count() == 0

    def test_a_signed_in_session_may_not_use_the_intake(
        self, officer_mbdin: User, login_as: Any
    ) -> None:
        session = login_as(officer_mbdin)
        response = session.post(URL, report(), content_type="application/json")
        assert response.status_code == 403
        assert Tip.objects.count() == 0

    def test_without_credentials_it_is_401(self) -> None:
        assert_error(post(APIClient(), report()), 401, "not_authenticated")

    def test_a_revoked_token_is_401(self, gateway_user: User) -> None:
        token, key = api_token_create(
            user=gateway_user, name="x", by=None, scopes=["reports:submit"]
        )
        token.revoked_at = token.created_at
        token.save()
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert post(client, report()).status_code == 401


@pytest.mark.usefixtures("frozen_minute")
class TestRateLimit:
    def test_a_token_over_its_intake_budget_gets_429_with_retry_after(
        self, client_for: Client, gateway_user: User, settings: Any
    ) -> None:
        settings.AHTC_API_INTAKE_PER_MINUTE = 2
        gateway = client_for(gateway_user)
        assert [post(gateway, report()).status_code for _ in range(2)] == [201, 201]
        response = post(gateway, report())
        assert_error(response, 429, "throttled")
        assert response["Retry-After"] == "30"
        assert Tip.objects.count() == 2
        # Another token has a budget of its own.
        assert post(client_for(gateway_user), report()).status_code == 201

    def test_proof_of_work_and_public_budgets_do_not_apply(
        self, gateway: APIClient, settings: Any
    ) -> None:
        settings.AHTC_SUBMISSIONS_PER_MINUTE_VERIFIED = 0
        settings.AHTC_SUBMISSIONS_PER_MINUTE_UNVERIFIED = 0
        settings.AHTC_HELD_PER_MINUTE = 0
        assert post(gateway, report()).status_code == 201
        assert not Tip.objects.get().held_for_review


class TestNothingOfTheReportLeaks:
    def test_no_text_phone_or_name_in_answers_logs_or_audit(
        self, gateway: APIClient, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.DEBUG)
        body = report(attachments=[attachment(pdf_bytes())])
        answers = [
            post(gateway, body),
            post(gateway, body),
            post(gateway, {**body, "description": TEXT + " more"}),
            post(gateway, report(district="PK999")),
            post(gateway, report(attachments=[attachment(b"<html></html>")])),
        ]
        assert [a.status_code for a in answers] == [201, 200, 409, 400, 400]
        audit = " ".join(
            f"{e.actor_label} {e.object_type} {e.object_id} {e.area_code} {e.reason}"
            for e in AuditEvent.objects.all()
        )
        for secret in (TEXT, PHONE, NAME, "bus stand", "last month"):
            assert secret not in caplog.text
            assert secret not in audit
            for answer in answers:
                assert secret.encode() not in answer.content

    def test_no_address_is_stored(self, gateway: APIClient) -> None:
        response = gateway.post(URL, report(), format="json", REMOTE_ADDR="203.0.113.77")
        assert response.status_code == 201
        tip = Tip.objects.get()
        values = [str(getattr(tip, f.attname)) for f in Tip._meta.concrete_fields]
        assert not any("203.0.113" in v for v in values)
        assert not AuditEvent.objects.filter(reason__contains="203.0.113").exists()


class TestContract:
    def test_every_answer_matches_the_published_schema(self, gateway: APIClient) -> None:
        from ahtc.api.tests.test_contract import assert_matches_schema

        schema = APIClient().get("/api/v1/schema/").json()
        body = report()
        answers = [
            post(gateway, body),
            post(gateway, body),
            post(gateway, {**body, "when": "yesterday"}),
            post(gateway, report(district="PK999")),
        ]
        assert [a.status_code for a in answers] == [201, 200, 409, 400]
        for answer in answers:
            assert_matches_schema(schema, URL, answer, method="post")
        operation = schema["paths"][URL]["post"]
        assert operation["requestBody"]["content"]["application/json"]["examples"]
        assert set(operation["responses"]) >= {"200", "201", "409", "503"}
        assert "scopes" in schema["components"]["schemas"]["Me"]["properties"]


class TestTheCellSeesWhereItCameFrom:
    def test_queue_and_report_show_the_gateway(
        self, gateway: APIClient, gateway_user: User, officer_mbdin: User, login_as: Any
    ) -> None:
        post(gateway, report())
        tip = Tip.objects.get()
        cell = login_as(officer_mbdin)
        queue = cell.get(reverse("cell:intake"))
        assert b"SMS gateway" in queue.content
        detail = cell.get(reverse("cell:intake_detail", args=[tip.pk]))
        assert detail.status_code == 200
        organisation = gateway_user.organisation
        assert organisation is not None
        assert f"sent by {organisation.name}".encode() in detail.content
