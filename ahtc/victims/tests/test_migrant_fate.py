"""One missing migrant has one fate, changed along allowed transitions (issue 10)."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ahtc.accounts.models import User
from ahtc.cases.models import Case
from ahtc.core.models import AuditEvent, AuditOutcome
from ahtc.victims import services as s
from ahtc.victims.models import MigrantFate, MissingMigrant, MissingMigrantFamily
from ahtc.victims.services import VictimError

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 6, 20)


def two_relatives(case: Case, by: User) -> MissingMigrant:
    mother = s.family_add(case=case, by=by, contact_name="Mother (test)", relation="mother")
    assert mother.migrant is not None
    s.family_add(
        case=case, by=by, contact_name="Brother (test)", relation="brother", migrant=mother.migrant
    )
    return mother.migrant


class TestOneFate:
    def test_relatives_of_one_migrant_share_one_fate(self, case: Case, officer_mbdin: User) -> None:
        migrant = two_relatives(case, officer_mbdin)
        s.migrant_fate_set(migrant=migrant, by=officer_mbdin, to=MigrantFate.DECEASED, on=DAY)
        fates = {f.migrant_fate for f in MissingMigrantFamily.objects.all()}
        assert fates == {MigrantFate.DECEASED}
        assert migrant.fate_changes.get().from_fate == MigrantFate.MISSING

    def test_a_relative_cannot_be_added_to_another_cases_migrant(
        self, case: Case, make_case: Callable[..., Case], officer_mbdin: User
    ) -> None:
        migrant = two_relatives(case, officer_mbdin)
        with pytest.raises(VictimError, match="another case"):
            s.family_add(
                case=make_case(),
                by=officer_mbdin,
                contact_name="Uncle (test)",
                relation="uncle",
                migrant=migrant,
            )

    def test_same_fate_again_is_refused(self, case: Case, officer_mbdin: User) -> None:
        migrant = two_relatives(case, officer_mbdin)
        with pytest.raises(VictimError, match="cannot be recorded as missing"):
            s.migrant_fate_set(migrant=migrant, by=officer_mbdin, to=MigrantFate.MISSING, on=DAY)

    def test_undoing_a_death_needs_a_reason(self, case: Case, officer_mbdin: User) -> None:
        migrant = two_relatives(case, officer_mbdin)
        s.migrant_fate_set(migrant=migrant, by=officer_mbdin, to=MigrantFate.DECEASED, on=DAY)
        later = DAY + dt.timedelta(days=30)
        with pytest.raises(VictimError, match="Say why"):
            s.migrant_fate_set(migrant=migrant, by=officer_mbdin, to=MigrantFate.FOUND, on=later)
        s.migrant_fate_set(
            migrant=migrant,
            by=officer_mbdin,
            to=MigrantFate.FOUND,
            on=later,
            reason="DNA did not match; called home",
        )
        migrant.refresh_from_db()
        assert migrant.fate == MigrantFate.FOUND

    def test_future_or_backward_dates_are_refused(self, case: Case, officer_mbdin: User) -> None:
        migrant = two_relatives(case, officer_mbdin)
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        with pytest.raises(VictimError, match="in the future"):
            s.migrant_fate_set(migrant=migrant, by=officer_mbdin, to="deceased", on=tomorrow)
        s.migrant_fate_set(migrant=migrant, by=officer_mbdin, to="found", on=DAY)
        with pytest.raises(VictimError, match="before the last change"):
            s.migrant_fate_set(
                migrant=migrant, by=officer_mbdin, to="missing", on=DAY - dt.timedelta(1)
            )

    def test_unknown_fate_is_refused(self, case: Case, officer_mbdin: User) -> None:
        migrant = two_relatives(case, officer_mbdin)
        with pytest.raises(VictimError):
            s.migrant_fate_set(migrant=migrant, by=officer_mbdin, to="alive?", on=DAY)


class TestPages:
    def test_fate_page_offers_only_allowed_changes_and_keeps_input(
        self, case: Case, officer_mbdin: User, login_as: Callable[[User], Client]
    ) -> None:
        migrant = two_relatives(case, officer_mbdin)
        s.migrant_fate_set(migrant=migrant, by=officer_mbdin, to="deceased", on=DAY)
        client = login_as(officer_mbdin)
        url = reverse("cell:migrant_fate", args=[migrant.pk])
        page = client.get(url).content.decode()
        assert 'value="deceased"' not in page
        assert 'value="found"' in page
        refused = client.post(url, {"to": "found", "on": "2025-07-01", "reason": ""})
        assert refused.status_code == 200
        body = refused.content.decode()
        assert "Say why the death is no longer taken as true." in body
        assert 'value="2025-07-01"' in body
        done = client.post(url, {"to": "found", "on": "2025-07-01", "reason": "Identified alive"})
        assert done.status_code == 302
        families = client.get(reverse("cell:families")).content.decode()
        assert families.count("<strong>found</strong>") == 2

    def test_other_district_gets_404_and_audit(
        self,
        case: Case,
        officer_mbdin: User,
        officer_gujrat: User,
        login_as: Callable[[User], Client],
    ) -> None:
        migrant = two_relatives(case, officer_mbdin)
        client = login_as(officer_gujrat)
        url = reverse("cell:migrant_fate", args=[migrant.pk])
        assert client.post(url, {"to": "deceased", "on": "2025-07-01"}).status_code == 404
        assert AuditEvent.objects.filter(
            actor=officer_gujrat, outcome=AuditOutcome.REFUSED, object_type="victims.missingmigrant"
        ).exists()
        migrant.refresh_from_db()
        assert migrant.fate == MigrantFate.MISSING

    def test_adding_a_relative_of_a_recorded_migrant(
        self, case: Case, officer_mbdin: User, login_as: Callable[[User], Client]
    ) -> None:
        migrant = two_relatives(case, officer_mbdin)
        response = login_as(officer_mbdin).post(
            reverse("cell:families"),
            {
                "case": case.pk,
                "migrant": migrant.pk,
                "migrant_fate": "deceased",  # ignored: the migrant keeps one fate
                "contact_name": "Sister (test)",
                "relation": "sister",
            },
        )
        assert response.status_code == 302
        assert migrant.families.count() == 3
        migrant.refresh_from_db()
        assert migrant.fate == MigrantFate.MISSING


def test_migration_gives_each_old_family_its_migrant(case: Case, officer_mbdin: User) -> None:
    from django.apps import apps

    family = s.family_add(case=case, by=officer_mbdin, contact_name="Old (test)", relation="aunt")
    MissingMigrantFamily.objects.filter(pk=family.pk).update(migrant=None)
    migration = importlib.import_module("ahtc.victims.migrations.0005_missing_migrant")
    migration.one_migrant_per_family(apps, None)
    family.refresh_from_db()
    assert family.migrant is not None
    assert family.migrant.label.startswith("to review")
    assert family.migrant.number == 2  # after the migrant made with the family
