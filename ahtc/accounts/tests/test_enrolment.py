"""First sign-in needs a one-time enrolment code from an administrator before
the QR code is shown (issue 11); wrong codes count towards the lockout."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ahtc.accounts.services import enrolment_issue, enrolment_link
from ahtc.core.models import AuditAction, AuditEvent
from conftest import PASSWORD, current_code

ENROL = "/accounts/enrol/"


def sign_in(client: Client, username: str, code: str = "") -> int:
    client.cookies["ahtc_lang"] = "en"
    data = {"username": username, "password": PASSWORD, "otp_token": code}
    return client.post(reverse("accounts:login"), data).status_code


def finish(client: Client, user) -> int:
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    token = f"{totp(device.bin_key, t0=0, step=30, digits=6):06d}"
    return client.post(ENROL, {"otp_token": token}).status_code


@pytest.fixture
def newcomer(make_user):
    return make_user("newcomer", enrolled=False)


@pytest.mark.django_db
class TestCodeRequired:
    def test_password_alone_shows_the_code_form_not_the_qr_code(self, client, newcomer):
        sign_in(client, "newcomer")
        page = client.get(ENROL)
        assert b"Enrolment code" in page.content
        assert b"<svg" not in page.content
        assert not TOTPDevice.objects.filter(user=newcomer).exists()

    def test_right_code_then_qr_then_workspace(self, client, newcomer):
        code = enrolment_issue(user=newcomer)
        sign_in(client, "newcomer")
        assert client.post(ENROL, {"enrolment_code": code}).status_code == 302
        assert b"<svg" in client.get(ENROL).content
        assert finish(client, newcomer) == 302
        assert client.get("/cell/").status_code == 200
        assert AuditEvent.objects.filter(action=AuditAction.ENROL_2FA, actor=newcomer).exists()

    def test_link_before_sign_in_carries_the_code(self, client, newcomer):
        code = enrolment_issue(user=newcomer)
        response = client.get(enrolment_link(code))
        assert response.url == reverse("accounts:login")
        sign_in(client, "newcomer")
        assert client.get(ENROL).status_code == 302  # code spent, back to the QR step
        assert b"<svg" in client.get(ENROL).content

    def test_link_after_password_goes_straight_on(self, client, newcomer):
        code = enrolment_issue(user=newcomer)
        sign_in(client, "newcomer")
        assert client.get(enrolment_link(code)).url == ENROL
        client.get(ENROL)
        assert b"<svg" in client.get(ENROL).content

    def test_wrong_code_is_refused_with_a_reason_and_audited(self, client, newcomer):
        enrolment_issue(user=newcomer)
        sign_in(client, "newcomer")
        page = client.post(ENROL, {"enrolment_code": "AAAA-BBBB-CCCC-DDDD"})
        assert page.status_code == 200
        assert b"wrong, used already, replaced by a newer one or expired" in page.content
        assert b"AAAA-BBBB-CCCC-DDDD" in page.content  # what was typed stays
        assert b"<svg" not in client.get(ENROL).content
        event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
        assert event.reason == "wrong, used or expired enrolment code"

    def test_used_code_is_refused(self, client, newcomer):
        code = enrolment_issue(user=newcomer)
        sign_in(client, "newcomer")
        client.post(ENROL, {"enrolment_code": code})
        other = Client()
        sign_in(other, "newcomer")
        page = other.post(ENROL, {"enrolment_code": code})
        assert b"wrong, used already" in page.content

    def test_expired_code_is_refused(self, client, newcomer):
        code = enrolment_issue(user=newcomer, valid_hours=1)
        with time_machine.travel(timezone.now() + dt.timedelta(hours=2), tick=False):
            sign_in(client, "newcomer")
            page = client.post(ENROL, {"enrolment_code": code})
        assert b"wrong, used already" in page.content

    def test_wrong_codes_count_towards_the_lockout(self, client, newcomer):
        code = enrolment_issue(user=newcomer)
        sign_in(client, "newcomer")
        for _ in range(5):
            last = client.post(ENROL, {"enrolment_code": "WRONG-CODE"})
        assert last.status_code == 429
        assert sign_in(client, "newcomer") == 429
        assert client.get("/cell/").status_code == 302
        assert code  # the right code does not help while locked

    def test_enrolled_users_sign_in_as_before(self, client, officer_mbdin):
        assert sign_in(client, "officer_mbdin", current_code("officer_mbdin")) == 302
        assert client.get("/cell/").status_code == 200

    def test_code_entry_is_post_with_csrf(self, newcomer):
        code = enrolment_issue(user=newcomer)
        client = Client(enforce_csrf_checks=True)
        client.force_login(newcomer, backend="ahtc.accounts.backends.ActiveOrganisationBackend")
        assert client.post(ENROL, {"enrolment_code": code}).status_code == 403
        client.get(ENROL)
        assert b"<svg" not in client.get(ENROL).content
