"""Refused case exports (list CSV/XLSX, summary PDF, with or without names)
leave an audit row: action export, outcome refused, the kind and why, in the
district the cell head oversees, so it shows on the cell head's audit page."""

# ruff: noqa: F811 - test arguments name the case fixtures imported below

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import Organisation, User
from ahtc.accounts.roles import Role
from ahtc.cases import services
from ahtc.cases.models import Case, ConsentMethod, ConsentPurpose, PartyRole
from ahtc.cases.tests.conftest import (  # noqa: F401 - fixtures
    CONSENT_DATE,
    case,
    fia_org,
    io_mbdin,
    make_case,
    make_person,
    mbdin,
    prosecutor,
)
from ahtc.core.models import AuditAction, AuditEvent, AuditOutcome
from ahtc.jobs.tests.helpers import follow_export
from ahtc.people.models import Person

pytestmark = pytest.mark.django_db

LoginAs = Callable[[User], Client]


def refusals(user: User) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            actor=user, action=AuditAction.EXPORT, outcome=AuditOutcome.REFUSED
        ).order_by("id")
    )


def shared_with(case: Case, organisation: Organisation, officer: User, make_person: Any) -> Case:
    party = services.party_add(
        case=case, by=officer, role=PartyRole.VICTIM, person=make_person("Shared Victim")
    )
    services.consent_record(
        case=case,
        party=party,
        by=officer,
        purpose=ConsentPurpose.SHARING,
        method=ConsentMethod.THUMBPRINT,
        given_on=CONSENT_DATE,
    )
    services.case_share(case=case, organisation=organisation, by=officer, reason="needs it")
    return case


@pytest.mark.parametrize("persona", ["io_mbdin", "prosecutor", "fia_liaison"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_case_list_export_refused_is_audited(
    request: pytest.FixtureRequest, login_as: LoginAs, persona: str, fmt: str
) -> None:
    user: User = request.getfixturevalue(persona)
    response = login_as(user).get(reverse("cell:cases") + f"?export={fmt}")
    assert response.status_code == 403
    [event] = refusals(user)
    assert event.reason == f"case list {fmt} refused: lacks permission export"
    assert event.object_type == "cases.case"
    assert user.organisation is not None
    assert event.area_code == user.organisation.area.code


@pytest.mark.parametrize("persona", ["provincial_monitor", "analyst"])
def test_case_list_export_refused_to_those_without_case_lists_is_audited(
    request: pytest.FixtureRequest,
    login_as: LoginAs,
    make_user: Callable[..., User],
    persona: str,
) -> None:
    user: User = (
        make_user("analyst_mbdin", Role.ANALYST, "PK620")
        if persona == "analyst"
        else request.getfixturevalue(persona)
    )
    response = login_as(user).get(reverse("cell:cases") + "?export=csv")
    assert response.status_code == 403
    [event] = refusals(user)
    assert event.reason == "case list csv refused: no access to case lists"


def test_refused_case_list_export_shows_on_the_cell_heads_audit_page(
    login_as: LoginAs, io_mbdin: User, dpo_mbdin: User
) -> None:
    login_as(io_mbdin).get(reverse("cell:cases") + "?export=csv")
    [event] = refusals(io_mbdin)
    assert event.area_code == "PK620"
    page = login_as(dpo_mbdin).get(reverse("cell:audit"), {"outcome": "refused"})
    assert "case list csv refused: lacks permission export" in page.content.decode()


def test_summary_pdf_refused_to_a_partner_is_audited_in_the_cases_district(
    login_as: LoginAs,
    case: Case,
    officer_mbdin: User,
    fia_liaison: User,
    fia_org: Organisation,
    dpo_mbdin: User,
    make_person: Callable[..., Person],
) -> None:
    shared_with(case, fia_org, officer_mbdin, make_person)
    client = login_as(fia_liaison)
    assert client.get(reverse("cell:case", args=[case.reference])).status_code == 200
    response = client.get(reverse("cell:case_pdf", args=[case.reference]) + "?identity=1")
    assert response.status_code == 403
    [event] = refusals(fia_liaison)
    assert event.reason == "summary PDF refused: lacks case access: summary"
    assert (event.object_type, event.object_id) == ("cases.case", str(case.pk))
    assert event.area_code == case.district.code
    # The FIA liaison belongs to a division's circle: the district's head still sees it.
    page = login_as(dpo_mbdin).get(reverse("cell:audit"), {"outcome": "refused"})
    assert "summary PDF refused" in page.content.decode()


def test_names_in_the_summary_pdf_refused_to_the_prosecutor_are_audited(
    login_as: LoginAs,
    case: Case,
    officer_mbdin: User,
    prosecutor: User,
    make_person: Callable[..., Person],
) -> None:
    assert prosecutor.organisation is not None
    shared_with(case, prosecutor.organisation, officer_mbdin, make_person)
    response = login_as(prosecutor).get(
        reverse("cell:case_pdf", args=[case.reference]) + "?identity=1"
    )
    assert response.status_code == 200  # served, without the names
    [event] = refusals(prosecutor)
    assert event.reason == "summary PDF with identities refused: lacks case access: identity"
    assert event.area_code == case.district.code
    assert AuditEvent.objects.filter(
        actor=prosecutor, outcome=AuditOutcome.ALLOWED, reason="summary PDF, identities withheld"
    ).exists()


def test_names_of_an_identity_withheld_case_refused_to_the_officer_are_audited(
    login_as: LoginAs, case: Case, officer_mbdin: User
) -> None:
    case.identity_withheld = True
    case.save()
    response = login_as(officer_mbdin).get(
        reverse("cell:case_pdf", args=[case.reference]) + "?identity=1"
    )
    assert response.status_code == 200
    [event] = refusals(officer_mbdin)
    assert event.reason == "summary PDF with identities refused: case is identity-withheld"


def test_allowed_exports_write_no_refusal(
    login_as: LoginAs, case: Case, officer_mbdin: User
) -> None:
    client = login_as(officer_mbdin)
    asked = client.get(reverse("cell:cases") + "?view=district&export=csv")
    assert follow_export(client, asked).status_code == 200
    assert client.get(reverse("cell:case_pdf", args=[case.reference])).status_code == 200
    assert refusals(officer_mbdin) == []
