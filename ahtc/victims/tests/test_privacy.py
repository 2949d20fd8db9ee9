"""Victims' identities stay out of exports, the raw database, the logs and
error pages."""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import Organisation, User
from ahtc.cases.models import Case
from ahtc.core.models import AuditAction, AuditEvent, AuditOutcome
from ahtc.geography.models import Area
from ahtc.jobs.tests.helpers import follow_export
from ahtc.people.models import IdentifierKind, Person
from ahtc.people.services import identifier_add
from ahtc.victims import services as s
from ahtc.victims.models import ProtectionRecord, Referral, ServiceType

from .conftest import GiveConsent, MakeRecord

pytestmark = pytest.mark.django_db

LoginAs = Callable[[User], Client]
MakePerson = Callable[..., Person]

NAME = "Zarmeena Qurbanistani"
NAME_URDU = "زرمینہ قربانستانی"
RELATIVE = "Ghulam Xerxes Khan"
PHONE = "0345-9876543"
PHONE_DIGITS = "9876543"
ADDRESS = "Gali Xylophone 42, Kuthiala Sheikhan"
PLACE = "Kiln Quagmire Road"
NEEDLES = [
    NAME,
    "Zarmeena",
    "Qurbanistani",
    NAME_URDU,
    RELATIVE,
    PHONE_DIGITS,
    ADDRESS,
    "Xylophone",
]


@pytest.fixture
def victim(
    make_person: MakePerson, make_record: MakeRecord, officer_mbdin: User
) -> ProtectionRecord:
    person = make_person(NAME, name_urdu=NAME_URDU, relative_name=RELATIVE, age_years=24)
    identifier_add(person=person, kind=IdentifierKind.PHONE, raw=PHONE, by=officer_mbdin)
    return make_record(
        person,
        address=ADDRESS,
        recruitment_place=PLACE,
        exploitation=["ForcedLabour"],
        recruitment_method="ThroughFriendsOrSocialEvents",
    )


@pytest.fixture
def referral(
    victim: ProtectionRecord,
    officer_mbdin: User,
    health_org: Organisation,
    give_consent: GiveConsent,
) -> Referral:
    """Sent with the identity, so the provider's page shows the name and phone."""
    give_consent(victim, ServiceType.HEALTH, identity=True)
    return s.referral_create(
        record=victim,
        by=officer_mbdin,
        provider=health_org,
        service=ServiceType.HEALTH,
        needs="Treatment for a back injury",
        identity_needed=True,
    )


def assert_absent(text: str, where: str) -> None:
    for needle in NEEDLES:
        assert needle not in text, f"{needle!r} found in {where}"


class TestExport:
    def test_csv_has_no_identity_and_is_audited(
        self, victim: ProtectionRecord, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        client = login_as(officer_mbdin)
        response = follow_export(client, client.get(reverse("cell:victims"), {"export": "csv"}))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv"
        assert response["Cache-Control"] == "no-store"
        assert "attachment" in response["Content-Disposition"]
        text = response.content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0][0] == "number"
        assert len(rows) == 2
        assert rows[1][0] == victim.number
        assert rows[1][1] == "PK620"
        assert "ForcedLabour" in rows[1]
        assert_absent(text, "the CSV export")
        assert PLACE not in text  # no free text either
        event = AuditEvent.objects.get(action=AuditAction.EXPORT)
        assert event.actor == officer_mbdin
        assert event.object_type == "victims.protectionrecord"
        assert event.reason == "victim list csv, 1 rows, no identities"
        assert_absent(event.reason, "the audit reason")

    def test_csv_with_names_is_for_the_cell_head_with_a_reason(
        self,
        victim: ProtectionRecord,
        officer_mbdin: User,
        dpo_mbdin: User,
        login_as: LoginAs,
    ) -> None:
        asked = {"export": "csv", "identity": "1", "reason": "court order 12/2025"}
        assert login_as(officer_mbdin).get(reverse("cell:victims"), asked).status_code == 403
        client = login_as(dpo_mbdin)
        no_reason = {"export": "csv", "identity": "1"}
        assert client.get(reverse("cell:victims"), no_reason).status_code == 403
        response = follow_export(client, client.get(reverse("cell:victims"), asked))
        assert response.status_code == 200
        text = response.content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0][-2:] == ["name", "phone"]
        assert NAME in rows[1][-2]
        assert PHONE_DIGITS in rows[1][-1]
        assert ADDRESS not in text
        assert PLACE not in text
        event = AuditEvent.objects.get(action=AuditAction.EXPORT, outcome=AuditOutcome.ALLOWED)
        assert event.reason.startswith("victim list csv WITH IDENTITIES, 1 rows (court order")
        assert victim.number in event.reason
        assert_absent(event.reason, "the audit reason")

    def test_csv_with_names_keeps_withheld_identities_withheld(
        self, victim: ProtectionRecord, dpo_mbdin: User, login_as: LoginAs
    ) -> None:
        s.record_update(record=victim, by=dpo_mbdin, identity_withheld=True)
        client = login_as(dpo_mbdin)
        asked = {"export": "csv", "identity": "1", "reason": "committee request"}
        response = follow_export(client, client.get(reverse("cell:victims"), asked))
        text = response.content.decode("utf-8-sig")
        assert victim.number in text
        assert "(withheld)" in text
        assert_absent(text, "the CSV export of a withheld record")

    def test_csv_holds_only_the_users_districts(
        self,
        victim: ProtectionRecord,
        make_person: MakePerson,
        officer_gujrat: User,
        gujrat: Area,
        login_as: LoginAs,
    ) -> None:
        own = s.record_create(
            person=make_person("Gujrat Person", source_district=gujrat, by=officer_gujrat),
            by=officer_gujrat,
            child=False,
        )
        client = login_as(officer_gujrat)
        response = follow_export(client, client.get(reverse("cell:victims"), {"export": "csv"}))
        text = response.content.decode("utf-8-sig")
        assert own.number in text
        assert victim.number not in text


