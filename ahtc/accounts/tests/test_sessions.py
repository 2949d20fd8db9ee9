"""Open sessions end when what they were granted on changes (issue 9): a new
password, a role granted or revoked, a new authenticator, a second sign-in."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ahtc.accounts.roles import Role
from ahtc.accounts.services import role_grant, role_revoke, totp_device_confirm
from ahtc.geography.models import Area
from conftest import PASSWORD, current_code


def _sign_in(client: Client, username: str) -> int:
    client.cookies["ahtc_lang"] = "en"
    data = {"username": username, "password": PASSWORD, "otp_token": current_code(username)}
    return client.post(reverse("accounts:login"), data).status_code


def _signed_in(client: Client) -> bool:
    return client.get("/cell/").status_code == 200


@pytest.mark.django_db
class TestSecondSignIn:
    def test_second_sign_in_ends_the_first(self, officer_mbdin):
        first, second = Client(), Client()
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            assert _sign_in(first, "officer_mbdin") == 302
            assert _signed_in(first)
        with time_machine.travel(start + dt.timedelta(seconds=90), tick=False):
            assert _sign_in(second, "officer_mbdin") == 302
            assert _signed_in(second)
            assert not _signed_in(first)

    def test_sign_in_of_another_user_leaves_a_session_alone(self, officer_mbdin, officer_gujrat):
        first, second = Client(), Client()
        assert _sign_in(first, "officer_mbdin") == 302
        assert _sign_in(second, "officer_gujrat") == 302
        assert _signed_in(first)
        assert _signed_in(second)

    def test_failed_second_sign_in_leaves_the_first_alone(self, officer_mbdin):
        first, second = Client(), Client()
        assert _sign_in(first, "officer_mbdin") == 302
        second.post(reverse("accounts:login"), {"username": "officer_mbdin", "password": "nope"})
        assert _signed_in(first)


@pytest.mark.django_db
class TestChanges:
    def test_role_grant_ends_open_sessions(self, officer_mbdin, login_as):
        client = login_as(officer_mbdin)
        assert _signed_in(client)
        role_grant(user=officer_mbdin, role=Role.ANALYST, area=Area.objects.get(code="PK620"))
        assert not _signed_in(client)

    def test_granting_a_role_already_held_changes_nothing(self, officer_mbdin, login_as):
        client = login_as(officer_mbdin)
        role_grant(user=officer_mbdin, role=Role.CELL_OFFICER, area=Area.objects.get(code="PK620"))
        assert _signed_in(client)

    def test_role_revoke_ends_open_sessions(self, officer_mbdin, login_as):
        client = login_as(officer_mbdin)
        role_grant(user=officer_mbdin, role=Role.ANALYST, area=Area.objects.get(code="PK620"))
        client = login_as(officer_mbdin)
        assert _signed_in(client)
        role_revoke(assignment=officer_mbdin.role_assignments.get(role=Role.ANALYST))
        assert not _signed_in(client)

    def test_new_authenticator_ends_open_sessions(self, officer_mbdin, login_as):
        client = login_as(officer_mbdin)
        assert _signed_in(client)
        device = TOTPDevice.objects.create(user=officer_mbdin, name="new phone", confirmed=False)
        code = f"{totp(device.bin_key, t0=0, step=30, digits=6):06d}"
        assert totp_device_confirm(device=device, token=code)
        assert not _signed_in(client)

    def test_password_change_ends_open_sessions(self, officer_mbdin, login_as):
        client = login_as(officer_mbdin)
        officer_mbdin.set_password("another-long-password-77")
        officer_mbdin.save()
        assert not _signed_in(client)
