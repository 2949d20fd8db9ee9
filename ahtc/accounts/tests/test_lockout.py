"""Lockout locks the attacker, not the owner; failed sign-ins reach the audit
page (issue 9)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from ahtc.accounts.lockout import client_address
from ahtc.accounts.views import locked_out
from ahtc.core.models import AuditAction, AuditEvent, AuditOutcome
from conftest import PASSWORD, current_code

ATTACKER, OWNER = "203.0.113.9", "198.51.100.7"


def _client(address: str) -> Client:
    client = Client(REMOTE_ADDR=address)
    client.cookies["ahtc_lang"] = "en"
    return client


def _sign_in(client: Client, username: str, password: str = PASSWORD, code: str = "") -> int:
    data = {"username": username, "password": password, "otp_token": code}
    return client.post(reverse("accounts:login"), data).status_code


def _lock(client: Client, username: str = "officer_mbdin") -> None:
    for _ in range(5):
        _sign_in(client, username, password="wrong-password-1")


@pytest.mark.django_db
class TestLockTheAttacker:
    def test_owner_signs_in_from_own_address_during_another_address_lock(self, officer_mbdin):
        _lock(_client(ATTACKER))
        owner = _client(OWNER)
        assert _sign_in(owner, "officer_mbdin", code=current_code("officer_mbdin")) == 302
        assert owner.get("/cell/").status_code == 200

    def test_locked_address_stays_locked_even_with_the_right_password(self, officer_mbdin):
        attacker = _client(ATTACKER)
        _lock(attacker)
        assert _sign_in(attacker, "officer_mbdin", code=current_code("officer_mbdin")) == 429

    def test_attempts_during_the_lock_do_not_extend_it(self, officer_mbdin):
        attacker = _client(ATTACKER)
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            _lock(attacker)
        with time_machine.travel(start + dt.timedelta(minutes=10), tick=False):
            assert _sign_in(attacker, "officer_mbdin", password="wrong-password-2") == 429
        with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
            code = current_code("officer_mbdin")
            assert _sign_in(attacker, "officer_mbdin", code=code) == 302

    def test_address_behind_a_trusted_proxy_is_the_forwarded_one(self, settings):
        settings.AHTC_TRUSTED_PROXIES = 1
        request = RequestFactory().post(
            "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.9.9.9, {ATTACKER}"
        )
        assert client_address(request) == ATTACKER

    def test_forwarded_header_is_ignored_without_a_trusted_proxy(self, settings):
        settings.AHTC_TRUSTED_PROXIES = 0
        request = RequestFactory().post("/", REMOTE_ADDR=OWNER, HTTP_X_FORWARDED_FOR=ATTACKER)
        assert client_address(request) == OWNER


@pytest.mark.django_db
class TestAuditRows:
    def test_wrong_password_for_a_known_username_names_the_account_and_its_area(
        self, labour_liaison
    ):
        _sign_in(_client(ATTACKER), "labour_liaison", password="wrong-password-1")
        event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
        assert (event.object_type, event.object_id) == ("accounts.user", str(labour_liaison.pk))
        assert event.area_code == "PK620"
        assert event.actor is None

    def test_unknown_username_is_filed_under_the_province(self, officer_mbdin):
        _sign_in(_client(ATTACKER), "no_such_user", password="wrong-password-1")
        event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
        assert event.area_code == "PK6"
        assert (event.object_type, event.object_id) == ("", "")

    def test_lockout_row_names_the_account(self, officer_mbdin):
        attacker = _client(ATTACKER)
        _lock(attacker)
        _sign_in(attacker, "officer_mbdin")
        event = AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).first()
        assert event is not None
        assert event.outcome == AuditOutcome.REFUSED
        assert (event.object_type, event.object_id) == ("accounts.user", str(officer_mbdin.pk))
        assert event.area_code == "PK620"

    def test_lockout_row_of_an_unknown_username_keeps_what_was_tried(self, officer_mbdin):
        tried = "x" * 132 + "-unknown-username"
        attacker = _client(ATTACKER)
        for _ in range(6):
            attacker.post(reverse("accounts:login"), {"username": tried, "password": "wrong-1"})
        event = AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).first()
        assert event is not None
        assert event.area_code == "PK6"
        assert (event.object_type, event.object_id) == ("", "")
        assert tried in event.reason

    def test_lockout_row_keeps_at_most_150_characters_of_a_username(self, officer_mbdin):
        request = RequestFactory().post("/accounts/sign-in/")
        locked_out(request, None, {"username": "y" * 149 + "z" * 300})
        event = AuditEvent.objects.get(action=AuditAction.LOCKED_OUT)
        assert "y" * 149 + "z" in event.reason
        assert "zz" not in event.reason

    def test_cell_head_and_provincial_administrator_see_failures_on_the_audit_page(
        self, dpo_mbdin, admin_user, officer_mbdin, login_as
    ):
        _sign_in(_client(ATTACKER), "officer_mbdin", password="wrong-password-1")
        _sign_in(_client(ATTACKER), "no_such_user", password="wrong-password-1")
        url = reverse("cell:audit") + "?action=sign_in_failed"
        assert login_as(dpo_mbdin).get(url).content.count(b"row-alert") == 1
        assert login_as(admin_user).get(url).content.count(b"row-alert") == 2


@pytest.mark.django_db
def test_huge_password_is_a_form_error_and_never_hashed(officer_mbdin):
    with mock.patch("django.contrib.auth.backends.ModelBackend.authenticate") as backend:
        response = _client(ATTACKER).post(
            reverse("accounts:login"),
            {"username": "officer_mbdin", "password": "p" * 1_000_000, "otp_token": ""},
        )
    assert response.status_code == 200
    assert not backend.called
    assert response.context["form"].errors["password"]