class TestEncryptedAtRest:
    def test_identity_columns_are_unreadable_in_the_database(
        self, victim: ProtectionRecord, officer_mbdin: User, case: Case
    ) -> None:
        s.family_add(
            case=case,
            by=officer_mbdin,
            contact_name=NAME,
            relation="sister",
            phone=PHONE,
        )
        dumps: dict[str, str] = {}
        with connection.cursor() as cursor:
            for table in (
                "people_person",
                "people_identifier",
                "victims_protectionrecord",
                "victims_missingmigrantfamily",
            ):
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
                rows = cursor.fetchall()
                assert rows, f"{table} is empty"
                dumps[table] = repr(rows)
            cursor.execute("SELECT address FROM victims_protectionrecord")
            (stored_address,) = cursor.fetchone()
        for table, dump in dumps.items():
            assert_absent(dump, table)
        assert stored_address.startswith("enc1:")
        # The application still reads them.
        victim.refresh_from_db()
        assert victim.address == ADDRESS
        assert victim.person.name_latin == NAME

    def test_no_table_holds_the_plain_identity(
        self, victim: ProtectionRecord, referral: Referral
    ) -> None:
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names():
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
                assert_absent(repr(cursor.fetchall()), table)


@contextmanager
def every_log_captured(handler: logging.Handler) -> Iterator[None]:
    """Send every logger's records to `handler` at DEBUG, including loggers that
    do not propagate to the root (django.request), and log the SQL too."""
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    saved = [(logger, logger.level) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        if not logger.propagate:
            logger.addHandler(handler)
    debug_cursor = connection.force_debug_cursor
    connection.force_debug_cursor = True
    try:
        yield
    finally:
        connection.force_debug_cursor = debug_cursor
        for logger, level in saved:
            logger.setLevel(level)
            if handler in logger.handlers and logger is not logging.getLogger():
                logger.removeHandler(handler)


class TestLogsAndErrors:
    def test_logs_hold_no_name_or_phone(
        self,
        victim: ProtectionRecord,
        referral: Referral,
        officer_mbdin: User,
        officer_gujrat: User,
        health_user: User,
        make_user: Callable[..., User],
        login_as: LoginAs,
        caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        def broken(**kwargs: object) -> None:
            raise RuntimeError("risk service down")

        monkeypatch.setattr(s, "risk_assess", broken)  # the view looks it up per call
        with caplog.at_level(logging.DEBUG), every_log_captured(caplog.handler):
            client = login_as(officer_mbdin)
            page = client.get(reverse("cell:victim", args=[victim.number]))
            assert NAME.encode() in page.content  # the page shows it; the log must not
            # A form error page: no consent for this service.
            refused = client.post(
                reverse("cell:victim_referral", args=[victim.number]),
                {
                    "service": ServiceType.PSYCHOSOCIAL,
                    "provider": referral.provider_id,
                    "needs": "x",
                },
            )
            assert b"consent does not cover" in refused.content
            # A server error while handling the record.
            client.raise_request_exception = False
            crashed = client.post(
                reverse("cell:victim_risk", args=[victim.number]), {"factors": ["debt"]}
            )
            assert crashed.status_code == 500
            client.logout()
            provider_page = login_as(health_user).get(
                reverse("cell:provider_referral", args=[referral.pk])
            )
            assert NAME.encode() in provider_page.content
            assert PHONE_DIGITS.encode() in provider_page.content
            # Not found: out of scope, and missing.
            client = login_as(officer_gujrat)
            assert client.get(reverse("cell:victim", args=[victim.number])).status_code == 404
            assert client.get(reverse("cell:victim", args=["VIC-MBD-2099-9999"])).status_code == 404
        text = caplog.text
        # The capture worked: the server error, the 404s and the SQL are in it.
        assert "Internal Server Error" in text
        assert "risk service down" in text
        assert "Not Found" in text
        assert "SELECT" in text
        assert_absent(text, "the log")
        assert PHONE not in text

    def test_404_for_a_missing_record_does_not_echo_the_number(
        self, victim: ProtectionRecord, officer_mbdin: User, officer_gujrat: User, login_as: LoginAs
    ) -> None:
        missing = "VIC-MBD-2099-9999"
        response = login_as(officer_mbdin).get(reverse("cell:victim", args=[missing]))
        assert response.status_code == 404
        assert b"Not found" in response.content
        # The language switch on every page carries the page's own address back
        # (a hidden `next` field, outside this app); nothing else may echo it.
        body = without_language_switch(response.content.decode())
        assert missing not in body
        assert "2099-9999" not in body
        # A record out of the user's scope looks the same as one that does not exist.
        out_of_scope = login_as(officer_gujrat).get(reverse("cell:victim", args=[victim.number]))
        assert out_of_scope.status_code == 404
        other = without_language_switch(out_of_scope.content.decode())
        assert victim.number not in other
        assert_absent(other, "the 404 page")
        assert strip_volatile(other) == strip_volatile(
            without_language_switch(
                login_as(officer_gujrat)
                .get(reverse("cell:victim", args=[missing]))
                .content.decode()
            )
        )


def without_language_switch(html: str) -> str:
    return re.sub(r'<input type="hidden" name="next" value="[^"]*">', "", html)


def strip_volatile(html: str) -> str:
    """Drop per-response tokens (CSRF, CSP nonces)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'nonce="[^"]*"', "", html)
