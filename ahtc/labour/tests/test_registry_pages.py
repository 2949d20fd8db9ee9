"""The registry's recording pages: workers, advances against the legal limit,
repayments, EOBI steps, notices and follow-ups, owners' meetings and the 20%
undertaking, workshops. Each is reachable from the kiln or workshop page;
wrong role or district is refused and audited; a refusal keeps what was typed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import OrganisationKind, User
from ahtc.accounts.roles import Role
from ahtc.core.models import AuditAction, AuditEvent, AuditOutcome
from ahtc.geography.models import Area
from ahtc.labour import services as s
from ahtc.labour.models import (
    Advance,
    BrickKiln,
    EnrolmentStatus,
    Inspection,
    Notice,
    OwnerMeeting,
    Repayment,
    SchemeEnrolment,
    Undertaking,
    Worker,
    Workshop,
)

pytestmark = pytest.mark.django_db
LoginAs = Callable[[User], Client]
D = dt.date


def url(name: str, *args: Any) -> str:
    return reverse(f"cell:labour:{name}", args=args)


@pytest.fixture
def worker(make_worker: Callable[..., Any]) -> Worker:
    return make_worker()  # type: ignore[no-any-return]


@pytest.fixture
def ngo_liaison(make_user: Callable[..., User]) -> User:
    """A service provider's user: no business in the labour registry."""
    return make_user("ngo_mbdin", Role.AGENCY_LIAISON, "PK620", kind=OrganisationKind.NGO)


@pytest.fixture
def workshop(officer_mbdin: User, mbdin: Area) -> Workshop:
    return s.workshop_create(
        district=mbdin, by=officer_mbdin, kind="auto", owner_name="Synthetic", location="Bazaar"
    )


def created(user: User, object_type: str) -> bool:
    return AuditEvent.objects.filter(
        actor=user,
        action=AuditAction.CREATE,
        outcome=AuditOutcome.ALLOWED,
        object_type=object_type,
    ).exists()


# --- workers -------------------------------------------------------------------------------


def test_kiln_page_offers_adding_a_worker_and_the_worker_page_shows_a_number(
    login_as: LoginAs, officer_mbdin: User, kiln: BrickKiln
) -> None:
    client = login_as(officer_mbdin)
    assert (
        url("kiln_worker_add", kiln.reference)
        in client.get(url("kiln", kiln.reference)).content.decode()
    )
    data = {
        "name_latin": "Synthetic Brickmaker",
        "sex": "feminine",
        "family_members": "3",
        "literate": "on",
        "recorded_on": "2025-01-05",
    }
    response = client.post(url("kiln_worker_add", kiln.reference), data)
    worker = Worker.objects.get()
    assert response["Location"] == url("worker", worker.pk)
    assert (worker.kiln, worker.family_members, worker.literate) == (kiln, 3, True)
    assert not worker.written_contract
    assert worker.person.sex == "feminine"
    html = client.get(url("worker", worker.pk)).content.decode()
    assert f"#{worker.pk}" in html
    assert "Synthetic Brickmaker" not in html
    assert created(officer_mbdin, "labour.worker")


def test_worker_without_a_name_is_refused_and_the_rest_kept(
    login_as: LoginAs, officer_mbdin: User, kiln: BrickKiln
) -> None:
    data = {"name_latin": "", "sex": "unknown", "family_members": "4", "recorded_on": "2025-01-05"}
    response = login_as(officer_mbdin).post(url("kiln_worker_add", kiln.reference), data)
    assert response.status_code == 200
    assert 'value="4"' in response.content.decode()
    assert not Worker.objects.exists()


# --- advances against the limit -----------------------------------------------------------


def test_advance_page_shows_the_cap_rule(
    login_as: LoginAs, officer_mbdin: User, worker: Worker
) -> None:
    html = login_as(officer_mbdin).get(url("advance_add", worker.pk)).content.decode()
    assert "Legal limit in force today: 50,000 rupees" in html
    assert "including" in html


def test_advance_within_the_limit_is_recorded(
    login_as: LoginAs, officer_mbdin: User, worker: Worker
) -> None:
    client = login_as(officer_mbdin)
    response = client.post(
        url("advance_add", worker.pk), {"amount": "30000", "given_on": "2025-01-10"}, follow=True
    )
    assert "Within the legal limit." in response.content.decode()
    advance = Advance.objects.get()
    assert (advance.balance_after, advance.above_limit) == (30000, False)


