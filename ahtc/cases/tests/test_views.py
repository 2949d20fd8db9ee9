"""The case pages end to end through the Django client: access ladder per role,
the main flows, error messages, exports and the PDF."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import OrganisationKind, User
from ahtc.accounts.roles import Role
from ahtc.cases import services
from ahtc.cases.models import Case, ConsentPurpose, PartyRole, Status
from ahtc.cases.tests.conftest import CONSENT_DATE, Flow
from ahtc.cases.views import _pick_token
from ahtc.core.models import AuditAction, AuditEvent, AuditOutcome
from ahtc.jobs.tests.helpers import follow_export
from ahtc.people.models import IdentifierKind, Person
from ahtc.portal.models import Tip, TipStatus

pytestmark = pytest.mark.django_db

SECRET_NAME = "Zarnigar Testname"


@pytest.fixture
def named_case(case: Case, make_person: Callable[..., Person], officer_mbdin: User) -> Case:
    services.party_add(
        case=case, by=officer_mbdin, role=PartyRole.VICTIM, person=make_person(SECRET_NAME)
    )
    return case


def url(name: str, case: Case, *args: Any) -> str:
    return reverse(f"cell:{name}", args=[case.reference, *args])


# --- access ladder ------------------------------------------------------------------


def test_anonymous_goes_to_sign_in(client: Client, case: Case) -> None:
    response = client.get(url("case", case))
    assert response.status_code == 302
    assert "/accounts/sign-in/" in response["Location"]


def test_password_only_goes_to_enrolment(client: Client, case: Case, officer_mbdin: User) -> None:
    client.force_login(officer_mbdin, backend="ahtc.accounts.backends.ActiveOrganisationBackend")
    response = client.get(url("case", case))
    assert response.status_code == 302
    assert reverse("accounts:enrol") in response["Location"]


def test_officer_of_the_district_sees_names(
    login_as: Callable[[User], Client], named_case: Case, officer_mbdin: User
) -> None:
    response = login_as(officer_mbdin).get(url("case", named_case))
    assert response.status_code == 200
    assert SECRET_NAME in response.content.decode()
    event = AuditEvent.objects.filter(object_type="cases.case", action=AuditAction.VIEW).last()
    assert event is not None
    assert event.reason == "case file with identities"


def test_officer_of_another_district_gets_404_and_an_audit_row(
    login_as: Callable[[User], Client], named_case: Case, officer_gujrat: User
) -> None:
    response = login_as(officer_gujrat).get(url("case", named_case))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        actor=officer_gujrat, outcome=AuditOutcome.REFUSED, object_id=str(named_case.pk)
    ).exists()


@pytest.mark.parametrize("persona", ["provincial_monitor", "admin_user"])
def test_monitors_and_admins_never_see_case_pages(
    request: pytest.FixtureRequest,
    login_as: Callable[[User], Client],
    named_case: Case,
    persona: str,
) -> None:
    client = login_as(request.getfixturevalue(persona))
    assert client.get(url("case", named_case)).status_code == 404
    assert client.get(reverse("cell:cases")).status_code == 403


def test_committee_member_has_no_case_list(
    login_as: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    member = make_user(
        "member", Role.COMMITTEE_MEMBER, "PK620", kind=OrganisationKind.SOCIAL_WELFARE
    )
    client = login_as(member)
    assert client.get(reverse("cell:cases")).status_code == 403
    assert "/cell/cases/" not in client.get(reverse("cell:home")).content.decode()


def test_partner_sees_only_while_shared_and_never_names(
    login_as: Callable[[User], Client],
    named_case: Case,
    officer_mbdin: User,
    fia_liaison: User,
    fia_org: Any,
    flow: Flow,
) -> None:
    fia = login_as(fia_liaison)
    assert fia.get(url("case", named_case)).status_code == 404
    victim = named_case.parties.get(role=PartyRole.VICTIM)
    services.consent_record(
        case=named_case,
        party=victim,
        by=officer_mbdin,
        purpose=ConsentPurpose.SHARING,
        method="written",
        given_on=CONSENT_DATE,
    )
    share = services.case_share(
        case=named_case, organisation=fia_org, by=officer_mbdin, reason="route abroad"
    )
    response = fia.get(url("case", named_case))
    body = response.content.decode()
    assert response.status_code == 200
    assert SECRET_NAME not in body
    assert f"{named_case.reference}-V1" in body
    assert fia.get(url("case", named_case) + "?identity=1").status_code == 200
    # Partners cannot change anything.
    assert fia.get(url("case_party", named_case)).status_code == 403
    assert fia.get(url("case_pdf", named_case)).status_code == 403
    services.share_revoke(share=share, by=officer_mbdin)
    assert fia.get(url("case", named_case)).status_code == 404


def test_investigating_officer_sees_only_cases_they_lead(
    login_as: Callable[[User], Client], case: Case, io_mbdin: User, flow: Flow
) -> None:
    client = login_as(io_mbdin)
    assert client.get(url("case", case)).status_code == 404
    flow.assign(case)
    assert client.get(url("case", case)).status_code == 200
    assert case.reference in client.get(reverse("cell:cases")).content.decode()


# --- flows ------------------------------------------------------------------------------


def test_open_a_case_from_a_citizen_report(
    login_as: Callable[[User], Client], officer_mbdin: User
) -> None:
    tip = _tip()
    client = login_as(officer_mbdin)
    page = client.get(reverse("cell:case_open") + f"?tip={tip.pk}")
    assert page.status_code == 200
    response = client.post(
        reverse("cell:case_open"),
        {"district": tip.district_id, "title": "Kiln", "origin": "tip", "tip": tip.pk},
    )
    case = Case.objects.get(tip=tip)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/cell/cases/{case.reference}/")
    tip.refresh_from_db()
    assert tip.status == TipStatus.LINKED


def _tip() -> Tip:
    from ahtc.geography.models import Area

    return Tip.objects.create(
        idempotency_hash="a" * 64,
        receipt_hash="b" * 64,
        channel="web",
        category="forced_labour",
        district=Area.objects.get(code="PK620"),
        description="Families at a kiln cannot leave.",
    )


def test_a_tip_of_another_district_cannot_open_a_case(
    login_as: Callable[[User], Client], officer_gujrat: User
) -> None:
    tip = _tip()
    response = login_as(officer_gujrat).get(reverse("cell:case_open") + f"?tip={tip.pk}")
    assert response.status_code == 404


def test_open_form_rejects_a_district_outside_scope(
    login_as: Callable[[User], Client], officer_mbdin: User
) -> None:
    from ahtc.geography.models import Area

    gujrat = Area.objects.get(code="PK610")
    response = login_as(officer_mbdin).post(
        reverse("cell:case_open"), {"district": gujrat.pk, "title": "x", "origin": "walk_in"}
    )
    assert response.status_code == 200
    assert not Case.objects.exists()
    assert "Select a valid choice" in response.content.decode()


def test_add_a_new_person_with_identifiers_then_find_them_again(
    login_as: Callable[[User], Client], case: Case, officer_mbdin: User
) -> None:
    client = login_as(officer_mbdin)
    response = client.post(
        url("case_party", case),
        {
            "role": PartyRole.RECRUITER,
            "name_latin": "Agent Demo",
            "sex": "masculine",
            "cnic": "34402-1234567-1",
            "phone": "0300 1234567",
            "aliases": "Malik, Sahib",
        },
    )
    assert response.status_code == 302
    person = case.parties.get().person
    assert person is not None
    assert {i.kind for i in person.identifiers.all()} == {"cnic", "phone"}
    assert person.aliases.count() == 2
    found = client.get(url("case_party", case) + "?cnic=3440212345671")
    assert f"P-{person.pk}" in found.content.decode()
    by_phone = client.get(url("case_party", case) + "?phone=%2B923001234567")
    assert f"P-{person.pk}" in by_phone.content.decode()


def test_bad_cnic_is_a_message_not_an_error_page(
    login_as: Callable[[User], Client], case: Case, officer_mbdin: User
) -> None:
    response = login_as(officer_mbdin).post(
        url("case_party", case),
        {"role": PartyRole.VICTIM, "name_latin": "X", "sex": "unknown", "cnic": "12-ab"},
    )
    assert response.status_code == 200
    assert "form-errors" in response.content.decode()
    assert not case.parties.exists()


def test_victim_cannot_be_added_as_suspect_through_the_page(
    login_as: Callable[[User], Client], named_case: Case, officer_mbdin: User
) -> None:
    person = named_case.parties.get().person
    assert person is not None
    response = login_as(officer_mbdin).post(
        url("case_party", named_case),
        {"role": PartyRole.SMUGGLER, "person": _pick_token(person, named_case), "sex": "unknown"},
    )
    assert response.status_code == 200
    assert "cannot be made a suspect" in response.content.decode()


def case_offered(case: Case) -> Any:
    from ahtc.cases.services import offered_provisions

    return offered_provisions(case)


def test_classification_assistant_suggests_then_requires_a_reason_to_depart(
    login_as: Callable[[User], Client], case: Case, officer_mbdin: User
) -> None:
    client = login_as(officer_mbdin)
    answers = {
        "act_recruit": "yes",
        "purpose_labour": "yes",
        "means_force": "no",
        "age_years": "12",
        "age_evidence": "document",
        "sex": "masculine",
    }
    suggested = client.post(url("case_classify", case), {**answers, "suggest": "1"})
    body = suggested.content.decode()
    assert "Trafficking in persons (child)" in body
    assert "PTPA 2018 s.3(2)" in body
    assert "369A" not in body
    refused = client.post(
        url("case_classify", case),
        {**answers, "decide": "1", "classification": "bonded_labour", "agency": "police"},
    )
    assert "give the reason" in refused.content.decode()
    case.refresh_from_db()
    assert case.classification == ""
    follows = {**answers, "decide": "1", "classification": "trafficking_child", "agency": "police"}
    # Leaving out the suggested sections is a departure too (issue 12).
    dropped = client.post(url("case_classify", case), follows).content.decode()
    assert "give the reason" in dropped
    assert "left out suggested sections" in dropped
    suggested = case_offered(case).filter(code__in=["PTPA-3-1", "PTPA-3-2", "PRECA-11"])
    suggested_pks = [str(pk) for pk in suggested.values_list("pk", flat=True)]
    accepted = client.post(url("case_classify", case), {**follows, "provisions": suggested_pks})
    assert accepted.status_code == 302
    case.refresh_from_db()
    assert case.classification == "trafficking_child"
    decision = case.decisions.get()
    assert decision.rules == [1]


def test_status_change_without_consent_is_refused_with_the_reason(
    login_as: Callable[[User], Client], named_case: Case, officer_mbdin: User, flow: Flow
) -> None:
    flow.fir(named_case)
    flow.classify(named_case)
    client = login_as(officer_mbdin)
    page = client.get(url("case", named_case)).content.decode()
    assert "consent missing" in page
    response = client.post(
        url("case_transition", named_case), {"to": "fir_registered"}, follow=True
    )
    assert "consent is not recorded" in response.content.decode()
    named_case.refresh_from_db()
    assert named_case.status == Status.REPORTED


def test_cell_head_overrides_consent_with_a_reason(
    login_as: Callable[[User], Client], named_case: Case, dpo_mbdin: User, flow: Flow
) -> None:
    flow.fir(named_case)
    flow.classify(named_case)
    client = login_as(dpo_mbdin)
    client.post(
        url("case_transition", named_case),
        {"to": "fir_registered", "override_consent": "on", "note": "Child at risk tonight"},
    )
    named_case.refresh_from_db()
    assert named_case.status == Status.FIR_REGISTERED
    assert AuditEvent.objects.filter(reason__startswith="consent override").exists()


def test_fir_form_offers_only_stations_of_the_district(
    login_as: Callable[[User], Client],
    case: Case,
    officer_mbdin: User,
    station: Any,
    station_gujrat: Any,
) -> None:
    client = login_as(officer_mbdin)
    page = client.get(url("case_fir", case)).content.decode()
    assert station.name_en in page
    assert station_gujrat.name_en not in page
    response = client.post(
        url("case_fir", case),
        {
            "number": "1/24",
            "date": "2024-03-05",
            "police_station": station_gujrat.pk,
            "provisions": [],
        },
    )
    assert response.status_code == 200
    assert not case.firs.exists()


def test_tasks_show_on_the_due_page_and_can_be_done(
    login_as: Callable[[User], Client], case: Case, officer_mbdin: User, io_mbdin: User
) -> None:
    import datetime as dt

    from django.utils import timezone

    task = services.task_add(
        case=case,
        by=officer_mbdin,
        title="Trace the agent's phone",
        assignee=io_mbdin,
        due=timezone.localdate() - dt.timedelta(days=2),
    )
    client = login_as(io_mbdin)
    page = client.get(reverse("cell:cases_due")).content.decode()
    assert "Trace the agent" in page
    assert "row-alert" in page
    client.post(url("case_task_done", case, task.pk))
    task.refresh_from_db()
    assert task.done_at is not None


def test_saved_search_round_trip(login_as: Callable[[User], Client], officer_mbdin: User) -> None:
    client = login_as(officer_mbdin)
    client.post(
        reverse("cell:case_search_save"), {"name": "Open FIA", "query": "agency=fia&open_only=on"}
    )
    page = client.get(reverse("cell:cases")).content.decode()
    assert "Open FIA" in page
    assert "agency=fia&amp;open_only=on" in page


# --- exports --------------------------------------------------------------------------


def test_csv_export_has_no_names_and_is_audited(
    login_as: Callable[[User], Client], named_case: Case, officer_mbdin: User
) -> None:
    client = login_as(officer_mbdin)
    response = follow_export(
        client, client.get(reverse("cell:cases") + "?view=district&export=csv")
    )
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "reference"
    assert rows[1][0] == named_case.reference
    assert rows[1][rows[0].index("victims")] == "1"  # one victim
    assert SECRET_NAME not in text
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, reason__startswith="case list csv, 1 rows"
    ).exists()


def test_xlsx_export_opens(
    login_as: Callable[[User], Client], named_case: Case, officer_mbdin: User
) -> None:
    from openpyxl import load_workbook

    client = login_as(officer_mbdin)
    response = follow_export(
        client, client.get(reverse("cell:cases") + "?view=district&export=xlsx")
    )
    book = load_workbook(io.BytesIO(response.content))
    values = [[c.value for c in row] for row in book.active.iter_rows()]
    assert values[1][0] == named_case.reference
    assert SECRET_NAME not in str(values)


def test_investigating_officer_cannot_export(
    login_as: Callable[[User], Client], io_mbdin: User
) -> None:
    response = login_as(io_mbdin).get(reverse("cell:cases") + "?export=csv")
    assert response.status_code == 403


def _pdf_text(data: bytes) -> str:
    """The PDF's text, read back with pypdf (no outside program needed)."""
    from pypdf import PdfReader

    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def test_summary_pdf_withholds_identity_unless_asked_and_permitted(
    login_as: Callable[[User], Client], named_case: Case, officer_mbdin: User
) -> None:
    client = login_as(officer_mbdin)
    plain = _pdf_text(client.get(url("case_pdf", named_case)).content)
    assert named_case.reference in plain
    assert SECRET_NAME not in plain
    named = _pdf_text(client.get(url("case_pdf", named_case) + "?identity=1").content)
    assert SECRET_NAME in named
    reasons = set(
        AuditEvent.objects.filter(action=AuditAction.EXPORT).values_list("reason", flat=True)
    )
    assert {"summary PDF, identities withheld", "summary PDF with identities"} <= reasons
    named_case.identity_withheld = True
    named_case.save()
    withheld = _pdf_text(client.get(url("case_pdf", named_case) + "?identity=1").content)
    assert SECRET_NAME not in withheld


