from __future__ import annotations

import pytest
from django.db import connection

from ahtc.geography.models import Area
from ahtc.people.models import IdentifierKind
from ahtc.people.normalise import IdentifierError, cnic, passport, phone
from ahtc.people.services import identifier_add, people_with_identifier, person_create


@pytest.mark.parametrize(
    "raw",
    [
        "0300-1234567",
        "03001234567",
        "+92 300 1234567",
        "0092-300-1234567",
        "300 1234567",
        "۰۳۰۰۱۲۳۴۵۶۷",
    ],
)
def test_pakistani_mobile_in_every_local_form_becomes_e164(raw):
    assert phone(raw).value == "+923001234567"


def test_landline_with_area_code():
    assert phone("0546-500123").value.startswith("+92546")


def test_foreign_number_keeps_its_country():
    assert phone("+39 06 1234 5678").value == "+390612345678"


@pytest.mark.parametrize("raw", ["hello", "12", "+92 1"])
def test_bad_phone_is_refused(raw):
    with pytest.raises(IdentifierError):
        phone(raw)


def test_cnic_full_and_partial():
    assert cnic("35202-1234567-1").value == "3520212345671"
    assert not cnic("35202-1234567-1").partial
    partial = cnic("35202-12345??-?")
    assert (partial.value, partial.partial) == ("3520212345???", True)
    assert cnic("35202").partial


@pytest.mark.parametrize("raw", ["35202-1234567-12", "abc", "12"])
def test_bad_cnic_is_refused(raw):
    with pytest.raises(IdentifierError):
        cnic(raw)


def test_passport():
    assert passport(" ab 123 4567 ").value == "AB1234567"
    with pytest.raises(IdentifierError):
        passport("A-1")


@pytest.mark.django_db
class TestPeople:
    def test_identity_is_encrypted_and_found_by_any_phone_form(self, officer_mbdin):
        person = person_create(
            source_district=Area.objects.get(code="PK620"),
            by=officer_mbdin,
            name_latin="Synthetic Person",
            name_urdu="فرضی شخص",
        )
        identifier_add(
            person=person, kind=IdentifierKind.PHONE, raw="0300-1234567", by=officer_mbdin
        )
        assert list(people_with_identifier(IdentifierKind.PHONE, "+92 300 1234567")) == [person]
        with connection.cursor() as cursor:
            cursor.execute("SELECT name_latin, name_urdu FROM people_person")
            dump = repr(cursor.fetchall())
            cursor.execute("SELECT value, value_hash FROM people_identifier")
            dump += repr(cursor.fetchall())
        assert "Synthetic" not in dump
        assert "1234567" not in dump

    def test_same_identifier_twice_is_one_row(self, officer_mbdin):
        person = person_create(source_district=Area.objects.get(code="PK620"), by=officer_mbdin)
        first = identifier_add(
            person=person, kind=IdentifierKind.CNIC, raw="35202-1234567-1", by=officer_mbdin
        )
        second = identifier_add(
            person=person, kind=IdentifierKind.CNIC, raw="3520212345671", by=officer_mbdin
        )
        assert first == second

    def test_partial_identifiers_do_not_claim_exact_matches(self, officer_mbdin):
        person = person_create(source_district=Area.objects.get(code="PK620"), by=officer_mbdin)
        identifier_add(
            person=person, kind=IdentifierKind.CNIC, raw="35202-12345??-?", by=officer_mbdin
        )
        assert not people_with_identifier(IdentifierKind.CNIC, "35202-12345??-?").exists()