def test_advance_above_the_limit_is_flagged_with_the_reason_then_recorded_as_a_violation(
    login_as: LoginAs, officer_mbdin: User, worker: Worker
) -> None:
    """The hand-worked example: 30,000 owed, then 25,000 more is 55,000, above by 5,000."""
    s.advance_record(worker=worker, by=officer_mbdin, amount=30000, given_on=D(2025, 1, 10))
    client = login_as(officer_mbdin)
    data = {"amount": "25000", "given_on": "2025-02-10"}
    first = client.post(url("advance_add", worker.pk), data)
    html = first.content.decode()
    assert first.status_code == 200
    assert "above the legal limit of 50,000 rupees by 5,000 rupees" in html
    assert 'value="25000"' in html
    assert Advance.objects.count() == 1
    second = client.post(url("advance_add", worker.pk), {**data, "confirm_above": "on"})
    assert second["Location"] == url("worker", worker.pk)
    advance = Advance.objects.latest("pk")
    assert (advance.balance_after, advance.above_limit) == (55000, True)
    page = client.get(url("worker", worker.pk)).content.decode()
    assert "above the legal limit" in page
    assert AuditEvent.objects.filter(reason="advance recorded above the legal limit").exists()


def test_repayment_larger_than_owed_is_refused_with_what_was_typed(
    login_as: LoginAs, officer_mbdin: User, worker: Worker
) -> None:
    s.advance_record(worker=worker, by=officer_mbdin, amount=10000, given_on=D(2025, 1, 10))
    client = login_as(officer_mbdin)
    data = {"amount": "12345", "paid_on": "2025-02-01", "method": "cash"}
    response = client.post(url("repayment_add", worker.pk), data)
    html = response.content.decode()
    assert "owed 10000" in html.replace(",", "") or "10,000" in html
    assert 'value="12345"' in html
    assert not Repayment.objects.exists()
    ok = client.post(url("repayment_add", worker.pk), {**data, "amount": "4000"})
    assert ok.status_code == 302
    assert s.balance_on(worker, D(2025, 2, 1)) == 6000


# --- EOBI and other schemes -----------------------------------------------------------------


