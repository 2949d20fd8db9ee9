"""Findings flow into the registries on approval: a kiln survey becomes a
survey visit on the kiln, an agency inspection an inspection on the agency
(matched, never guessed; otherwise the reviewer chooses and the approval
waits), and a consented questionnaire can open a case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.agencies import services as agency_services
from ahtc.agencies.models import Agency
from ahtc.agencies.models import Inspection as AgencyInspection
from ahtc.cases.models import Case
from ahtc.core.models import AuditEvent, AuditOutcome
from ahtc.geography.models import Area
from ahtc.labour import services as labour
from ahtc.labour.models import BrickKiln, Inspection, WageObservation
from ahtc.surveys.findings_agency import agency_inspection_record
from ahtc.surveys.findings_kiln import kiln_survey_record
from ahtc.surveys.findings_match import match_choose
from ahtc.surveys.imports import batch_import_now
from ahtc.surveys.models import FindingLink, Instrument, LinkKind, ReviewStatus, Submission
from ahtc.surveys.services import SurveyError, submission_review
from ahtc.surveys.tests import exports
from ahtc.surveys.tests.conftest import kiln_sub
from ahtc.surveys.tests.exports import Sub

pytestmark = pytest.mark.django_db
LoginAs = Callable[[User], Client]


def _tehsil(district: str, name: str) -> Area:
    return Area.objects.get(parent__code=district, name_en=name)


def _bring(instrument: Instrument, sub: Sub, district: str = "PK620") -> Submission:
    batch_import_now(
        instrument=instrument,
        district=Area.objects.get(code=district),
        file_name="e.json",
        content=exports.kobo_json([sub]),
    )
    return Submission.objects.get(instrument=instrument, key=sub.uuid)


@pytest.fixture
def registry_kiln(officer_mbdin: User) -> BrickKiln:
    return labour.kiln_create(
        district=Area.objects.get(code="PK620"),
        tehsil=_tehsil("PK620", "Phalia"),
        by=officer_mbdin,
        name="Noor Bricks (synthetic)",
        owner_name="Synthetic Owner",
        location="Village road (synthetic)",
        season="dry_season",
        labour_registration="LD-SYN-0001",
    )


@pytest.fixture
def registry_agency(officer_mbdin: User) -> Agency:
    agency = agency_services.agency_create(
        district=Area.objects.get(code="PK620"),
        tehsil=_tehsil("PK620", "Phalia"),
        by=officer_mbdin,
        name_en="Star Synthetic Travels",
        kind="travel_agent",
        status="licensed",
        status_since=dt.date(2024, 1, 1),
    )
    agency_services.licence_add(
        agency=agency,
        by=officer_mbdin,
        number="DTS-PB-9999",
        authority="dts",
        valid_from=dt.date(2023, 1, 1),
        valid_to=dt.date(2028, 1, 1),
    )
    return agency


# --- kilns ---------------------------------------------------------------------------------------


def test_a_kiln_survey_matched_by_reference_becomes_a_visit_on_the_kiln(
    kiln: Instrument, registry_kiln: BrickKiln, officer_mbdin: User
) -> None:
    submission = _bring(kiln, kiln_sub("k-1", kiln_name=registry_kiln.reference.lower()))
    submission_review(submission=submission, by=officer_mbdin, status="approved")
    visit = Inspection.objects.get(kiln=registry_kiln)
    assert visit.kind == "survey"
    assert visit.inspected_on == dt.date(2025, 3, 1)
    assert set(visit.violations) == {
        "below_minimum_wage",
        "no_contract",
        "no_social_security",
        "children_working",
        "bonded_labour",
        "advance_above_limit",
    }
    assert "Above the legal limit of PKR 50000 that day: 2." in visit.notes
    assert "Families interviewed: 2; working off an advance: 2." in visit.notes
    wage = WageObservation.objects.get(kiln=registry_kiln)
    assert (wage.basis, int(wage.amount), wage.inspection) == ("per_1000_bricks", 1300, visit)
    submission.refresh_from_db()
    assert submission.status == ReviewStatus.APPROVED
    assert submission.outcomes == [registry_kiln.reference]
    kinds = set(submission.links.values_list("kind", flat=True))
    assert kinds == {LinkKind.KILN, LinkKind.KILN_INSPECTION}


def test_a_kiln_is_matched_by_registration_or_exact_name_within_the_tehsil(
    kiln: Instrument, registry_kiln: BrickKiln, officer_mbdin: User
) -> None:
    by_number = _bring(kiln, kiln_sub("k-1", kiln_name="ld-syn-0001", tehsil="Malakwal"))
    by_name = _bring(kiln, kiln_sub("k-2", kiln_name="  noor bricks  (synthetic) "))
    for submission in (by_number, by_name):
        submission_review(submission=submission, by=officer_mbdin, status="approved")
    assert Inspection.objects.filter(kiln=registry_kiln).count() == 2


def test_advances_within_the_legal_limit_are_no_violation(
    kiln: Instrument, registry_kiln: BrickKiln, officer_mbdin: User
) -> None:
    sub = kiln_sub("k-1", kiln_name=registry_kiln.reference)
    for family in sub.repeats["family"]:
        family["family/advance"] = 20000  # the limit in force (reference data) is 50,000
    submission = _bring(kiln, sub)
    submission_review(submission=submission, by=officer_mbdin, status="approved")
    visit = Inspection.objects.get(kiln=registry_kiln)
    assert "advance_above_limit" not in visit.violations
    assert "Above the legal limit of PKR 50000 that day: 0." in visit.notes


def test_the_same_name_in_another_tehsil_is_not_matched_and_the_approval_waits(
    kiln: Instrument, registry_kiln: BrickKiln, officer_mbdin: User
) -> None:
    submission = _bring(kiln, kiln_sub("k-1", kiln_name=registry_kiln.name, tehsil="Malakwal"))
    with pytest.raises(SurveyError, match="not matched — choose the kiln or create it"):
        submission_review(submission=submission, by=officer_mbdin, status="approved")
    submission.refresh_from_db()
    assert submission.status == ReviewStatus.RECEIVED
    assert not Inspection.objects.exists()
    assert not FindingLink.objects.exists()


def test_two_kilns_of_one_name_in_the_tehsil_are_never_guessed(
    kiln: Instrument, registry_kiln: BrickKiln, officer_mbdin: User
) -> None:
    labour.kiln_create(
        district=registry_kiln.district,
        tehsil=registry_kiln.tehsil,
        by=officer_mbdin,
        name=registry_kiln.name,
        owner_name="Second Owner",
        location="Canal road (synthetic)",
        season="dry_season",
    )
    submission = _bring(kiln, kiln_sub("k-1", kiln_name=registry_kiln.name))
    with pytest.raises(SurveyError, match="not matched"):
        submission_review(submission=submission, by=officer_mbdin, status="approved")


def test_the_reviewer_chooses_the_kiln_on_the_page_then_approves(
    kiln: Instrument, registry_kiln: BrickKiln, officer_mbdin: User, login_as: LoginAs
) -> None:
    submission = _bring(kiln, kiln_sub("k-1", kiln_name="Unknown kiln (synthetic)"))
    client = login_as(officer_mbdin)
    url = reverse("cell:surveys:submission", args=[submission.pk])
    page = client.post(url, {"status": "approved", "note": ""}).content.decode()
    assert "not matched — choose the kiln or create it" in page
    assert reverse("cell:surveys:match", args=[submission.pk]) in page
    match_url = reverse("cell:surveys:match", args=[submission.pk])
    assert registry_kiln.reference in client.get(match_url).content.decode()
    response = client.post(match_url, {"action": "choose", "kiln": registry_kiln.pk})
    assert response.status_code == 302
    assert client.post(url, {"status": "approved", "note": ""}).status_code == 302
    assert Inspection.objects.filter(kiln=registry_kiln, kind="survey").count() == 1


def test_the_reviewer_creates_the_kiln_in_the_surveys_tehsil(
    kiln: Instrument, officer_mbdin: User, login_as: LoginAs
) -> None:
    submission = _bring(kiln, kiln_sub("k-1", kiln_name="New kiln (synthetic)"))
    client = login_as(officer_mbdin)
    match_url = reverse("cell:surveys:match", args=[submission.pk])
    form = {"action": "create", "name": "New kiln (synthetic)", "season": "dry_season"}
    refused = client.post(match_url, {**form, "location": "Canal (synthetic)"})
    body = refused.content.decode()
    assert refused.status_code == 200
    assert "Canal (synthetic)" in body
    client.post(match_url, {**form, "location": "Canal (synthetic)", "owner_name": "Syn Owner"})
    created = BrickKiln.objects.get()
    assert (created.name, created.tehsil) == ("New kiln (synthetic)", submission.tehsil)
    submission_review(submission=submission, by=officer_mbdin, status="approved")
    assert Inspection.objects.filter(kiln=created).count() == 1


def test_a_kiln_of_another_district_cannot_be_chosen(
    kiln: Instrument, officer_mbdin: User, officer_gujrat: User
) -> None:
    elsewhere = labour.kiln_create(
        district=Area.objects.get(code="PK610"),
        by=officer_gujrat,
        owner_name="Synthetic Owner",
        location="Gujrat road (synthetic)",
        season="dry_season",
    )
    submission = _bring(kiln, kiln_sub("k-1"))
    with pytest.raises(SurveyError, match="submission's district"):
        match_choose(submission=submission, by=officer_mbdin, target=elsewhere)


@pytest.mark.parametrize("who", ["io", "analyst", "monitor", "labour", "officer_gujrat"])
def test_only_reviewers_of_the_district_reach_the_match_page(
    who: str, kiln: Instrument, people: dict[str, User], login_as: LoginAs
) -> None:
    submission = _bring(kiln, kiln_sub("k-1"))
    url = reverse("cell:surveys:match", args=[submission.pk])
    assert login_as(people["officer"]).get(url).status_code == 200
    response = login_as(people[who]).get(url)
    assert response.status_code in {403, 404}
    assert login_as(people[who]).post(url, {"action": "create"}).status_code in {403, 404}
    assert not BrickKiln.objects.exists()


def test_running_the_kiln_flow_again_records_nothing_twice(
    kiln: Instrument, registry_kiln: BrickKiln, officer_mbdin: User
) -> None:
    submission = _bring(kiln, kiln_sub("k-1", kiln_name=registry_kiln.reference))
    submission_review(submission=submission, by=officer_mbdin, status="approved")
    assert kiln_survey_record(submission, officer_mbdin) == [registry_kiln.reference]
    with pytest.raises(SurveyError):
        submission_review(submission=submission, by=officer_mbdin, status="approved")
    assert Inspection.objects.count() == 1
    assert WageObservation.objects.count() == 1


# --- agencies ------------------------------------------------------------------------------------


def _agency_sub(uuid: str, **fields: Any) -> Sub:
    return Sub(
        uuid,
        {
            "visit_date": "2025-03-01",
            "tehsil": "Phalia",
            "agency_name": "Star Synthetic Travels",
            "registered": "yes",
            "licence_displayed": "yes",
            "staff_list_displayed": "no",
            "advisory_displayed": "yes",
            "receipts_issued": "yes",
            "false_promises": "no",
            "action": "advice",
            **fields,
        },
    )


def test_an_agency_inspection_maps_the_sop_checklist_onto_the_agency(
    builtin: dict[str, Instrument], registry_agency: Agency, officer_mbdin: User
) -> None:
    instrument = builtin["ahtc_agency_inspection"]
    submission = _bring(
        instrument, _agency_sub("a-1", agency_name="Other name", licence_number="dts pb 9999")
    )
    submission_review(submission=submission, by=officer_mbdin, status="approved")
    visit = AgencyInspection.objects.get(agency=registry_agency)
    assert visit.on == dt.date(2025, 3, 1)
    assert (visit.licence_displayed, visit.employee_list_displayed) == (True, False)
    assert (visit.fraud_advisory_displayed, visit.records_kept) == (True, True)
    assert visit.fee_schedule_displayed is False
    assert "not asked by the survey" in visit.findings
    assert not visit.passed
    assert visit.reinspect_on is not None
    assert agency_inspection_record(submission, officer_mbdin)  # again: nothing new
    assert AgencyInspection.objects.count() == 1


def test_the_schedule_of_fees_asked_since_2025_2_is_carried_over(
    builtin: dict[str, Instrument], registry_agency: Agency, officer_mbdin: User
) -> None:
    """All five SOP items seen on the visit: the inspection passes, with no
    "not asked" note (answers of version 2025.1, without the question, are the
    test above)."""
    instrument = builtin["ahtc_agency_inspection"]
    submission = _bring(
        instrument,
        _agency_sub(
            "a-fees",
            licence_number="dts pb 9999",
            staff_list_displayed="yes",
            fee_schedule_displayed="yes",
        ),
    )
    submission_review(submission=submission, by=officer_mbdin, status="approved")
    visit = AgencyInspection.objects.get(agency=registry_agency)
    assert visit.fee_schedule_displayed is True
    assert "not asked by the survey" not in visit.findings
    assert visit.passed


def test_the_inspection_note_is_written_in_the_reviewers_language(
    builtin: dict[str, Instrument], registry_agency: Agency, officer_mbdin: User
) -> None:
    from django.utils import translation

    submission = _bring(
        builtin["ahtc_agency_inspection"],
        _agency_sub("a-urdu", licence_number="dts pb 9999", fee_schedule_displayed="no"),
    )
    with translation.override("ur"):
        submission_review(submission=submission, by=officer_mbdin, status="approved")
    findings = AgencyInspection.objects.get(agency=registry_agency).findings
    assert "ضابطہ کار پر رہنمائی" in findings  # "advice", the form's Urdu label
    assert "From the" not in findings


def test_an_agency_is_matched_by_its_exact_name_and_otherwise_chosen(
    builtin: dict[str, Instrument], registry_agency: Agency, officer_mbdin: User
) -> None:
    instrument = builtin["ahtc_agency_inspection"]
    named = _bring(instrument, _agency_sub("a-1", agency_name="STAR synthetic travels"))
    submission_review(submission=named, by=officer_mbdin, status="approved")
    unknown = _bring(instrument, _agency_sub("a-2", agency_name="Moon Travels (synthetic)"))
    with pytest.raises(SurveyError, match="choose the agency or create it"):
        submission_review(submission=unknown, by=officer_mbdin, status="approved")
    match_choose(submission=unknown, by=officer_mbdin, target=registry_agency)
    submission_review(submission=unknown, by=officer_mbdin, status="approved")
    assert AgencyInspection.objects.filter(agency=registry_agency).count() == 2


# --- a case from a questionnaire -----------------------------------------------------------------


def _migrant(builtin: dict[str, Instrument], consent: str, district: str = "PK620") -> Submission:
    sub = Sub(
        f"m-{consent}-{district}",
        {
            "visit_date": "2025-03-01",
            "tehsil": "Phalia" if district == "PK620" else "Gujrat",
            "consent": "yes",
            "age": 24,
            "sex": "male",
            "destination": "italy",
            "recruiter": "local_agent",
            "detained": "yes",
            "kidnapped": "no",
            "deaths_witnessed": 0,
            "return_how": "deported",
            "case_consent": consent,
        },
        {
            "leg": [
                {
                    "leg/leg_from": "A",
                    "leg/leg_to": "B",
                    "leg/leg_mode": "road",
                    "leg/leg_paid": 900000,
                }
            ]
        },
    )
    submission = _bring(builtin["ahtc_returned_migrant"], sub, district)
    Submission.objects.filter(pk=submission.pk).update(status=ReviewStatus.APPROVED)
    submission.refresh_from_db()
    return submission


def test_an_officer_opens_a_case_from_a_consented_questionnaire_once(
    builtin: dict[str, Instrument], officer_mbdin: User, login_as: LoginAs
) -> None:
    submission = _migrant(builtin, "yes")
    client = login_as(officer_mbdin)
    page = client.get(reverse("cell:surveys:submission", args=[submission.pk])).content.decode()
    assert "Open a case from this questionnaire" in page
    url = reverse("cell:surveys:open_case", args=[submission.pk])
    response = client.post(url)
    case = Case.objects.get()
    assert response.url == reverse("cell:case", args=[case.reference])  # type: ignore[attr-defined]
    assert case.origin == "survey"
    assert f"survey submission {submission.pk}" in case.summary
    link = FindingLink.objects.get(submission=submission, kind=LinkKind.CASE)
    assert link.reference == case.reference
    client.post(url)
    assert Case.objects.count() == 1
    page = client.get(reverse("cell:surveys:submission", args=[submission.pk])).content.decode()
    assert "Open a case from this questionnaire" not in page
    assert case.reference in page


def test_without_consent_no_case_is_opened_and_the_refusal_is_audited(
    builtin: dict[str, Instrument], officer_mbdin: User, login_as: LoginAs
) -> None:
    submission = _migrant(builtin, "no")
    client = login_as(officer_mbdin)
    page = client.get(reverse("cell:surveys:submission", args=[submission.pk])).content.decode()
    assert "Open a case from this questionnaire" not in page
    response = client.post(reverse("cell:surveys:open_case", args=[submission.pk]), follow=True)
    assert "did not agree to a case" in response.content.decode()
    assert not Case.objects.exists()
    assert AuditEvent.objects.filter(
        outcome=AuditOutcome.REFUSED, reason__contains="no consent"
    ).exists()


def test_a_questionnaire_waiting_for_review_opens_no_case(
    builtin: dict[str, Instrument], officer_mbdin: User, login_as: LoginAs
) -> None:
    submission = _migrant(builtin, "yes")
    Submission.objects.filter(pk=submission.pk).update(status=ReviewStatus.RECEIVED)
    login_as(officer_mbdin).post(reverse("cell:surveys:open_case", args=[submission.pk]))
    assert not Case.objects.exists()


@pytest.mark.parametrize("who", ["io", "analyst", "monitor", "helpline", "officer_gujrat"])
def test_only_the_districts_cell_opens_a_case_from_a_questionnaire(
    who: str, builtin: dict[str, Instrument], people: dict[str, User], login_as: LoginAs
) -> None:
    submission = _migrant(builtin, "yes")
    url = reverse("cell:surveys:open_case", args=[submission.pk])
    assert login_as(people[who]).post(url).status_code in {403, 404}
    assert not Case.objects.exists()
    assert login_as(people["officer"]).post(url).status_code == 302
    assert Case.objects.count() == 1