def test_case_list_query_count_does_not_grow_with_cases(
    login_as: Callable[[User], Client],
    make_case: Callable[..., Case],
    officer_mbdin: User,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(3):
        make_case()
    client = login_as(officer_mbdin)
    client.get(reverse("cell:cases") + "?view=district")
    for _ in range(20):
        make_case()
    with django_assert_max_num_queries(15):  # incl. the areas under the grants
        response = client.get(reverse("cell:cases") + "?view=district")
    assert response.content.decode().count("/cell/cases/MBD-") >= 23


def test_intake_page_offers_to_open_a_case_and_lists_it_after(
    login_as: Callable[[User], Client], officer_mbdin: User, make_case: Callable[..., Case]
) -> None:
    tip = _tip()
    client = login_as(officer_mbdin)
    page = client.get(reverse("cell:intake_detail", args=[tip.pk])).content.decode()
    assert f"/cell/cases/new/?tip={tip.pk}" in page
    case = make_case(origin="tip", tip=tip)
    page = client.get(reverse("cell:intake_detail", args=[tip.pk])).content.decode()
    assert case.reference in page


def test_compensation_paid_is_updated_but_never_above_the_order(
    login_as: Callable[[User], Client], case: Case, officer_mbdin: User, flow: Flow
) -> None:
    import datetime as dt

    flow.victim(case, consents=(ConsentPurpose.STATEMENT, ConsentPurpose.MEDICAL))
    flow.reach(case, Status.TRIAL)
    accused = next(p for p in case.parties.all() if p.is_suspect)
    verdict = services.verdict_add(
        party=accused,
        by=officer_mbdin,
        provision=flow.fir_provision(case),
        date=dt.date(2025, 1, 10),
        outcome="convicted",
        prison_months=24,
        compensation_ordered_pkr=300_000,
    )
    client = login_as(officer_mbdin)
    too_much = client.post(url("case_compensation", case, verdict.pk), {"amount_pkr": 400_000})
    assert "More compensation is paid than was ordered" in too_much.content.decode()
    client.post(url("case_compensation", case, verdict.pk), {"amount_pkr": 150_000})
    verdict.refresh_from_db()
    assert verdict.compensation_paid_pkr == 150_000


# --- review findings: no leaks, no guessing, refusals audited ------------------------------


def test_a_person_cannot_be_linked_by_guessing_their_id(
    login_as: Callable[[User], Client],
    named_case: Case,
    make_case: Callable[..., Case],
    officer_mbdin: User,
) -> None:
    other = make_case()
    person = named_case.parties.get().person
    assert person is not None
    response = login_as(officer_mbdin).post(
        url("case_party", other),
        {"role": PartyRole.WITNESS, "person": str(person.pk), "sex": "unknown"},
    )
    assert "not available" in response.content.decode()
    assert not other.parties.exists()
    # A token made for another case does not work either.
    response = login_as(officer_mbdin).post(
        url("case_party", other),
        {"role": PartyRole.WITNESS, "person": _pick_token(person, named_case), "sex": "unknown"},
    )
    assert not other.parties.exists()


def test_investigating_officer_search_does_not_reveal_names_in_cases_they_do_not_run(
    login_as: Callable[[User], Client],
    named_case: Case,
    make_case: Callable[..., Case],
    io_mbdin: User,
    flow: Flow,
) -> None:
    own = make_case()
    flow.assign(own)
    page = login_as(io_mbdin).get(url("case_party", own) + "?name=Zarnigar").content.decode()
    assert SECRET_NAME not in page


def test_identifier_match_in_another_case_is_shown_without_a_name(
    login_as: Callable[[User], Client],
    make_case: Callable[..., Case],
    make_person: Callable[..., Person],
    officer_mbdin: User,
    io_mbdin: User,
    flow: Flow,
) -> None:
    from ahtc.people.services import identifier_add

    first = make_case()
    person = make_person(SECRET_NAME)
    identifier_add(person=person, kind=IdentifierKind.CNIC, raw="3440212345671", by=officer_mbdin)
    services.party_add(case=first, by=officer_mbdin, role=PartyRole.VICTIM, person=person)
    own = make_case()
    flow.assign(own)
    page = login_as(io_mbdin).get(url("case_party", own) + "?cnic=3440212345671").content.decode()
    assert f"P-{person.pk}" in page
    assert SECRET_NAME not in page
    assert "name not shown" in page


def test_partner_does_not_see_free_text_that_may_name_people(
    login_as: Callable[[User], Client],
    named_case: Case,
    officer_mbdin: User,
    io_mbdin: User,
    fia_liaison: User,
    fia_org: Any,
) -> None:
    import datetime as dt

    services.task_add(
        case=named_case,
        by=officer_mbdin,
        title=f"Visit {SECRET_NAME}",
        assignee=io_mbdin,
        due=dt.date(2030, 1, 1),
    )
    from ahtc.cases.models import CaseShare

    CaseShare.objects.create(
        case=named_case, organisation=fia_org, reason="route", shared_by=officer_mbdin
    )
    services.case_transition(
        case=named_case, to=Status.CLOSED_NO_OFFENCE, by=officer_mbdin, note=f"{SECRET_NAME} moved"
    )
    page = login_as(fia_liaison).get(url("case", named_case)).content.decode()
    assert SECRET_NAME not in page


def test_an_object_of_another_case_is_404_and_audited(
    login_as: Callable[[User], Client],
    named_case: Case,
    make_case: Callable[..., Case],
    officer_mbdin: User,
) -> None:
    victim = named_case.parties.get()
    consent = services.consent_record(
        case=named_case,
        party=victim,
        by=officer_mbdin,
        purpose=ConsentPurpose.STATEMENT,
        method="written",
        given_on=CONSENT_DATE,
    )
    other = make_case()
    response = login_as(officer_mbdin).post(url("case_consent_withdraw", other, consent.pk))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        outcome=AuditOutcome.REFUSED, object_type="cases.consent", object_id=str(consent.pk)
    ).exists()
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_refused_consent_override_is_audited(
    login_as: Callable[[User], Client], named_case: Case, officer_mbdin: User, flow: Flow
) -> None:
    flow.fir(named_case)
    flow.classify(named_case)
    login_as(officer_mbdin).post(
        url("case_transition", named_case),
        {"to": "fir_registered", "override_consent": "on", "note": "trying"},
    )
    assert AuditEvent.objects.filter(
        outcome=AuditOutcome.REFUSED, reason__startswith="consent override refused"
    ).exists()


