"""The access ladder of the agency pages, and the writes through them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ahtc.accounts.models import User
from ahtc.agencies.models import Agency, AgencyParty, AgencyReport
from ahtc.agencies.tests.conftest import MakeAgency
from ahtc.cases import services as cases
from ahtc.core.models import AuditEvent, AuditOutcome
from ahtc.portal.models import Tip

Login = Callable[[User], Client]


def test_anonymous_goes_to_sign_in(client: Client, make_agency: MakeAgency) -> None:
    agency = make_agency()
    for url in ("/cell/agencies/", f"/cell/agencies/{agency.pk}/", "/cell/agencies/inspections/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize("persona", ["officer_mbdin", "dpo_mbdin"])
def test_cell_staff_read_and_write_in_their_district(
    request: Any, login_as: Login, make_agency: MakeAgency, persona: str
) -> None:
    user = request.getfixturevalue(persona)
    agency = make_agency("Synthetic Falcon Travels")
    client = login_as(user)
    page = client.get("/cell/agencies/").content.decode()
    assert "Synthetic Falcon Travels" in page
    assert "Register an agency" in page
    assert client.get(f"/cell/agencies/{agency.pk}/").status_code == 200
    response = client.post(
        f"/cell/agencies/{agency.pk}/edit/",
        {"name_en": "Synthetic Falcon Tours", "kind": "travel_agent", "address": "Main Bazar"},
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.name_en == "Synthetic Falcon Tours"
    assert agency.former_names.get().name == "Synthetic Falcon Travels"


def test_fia_reads_but_may_not_write(
    login_as: Login, fia_liaison: User, make_agency: MakeAgency
) -> None:
    agency = make_agency()
    client = login_as(fia_liaison)
    assert client.get("/cell/agencies/").status_code == 200
    assert client.get(f"/cell/agencies/{agency.pk}/").status_code == 200
    response = client.post(f"/cell/agencies/{agency.pk}/status/", {"to_status": "sealed"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(
        actor=fia_liaison, outcome=AuditOutcome.REFUSED, object_id=str(agency.pk)
    ).exists()
    assert client.get("/cell/agencies/new/").status_code == 403


@pytest.mark.parametrize("persona", ["labour_liaison", "provincial_monitor", "admin_user"])
def test_others_are_refused(request: Any, login_as: Login, persona: str, db: Any) -> None:
    client = login_as(request.getfixturevalue(persona))
    assert client.get("/cell/agencies/").status_code == 403
    assert client.get("/cell/agencies/inspections/").status_code == 403
    assert "/cell/agencies/" not in client.get("/cell/").content.decode()


def test_other_district_gets_404_and_the_refusal_is_audited(
    login_as: Login, officer_gujrat: User, make_agency: MakeAgency
) -> None:
    agency = make_agency()
    client = login_as(officer_gujrat)
    assert client.get(f"/cell/agencies/{agency.pk}/").status_code == 404
    assert client.post(f"/cell/agencies/{agency.pk}/notices/", {}).status_code == 404
    assert AuditEvent.objects.filter(
        actor=officer_gujrat,
        outcome=AuditOutcome.REFUSED,
        object_type="agencies.agency",
        object_id=str(agency.pk),
    ).exists()
    assert "Synthetic Skyways" not in client.get("/cell/agencies/").content.decode()


def test_register_refusal_keeps_what_was_typed_and_says_why(
    login_as: Login, officer_mbdin: User, make_agency: MakeAgency, mbdin: Any
) -> None:
    make_agency("Synthetic Eagle Travels")
    client = login_as(officer_mbdin)
    data = {
        "district": mbdin.pk,
        "name_en": "synthetic eagle tours",
        "kind": "travel_agent",
        "status": "unregistered",
        "status_since": "2025-01-05",
        "phones": "0300-1234567",
    }
    page = client.post("/cell/agencies/new/", data).content.decode()
    assert "already registered in the district" in page
    assert 'value="synthetic eagle tours"' in page
    assert "0300-1234567" in page
    data["name_en"] = "Synthetic Hawk Travels"
    assert client.post("/cell/agencies/new/", data).status_code == 302
    assert Agency.objects.get(name_en="Synthetic Hawk Travels").phones.get().number == (
        "+923001234567"
    )


def test_bad_phone_is_refused_with_its_reason(
    login_as: Login, officer_mbdin: User, make_agency: MakeAgency
) -> None:
    agency = make_agency()
    page = login_as(officer_mbdin).post(f"/cell/agencies/{agency.pk}/phones/", {"raw": "12"})
    assert "not a possible phone number" in page.content.decode()


def test_inspection_and_notice_through_the_pages(
    login_as: Login, officer_mbdin: User, make_agency: MakeAgency
) -> None:
    agency = make_agency()
    client = login_as(officer_mbdin)
    assert (
        client.post(
            f"/cell/agencies/{agency.pk}/inspections/",
            {"on": "2025-02-01", "licence_displayed": "on"},
        ).status_code
        == 302
    )
    response = client.post(
        f"/cell/agencies/{agency.pk}/notices/",
        {"kind": "register_or_stop", "served_on": "2025-02-02", "deadline": "2025-02-01"},
    )
    assert "deadline is after" in response.content.decode()
    response = client.post(
        f"/cell/agencies/{agency.pk}/notices/",
        {"kind": "register_or_stop", "served_on": "2025-02-02", "deadline": "2025-02-16"},
    )
    assert response.status_code == 302
    page = client.get(f"/cell/agencies/{agency.pk}/").content.decode()
    assert "Overdue by" in page
    assert "re-inspect" in page
    listing = client.get("/cell/agencies/inspections/").content.decode()
    assert "re-inspection due" in listing
    assert "next step" in listing


def test_link_a_broker_party_by_case_reference(
    login_as: Login, officer_mbdin: User, make_agency: MakeAgency, mbdin: Any
) -> None:
    agency = make_agency()
    case = cases.case_open(
        district=mbdin, by=officer_mbdin, title="Synthetic", origin="own_initiative"
    )
    party = cases.party_add(
        case=case, by=officer_mbdin, role="BrokerTravelAgent", organisation_name="Skyways"
    )
    client = login_as(officer_mbdin)
    url = f"/cell/agencies/{agency.pk}/link/case/"
    assert (
        "No case with this reference" in client.post(url, {"reference": "NOPE-1"}).content.decode()
    )
    step = client.post(url, {"reference": case.reference}).content.decode()
    assert party.pseudonym in step
    response = client.post(url, {"reference": case.reference, "party": party.pk})
    assert response.status_code == 302
    assert AgencyParty.objects.get(party=party).agency == agency
    assert party.pseudonym in client.get(f"/cell/agencies/{agency.pk}/").content.decode()


def test_link_a_report_by_number_and_refuse_other_kinds(
    login_as: Login, officer_mbdin: User, make_agency: MakeAgency, mbdin: Any
) -> None:
    agency = make_agency()
    tips = [
        Tip.objects.create(
            idempotency_hash=f"{n:064d}",
            receipt_hash=f"{n:064d}",
            channel="web",
            category=category,
            district=mbdin,
            description="synthetic",
            child_involved="no",
        )
        for n, category in enumerate(["fake_agent", "child_labour"])
    ]
    client = login_as(officer_mbdin)
    url = f"/cell/agencies/{agency.pk}/link/report/"
    assert (
        "Only reports of fake agents" in client.post(url, {"number": tips[1].pk}).content.decode()
    )
    assert client.post(url, {"number": tips[0].pk}).status_code == 302
    assert AgencyReport.objects.filter(agency=agency, tip=tips[0]).exists()


def test_staff_names_only_for_identity_viewers(
    login_as: Login, officer_mbdin: User, fia_liaison: User, make_agency: MakeAgency
) -> None:
    from ahtc.agencies import services as s

    agency = make_agency()
    row = s.agency_person_add(
        agency=agency, by=officer_mbdin, role="owner", name_latin="Synthetic Owner Name"
    )
    assert (
        "Synthetic Owner Name"
        in login_as(officer_mbdin).get(f"/cell/agencies/{agency.pk}/").content.decode()
    )
    page = login_as(fia_liaison).get(f"/cell/agencies/{agency.pk}/").content.decode()
    assert "Synthetic Owner Name" not in page
    assert f"P-{row.person_id}" in page


def _list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/cell/agencies/").status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_the_registry(
    login_as: Login, officer_mbdin: User, make_agency: MakeAgency
) -> None:
    client = login_as(officer_mbdin)
    letters = "abcdefghijklmnop"
    for n in range(3):
        make_agency(f"Synthetic Small {letters[n] * 3}", licence=f"OEP-S{n}")
    few = _list_queries(client)
    for n in range(12):
        make_agency(f"Synthetic Many {letters[n] * 3}", licence=f"OEP-M{n}")
    assert _list_queries(client) == few


def test_export_is_csv_without_people(
    login_as: Login, officer_mbdin: User, make_agency: MakeAgency
) -> None:
    from ahtc.agencies import services as s

    agency = make_agency(licence="OEP-E1")
    s.agency_person_add(agency=agency, by=officer_mbdin, role="owner", name_latin="Hidden Owner")
    body = login_as(officer_mbdin).get("/cell/agencies/export.csv").content.decode()
    assert body.splitlines()[0].startswith("name_en,name_ur,kind,status")
    assert "OEP-E1" in body
    assert "Hidden Owner" not in body
