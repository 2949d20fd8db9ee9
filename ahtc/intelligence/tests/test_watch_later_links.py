"""Watchlist alerts when a watched identity grows later: a reviewer accepts a
match, a full CNIC links two records, or a phone is added to a watched
record. Records that already exist then alert their owner as if they were
new, once, without identity, and other districts' records only as "known
in Gujrat" (hit / no hit)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.test import Client

from ahtc.accounts.models import User
from ahtc.cases import services as cs
from ahtc.cases.models import PartyRole
from ahtc.core.models import AuditEvent
from ahtc.geography.models import Area
from ahtc.intelligence.models import AlertSource, WatchlistAlert, WatchlistEntry
from ahtc.intelligence.tests.conftest import World
from ahtc.intelligence.watch import watchlist_add
from ahtc.notifications.models import Notification, NotificationKind
from ahtc.people.matches import candidate_decide, candidate_undo, full_cnic_links
from ahtc.people.models import IdentifierKind, MatchCandidate, MatchStatus, Person
from ahtc.people.services import identifier_add, person_create
from ahtc.portal.services import tip_submit

pytestmark = pytest.mark.django_db
LoginAs = Callable[[User], Client]
CNIC = "34101-1234567-1"
GUJRAT = "PK610"


@pytest.fixture
def entry(world: World, officer_mbdin: User, mbdin: Area) -> WatchlistEntry:
    return watchlist_add(
        person=world.people["bilal"],
        district=mbdin,
        by=officer_mbdin,
        owner=officer_mbdin,
        reason="Broker behind the Phalia cases",
    )


@pytest.fixture
def gujrat_record(officer_gujrat: User, gujrat: Area) -> tuple[Person, int]:
    """Bilal's record in Gujrat, a suspect in a Gujrat case, not yet linked."""
    record = person_create(
        source_district=gujrat,
        by=officer_gujrat,
        name_latin="M. Bilal",
        identifiers={"cnic": CNIC},
    )
    case = cs.case_open(district=gujrat, by=officer_gujrat, title="G2", origin="walk_in")
    party = cs.party_add(case=case, by=officer_gujrat, role=PartyRole.SMUGGLER, person=record)
    return record, party.pk


def _candidate(a: Person, b: Person) -> MatchCandidate:
    x, y = sorted((a.pk, b.pk))
    return MatchCandidate.objects.create(
        person_a_id=x, person_b_id=y, match_weight=5.0, match_probability=0.97, evidence={}
    )


def _alerts() -> list[tuple[str, int, str, str]]:
    return [
        (a.source, a.record_id, a.district.code, a.matched_by)
        for a in WatchlistAlert.objects.order_by("pk")
    ]


class TestReviewedLinks:
    def test_accepted_match_alerts_for_the_existing_record_once(
        self,
        entry: WatchlistEntry,
        world: World,
        gujrat_record: tuple[Person, int],
        officer_gujrat: User,
        officer_mbdin: User,
    ) -> None:
        record, party_id = gujrat_record
        assert _alerts() == []  # not related yet: nothing to say
        candidate = _candidate(world.people["bilal"], record)
        candidate_decide(candidate=candidate, status=MatchStatus.ACCEPTED, by=officer_gujrat)
        assert _alerts() == [(AlertSource.CASE_PARTY, party_id, GUJRAT, "identity")]
        note = Notification.objects.get(recipient=officer_mbdin, kind=NotificationKind.WATCHLIST)
        assert note.count == 1
        assert "Bilal" not in note.text
        assert AuditEvent.objects.filter(
            object_type="intelligence.watchlistalert", area_code=GUJRAT
        ).exists()
        # Undone and accepted again: the same record does not alert twice.
        candidate_undo(candidate=candidate, by=officer_gujrat)
        candidate_decide(candidate=candidate, status=MatchStatus.ACCEPTED, by=officer_gujrat)
        assert len(_alerts()) == 1
        note.refresh_from_db()
        assert note.count == 1

    def test_rejected_or_unsure_match_does_not_alert(
        self,
        entry: WatchlistEntry,
        world: World,
        gujrat_record: tuple[Person, int],
        officer_gujrat: User,
    ) -> None:
        candidate = _candidate(world.people["bilal"], gujrat_record[0])
        candidate_decide(candidate=candidate, status=MatchStatus.REJECTED, by=officer_gujrat)
        candidate_decide(candidate=candidate, status=MatchStatus.UNSURE, by=officer_gujrat)
        assert _alerts() == []

    def test_other_district_record_shows_as_hit_only(
        self,
        entry: WatchlistEntry,
        world: World,
        gujrat_record: tuple[Person, int],
        officer_gujrat: User,
        officer_mbdin: User,
        login_as: LoginAs,
    ) -> None:
        candidate = _candidate(world.people["bilal"], gujrat_record[0])
        candidate_decide(candidate=candidate, status=MatchStatus.ACCEPTED, by=officer_gujrat)
        page = login_as(officer_mbdin).get("/cell/intelligence/watchlist/alerts/").content.decode()
        assert "Known in Gujrat — contact the Gujrat cell." in page
        assert "G2" not in page
        assert "M. Bilal" not in page

    def test_records_related_before_do_not_alert_on_a_later_link(
        self, entry: WatchlistEntry, world: World, officer_mbdin: User
    ) -> None:
        # Bilal's own case A party and Waqas's (same phone) existed when the
        # entry was made; linking a new empty record to Bilal adds nothing.
        extra = person_create(
            source_district=world.case_a.district, by=officer_mbdin, name_latin="Bilal B."
        )
        candidate = _candidate(world.people["bilal"], extra)
        candidate_decide(candidate=candidate, status=MatchStatus.ACCEPTED, by=officer_mbdin)
        assert _alerts() == []

    def test_link_of_unwatched_people_does_not_alert(
        self, entry: WatchlistEntry, world: World, officer_mbdin: User
    ) -> None:
        candidate = _candidate(world.people["vic1"], world.people["vic2"])
        candidate_decide(candidate=candidate, status=MatchStatus.ACCEPTED, by=officer_mbdin)
        assert _alerts() == []


