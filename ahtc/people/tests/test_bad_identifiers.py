"""Identifiers typed with characters that only look like digits: a clear
form error, and nothing half-written (no person without their identifiers)."""

# ruff: noqa: F811 - test arguments name the case fixtures imported below

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.cases.models import Case, Party
from ahtc.cases.tests.conftest import case, make_case, mbdin  # noqa: F401 - fixtures
from ahtc.core.models import AuditEvent
from ahtc.geography.models import Area
from ahtc.people.models import IdentifierKind, Person
from ahtc.people.normalise import IdentifierError, cnic, phone
from ahtc.people.services import person_create

LoginAs = Callable[[User], Client]


@pytest.mark.parametrize(
    "raw",
    [
        "35202-1234567-²",  # superscript two: isdigit() but int() fails
        "35202-1234567-①",
        "35202-123456½-1",
        "³5202-1234567-1",
    ],
)
def test_digit_lookalikes_in_a_cnic_are_refused_clearly(raw: str) -> None:
    with pytest.raises(IdentifierError, match="is not a digit"):
        cnic(raw)


def test_digit_lookalikes_in_a_phone_are_refused_clearly() -> None:
    with pytest.raises(IdentifierError, match="is not a digit"):
        phone("0300-123456²")


@pytest.mark.parametrize(
    "raw",
    [
        "۳۵۲۰۲-۱۲۳۴۵۶۷-۱",  # Urdu (Extended Arabic-Indic) digits
        "٣٥٢٠٢-١٢٣٤٥٦٧-١",  # Arabic-Indic digits
        "35202-۱۲۳۴۵۶۷-1",  # mixed
    ],
)
def test_urdu_and_arabic_indic_digits_are_accepted(raw: str) -> None:
    assert cnic(raw).value == "3520212345671"


@pytest.mark.django_db
def test_person_with_a_bad_identifier_is_not_created(officer_mbdin: User) -> None:
    people = Person.objects.count()
    with pytest.raises(IdentifierError):
        person_create(
            source_district=Area.objects.get(code="PK620"),
            by=officer_mbdin,
            name_latin="Half Written",
            identifiers={IdentifierKind.PHONE: "0300-1234567", IdentifierKind.CNIC: "35202-²"},
        )
    assert Person.objects.count() == people


@pytest.mark.django_db
def test_person_is_created_with_identifiers_and_aliases_at_once(officer_mbdin: User) -> None:
    person = person_create(
        source_district=Area.objects.get(code="PK620"),
        by=officer_mbdin,
        name_latin="Whole Person",
        identifiers={IdentifierKind.CNIC: "۳۵۲۰۲-۱۲۳۴۵۶۷-۱", IdentifierKind.PHONE: "0300-1234567"},
        aliases=["Whole", "W. Person"],
    )
    assert sorted(person.identifiers.values_list("kind", "value")) == [
        ("cnic", "3520212345671"),
        ("phone", "+923001234567"),
    ]
    assert sorted(a.name for a in person.aliases.all()) == ["W. Person", "Whole"]


@pytest.mark.django_db
class TestAddingAPersonToACase:
    def post(self, client: Client, case: Case, **fields: str) -> Any:
        data = {"role": "victim", "name_latin": "Orphan Candidate", "sex": "feminine"}
        data.update(fields)
        return client.post(reverse("cell:case_party", args=[case.reference]), data)

    def test_unicode_lookalike_digit_is_a_form_error_and_nothing_is_written(
        self, case: Case, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        people, parties = Person.objects.count(), Party.objects.count()
        client = login_as(officer_mbdin)
        response = self.post(client, case, cnic="35202-1234567-²", phone="0300-1234567")
        assert response.status_code == 200  # the form again, with the error
        assert "is not a digit" in response.content.decode()
        assert Person.objects.count() == people
        assert Party.objects.count() == parties
        created = AuditEvent.objects.filter(object_type="people.person", action="create")
        assert not created.exists()

    def test_bad_phone_after_a_good_cnic_leaves_no_person(
        self, case: Case, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        people = Person.objects.count()
        response = self.post(login_as(officer_mbdin), case, cnic="35202-1234567-1", phone="hello")
        assert response.status_code == 200
        assert Person.objects.count() == people

    def test_urdu_digits_are_saved(
        self, case: Case, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        response = self.post(login_as(officer_mbdin), case, cnic="۳۵۲۰۲-۱۲۳۴۵۶۷-۱")
        assert response.status_code == 302
        person = Person.objects.get(parties__case=case)
        assert person.identifiers.get().value == "3520212345671"

    def test_search_with_a_lookalike_digit_is_not_a_500(
        self, case: Case, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        url = reverse("cell:case_party", args=[case.reference])
        response = login_as(officer_mbdin).get(url, {"cnic": "35202-1234567-²"})
        assert response.status_code == 200
