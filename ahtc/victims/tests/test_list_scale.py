"""The victims list and the referrals inbox at province scale (issue 19): the
page is chosen on bare ids first, then only its rows are read whole, so the
queries do not grow with the records and the order stays attention-first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ahtc.accounts.models import Organisation, User
from ahtc.core import fields
from ahtc.victims import services as s
from ahtc.victims.models import ProtectionRecord, Referral, ServiceType

from .conftest import GiveConsent, MakeRecord

pytestmark = pytest.mark.django_db

LoginAs = Callable[[User], Client]
ADDRESS = "House 7, Synthetic Street"


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _refer(
    record: ProtectionRecord, by: User, org: Organisation, give_consent: GiveConsent
) -> Referral:
    give_consent(record, ServiceType.HEALTH)
    return s.referral_create(
        record=record, by=by, provider=org, service=ServiceType.HEALTH, needs="Check-up"
    )


def _make_overdue(referral: Referral) -> None:
    late = timezone.now() - dt.timedelta(days=3)
    Referral.objects.filter(pk=referral.pk).update(respond_by=late)


def _spy_on_decryption(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every plain text the encrypted fields decrypt from here on."""
    seen: list[str] = []
    decrypt = fields.decrypt_str

    def spy(value: str) -> str:
        plain = decrypt(value)
        seen.append(plain)
        return plain

    monkeypatch.setattr(fields, "decrypt_str", spy)
    return seen


class TestVictimsList:
    def test_queries_do_not_grow_with_the_records(
        self,
        make_record: MakeRecord,
        officer_mbdin: User,
        health_org: Organisation,
        give_consent: GiveConsent,
        login_as: LoginAs,
    ) -> None:
        client = login_as(officer_mbdin)
        url = reverse("cell:victims")
        _refer(make_record(address=ADDRESS), officer_mbdin, health_org, give_consent)
        client.get(url)  # the session and caches warm
        small = _queries(client, url)
        for _ in range(6):
            _refer(make_record(address=ADDRESS), officer_mbdin, health_org, give_consent)
        assert _queries(client, url) == small

    def test_attention_first_and_counts_shown_for_the_page(
        self,
        make_record: MakeRecord,
        officer_mbdin: User,
        health_org: Organisation,
        give_consent: GiveConsent,
        login_as: LoginAs,
    ) -> None:
        late = make_record()
        _make_overdue(_refer(late, officer_mbdin, health_org, give_consent))
        newer = [make_record() for _ in range(3)]
        page = login_as(officer_mbdin).get(reverse("cell:victims")).context["page"]
        rows = list(page)
        assert [r.number for r in rows] == [late.number] + [r.number for r in reversed(newer)]
        assert (rows[0].referral_overdue, rows[0].open_referrals) == (True, 1)
        assert page.paginator.count == 4

    def test_the_list_never_decrypts_an_address(
        self,
        make_record: MakeRecord,
        officer_mbdin: User,
        login_as: LoginAs,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        for _ in range(3):
            make_record(address=ADDRESS)
        seen = _spy_on_decryption(monkeypatch)
        assert login_as(officer_mbdin).get(reverse("cell:victims")).status_code == 200
        assert ADDRESS not in seen

    def test_other_district_sees_none_of_them(
        self, make_record: MakeRecord, officer_gujrat: User, login_as: LoginAs
    ) -> None:
        record = make_record()
        page = login_as(officer_gujrat).get(reverse("cell:victims"))
        assert record.number.encode() not in page.content


class TestReferralsInbox:
    def test_queries_do_not_grow_with_the_referrals(
        self,
        make_record: MakeRecord,
        officer_mbdin: User,
        health_org: Organisation,
        health_user: User,
        give_consent: GiveConsent,
        login_as: LoginAs,
    ) -> None:
        cell, provider = login_as(officer_mbdin), login_as(health_user)
        url = reverse("cell:referrals")
        _refer(make_record(address=ADDRESS), officer_mbdin, health_org, give_consent)
        cell.get(url), provider.get(url)
        small = (_queries(cell, url), _queries(provider, url))
        for _ in range(6):
            _refer(make_record(address=ADDRESS), officer_mbdin, health_org, give_consent)
        assert (_queries(cell, url), _queries(provider, url)) == small

    def test_order_kept_and_addresses_never_decrypted(
        self,
        make_record: MakeRecord,
        officer_mbdin: User,
        health_org: Organisation,
        health_user: User,
        give_consent: GiveConsent,
        login_as: LoginAs,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        first = _refer(make_record(address=ADDRESS), officer_mbdin, health_org, give_consent)
        second = _refer(make_record(address=ADDRESS), officer_mbdin, health_org, give_consent)
        _make_overdue(second)  # answer due first: listed first
        seen = _spy_on_decryption(monkeypatch)
        for user in (officer_mbdin, health_user):
            context = login_as(user).get(reverse("cell:referrals")).context
            shown = context["outgoing"] if user == officer_mbdin else context["incoming"]
            assert [r.pk for r in shown] == [second.pk, first.pk]
        assert ADDRESS not in seen

    def test_other_district_sees_none_of_them(
        self,
        make_record: MakeRecord,
        officer_mbdin: User,
        officer_gujrat: User,
        health_org: Organisation,
        give_consent: GiveConsent,
        login_as: LoginAs,
    ) -> None:
        record = make_record()
        _refer(record, officer_mbdin, health_org, give_consent)
        page = login_as(officer_gujrat).get(reverse("cell:referrals"))
        assert record.number.encode() not in page.content
