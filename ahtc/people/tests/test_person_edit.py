"""People are editable with history and audit; a party's note is shown (issue 10)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.cases import services as case_services
from ahtc.cases.models import Case, PartyRole
from ahtc.cases.tests.conftest import case, make_case, make_person, mbdin  # noqa: F401
from ahtc.core.models import AuditAction, AuditEvent, AuditOutcome
from ahtc.people.models import Person, PersonVersion
from ahtc.people.services import person_update, version_values

pytestmark = pytest.mark.django_db

VALID = {
    "name_latin": "Synthetic Corrected",
    "name_urdu": "",
    "relative_name": "Synthetic Father",
    "sex": "masculine",
    "birth_date": "",
    "age_years": "31",
    "reason": "Spelling from the CNIC",
}


@pytest.fixture
def person(case: Case, officer_mbdin: User, make_person: Callable[..., Person]) -> Person:  # noqa: F811
    someone = make_person("Synthetic Original", age_years=30)
    case_services.party_add(
        case=case,
        by=officer_mbdin,
        role=PartyRole.VICTIM,
        person=someone,
        note="Speaks Punjabi only; call after 6 pm.",
    )
    return someone


def url(person: Person) -> str:
    return reverse("cell:person", args=[person.pk])


class TestService:
    def test_edit_keeps_the_earlier_values(self, person: Person, officer_mbdin: User) -> None:
        version = person_update(
            person=person,
            by=officer_mbdin,
            changes={"name_latin": "Synthetic New", "birth_date": dt.date(1990, 1, 2)},
            reason="corrected",
        )
        assert version is not None
        person.refresh_from_db()
        assert person.name_latin == "Synthetic New"
        assert version.number == 1
        assert version_values(version)["name_latin"] == "Synthetic Original"
        assert version.changed_fields == "name_latin,birth_date"
        second = person_update(person=person, by=officer_mbdin, changes={"age_years": 31})
        assert second is not None
        assert second.number == 2

    def test_no_change_keeps_no_version(self, person: Person, officer_mbdin: User) -> None:
        changes = {"name_latin": "Synthetic Original"}
        assert person_update(person=person, by=officer_mbdin, changes=changes) is None
        assert not PersonVersion.objects.exists()

    def test_audit_names_fields_never_values(self, person: Person, officer_mbdin: User) -> None:
        person_update(person=person, by=officer_mbdin, changes={"name_latin": "Synthetic New"})
        event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(person.pk))
        reasons = " ".join(event.values_list("reason", flat=True))
        assert "name_latin" in reasons
        assert "Synthetic" not in reasons

    def test_old_values_are_encrypted_at_rest(self, person: Person, officer_mbdin: User) -> None:
        from django.db import connection

        person_update(person=person, by=officer_mbdin, changes={"name_latin": "Synthetic New"})
        with connection.cursor() as cursor:
            cursor.execute("SELECT before FROM people_personversion")
            (raw,) = cursor.fetchone()
        assert "Synthetic Original" not in raw


class TestPage:
    def test_officer_edits_and_sees_history(
        self, person: Person, officer_mbdin: User, login_as: Callable[[User], Client]
    ) -> None:
        client = login_as(officer_mbdin)
        page = client.get(url(person)).content.decode()
        assert 'value="Synthetic Original"' in page
        response = client.post(url(person), VALID)
        assert response.status_code == 302
        person.refresh_from_db()
        assert (person.name_latin, person.age_years) == ("Synthetic Corrected", 31)
        history = client.get(url(person)).content.decode()
        assert "Synthetic Original" in history  # the earlier value, in the history
        assert "Spelling from the CNIC" in history

    def test_bad_input_keeps_what_was_typed(
        self, person: Person, officer_mbdin: User, login_as: Callable[[User], Client]
    ) -> None:
        data: dict[str, Any] = {**VALID, "name_latin": "", "age_years": "300"}
        response = login_as(officer_mbdin).post(url(person), data)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Give the name in either script." in page
        assert 'value="300"' in page
        assert 'value="Synthetic Father"' in page
        person.refresh_from_db()
        assert person.name_latin == "Synthetic Original"

    def test_a_reason_is_needed(
        self, person: Person, officer_mbdin: User, login_as: Callable[[User], Client]
    ) -> None:
        response = login_as(officer_mbdin).post(url(person), {**VALID, "reason": ""})
        assert response.status_code == 200
        assert not PersonVersion.objects.exists()

    def test_other_district_gets_404_and_audit(
        self, person: Person, officer_gujrat: User, login_as: Callable[[User], Client]
    ) -> None:
        client = login_as(officer_gujrat)
        assert client.get(url(person)).status_code == 404
        assert client.post(url(person), VALID).status_code == 404
        assert AuditEvent.objects.filter(
            actor=officer_gujrat, outcome=AuditOutcome.REFUSED, object_type="people.person"
        ).exists()
        person.refresh_from_db()
        assert person.name_latin == "Synthetic Original"

    @pytest.mark.parametrize("persona", ["fia_liaison", "provincial_monitor", "labour_liaison"])
    def test_partners_and_monitors_cannot_open_a_person(
        self, request: pytest.FixtureRequest, person: Person, login_as: Any, persona: str
    ) -> None:
        response = login_as(request.getfixturevalue(persona)).get(url(person))
        assert response.status_code in {403, 404}
        assert b"Synthetic Original" not in response.content

    def test_anonymous_goes_to_sign_in(self, person: Person, client: Client) -> None:
        response = client.get(url(person))
        assert response.status_code == 302
        assert "sign-in" in response["Location"]

    def test_opening_a_person_is_audited(
        self, person: Person, officer_mbdin: User, login_as: Callable[[User], Client]
    ) -> None:
        login_as(officer_mbdin).get(url(person))
        assert AuditEvent.objects.filter(
            actor=officer_mbdin, action=AuditAction.VIEW, object_type="people.person"
        ).exists()


def test_case_page_shows_the_party_note_to_identity_users(
    person: Person,
    case: Case,  # noqa: F811 - the fixture imported above
    officer_mbdin: User,
    login_as: Callable[[User], Client],
) -> None:
    page = login_as(officer_mbdin).get(reverse("cell:case", args=[case.reference])).content
    assert b"Speaks Punjabi only; call after 6 pm." in page
    assert url(person).encode() in page


def lists_url(person: Person) -> str:
    return reverse("cell:person_lists", args=[person.pk])


PHONE_ADD = {"action": "add_identifier", "kind": "phone", "value": "0300 1234567", "reason": "x"}


class TestIdentifiersAndAliases:
    def test_add_and_remove_an_identifier_with_history(
        self, person: Person, officer_mbdin: User, login_as: Callable[[User], Client]
    ) -> None:
        client = login_as(officer_mbdin)
        assert client.post(lists_url(person), PHONE_ADD).status_code == 302
        [identifier] = person.identifiers.all()
        assert identifier.value == "+923001234567"
        assert client.post(lists_url(person), PHONE_ADD).status_code == 302  # duplicate
        assert person.identifiers.count() == 1
        # Removing needs the box ticked: without it nothing changes.
        remove = {"action": "remove_identifier", "row": identifier.pk, "reason": "wrong number"}
        client.post(lists_url(person), remove)
        assert person.identifiers.count() == 1
        client.post(lists_url(person), {**remove, "confirm": "yes"})
        assert person.identifiers.count() == 0
        versions = list(person.versions.order_by("number"))
        assert [v.changed_fields for v in versions] == ["identifiers", "identifiers"]
        assert version_values(versions[1]) == {"identifiers": ["phone: +923001234567"]}
        page = client.get(url(person)).content.decode()
        assert "+923001234567" in page  # in the history
        assert "wrong number" in page
        audit = AuditEvent.objects.filter(reason__startswith="edited identifiers")
        assert audit.count() == 2
        assert not audit.filter(reason__contains="3001234567").exists()

    def test_a_bad_identifier_comes_back_with_what_was_typed(
        self, person: Person, officer_mbdin: User, login_as: Callable[[User], Client]
    ) -> None:
        data = {**PHONE_ADD, "value": "0300-12³4567", "reason": "from the card"}
        response = login_as(officer_mbdin).post(lists_url(person), data)
        assert response.status_code == 400
        page = response.content.decode()
        assert 'value="0300-12³4567"' in page
        assert 'value="from the card"' in page
        assert "errorlist" in page
        assert not person.identifiers.exists()
        assert not person.versions.exists()

    def test_aliases_are_added_once_and_removed(
        self, person: Person, officer_mbdin: User, login_as: Callable[[User], Client]
    ) -> None:
        client = login_as(officer_mbdin)
        add = {"action": "add_alias", "name": "Synthetic  Nickname", "reason": "neighbours"}
        client.post(lists_url(person), add)
        client.post(lists_url(person), add)
        [alias] = person.aliases.all()
        assert alias.name == "Synthetic Nickname"
        client.post(
            lists_url(person),
            {"action": "remove_alias", "row": alias.pk, "confirm": "yes"},
        )
        assert not person.aliases.exists()
        assert person.versions.count() == 2

    def test_another_persons_row_cannot_be_removed_through_this_page(
        self,
        person: Person,
        officer_mbdin: User,
        login_as: Callable[[User], Client],
        make_person: Callable[..., Person],  # noqa: F811
    ) -> None:
        from ahtc.people.models import IdentifierKind
        from ahtc.people.services import identifier_add

        other = make_person("Synthetic Other")
        theirs = identifier_add(
            person=other, kind=IdentifierKind.PHONE, raw="0300 7654321", by=officer_mbdin
        )
        response = login_as(officer_mbdin).post(
            lists_url(person),
            {"action": "remove_identifier", "row": theirs.pk, "confirm": "yes"},
        )
        assert response.status_code == 404
        assert other.identifiers.count() == 1

    def test_other_district_and_partners_are_refused(
        self,
        person: Person,
        officer_gujrat: User,
        fia_liaison: User,
        login_as: Callable[[User], Client],
    ) -> None:
        for user in (officer_gujrat, fia_liaison):
            response = login_as(user).post(lists_url(person), PHONE_ADD)
            assert response.status_code in {403, 404}
        assert not person.identifiers.exists()
