from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ahtc.accounts.services import enrolment_issue, user_disable
from ahtc.core.models import AuditAction, AuditEvent, AuditOutcome
from conftest import PASSWORD, current_code

SIGN_IN = "/accounts/sign-in/"


def sign_in(client, username, password=PASSWORD, code=None):
    client.cookies["ahtc_lang"] = "en"
    data = {"username": username, "password": password, "otp_token": code or ""}
    return client.post(SIGN_IN, data)


@pytest.mark.django_db
class TestSecondFactor:
    def test_password_and_code_sign_in(self, client, officer_mbdin):
        response = sign_in(client, "officer_mbdin", code=current_code("officer_mbdin"))
        assert response.status_code == 302
        assert client.get("/cell/").status_code == 200
        assert AuditEvent.objects.filter(
            actor=officer_mbdin, action=AuditAction.SIGN_IN, outcome=AuditOutcome.ALLOWED
        ).exists()

    def test_right_password_without_code_is_refused(self, client, officer_mbdin):
        response = sign_in(client, "officer_mbdin")
        assert response.status_code == 200
        assert b"Sign-in failed" in response.content
        assert client.get("/cell/").status_code == 302

    def test_wrong_code_is_refused_and_audited(self, client, officer_mbdin):
        wrong = f"{(int(current_code('officer_mbdin')) + 1) % 1_000_000:06d}"
        sign_in(client, "officer_mbdin", code=wrong)
        assert client.get("/cell/").status_code == 302
        event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
        assert event.outcome == AuditOutcome.REFUSED
        assert event.object_id == str(officer_mbdin.pk)

    def test_a_code_cannot_be_used_twice(self, client, officer_mbdin):
        code = current_code("officer_mbdin")
        sign_in(client, "officer_mbdin", code=code)
        client.post(reverse("accounts:logout"))
        sign_in(client, "officer_mbdin", code=code)
        assert client.get("/cell/").status_code == 302

    def test_password_only_session_cannot_use_the_workspace(self, client, make_user):
        make_user("newcomer", enrolled=False)
        response = sign_in(client, "newcomer")
        assert response.url == reverse("accounts:enrol")
        workspace = client.get("/cell/")
        assert workspace.status_code == 302
        assert workspace.url == reverse("accounts:enrol")

    def test_enrolment_confirms_device_and_verifies_session(self, client, make_user):
        from django_otp.oath import totp

        user = make_user("newcomer", enrolled=False)
        sign_in(client, "newcomer")
        code = enrolment_issue(user=user)
        client.post(reverse("accounts:enrol"), {"enrolment_code": code})
        assert client.get(reverse("accounts:enrol")).status_code == 200
        device = user.totpdevice_set.get(confirmed=False)
        code = f"{totp(device.bin_key, t0=0, step=30, digits=6):06d}"
        response = client.post(reverse("accounts:enrol"), {"otp_token": code})
        assert response.status_code == 302
        device.refresh_from_db()
        assert device.confirmed
        assert client.get("/cell/").status_code == 200

    def test_enrolment_rejects_wrong_code(self, client, make_user):
        user = make_user("newcomer", enrolled=False)
        sign_in(client, "newcomer")
        client.post(reverse("accounts:enrol"), {"enrolment_code": enrolment_issue(user=user)})
        response = client.post(reverse("accounts:enrol"), {"otp_token": "000000x"})
        assert response.status_code == 200
        assert client.get("/cell/").status_code == 302


@pytest.mark.django_db
class TestLockout:
    def test_five_failures_lock_that_account_only(self, client, officer_mbdin, officer_gujrat):
        for _ in range(5):
            sign_in(client, "officer_mbdin", password="wrong-password-1")
        locked = sign_in(client, "officer_mbdin", code=current_code("officer_mbdin"))
        assert locked.status_code == 429
        assert client.get("/cell/").status_code == 302
        other = sign_in(client, "officer_gujrat", code=current_code("officer_gujrat"))
        assert other.status_code == 302
        assert client.get("/cell/").status_code == 200

    def test_wrong_codes_count_towards_lockout(self, client, officer_mbdin):
        for _ in range(5):
            sign_in(client, "officer_mbdin", code="000000")
        assert (
            sign_in(client, "officer_mbdin", code=current_code("officer_mbdin")).status_code == 429
        )

    def _lock(self, client, start):
        with time_machine.travel(start, tick=False):
            for _ in range(5):
                sign_in(client, "officer_mbdin", password="wrong-password-1")

    def test_lock_still_holds_after_ten_minutes(self, client, officer_mbdin):
        start = timezone.now()
        self._lock(client, start)
        with time_machine.travel(start + dt.timedelta(minutes=10), tick=False):
            code = current_code("officer_mbdin")
            assert sign_in(client, "officer_mbdin", code=code).status_code == 429

    def test_lock_lifts_after_fifteen_minutes(self, client, officer_mbdin):
        start = timezone.now()
        self._lock(client, start)
        with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
            code = current_code("officer_mbdin")
            assert sign_in(client, "officer_mbdin", code=code).status_code == 302


@pytest.mark.django_db
class TestSessions:
    def test_session_expires_after_thirty_idle_minutes(self, officer_mbdin, login_as):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            client = login_as(officer_mbdin)
            assert client.get("/cell/").status_code == 200
        with time_machine.travel(start + dt.timedelta(minutes=25), tick=False):
            assert client.get("/cell/").status_code == 200
        with time_machine.travel(start + dt.timedelta(minutes=50), tick=False):
            assert client.get("/cell/").status_code == 200  # 25 idle minutes only
        with time_machine.travel(start + dt.timedelta(minutes=81), tick=False):
            assert client.get("/cell/").status_code == 302

    def test_sign_out_is_post_only(self, officer_mbdin, login_as):
        client = login_as(officer_mbdin)
        assert client.get(reverse("accounts:logout")).status_code == 405
        assert client.get("/cell/").status_code == 200
        client.post(reverse("accounts:logout"))
        assert client.get("/cell/").status_code == 302

    def test_disabled_user_loses_open_session_at_once(self, officer_mbdin, login_as):
        client = login_as(officer_mbdin)
        assert client.get("/cell/").status_code == 200
        user_disable(user=officer_mbdin, reason="left the service")
        assert client.get("/cell/").status_code == 302

    def test_disabled_organisation_ends_its_users_sessions(self, officer_mbdin, login_as):
        client = login_as(officer_mbdin)
        organisation = officer_mbdin.organisation
        organisation.is_active = False
        organisation.save()
        assert client.get("/cell/").status_code == 302
