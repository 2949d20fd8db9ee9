"""The victims list shows names, audited, to users allowed to see identities
there; numbers only otherwise (issue 10)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.core.models import AuditAction, AuditEvent
from ahtc.people.models import Person
from ahtc.victims.models import ProtectionRecord
from ahtc.victims.tests.conftest import MakeRecord

pytestmark = pytest.mark.django_db


def name_reads(user: User) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        actor=user, action=AuditAction.VIEW, reason="name on the victims list"
    )


def test_officer_sees_names_and_each_is_audited(
    login_as: Callable[[User], Client],
    officer_mbdin: User,
    make_record: MakeRecord,
    make_person: Callable[..., Person],
) -> None:
    first = make_record(make_person("Synthetic Alpha"))
    second = make_record(make_person("Synthetic Beta"))
    page = login_as(officer_mbdin).get(reverse("cell:victims")).content.decode()
    assert "<bdi>Synthetic Alpha</bdi>" in page
    assert "<bdi>Synthetic Beta</bdi>" in page
    assert first.number in page
    assert set(name_reads(officer_mbdin).values_list("object_id", flat=True)) == {
        str(first.pk),
        str(second.pk),
    }


def test_withheld_identity_stays_a_number(
    login_as: Callable[[User], Client],
    officer_mbdin: User,
    make_record: MakeRecord,
    make_person: Callable[..., Person],
) -> None:
    record = make_record(make_person("Synthetic Gamma"), identity_withheld=True)
    page = login_as(officer_mbdin).get(reverse("cell:victims")).content.decode()
    assert "Synthetic Gamma" not in page
    assert record.number in page
    assert "(identity withheld)" in page
    assert not name_reads(officer_mbdin).exists()


def test_officer_of_another_district_sees_neither_name_nor_number(
    login_as: Callable[[User], Client],
    officer_gujrat: User,
    record: ProtectionRecord,
) -> None:
    page = login_as(officer_gujrat).get(reverse("cell:victims")).content.decode()
    assert record.number not in page
    assert "Victim Person" not in page
    assert not name_reads(officer_gujrat).exists()


def test_roles_without_records_get_no_list(
    login_as: Callable[[User], Client],
    provincial_monitor: User,
    labour_liaison: User,
    record: ProtectionRecord,
) -> None:
    for user in (provincial_monitor, labour_liaison):
        response = login_as(user).get(reverse("cell:victims"))
        assert response.status_code == 403
        assert b"Victim Person" not in response.content
        assert not name_reads(user).exists()


def test_urdu_page_isolates_the_name(
    client: Client,
    login_as: Callable[[User], Client],
    officer_mbdin: User,
    make_record: MakeRecord,
    make_person: Callable[..., Person],
) -> None:
    make_record(make_person("Synthetic Delta"))
    browser = login_as(officer_mbdin)
    browser.cookies["ahtc_lang"] = "ur"
    page = browser.get(reverse("cell:victims")).content.decode()
    assert 'dir="rtl"' in page
    assert "<bdi>Synthetic Delta</bdi>" in page
