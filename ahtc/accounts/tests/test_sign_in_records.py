"""Sign-in records (addresses, browsers) are kept for SIGN_IN_RECORDS_DAYS only
(issue 9): a command, and a purge at most once an hour on successful sign-in."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, current_code

MODELS = (AccessAttempt, AccessLog, AccessFailureLog)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _records(address: str) -> None:
    common = {
        "username": "someone_else",
        "ip_address": address,
        "user_agent": "Mozilla/5.0",
        "http_accept": "text/html",
        "path_info": "/accounts/sign-in/",
    }
    AccessAttempt.objects.create(**common, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**common)
    AccessFailureLog.objects.create(**common)


def _left(address: str) -> int:
    return sum(model.objects.filter(ip_address=address).count() for model in MODELS)


def _sign_in(username: str) -> int:
    client = Client()
    client.cookies["ahtc_lang"] = "en"
    data = {"username": username, "password": PASSWORD, "otp_token": current_code(username)}
    return client.post(reverse("accounts:login"), data).status_code


@pytest.mark.django_db
class TestCommand:
    def test_purge_removes_records_older_than_ninety_days(self, capsys):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            _records("192.0.2.1")
        with time_machine.travel(start + dt.timedelta(days=60), tick=False):
            _records("192.0.2.2")
        with time_machine.travel(start + dt.timedelta(days=91), tick=False):
            call_command("purge_sign_in_records")
        assert _left("192.0.2.1") == 0
        assert _left("192.0.2.2") == 3
        assert "3" in capsys.readouterr().out

    def test_period_is_a_setting(self, settings):
        settings.AHTC_SIGN_IN_RECORDS_DAYS = 30
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            _records("192.0.2.1")
        with time_machine.travel(start + dt.timedelta(days=31), tick=False):
            call_command("purge_sign_in_records")
        assert _left("192.0.2.1") == 0


@pytest.mark.django_db
def test_successful_sign_in_purges_old_records_at_most_once_an_hour(officer_mbdin):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _records("192.0.2.1")
    later = start + dt.timedelta(days=91)
    with time_machine.travel(later, tick=False):
        assert _sign_in("officer_mbdin") == 302
    assert _left("192.0.2.1") == 0
    # Old records that appear after a purge (say, from a restore) wait an hour.
    with time_machine.travel(start, tick=False):
        _records("192.0.2.4")
    with time_machine.travel(later + dt.timedelta(minutes=10), tick=False):
        assert _sign_in("officer_mbdin") == 302
    assert AccessLog.objects.filter(ip_address="192.0.2.4").exists()
    with time_machine.travel(later + dt.timedelta(minutes=70), tick=False):
        assert _sign_in("officer_mbdin") == 302
    assert not AccessLog.objects.filter(ip_address="192.0.2.4").exists()
    assert not AccessFailureLog.objects.filter(ip_address="192.0.2.4").exists()
