"""An audit row holds everything it records: long lists go to AuditItem rows,
sealed into the chained reason, shown on the audit pages and in the export
(issue 19: the names export's row listed 25 of 7,178 numbers)."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.accounts.roles import Role
from ahtc.core.audit import (
    REASON_MAX,
    audit_chain_check,
    audit_chain_from_lines,
    audit_chain_verify,
    audit_items,
    audit_record,
    reason_unsealed,
)
from ahtc.core.models import AuditAction, AuditEvent, AuditItem
from ahtc.geography.models import Area

pytestmark = pytest.mark.django_db

LoginAs = Callable[[User], Client]
NUMBERS = [f"V-PK620-2025-{n:05d}" for n in range(1, 7001)]


def _record(**changes: Any) -> AuditEvent:
    values: dict[str, Any] = {"actor": None, "action": AuditAction.EXPORT, "area_code": "PK620"}
    values.update(changes)
    return audit_record(**values)


class TestKeptWhole:
    def test_a_long_list_is_kept_entry_by_entry_in_order(self) -> None:
        event = _record(reason="victim list csv WITH IDENTITIES, 7000 rows", items=NUMBERS)
        assert audit_items(event.pk) == NUMBERS
        summary, count = reason_unsealed(event.reason)
        assert (summary, count) == ("victim list csv WITH IDENTITIES, 7000 rows", 7000)
        assert len(event.reason) <= REASON_MAX
        assert audit_chain_verify().intact

    def test_a_too_long_summary_list_is_split_not_cut(self) -> None:
        joined = "victim list csv WITH IDENTITIES, 7000 rows (court order): " + ",".join(NUMBERS)
        event = _record(reason=joined)
        summary, count = reason_unsealed(event.reason)
        assert summary == "victim list csv WITH IDENTITIES, 7000 rows (court order):"
        assert count == 7000
        assert f"{summary} {','.join(audit_items(event.pk))}" == joined

    def test_any_other_too_long_reason_is_kept_whole_as_an_entry(self) -> None:
        long = "why " * 300
        event = _record(reason=long)
        assert len(event.reason) <= REASON_MAX
        assert reason_unsealed(event.reason)[0].endswith("…")
        assert audit_items(event.pk) == [long]

    def test_short_reasons_are_unchanged_and_have_no_entries(self) -> None:
        event = _record(reason="case list csv, 1 rows, no identities")
        assert event.reason == "case list csv, 1 rows, no identities"
        assert not AuditItem.objects.filter(event=event).exists()


class TestAppendOnly:
    def test_entries_cannot_be_changed_or_removed_through_the_app(self) -> None:
        event = _record(reason="list", items=["a", "b"])
        item = AuditItem.objects.filter(event=event).first()
        assert item is not None
        with pytest.raises(PermissionError):
            AuditItem.objects.filter(event=event).update(text="x")
        with pytest.raises(PermissionError):
            AuditItem.objects.filter(event=event).delete()
        with pytest.raises(PermissionError):
            item.save()
        with pytest.raises(PermissionError):
            item.delete()

    @pytest.mark.parametrize(
        "tamper",
        [
            "UPDATE core_audititem SET text = 'V-X' WHERE position = 1",
            "DELETE FROM core_audititem WHERE position = 2",
        ],
    )
    def test_verify_finds_an_entry_edited_or_removed_behind_the_apps_back(
        self, tamper: str
    ) -> None:
        _record(reason="list", items=["V-1", "V-2", "V-3"])
        assert audit_chain_verify().intact
        with connection.cursor() as cursor:
            cursor.execute(tamper)
        report = audit_chain_verify()
        assert [p.kind for p in report.problems] == ["items"]

    def test_verify_finds_an_entry_added_to_a_row_without_a_list(self) -> None:
        event = _record(reason="case list csv, 1 rows, no identities")
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO core_audititem (event_id, position, text) VALUES (%s, 0, 'V-9')",
                [event.pk],
            )
        assert [p.kind for p in audit_chain_verify().problems] == ["items"]


class TestShipped:
    def _export(self) -> list[str]:
        out = io.StringIO()
        call_command("audit_export", stdout=out, stderr=io.StringIO())
        return out.getvalue().splitlines()

    def test_the_export_carries_every_entry_and_its_copy_verifies(self) -> None:
        _record(reason="before")
        _record(reason="names export", items=NUMBERS[:50])
        lines = self._export()
        assert [json.loads(line).get("items") for line in lines][-2:] == [None, NUMBERS[:50]]
        copy = audit_chain_check(
            audit_chain_from_lines(lines), known=lambda _h: None, with_items=True
        )
        assert copy.intact

    def test_a_shipped_copy_with_an_entry_dropped_fails(self) -> None:
        _record(reason="names export", items=NUMBERS[:50])
        lines = self._export()
        row = json.loads(lines[-1])
        row["items"] = row["items"][:-1]
        lines[-1] = json.dumps(row)
        copy = audit_chain_check(
            audit_chain_from_lines(lines), known=lambda _h: None, with_items=True
        )
        assert [p.kind for p in copy.problems] == ["items"]


@pytest.fixture
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _records(count: int, by: User) -> list[str]:
    """Synthetic protection records, made in bulk (the services write one by one)."""
    from ahtc.people.models import Person
    from ahtc.victims.models import ProtectionRecord

    mbdin = Area.objects.get(code="PK620")
    people = Person.objects.bulk_create(
        [
            Person(source_district=mbdin, name_latin=f"Synthetic {n}", created_by=by)
            for n in range(count)
        ]
    )
    records = ProtectionRecord.objects.bulk_create(
        [
            ProtectionRecord(person=p, district=mbdin, number=NUMBERS[n], created_by=by)
            for n, p in enumerate(people)
        ]
    )
    return [r.number for r in records]


@pytest.mark.usefixtures("_media")
def test_names_export_of_7000_records_keeps_every_number(
    login_as: LoginAs, dpo_mbdin: User
) -> None:
    from ahtc.jobs.tests.helpers import follow_export

    numbers = _records(7000, dpo_mbdin)
    client = login_as(dpo_mbdin)
    asked = {"export": "csv", "identity": "1", "reason": "court order 12/2025"}
    response = follow_export(client, client.get(reverse("cell:victims"), asked))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert "WITH IDENTITIES, 7000 rows" in event.reason
    assert sorted(audit_items(event.pk)) == sorted(numbers)
    assert audit_chain_verify().intact


def test_provider_api_row_keeps_with_identity(
    make_user: Callable[..., User], officer_mbdin: User
) -> None:
    from rest_framework.test import APIClient

    from ahtc.accounts.models import OrganisationKind
    from ahtc.api.services import api_token_create
    from ahtc.cases.models import ConsentMethod
    from ahtc.people.services import person_create
    from ahtc.victims import services as s
    from ahtc.victims.models import ProviderProfile, ServiceType

    provider = make_user("dhq_mbdin", Role.AGENCY_LIAISON, "PK620", kind=OrganisationKind.HEALTH)
    org = provider.organisation
    assert org is not None
    ProviderProfile.objects.create(
        organisation=org, services=[ServiceType.HEALTH], address="HQ", contact_person="Duty"
    )
    mbdin = Area.objects.get(code="PK620")
    referrals = []
    for n, named in enumerate((True, False)):
        person = person_create(source_district=mbdin, by=officer_mbdin, name_latin=f"Synthetic {n}")
        record = s.record_create(person=person, by=officer_mbdin, child=False)
        s.consent_record(
            record=record,
            by=officer_mbdin,
            service=ServiceType.HEALTH,
            method=ConsentMethod.THUMBPRINT,
            given_on=dt.date(2025, 1, 10),
            organisation=org,
            identity=named,
        )
        referrals.append(
            s.referral_create(
                record=record,
                by=officer_mbdin,
                provider=org,
                service=ServiceType.HEALTH,
                needs="Check-up",
                identity_needed=named,
            )
        )
    client = APIClient()
    _token, key = api_token_create(user=provider, name="tests", by=None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/referrals/").status_code == 200
    event = AuditEvent.objects.get(actor=provider, object_type="victims.referral")
    assert reason_unsealed(event.reason)[0].endswith("2 rows, 1 with identity")
    named_one, other = referrals
    assert sorted(audit_items(event.pk)) == sorted(
        [f"referral {named_one.pk} with identity", f"referral {other.pk}"]
    )


class TestAuditPages:
    def test_the_list_links_to_every_entry(self, login_as: LoginAs, dpo_mbdin: User) -> None:
        event = _record(actor=dpo_mbdin, reason="names export", items=NUMBERS[:1500])
        client = login_as(dpo_mbdin)
        listing = client.get(reverse("cell:audit")).content.decode()
        assert reverse("cell:audit_event", args=[event.pk]) in listing
        assert "1500 entries" in listing
        assert "sha256" not in listing
        first = client.get(reverse("cell:audit_event", args=[event.pk]))
        second = client.get(reverse("cell:audit_event", args=[event.pk]), {"page": 2})
        shown = first.content.decode() + second.content.decode()
        assert "1500 entries recorded" in shown
        assert all(f"<li>{n}</li>" in shown for n in NUMBERS[:1500])

    def test_a_row_without_a_list_says_so(self, login_as: LoginAs, dpo_mbdin: User) -> None:
        event = _record(actor=dpo_mbdin, reason="case list csv, 1 rows, no identities")
        page = login_as(dpo_mbdin).get(reverse("cell:audit_event", args=[event.pk]))
        assert page.status_code == 200
        assert "its reason above is complete" in page.content.decode()

    def test_cell_head_of_another_district_gets_404_and_an_audit_row(
        self, login_as: LoginAs, dpo_mbdin: User, make_user: Callable[..., User]
    ) -> None:
        event = _record(actor=dpo_mbdin, reason="names export", items=NUMBERS[:3])
        other = make_user("dpo_gujrat", Role.CELL_HEAD, "PK610")
        response = login_as(other).get(reverse("cell:audit_event", args=[event.pk]))
        assert response.status_code == 404
        assert NUMBERS[0] not in response.content.decode()
        assert AuditEvent.objects.filter(
            actor=other, object_type="core.auditevent", object_id=str(event.pk)
        ).exists()

    def test_officer_without_audit_permission_is_refused(
        self, login_as: LoginAs, dpo_mbdin: User, officer_mbdin: User
    ) -> None:
        event = _record(actor=dpo_mbdin, reason="names export", items=NUMBERS[:3])
        response = login_as(officer_mbdin).get(reverse("cell:audit_event", args=[event.pk]))
        assert response.status_code == 403
        assert NUMBERS[0] not in response.content.decode()

    def test_anonymous_goes_to_sign_in(self, client: Client) -> None:
        event = _record(reason="names export", items=NUMBERS[:3])
        response = client.get(reverse("cell:audit_event", args=[event.pk]))
        assert response.status_code == 302
