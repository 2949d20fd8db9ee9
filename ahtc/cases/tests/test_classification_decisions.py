"""Deciding: every departure needs a reason, the history shows on the case
page, in the PDF and in the export, and the FIR offers the decided sections first."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.cases import services
from ahtc.cases.classification import Classification, answers, suggest
from ahtc.cases.exports import COLUMNS, export_rows
from ahtc.cases.models import Case, ClassificationDecision, LegalProvision
from ahtc.cases.services import CaseError
from ahtc.cases.services.classification import case_suggestion
from ahtc.cases.tests.test_views import _pdf_text
from ahtc.core.models import AuditEvent

pytestmark = pytest.mark.django_db

CHILD_KILN = answers(
    "act_recruit",
    "purpose_labour",
    "at_kiln",
    age_years=12,
    age_evidence="document",
    sex="masculine",
)
CHARGES = ["PTPA-3-1", "PTPA-3-2", "PRECA-11", "PBKCLA"]


def decide(case: Case, by: User, **changes: Any) -> ClassificationDecision:
    values: dict[str, Any] = {
        "case": case,
        "by": by,
        "answers": CHILD_KILN,
        "classification": Classification.TRAFFICKING_CHILD,
        "agency": "police",
        "provision_codes": CHARGES,
    }
    return services.classification_decide(**{**values, **changes})


def test_the_suggestion_is_what_the_table_says(case: Case) -> None:
    _answers, s = case_suggestion(case, CHILD_KILN)
    assert s.provisions == CHARGES
    assert s.classification == Classification.TRAFFICKING_CHILD


def test_following_the_suggestion_needs_no_reason_and_stores_the_explanation(
    case: Case, officer_mbdin: User
) -> None:
    decision = decide(case, officer_mbdin)
    assert decision.departures == []
    assert decision.because["PTPA-3-1"] == ["act_recruit", "purpose_labour", "child"]
    assert "PTPA-VICTIM" in decision.notes
    assert decision.agency_reason == "police_ptpa"
    assert case.offence_date is not None
    assert decision.answers["offence_date"] == case.offence_date.isoformat()
    assert AuditEvent.objects.filter(reason__contains="departures none").exists()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            {"provision_codes": ["PTPA-3-1"]},
            "left out suggested sections (PTPA-3-2, PRECA-11, PBKCLA)",
        ),
        ({"provision_codes": []}, "left out suggested sections"),
        ({"classification": Classification.NEEDS_REVIEW}, "another classification"),
        ({"agency": "fia"}, "another agency"),
    ],
)
def test_every_departure_needs_a_reason(
    case: Case, officer_mbdin: User, change: dict[str, Any], words: str
) -> None:
    with pytest.raises(CaseError, match="give the reason") as caught:
        decide(case, officer_mbdin, **change)
    assert words in str(caught.value.message)
    assert not ClassificationDecision.objects.exists()
    decision = decide(case, officer_mbdin, override_reason="The kiln contract shows ...", **change)
    assert decision.departures


def test_adding_a_section_is_not_a_departure(case: Case, officer_mbdin: User) -> None:
    decision = decide(case, officer_mbdin, provision_codes=[*CHARGES, "PPC-374"])
    assert decision.departures == []


def test_going_back_on_a_reasoned_decision_needs_a_reason(case: Case, officer_mbdin: User) -> None:
    decide(case, officer_mbdin, agency="fia", override_reason="The child was taken to Iran.")
    with pytest.raises(CaseError, match="changed an earlier decision"):
        decide(case, officer_mbdin)
    again = decide(case, officer_mbdin, override_reason="The Iran trip did not happen.")
    assert [d["kind"] for d in again.departures] == ["reverted"]


def test_a_provision_that_is_not_an_offence_is_refused(case: Case, officer_mbdin: User) -> None:
    with pytest.raises(CaseError, match="PTPA-VICTIM"):
        decide(case, officer_mbdin, provision_codes=[*CHARGES, "PTPA-VICTIM"])
    with pytest.raises(CaseError, match="Choose a classification"):
        decide(case, officer_mbdin, classification="other")


def test_the_offence_date_filters_what_is_stored_as_suggested(
    make_case: Callable[..., Case], officer_mbdin: User
) -> None:
    old = make_case(offence_date=dt.date(2017, 5, 1))
    abroad = dataclasses.replace(CHILD_KILN, facts={**CHILD_KILN.facts, "crossed_border": "yes"})
    _a, s = case_suggestion(old, abroad)
    assert {"PACHTO-3", "PPC-369A"} <= set(s.provisions)
    assert not {"PTPA-3-1", "PTPA-3-2"} & set(s.provisions)
    assert "PTPA-VICTIM" not in s.notes
    # Without the case's date the pure assistant would have used today's law.
    assert "PTPA-3-1" in suggest(abroad).provisions


def test_history_on_the_case_page_pdf_and_export(
    login_as: Callable[[User], Client], case: Case, officer_mbdin: User
) -> None:
    decide(case, officer_mbdin, agency="fia", override_reason="Taken to Iran by the agent.")
    decide(case, officer_mbdin, override_reason="The Iran trip did not happen.")
    client = login_as(officer_mbdin)
    client.cookies["ahtc_lang"] = "en"
    page = client.get(reverse("cell:case", args=[case.reference])).content.decode()
    assert "Earlier decisions" in page
    assert "you chose another agency" in page
    assert "you changed an earlier decision that gave a reason" in page
    assert "Because:" in page
    assert "recruited" in page
    assert "Police, with the Labour Department informed" not in page
    pdf = _pdf_text(client.get(reverse("cell:case_pdf", args=[case.reference])).content)
    assert "Departures from the suggestion" in pdf
    names = [name for name, _key in COLUMNS]
    (row,) = export_rows(Case.objects.filter(pk=case.pk))
    assert row[names.index("decisions")] == 2
    assert row[names.index("decisions departing from the suggestion")] == 2
    assert row[names.index("suggested classification")] == Classification.TRAFFICKING_CHILD


def test_other_district_cannot_open_the_assistant(
    login_as: Callable[[User], Client], case: Case, officer_gujrat: User
) -> None:
    response = login_as(officer_gujrat).get(reverse("cell:case_classify", args=[case.reference]))
    assert response.status_code == 404


def test_the_page_explains_and_keeps_what_was_typed_on_refusal(
    login_as: Callable[[User], Client], case: Case, officer_mbdin: User
) -> None:
    client = login_as(officer_mbdin)
    client.cookies["ahtc_lang"] = "en"
    target = reverse("cell:case_classify", args=[case.reference])
    typed = {**CHILD_KILN.facts, "age_years": "12", "age_evidence": "document", "sex": "masculine"}
    page = client.post(target, {**typed, "suggest": "1"}).content.decode()
    assert "Because:" in page
    assert "a child (under 18)" in page
    assert "the police investigate (PTPA)" in page
    assert "Also applies (not a charge)" in page
    refused = client.post(
        target, {**typed, "decide": "1", "classification": "trafficking_child", "agency": "fia"}
    )
    body = refused.content.decode()
    assert "give the reason" in body
    assert 'value="12"' in body  # the age typed is kept
    assert not case.decisions.exists()


def test_the_page_asks_for_review_instead_of_other(
    login_as: Callable[[User], Client], case: Case, officer_mbdin: User
) -> None:
    client = login_as(officer_mbdin)
    client.cookies["ahtc_lang"] = "en"
    target = reverse("cell:case_classify", args=[case.reference])
    page = client.post(
        target, {"purpose_organs": "yes", "age_evidence": "none", "sex": "unknown", "suggest": "1"}
    )
    body = page.content.decode()
    assert "Needs review: no rule fits" in body
    assert "does not name it" in body
    assert "Transplantation of Human Organs" in body


def test_the_fir_form_offers_the_decided_sections_first(
    login_as: Callable[[User], Client], case: Case, officer_mbdin: User
) -> None:
    decide(case, officer_mbdin, provision_codes=["PBKCLA", *CHARGES[:3]])
    client = login_as(officer_mbdin)
    client.cookies["ahtc_lang"] = "en"
    page = client.get(reverse("cell:case_fir", args=[case.reference])).content.decode()
    inputs = [line.split(">")[0] for line in page.split("<input") if 'name="provisions"' in line]
    decided = set(case.decisions.get().provisions.values_list("pk", flat=True))
    order = [int(tag.split('value="')[1].split('"')[0]) for tag in inputs]
    assert set(order[: len(decided)]) == decided
    assert len(order) > len(decided) + 20  # then the whole catalogue in force
    assert all("checked" in tag for tag in inputs[: len(decided)])
    victim = LegalProvision.objects.get(code="PTPA-VICTIM")
    assert victim.pk not in order  # not an offence: never in an FIR
    assert "(decided at classification)" in page
