"""The watchlist: entries, alerts that fire once per new matching record
anywhere in the province, and notifications that carry no identity."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.agencies.models import AgencyKind, AgencyStatus
from ahtc.agencies.services import agency_create, agency_person_add
from ahtc.cases import services as cs
from ahtc.cases.models import Case, PartyRole
from ahtc.core.models import AuditEvent
from ahtc.geography.models import Area
from ahtc.intelligence.models import AlertSource, WatchlistAlert, WatchlistEntry
from ahtc.intelligence.tests.conftest import World
from ahtc.intelligence.watch import WatchError, watchlist_add, watchlist_remove
from ahtc.notifications.models import Notification, NotificationKind
from ahtc.people.services import person_create
from ahtc.portal.services import tip_submit

pytestmark = pytest.mark.django_db
LoginAs = Callable[[User], Client]
PHONE = "0300-1112223"  # Bilal's


@pytest.fixture
def entry(world: World, officer_mbdin: User, mbdin: Area) -> WatchlistEntry:
    cs.party_add(
        case=world.case_a,
        by=officer_mbdin,
        role=PartyRole.BROKER,
        person=None,
        organisation_name="x",
    )  # unrelated party: no alert before the entry
    party = world.case_a.parties.get(person=world.people["bilal"])
    party.questioned_and_warned = True
    party.save(update_fields=["questioned_and_warned"])
    return watchlist_add(
        person=world.people["bilal"],
        district=mbdin,
        by=officer_mbdin,
        owner=officer_mbdin,
        reason="Broker behind the Phalia cases",
        undertakings="Undertook on 2025-04-01 to stop sending people abroad",
    )


def gujrat_case(officer_gujrat: User, gujrat: Area) -> Case:
    return cs.case_open(district=gujrat, by=officer_gujrat, title="G2", origin="walk_in")


def alerts() -> list[WatchlistAlert]:
    return list(WatchlistAlert.objects.all())


class TestEntries:
    def test_entry_keeps_the_warnings_and_is_audited(
        self, entry: WatchlistEntry, world: World
    ) -> None:
        assert [p.case for p in entry.warnings.all()] == [world.case_a]
        assert entry.indicators.count() == 1
        assert AuditEvent.objects.filter(object_type="intelligence.watchlistentry", action="create")

    def test_one_active_entry_per_person(
        self, entry: WatchlistEntry, officer_mbdin: User, mbdin: Area
    ) -> None:
        with pytest.raises(WatchError):
            watchlist_add(
                person=entry.person,
                district=mbdin,
                by=officer_mbdin,
                owner=officer_mbdin,
                reason="again",
            )

    def test_other_district_may_not_add(
        self, world: World, officer_gujrat: User, mbdin: Area
    ) -> None:
        with pytest.raises(WatchError):
            watchlist_add(
                person=world.people["bilal"],
                district=mbdin,
                by=officer_gujrat,
                owner=officer_gujrat,
                reason="x",
            )
        assert not WatchlistEntry.objects.exists()

    def test_remove_needs_a_reason_and_keeps_the_row(
        self, entry: WatchlistEntry, officer_mbdin: User
    ) -> None:
        with pytest.raises(WatchError):
            watchlist_remove(entry=entry, by=officer_mbdin, reason=" ")
        watchlist_remove(entry=entry, by=officer_mbdin, reason="Convicted and jailed")
        entry.refresh_from_db()
        assert not entry.active
        assert entry.removed_by == officer_mbdin


class TestAlerts:
    def test_linked_record_in_another_district_alerts_once_without_identity(
        self,
        entry: WatchlistEntry,
        world: World,
        officer_gujrat: User,
        officer_mbdin: User,
        gujrat: Area,
    ) -> None:
        # Bilal's Gujrat record, linked to his Mandi Bahauddin one as one identity.
        from ahtc.intelligence.tests.conftest import _link

        record = person_create(source_district=gujrat, by=officer_gujrat, name_latin="B. Broker")
        _link(world.people["bilal"], record)
        case = gujrat_case(officer_gujrat, gujrat)
        party = cs.party_add(case=case, by=officer_gujrat, role=PartyRole.SMUGGLER, person=record)
        party.save()  # a second save is not a new record
        [alert] = alerts()
        assert (alert.source, alert.record_id, alert.district) == (
            AlertSource.CASE_PARTY,
            party.pk,
            gujrat,
        )
        note = Notification.objects.get(recipient=officer_mbdin, kind=NotificationKind.WATCHLIST)
        assert note.count == 1
        assert note.link == "/cell/intelligence/watchlist/alerts/"
        assert "Broker" not in note.text
        assert "Bilal" not in note.text
        assert "watchlisted person" in note.text

    def test_same_phone_in_a_new_party_alerts(
        self, entry: WatchlistEntry, officer_gujrat: User, gujrat: Area
    ) -> None:
        stranger = person_create(
            source_district=gujrat,
            by=officer_gujrat,
            name_latin="Someone Else",
            identifiers={"phone": "+923001112223"},
        )
        case = gujrat_case(officer_gujrat, gujrat)
        cs.party_add(case=case, by=officer_gujrat, role=PartyRole.WITNESS, person=stranger)
        assert [a.matched_by for a in alerts()] == ["phone"]

    def test_agency_staff_list_anywhere_alerts(
        self, entry: WatchlistEntry, officer_gujrat: User, gujrat: Area
    ) -> None:
        import datetime as dt

        agency = agency_create(
            district=gujrat,
            by=officer_gujrat,
            name_en="Sky Travels",
            kind=AgencyKind.TRAVEL_AGENT,
            status=AgencyStatus.LICENSED,
            status_since=dt.date(2024, 1, 1),
        )
        staff = agency_person_add(
            agency=agency,
            by=officer_gujrat,
            role="manager",
            name_latin="Bilaal",
            phone="0092 300 1112223",
        )
        [alert] = alerts()
        assert (alert.source, alert.record_id) == (AlertSource.AGENCY_STAFF, staff.pk)

    def test_citizen_report_naming_the_phone_alerts_once(self, entry: WatchlistEntry) -> None:
        token = uuid.uuid4().hex
        for _ in range(2):  # a retry returns the same report
            tip = tip_submit(
                client_token=token,
                category="forced_labour",
                district=Area.objects.get(code="PK630"),
                tehsil=None,
                description="An agent took money for visas.",
                child_involved="no",
                involved="agent phone 0300 1112223",
            ).tip
        [alert] = alerts()
        assert (alert.source, alert.record_id, alert.matched_by) == (
            AlertSource.REPORT,
            tip.pk,
            "phone",
        )

    def test_unrelated_records_and_inactive_entries_do_not_alert(
        self,
        entry: WatchlistEntry,
        world: World,
        officer_mbdin: User,
        officer_gujrat: User,
        gujrat: Area,
    ) -> None:
        case = gujrat_case(officer_gujrat, gujrat)
        other = person_create(source_district=gujrat, by=officer_gujrat, name_latin="Bilal Broker")
        cs.party_add(case=case, by=officer_gujrat, role=PartyRole.SMUGGLER, person=other)
        assert alerts() == []  # the same name is not a match: resolution decides that
        watchlist_remove(entry=entry, by=officer_mbdin, reason="done")
        cs.party_add(
            case=case, by=officer_gujrat, role=PartyRole.BROKER, person=world.people["bilal"]
        )
        assert alerts() == []


class TestPages:
    def test_alerts_page_says_where_and_not_who(
        self,
        entry: WatchlistEntry,
        world: World,
        officer_gujrat: User,
        officer_mbdin: User,
        gujrat: Area,
        login_as: LoginAs,
    ) -> None:
        case = gujrat_case(officer_gujrat, gujrat)
        cs.party_add(
            case=case, by=officer_gujrat, role=PartyRole.BROKER, person=world.people["bilal"]
        )
        page = login_as(officer_mbdin).get("/cell/intelligence/watchlist/alerts/").content.decode()
        assert "Known in Gujrat — contact the Gujrat cell." in page
        assert case.reference not in page

    def test_alert_in_scope_links_to_the_record(
        self, entry: WatchlistEntry, world: World, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        cs.party_add(
            case=world.case_b, by=officer_mbdin, role=PartyRole.BROKER, person=world.people["bilal"]
        )
        page = login_as(officer_mbdin).get("/cell/intelligence/watchlist/alerts/").content.decode()
        assert reverse("cell:case", args=[world.case_b.reference]) in page

    def test_add_from_the_person_page_and_bad_input(
        self, world: World, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        client = login_as(officer_mbdin)
        url = reverse("cell:intelligence:watch_add", args=[world.people["farooq"].pk])
        bad = client.post(
            url, {"reason": "", "undertakings": "typed text kept", "owner": officer_mbdin.pk}
        )
        assert bad.status_code == 400
        assert "typed text kept" in bad.content.decode()
        assert "Nothing was saved" in bad.content.decode()
        ok = client.post(url, {"reason": "Financier", "owner": officer_mbdin.pk})
        assert ok.status_code == 302
        page = client.get("/cell/intelligence/watchlist/").content.decode()
        assert "Farooq Financier" in page

    def test_remove_page(
        self, entry: WatchlistEntry, officer_mbdin: User, officer_gujrat: User, login_as: LoginAs
    ) -> None:
        url = reverse("cell:intelligence:watch_remove", args=[entry.pk])
        assert login_as(officer_gujrat).post(url, {"reason": "x"}).status_code == 404
        client = login_as(officer_mbdin)
        assert client.post(url, {"reason": ""}).status_code == 400
        assert client.post(url, {"reason": "Jailed"}).status_code == 302
        entry.refresh_from_db()
        assert not entry.active

    def test_other_district_cannot_see_the_watchlist(
        self, entry: WatchlistEntry, officer_gujrat: User, login_as: LoginAs
    ) -> None:
        page = login_as(officer_gujrat).get("/cell/intelligence/watchlist/").content.decode()
        assert "Bilal" not in page
        assert "Phalia" not in page