class TestFullCnicAndPhones:
    def test_full_cnic_link_alerts(
        self,
        entry: WatchlistEntry,
        world: World,
        gujrat_record: tuple[Person, int],
        officer_mbdin: User,
    ) -> None:
        # Adding the CNIC relates the Gujrat record at once (same full CNIC);
        # the link a run makes later adds no second alert.
        identifier_add(person=world.people["bilal"], kind=IdentifierKind.CNIC, raw=CNIC, by=None)
        assert _alerts() == [(AlertSource.CASE_PARTY, gujrat_record[1], GUJRAT, "cnic")]
        assert full_cnic_links() == 1
        assert len(_alerts()) == 1

    def test_partial_cnic_added_does_not_alert(
        self, entry: WatchlistEntry, world: World, gujrat_record: tuple[Person, int]
    ) -> None:
        identifier_add(
            person=world.people["bilal"], kind=IdentifierKind.CNIC, raw="34101-12345??-?", by=None
        )
        assert _alerts() == []

    def test_phone_added_later_alerts_for_existing_reports_and_records(
        self,
        entry: WatchlistEntry,
        world: World,
        officer_gujrat: User,
        gujrat: Area,
        officer_mbdin: User,
    ) -> None:
        tip = tip_submit(
            client_token=uuid.uuid4().hex,
            category="forced_labour",
            district=gujrat,
            tehsil=None,
            description="An agent took money for visas.",
            child_involved="no",
            involved="agent phone 0301 5556667",
        ).tip
        holder = person_create(
            source_district=gujrat,
            by=officer_gujrat,
            name_latin="Someone Else",
            identifiers={"phone": "03015556667"},
        )
        case = cs.case_open(district=gujrat, by=officer_gujrat, title="G3", origin="walk_in")
        party = cs.party_add(case=case, by=officer_gujrat, role=PartyRole.WITNESS, person=holder)
        assert _alerts() == []
        identifier_add(
            person=world.people["bilal"], kind=IdentifierKind.PHONE, raw="+92 301 5556667", by=None
        )
        assert sorted(_alerts()) == [
            (AlertSource.CASE_PARTY, party.pk, GUJRAT, "phone"),
            (AlertSource.REPORT, tip.pk, GUJRAT, "phone"),
        ]
        assert entry.indicators.count() == 2
        note = Notification.objects.get(recipient=officer_mbdin, kind=NotificationKind.WATCHLIST)
        assert note.count == 2
        # The same phone written on another record of the identity: nothing new.
        identifier_add(
            person=world.people["bilal"], kind=IdentifierKind.PHONE, raw="0301-5556667", by=None
        )
        assert len(_alerts()) == 2

    def test_no_active_entry_no_alert(
        self, world: World, gujrat_record: tuple[Person, int], officer_gujrat: User
    ) -> None:
        candidate = _candidate(world.people["bilal"], gujrat_record[0])
        candidate_decide(candidate=candidate, status=MatchStatus.ACCEPTED, by=officer_gujrat)
        assert _alerts() == []
