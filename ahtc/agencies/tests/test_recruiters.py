"""Victims' recruiters chosen from the registry; free text linked only when it is
exactly one agency's name in the same district; the agency page counts them
without naming a victim to those who may not open the records."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from ahtc.accounts.models import User
from ahtc.agencies import services as s
from ahtc.agencies.models import AgencyRecruit
from ahtc.agencies.recruits import exact_name, recruiter_matches
from ahtc.agencies.tests.conftest import MakeAgency
from ahtc.cases.tests.conftest import make_person  # noqa: F401 - a fixture
from ahtc.core.models import AuditEvent, AuditOutcome
from ahtc.people.models import Person
from ahtc.victims import services as victims
from ahtc.victims.models import ProtectionRecord

Login = Callable[[User], Client]
MakeRecord = Callable[..., ProtectionRecord]
migration = importlib.import_module("ahtc.agencies.migrations.0004_link_recruiters")


@pytest.fixture
def make_record(
    officer_mbdin: User,
    make_person: Callable[..., Person],  # noqa: F811 - the fixture imported above
) -> MakeRecord:
    def make(place: str = "", **changes: Any) -> ProtectionRecord:
        values: dict[str, Any] = {"by": officer_mbdin, "child": False}
        values.update(changes)
        person = make_person("Synthetic Victim")
        return victims.record_create(person=person, recruitment_place=place, **values)

    return make


# --- matching free text: never a guess ------------------------------------------------


def test_exact_name_ignores_case_accents_spacing_and_edge_punctuation() -> None:
    assert exact_name("  Al-Noor   TRAVELS. ") == exact_name("al-noor travels")
    assert exact_name("Café Tours") == exact_name("cafe tours")
    assert exact_name("Phalia") != exact_name("Phalia Travels")


def test_only_one_agency_of_the_same_district_by_its_whole_name_is_linked() -> None:
    agencies = [
        (1, 10, ["Synthetic Falcon Travels", "", "Old Falcon Name"]),
        (2, 10, ["Synthetic Twin Travels"]),
        (3, 10, ["Other Name", "Synthetic Twin Travels"]),  # the same name twice
        (4, 20, ["Synthetic Gujrat Travels"]),
    ]
    records = [
        (100, 10, "synthetic falcon travels"),  # linked
        (101, 10, "old falcon name"),  # a former name: linked
        (102, 10, "Synthetic Twin Travels"),  # two agencies: left
        (103, 10, "Synthetic Falcon"),  # a part of a name: left
        (104, 10, "Synthetic Gujrat Travels"),  # another district's: left
        (105, 10, ""),  # nothing typed: left
    ]
    matched = recruiter_matches(agencies, records)
    assert matched.links == [(100, 1), (101, 1)]
    assert matched.left == 4


def test_data_migration_links_exact_names_and_leaves_the_rest(
    make_agency: MakeAgency, make_record: MakeRecord, capsys: Any
) -> None:
    agency = make_agency("Synthetic Falcon Travels")
    make_agency("Synthetic Phalia Travels")
    linked = make_record("SYNTHETIC FALCON TRAVELS")
    left = make_record("Synthetic Phalia")
    migration.link(apps, None)
    link = AgencyRecruit.objects.get()
    assert (link.record_id, link.agency_id, link.method) == (linked.pk, agency.pk, "migrated")
    assert not AgencyRecruit.objects.filter(record=left).exists()
    assert "linked 1 victims' recruiters" in capsys.readouterr().out
    left.refresh_from_db()
    assert left.recruitment_place == "Synthetic Phalia"  # the text stays
    migration.unlink(apps, None)
    assert not AgencyRecruit.objects.exists()


# --- choosing from the registry ---------------------------------------------------------


def test_cell_officer_chooses_the_agency_and_its_staff(
    login_as: Login, officer_mbdin: User, make_agency: MakeAgency, make_record: MakeRecord
) -> None:
    agency = make_agency("Synthetic Falcon Travels")
    staff = s.agency_person_add(
        agency=agency, by=officer_mbdin, role="sub_agent", name_latin="Synthetic Subagent"
    )
    record = make_record()
    client = login_as(officer_mbdin)
    url = f"/cell/agencies/recruiter/{record.number}/"
    form = client.get(url).content.decode()
    assert "Synthetic Falcon Travels" in form
    assert "Synthetic Subagent" not in form  # staff by pseudonym only
    response = client.post(url, {"agency": agency.pk, "staff": staff.pk})
    assert response.status_code == 302
    link = AgencyRecruit.objects.get(record=record)
    assert (link.agency_id, link.staff_id, link.method) == (agency.pk, staff.pk, "manual")
    assert AuditEvent.objects.filter(
        object_id=str(record.pk), reason=f"recruiter set: agency {agency.pk}, staff {staff.pk}"
    ).exists()
    detail = client.get(f"/cell/victims/{record.number}/").content.decode()
    assert "Synthetic Falcon Travels" in detail
    page = client.get(f"/cell/agencies/{agency.pk}/").content.decode()
    assert record.number in page


def test_staff_of_another_agency_is_refused_and_the_choice_kept(
    login_as: Login, officer_mbdin: User, make_agency: MakeAgency, make_record: MakeRecord
) -> None:
    agency = make_agency("Synthetic Falcon Travels")
    other = make_agency("Synthetic Eagle Travels")
    staff = s.agency_person_add(
        agency=other, by=officer_mbdin, role="staff", name_latin="Synthetic Clerk"
    )
    record = make_record()
    response = login_as(officer_mbdin).post(
        f"/cell/agencies/recruiter/{record.number}/", {"agency": agency.pk, "staff": staff.pk}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "not of the chosen agency" in page
    assert f'value="{agency.pk}" selected' in page
    assert not AgencyRecruit.objects.exists()


def test_an_agency_outside_the_users_scope_cannot_be_chosen(
    login_as: Login,
    officer_mbdin: User,
    officer_gujrat: User,
    make_agency: MakeAgency,
    make_record: MakeRecord,
    gujrat: Any,
) -> None:
    theirs = make_agency("Synthetic Gujrat Travels", district=gujrat, by=officer_gujrat)
    record = make_record()
    response = login_as(officer_mbdin).post(
        f"/cell/agencies/recruiter/{record.number}/", {"agency": theirs.pk}
    )
    assert response.status_code == 200
    assert not AgencyRecruit.objects.exists()


def test_other_district_gets_404_and_readers_get_403(
    login_as: Login,
    officer_gujrat: User,
    fia_liaison: User,
    make_agency: MakeAgency,
    make_record: MakeRecord,
) -> None:
    agency = make_agency()
    record = make_record()
    url = f"/cell/agencies/recruiter/{record.number}/"
    assert login_as(officer_gujrat).post(url, {"agency": agency.pk}).status_code == 404
    assert AuditEvent.objects.filter(
        actor=officer_gujrat, outcome=AuditOutcome.REFUSED, object_id=str(record.pk)
    ).exists()
    assert login_as(fia_liaison).post(url, {"agency": agency.pk}).status_code in (403, 404)
    assert not AgencyRecruit.objects.exists()


def test_readers_who_may_not_open_records_see_a_count_not_the_victims(
    login_as: Login,
    officer_mbdin: User,
    fia_liaison: User,
    make_agency: MakeAgency,
    make_record: MakeRecord,
) -> None:
    from ahtc.agencies.recruits import recruiter_set

    agency = make_agency("Synthetic Falcon Travels")
    record = make_record()
    recruiter_set(record=record, agency=agency, staff=None, by=officer_mbdin)
    page = login_as(fia_liaison).get(f"/cell/agencies/{agency.pk}/").content.decode()
    assert "1 victim names this agency as their recruiter" in page
    assert record.number not in page
