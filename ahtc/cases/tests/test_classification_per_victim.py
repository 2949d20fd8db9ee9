"""Issue 12: a kiln family with children is classified person by person, then
summarised for the case (the most serious decision decides the case's
classification and agency)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.cases import services
from ahtc.cases.classification import Answers, Classification, answers, suggest
from ahtc.cases.models import Case, ClassificationDecision, Party, PartyRole
from ahtc.cases.services import CaseError
from ahtc.cases.tests.test_api import token_client
from ahtc.cases.tests.test_views import _pdf_text
from ahtc.core.models import AuditEvent
from ahtc.people.models import Person

pytestmark = pytest.mark.django_db

FATHER = answers(
    "bonded_debt",
    "work_to_repay",
    "at_kiln",
    "ilo_debt_bondage",
    age_years=40,
    age_evidence="document",
    sex="masculine",
)
CHILD = answers(
    "act_recruit",
    "purpose_labour",
    "at_kiln",
    "child_employed",
    age_years=12,
    age_evidence="document",
    sex="feminine",
)


@pytest.fixture
def family(
    case: Case, make_person: Callable[..., Person], officer_mbdin: User
) -> tuple[Party, Party, Party]:
    father = services.party_add(
        case=case,
        by=officer_mbdin,
        role=PartyRole.VICTIM,
        person=make_person("Father Kiln", age_years=40, sex="masculine"),
    )
    child = services.party_add(
        case=case,
        by=officer_mbdin,
        role=PartyRole.VICTIM,
        person=make_person("Daughter Kiln", age_years=12, sex="feminine"),
    )
    witness = services.party_add(
        case=case, by=officer_mbdin, role=PartyRole.WITNESS, person=make_person("Neighbour")
    )
    return father, child, witness


def follow(case: Case, by: User, facts: Answers, victim: Party | None, **changes: Any) -> Any:
    """Decide as the assistant suggests (no departures), for one victim."""
    s = suggest(facts)
    values: dict[str, Any] = {
        "case": case,
        "by": by,
        "answers": facts,
        "classification": s.classification,
        "agency": s.agency,
        "provision_codes": s.provisions,
        "victim": victim,
    }
    return services.classification_decide(**{**values, **changes})


def test_each_victim_is_decided_and_the_case_takes_the_most_serious(
    case: Case, family: tuple[Party, Party, Party], officer_mbdin: User
) -> None:
    father, child, _witness = family
    first = follow(case, officer_mbdin, FATHER, father)
    assert first.classification == Classification.BONDED_LABOUR
    case.refresh_from_db()
    assert case.classification == Classification.BONDED_LABOUR
    second = follow(case, officer_mbdin, CHILD, child)
    assert second.classification == Classification.TRAFFICKING_CHILD
    case.refresh_from_db()
    assert case.classification == Classification.TRAFFICKING_CHILD
    summary = services.case_summary(case)
    assert [d.victim for d in summary.latest] == [father, child]
    codes = {p.code for p in summary.provisions}
    assert codes == {p.code for d in (first, second) for p in d.provisions.all()}
    assert summary.review == 0
    assert AuditEvent.objects.filter(reason__contains=f"for {child.pseudonym}").exists()


def test_deciding_one_victim_again_replaces_only_theirs(
    case: Case, family: tuple[Party, Party, Party], officer_mbdin: User
) -> None:
    father, child, _witness = family
    follow(case, officer_mbdin, FATHER, father)
    follow(case, officer_mbdin, CHILD, child)
    follow(
        case,
        officer_mbdin,
        CHILD,
        child,
        classification=Classification.NEEDS_REVIEW,
        override_reason="Her age is being checked with NADRA.",
    )
    summary = services.case_summary(case)
    assert len(summary.latest) == 2
    assert summary.review == 1
    case.refresh_from_db()
    # The father's bonded labour is now the most serious firm decision.
    assert case.classification == Classification.BONDED_LABOUR


def test_a_departure_is_judged_against_the_same_victims_last_decision(
    case: Case, family: tuple[Party, Party, Party], officer_mbdin: User
) -> None:
    father, child, _witness = family
    follow(
        case,
        officer_mbdin,
        FATHER,
        father,
        agency="fia",
        override_reason="The kiln owner sent him to Iran last year.",
    )
    # The child's own first decision follows the suggestion: no reason needed,
    # even though the father's last decision was a reasoned departure.
    decision = follow(case, officer_mbdin, CHILD, child)
    assert decision.departures == []
    with pytest.raises(CaseError, match="give the reason"):
        follow(case, officer_mbdin, FATHER, father)  # going back on his reasoned one


def test_only_this_cases_victims_can_be_chosen(
    case: Case,
    make_case: Callable[..., Case],
    family: tuple[Party, Party, Party],
    make_person: Callable[..., Person],
    officer_mbdin: User,
) -> None:
    _father, _child, witness = family
    with pytest.raises(CaseError, match="this case's victims"):
        follow(case, officer_mbdin, CHILD, witness)
    other = make_case()
    stranger = services.party_add(
        case=other, by=officer_mbdin, role=PartyRole.VICTIM, person=make_person("Elsewhere")
    )
    with pytest.raises(CaseError, match="this case's victims"):
        follow(case, officer_mbdin, CHILD, stranger)
    assert not ClassificationDecision.objects.exists()


def test_the_page_decides_per_victim_and_the_case_page_summarises(
    login_as: Callable[[User], Client],
    case: Case,
    family: tuple[Party, Party, Party],
    officer_mbdin: User,
) -> None:
    father, child, _witness = family
    client = login_as(officer_mbdin)
    client.cookies["ahtc_lang"] = "en"
    target = reverse("cell:case_classify", args=[case.reference])
    page = client.get(target, {"victim": child.number}).content.decode()
    assert f"Deciding for victim {child.pseudonym}" in page
    assert 'name="age_years" value="12"' in page  # this victim's age, not the first's
    assert 'name="victim" value="2"' in page
    s = suggest(CHILD)
    typed = {**CHILD.facts, "age_years": "12", "age_evidence": "document", "sex": "feminine"}
    done = client.post(
        target,
        {
            **typed,
            "victim": str(child.number),
            "decide": "1",
            "classification": s.classification,
            "agency": s.agency,
            "provisions": [str(p) for p in case_provision_pks(s.provisions)],
        },
    )
    assert done.status_code == 302
    assert case.decisions.get().victim == child
    follow(case, officer_mbdin, FATHER, father)
    detail = client.get(reverse("cell:case", args=[case.reference])).content.decode()
    assert "By victim" in detail
    assert "most serious of 2 decisions: Trafficking in persons (child)" in detail
    assert child.pseudonym in detail
    assert father.pseudonym in detail
    pdf = _pdf_text(client.get(reverse("cell:case_pdf", args=[case.reference])).content)
    assert "most serious of 2 decisions" in pdf
    assert child.pseudonym in pdf


def test_a_number_that_is_no_victim_of_the_case_is_refused_on_the_page(
    login_as: Callable[[User], Client],
    case: Case,
    family: tuple[Party, Party, Party],
    officer_mbdin: User,
) -> None:
    _father, _child, witness = family
    client = login_as(officer_mbdin)
    client.cookies["ahtc_lang"] = "en"
    target = reverse("cell:case_classify", args=[case.reference])
    for number in (str(witness.number), "99", "x"):
        response = client.get(target, {"victim": number}, follow=True)
        assert "That victim is not in this case" in response.content.decode()
    assert not case.decisions.exists()


def test_the_api_records_and_reads_a_victims_decision(
    case: Case, family: tuple[Party, Party, Party], officer_mbdin: User
) -> None:
    _father, child, witness = family
    api = token_client(officer_mbdin)
    path = f"/api/v1/cases/{case.reference}/classification/"
    s = suggest(CHILD)
    body = {
        "answers": {
            "facts": CHILD.facts,
            "age_years": 12,
            "age_evidence": "document",
            "sex": "feminine",
        },
        "classification": s.classification,
        "agency": s.agency,
        "provisions": s.provisions,
    }
    made = api.post(path, {**body, "victim": child.number}, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["victim"] == child.pseudonym
    for wrong in (witness.number, 99):
        refused = api.post(path, {**body, "victim": wrong}, format="json")
        assert refused.status_code == 400
        assert "No victim with this number" in refused.content.decode()
    whole = api.post(path, body, format="json")
    assert whole.status_code == 201
    assert whole.json()["victim"] is None
    assert [d["victim"] for d in api.get(path).json()] == [None, child.pseudonym]


def case_provision_pks(codes: list[str]) -> list[int]:
    from ahtc.cases.models import LegalProvision

    return list(LegalProvision.objects.filter(code__in=codes).values_list("pk", flat=True))


def test_a_posted_victim_that_is_not_in_the_case_keeps_what_was_typed(
    login_as: Callable[[User], Client],
    case: Case,
    family: tuple[Party, Party, Party],
    officer_mbdin: User,
) -> None:
    _father, _child, witness = family
    client = login_as(officer_mbdin)
    client.cookies["ahtc_lang"] = "en"
    target = reverse("cell:case_classify", args=[case.reference])
    s = suggest(CHILD)
    typed = {**CHILD.facts, "age_years": "12", "age_evidence": "document", "sex": "feminine"}
    for action in ({"suggest": "1"}, {"decide": "1", "classification": s.classification}):
        response = client.post(target, {**typed, **action, "victim": str(witness.number)})
        body = response.content.decode()
        assert response.status_code == 200
        assert "That victim is not in this case" in body
        assert 'name="age_years" value="12"' in body
    assert not case.decisions.exists()