def test_eobi_moves_applied_registered_card_issued(
    login_as: LoginAs, officer_mbdin: User, worker: Worker
) -> None:
    from ahtc.labour.models import Scheme

    eobi = Scheme.objects.get(code="eobi")
    client = login_as(officer_mbdin)
    response = client.post(
        url("scheme_apply", worker.pk), {"scheme": eobi.pk, "applied_on": "2025-04-10"}
    )
    assert response.status_code == 302
    entry = SchemeEnrolment.objects.get()
    step = url("scheme_step", worker.pk, entry.pk)
    assert step in client.get(url("worker", worker.pk)).content.decode()
    early = client.post(step, {"on": "2025-04-01"})
    assert "before the application" in early.content.decode()
    assert 'value="2025-04-01"' in early.content.decode()
    assert client.post(step, {"on": "2025-06-15"}).status_code == 302
    assert client.post(step, {"on": "2025-08-20"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == EnrolmentStatus.CARD_ISSUED
    assert (entry.registered_on, entry.card_issued_on) == (D(2025, 6, 15), D(2025, 8, 20))
    done = client.post(step, {"on": "2025-08-21"})
    assert done.status_code == 200
    assert "complete" in done.content.decode()
    again = client.post(
        url("scheme_apply", worker.pk), {"scheme": eobi.pk, "applied_on": "2025-04-10"}
    )
    assert again.status_code == 200  # EOBI is no longer offered to this worker
    assert SchemeEnrolment.objects.count() == 1


# --- inspections, follow-ups, notices ---------------------------------------------------------


def test_follow_up_names_the_earlier_inspection_and_notices_are_issued_and_complied(
    login_as: LoginAs, officer_mbdin: User, kiln: BrickKiln
) -> None:
    survey = s.inspection_record(
        by=officer_mbdin, kiln=kiln, kind="survey", inspected_on=D(2025, 1, 6)
    )
    client = login_as(officer_mbdin)
    kiln_page = client.get(url("kiln", kiln.reference)).content.decode()
    assert url("notice_issue", survey.pk) in kiln_page
    bad = client.post(
        url("notice_issue", survey.pk),
        {"issued_on": "2025-01-06", "about": "Pay the minimum wage", "comply_by": "2025-01-01"},
    )
    assert "The deadline is before the notice." in bad.content.decode()
    assert "Pay the minimum wage" in bad.content.decode()
    client.post(
        url("notice_issue", survey.pk),
        {"issued_on": "2025-01-06", "about": "Pay the minimum wage", "comply_by": "2025-05-31"},
    )
    notice = Notice.objects.get()
    missing = client.post(
        url("kiln_inspection", kiln.reference), {"kind": "follow_up", "inspected_on": "2025-05-15"}
    )
    assert "Choose the inspection this follows up." in missing.content.decode()
    response = client.post(
        url("kiln_inspection", kiln.reference),
        {"kind": "follow_up", "inspected_on": "2025-05-15", "follow_up_of": survey.pk},
    )
    assert response.status_code == 302
    assert Inspection.objects.get(kind="follow_up").follow_up_of == survey
    assert (
        client.post(url("notice_complied", notice.pk), {"complied_on": "2025-05-15"}).status_code
        == 302
    )
    notice.refresh_from_db()
    assert notice.complied_on == D(2025, 5, 15)
    assert "complied on" in client.get(url("kiln", kiln.reference)).content.decode()


# --- owners' meetings and the 20% undertaking -------------------------------------------------


def test_meeting_and_wage_rise_undertaking_met_by_evidence_of_payment(
    login_as: LoginAs, officer_mbdin: User, mbdin: Area, kiln: BrickKiln
) -> None:
    client = login_as(officer_mbdin)
    response = client.post(
        url("meeting_create"),
        {"district": mbdin.pk, "held_on": "2025-03-20", "place": "Hall", "owners_present": "44"},
    )
    assert response.status_code == 302
    meeting = OwnerMeeting.objects.get()
    data = {
        "kind": "raise_wages",
        "given_on": "2025-03-20",
        "due_by": "2025-05-31",
        "meeting": meeting.pk,
        "basis": "monthly",
        "increase_percent": "20",
    }
    bad = client.post(url("undertaking_add", kiln.reference), data)
    assert "the wage before" in bad.content.decode()
    assert not Undertaking.objects.exists()
    client.post(url("undertaking_add", kiln.reference), {**data, "base_amount": "31000"})
    undertaking = Undertaking.objects.get()
    assert (undertaking.meeting, s.target_of(undertaking)) == (meeting, Decimal(37200))
    page = client.get(url("kiln", kiln.reference)).content.decode()
    assert "no evidence of payment yet" in page
    client.post(
        url("kiln_wage", kiln.reference),
        {
            "observed_on": "2025-05-15",
            "basis": "monthly",
            "amount": "37200",
            "evidence": "pay_slips",
        },
    )
    undertaking.refresh_from_db()
    assert undertaking.fulfilled_on == D(2025, 5, 15)
    assert "paid, seen on" in client.get(url("kiln", kiln.reference)).content.decode()


# --- workshops --------------------------------------------------------------------------------


def test_labour_liaison_registers_corrects_and_inspects_a_workshop(
    login_as: LoginAs, labour_liaison: User, mbdin: Area
) -> None:
    client = login_as(labour_liaison)
    assert url("workshop_create") in client.get(url("workshops")).content.decode()
    response = client.post(
        url("workshop_create"),
        {
            "district": mbdin.pk,
            "kind": "electrical",
            "owner_name": "Synthetic",
            "location": "Bazaar",
        },
    )
    shop = Workshop.objects.get()
    assert response["Location"] == url("workshop", shop.reference)
    page = client.get(url("workshop", shop.reference)).content.decode()
    for name in ("workshop_inspection", "workshop_worker_add", "workshop_edit"):
        assert url(name, shop.reference) in page
    client.post(url("workshop_edit", shop.reference), {"kind": "auto", "location": "Main bazaar"})
    shop.refresh_from_db()
    assert (shop.kind, shop.location) == ("auto", "Main bazaar")
    client.post(
        url("workshop_inspection", shop.reference),
        {"kind": "inspection", "inspected_on": "2025-02-01", "violations": ["children_working"]},
    )
    assert Inspection.objects.get().workshop == shop
    client.post(
        url("workshop_worker_add", shop.reference),
        {
            "name_latin": "Synthetic",
            "sex": "unknown",
            "family_members": "1",
            "recorded_on": "2025-02-01",
        },
    )
    assert Worker.objects.get().workshop == shop
    assert created(labour_liaison, "labour.workshop")


def test_workshop_edit_keeps_what_was_typed_when_the_location_is_empty(
    login_as: LoginAs, officer_mbdin: User, workshop: Workshop
) -> None:
    response = login_as(officer_mbdin).post(
        url("workshop_edit", workshop.reference),
        {"kind": "auto", "name": "Typed name", "location": ""},
    )
    assert response.status_code == 200
    assert 'value="Typed name"' in response.content.decode()


# --- refusals, per role -------------------------------------------------------------------------


def write_pages(kiln: BrickKiln, worker: Worker, inspection: Inspection) -> list[str]:
    return [
        url("kiln_worker_add", kiln.reference),
        url("undertaking_add", kiln.reference),
        url("advance_add", worker.pk),
        url("repayment_add", worker.pk),
        url("scheme_apply", worker.pk),
        url("notice_issue", inspection.pk),
    ]


@pytest.fixture
def inspection(officer_mbdin: User, kiln: BrickKiln) -> Inspection:
    return s.inspection_record(
        by=officer_mbdin, kiln=kiln, kind="survey", inspected_on=D(2025, 1, 6)
    )


@pytest.mark.parametrize("who", ["officer_gujrat", "school_mbdin", "ngo_liaison"])
def test_outsiders_get_404_audited_and_nothing_is_recorded(
    request: pytest.FixtureRequest,
    login_as: LoginAs,
    who: str,
    kiln: BrickKiln,
    worker: Worker,
    inspection: Inspection,
) -> None:
    user: User = request.getfixturevalue(who)
    client = login_as(user)
    assert client.get(url("worker", worker.pk)).status_code == 404
    for page in write_pages(kiln, worker, inspection):
        assert client.post(page, {"amount": "1000", "given_on": "2025-01-10"}).status_code == 404
    assert not Advance.objects.exists()
    refused = AuditEvent.objects.filter(actor=user, outcome=AuditOutcome.REFUSED)
    assert refused.filter(object_type="labour.worker", object_id=str(worker.pk)).exists()
    assert refused.filter(object_type="labour.inspection").exists()


@pytest.mark.parametrize("who", ["school_mbdin", "ngo_liaison", "io_mbdin"])
def test_workshop_and_meeting_pages_are_refused_to_non_writers(
    request: pytest.FixtureRequest, login_as: LoginAs, who: str
) -> None:
    user: User = request.getfixturevalue(who)
    client = login_as(user)
    assert client.get(url("workshop_create")).status_code == 403
    assert client.get(url("meeting_create")).status_code == 403
    assert AuditEvent.objects.filter(actor=user, outcome=AuditOutcome.REFUSED).count() == 2


def test_investigating_officer_reads_the_worker_but_records_nothing(
    login_as: LoginAs, io_mbdin: User, kiln: BrickKiln, worker: Worker, inspection: Inspection
) -> None:
    client = login_as(io_mbdin)
    page = client.get(url("worker", worker.pk)).content.decode()
    assert url("advance_add", worker.pk) not in page
    for target in write_pages(kiln, worker, inspection):
        assert client.post(target, {"amount": "1000", "given_on": "2025-01-10"}).status_code == 403
    refused = AuditEvent.objects.filter(actor=io_mbdin, outcome=AuditOutcome.REFUSED)
    assert refused.count() == len(write_pages(kiln, worker, inspection))
    assert not Advance.objects.exists()


def test_labour_liaison_records_advances_and_sees_no_case(
    login_as: LoginAs, labour_liaison: User, officer_mbdin: User, kiln: BrickKiln, worker: Worker
) -> None:
    s.advance_record(worker=worker, by=officer_mbdin, amount=60000, given_on=D(2025, 1, 10))
    handover = s.bonded_handover(
        worker=worker, by=officer_mbdin, handed_over_on=D(2025, 2, 1), facts={"threats": True}
    )
    client = login_as(labour_liaison)
    response = client.post(
        url("repayment_add", worker.pk),
        {"amount": "1000", "paid_on": "2025-03-01", "method": "cash"},
    )
    assert response.status_code == 302
    assert handover.case is not None
    assert handover.case.reference not in client.get(url("kiln", kiln.reference)).content.decode()
    assert handover.case.reference not in client.get(url("worker", worker.pk)).content.decode()


def test_new_pages_render_in_urdu(
    login_as: LoginAs, officer_mbdin: User, kiln: BrickKiln, worker: Worker, workshop: Workshop
) -> None:
    client = login_as(officer_mbdin)
    client.cookies["ahtc_lang"] = "ur"
    pages = [
        url("worker", worker.pk),
        url("advance_add", worker.pk),
        url("workshop", workshop.reference),
        url("workshop_create"),
        url("meeting_create"),
        url("undertaking_add", kiln.reference),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200
        assert 'dir="rtl"' in response.content.decode()