def test_investigating_officer_cannot_share_or_hand_over(
    login_as: Callable[[User], Client], case: Case, io_mbdin: User, flow: Flow
) -> None:
    flow.assign(case)
    client = login_as(io_mbdin)
    assert client.get(url("case", case)).status_code == 200
    assert client.get(url("case_share", case)).status_code == 403
    assert client.get(url("case_handover", case)).status_code == 403


def test_overdue_count_in_my_cases_counts_every_overdue_task(
    login_as: Callable[[User], Client], case: Case, officer_mbdin: User, io_mbdin: User
) -> None:
    import datetime as dt

    for i in range(3):
        services.task_add(
            case=case,
            by=officer_mbdin,
            title=f"t{i}",
            assignee=officer_mbdin if i == 0 else io_mbdin,
            due=dt.date(2024, 1, 1),
        )
    page = login_as(officer_mbdin).get(reverse("cell:cases") + "?view=mine").content.decode()
    assert '<td data-label="Overdue tasks" class="num">3</td>' in page


def test_case_page_queries_do_not_grow_with_parties_and_evidence(
    login_as: Callable[[User], Client],
    case: Case,
    officer_mbdin: User,
    make_person: Callable[..., Person],
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n: int) -> None:
        for i in range(n):
            services.party_add(
                case=case, by=officer_mbdin, role=PartyRole.RECRUITER, person=make_person(f"S{i}")
            )
            evidence = services.evidence_add(
                case=case, by=officer_mbdin, kind="document", description=f"item {i}", holder="PS"
            )
            services.custody_add(
                evidence=evidence, by=officer_mbdin, action="examined", holder="lab"
            )

    client = login_as(officer_mbdin)
    add(2)
    client.get(url("case", case))
    with CaptureQueriesContext(connection) as small:
        client.get(url("case", case))
    add(10)
    with CaptureQueriesContext(connection) as large:
        client.get(url("case", case))
    assert len(large) <= len(small) + 2, [q["sql"][:80] for q in large.captured_queries]


def test_task_form_offers_only_staff_whose_role_is_in_force(
    login_as: Callable[[User], Client],
    case: Case,
    officer_mbdin: User,
    io_mbdin: User,
    make_user: Callable[..., User],
) -> None:
    import datetime as dt

    from django.utils import timezone

    former = make_user("io_former", Role.INVESTIGATING_OFFICER, "PK620")
    former.role_assignments.update(valid_to=timezone.localdate() - dt.timedelta(days=1))

    page = login_as(officer_mbdin).get(url("case_task", case)).content.decode()

    assert io_mbdin.username in page or str(io_mbdin) in page
    assert "io_former" not in page
