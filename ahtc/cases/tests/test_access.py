"""The access ladder for cases: who sees a case, who runs it, who sees identities."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from ahtc.accounts.models import Organisation, User
from ahtc.accounts.roles import Role
from ahtc.cases import services
from ahtc.cases.models import Case, HandoverKind
from ahtc.cases.selectors import case_access, case_for_user, cases_for_user
from ahtc.core.models import AuditEvent, AuditOutcome
from ahtc.geography.models import Area

if TYPE_CHECKING:
    from .conftest import Flow

pytestmark = pytest.mark.django_db


def sees(user: User, case: Case) -> bool:
    """Both ways in agree: the list and the single-case lookup."""
    listed = cases_for_user(user).filter(pk=case.pk).exists()
    try:
        found = case_for_user(user, case.reference) == case
    except Http404:
        found = False
    assert listed is found
    return found


def refusals(user: User, case: Case) -> int:
    return AuditEvent.objects.filter(
        actor=user,
        outcome=AuditOutcome.REFUSED,
        object_type="cases.case",
        object_id=str(case.pk),
    ).count()


def share_with(case: Case, org: Organisation, by: User) -> None:
    services.case_share(case=case, organisation=org, by=by, reason="Need to know")


class TestCellStaff:
    def test_cell_officer_of_the_district_sees_and_manages(
        self, case: Case, officer_mbdin: User
    ) -> None:
        assert sees(officer_mbdin, case)
        access = case_access(officer_mbdin, case)
        assert access.manage
        assert access.identity
        assert not access.partner
        assert not access.prosecute
        assert not access.override_consent
        assert access.export
        assert refusals(officer_mbdin, case) == 0

    def test_cell_head_may_also_override_consent(self, case: Case, dpo_mbdin: User) -> None:
        assert sees(dpo_mbdin, case)
        access = case_access(dpo_mbdin, case)
        assert access.manage
        assert access.override_consent

    def test_officer_of_another_district_is_refused_and_audited(
        self, case: Case, officer_gujrat: User
    ) -> None:
        assert not cases_for_user(officer_gujrat).exists()
        with pytest.raises(Http404):
            case_for_user(officer_gujrat, case.reference)
        event = AuditEvent.objects.get(actor=officer_gujrat, outcome=AuditOutcome.REFUSED)
        assert (event.object_type, event.object_id) == ("cases.case", str(case.pk))
        access = case_access(officer_gujrat, case)
        assert not access.manage
        assert not access.identity
        assert not access.export

    def test_each_officer_sees_only_their_districts_cases(
        self,
        make_case: Callable[..., Case],
        officer_mbdin: User,
        officer_gujrat: User,
        gujrat: Area,
    ) -> None:
        mine = make_case()
        theirs = make_case(district=gujrat, by=officer_gujrat)
        assert list(cases_for_user(officer_mbdin)) == [mine]
        assert list(cases_for_user(officer_gujrat)) == [theirs]

    def test_unknown_reference_is_404_without_an_audit_row(self, officer_mbdin: User) -> None:
        with pytest.raises(Http404):
            case_for_user(officer_mbdin, "MBD-1999-0001")
        assert not AuditEvent.objects.filter(outcome=AuditOutcome.REFUSED).exists()

    def test_anonymous_sees_nothing(self, case: Case) -> None:
        assert not cases_for_user(AnonymousUser()).exists()


class TestInvestigatingOfficer:
    def test_sees_only_the_cases_they_lead(
        self, flow: Flow, make_case: Callable[..., Case]
    ) -> None:
        led, other = make_case(), make_case()
        assert not sees(flow.io, led)
        flow.assign(led)
        assert list(cases_for_user(flow.io)) == [led]
        assert sees(flow.io, led)
        assert not sees(flow.io, other)
        assert refusals(flow.io, other) == 1
        assert case_access(flow.io, led).manage
        assert case_access(flow.io, led).identity
        assert not case_access(flow.io, other).manage
        assert not case_access(flow.io, other).identity

    def test_pending_assignment_shows_the_case_but_gives_no_control(
        self, flow: Flow, case: Case
    ) -> None:
        handover = services.handover_create(
            case=case, by=flow.officer, kind=HandoverKind.ASSIGN, reason="Lead", to_user=flow.io
        )
        assert sees(flow.io, case)
        assert not case_access(flow.io, case).manage
        services.handover_answer(handover=handover, by=flow.io, accept=False, reason="On leave")
        assert not sees(flow.io, case)


class TestPartners:
    def test_fia_sees_only_while_shared(
        self, case: Case, officer_mbdin: User, fia_liaison: User, fia_org: Organisation
    ) -> None:
        assert not sees(fia_liaison, case)
        assert refusals(fia_liaison, case) == 1
        share_with(case, fia_org, officer_mbdin)
        assert sees(fia_liaison, case)
        access = case_access(fia_liaison, case)
        assert not access.manage
        assert not access.identity
        assert access.partner
        assert not access.prosecute
        assert not access.override_consent
        share = case.shares.get()
        services.share_revoke(share=share, by=officer_mbdin)
        assert not sees(fia_liaison, case)
        assert refusals(fia_liaison, case) == 2

    def test_labour_sees_nothing_shared_with_fia_only(
        self,
        case: Case,
        officer_mbdin: User,
        fia_org: Organisation,
        labour_liaison: User,
    ) -> None:
        share_with(case, fia_org, officer_mbdin)
        assert not cases_for_user(labour_liaison).exists()
        assert not sees(labour_liaison, case)

    def test_share_does_not_reach_beyond_the_liaisons_area(
        self,
        make_case: Callable[..., Case],
        make_user: Callable[..., User],
        fia_liaison: User,
        fia_org: Organisation,
    ) -> None:
        officer_lahore = make_user("officer_lahore", Role.CELL_OFFICER, "PK617")
        lahore_case = make_case(district=Area.objects.get(code="PK617"), by=officer_lahore)
        share_with(lahore_case, fia_org, officer_lahore)
        assert not sees(fia_liaison, lahore_case)

    def test_prosecutor_sees_after_share_and_may_prosecute(
        self, case: Case, officer_mbdin: User, prosecutor: User
    ) -> None:
        assert prosecutor.organisation is not None
        assert not sees(prosecutor, case)
        assert not case_access(prosecutor, case).prosecute
        share_with(case, prosecutor.organisation, officer_mbdin)
        assert sees(prosecutor, case)
        access = case_access(prosecutor, case)
        assert access.prosecute
        assert not access.manage
        assert not access.identity

    def test_pending_referral_shows_the_case_to_the_agency(
        self, flow: Flow, case: Case, labour_liaison: User, fia_liaison: User
    ) -> None:
        assert labour_liaison.organisation is not None
        handover = services.handover_create(
            case=case,
            by=flow.officer,
            kind=HandoverKind.REFER,
            reason="Kiln inspection",
            to_organisation=labour_liaison.organisation,
        )
        assert sees(labour_liaison, case)
        assert not sees(fia_liaison, case)
        assert not case_access(labour_liaison, case).manage
        services.handover_answer(
            handover=handover, by=labour_liaison, accept=False, reason="Not a kiln"
        )
        assert not sees(labour_liaison, case)

    def test_accepted_referral_keeps_the_case_visible(
        self, flow: Flow, case: Case, fia_liaison: User
    ) -> None:
        flow.refer_to_fia(case)
        assert sees(fia_liaison, case)
        assert not case_access(fia_liaison, case).manage


class TestTransfer:
    def test_pending_transfer_shows_the_case_and_acceptance_moves_control(
        self, flow: Flow, case: Case, officer_gujrat: User
    ) -> None:
        assert officer_gujrat.organisation is not None
        handover = services.handover_create(
            case=case,
            by=flow.officer,
            kind=HandoverKind.TRANSFER,
            reason="The kiln is in Kharian",
            to_organisation=officer_gujrat.organisation,
        )
        assert sees(officer_gujrat, case)
        assert not case_access(officer_gujrat, case).manage
        services.handover_answer(handover=handover, by=officer_gujrat, accept=True)
        case.refresh_from_db()
        assert sees(officer_gujrat, case)
        assert case_access(officer_gujrat, case).manage
        assert not sees(flow.officer, case)
        assert not case_access(flow.officer, case).manage


@pytest.mark.parametrize("persona", ["provincial_monitor", "admin_user"])
def test_monitor_and_administrator_are_refused(
    request: pytest.FixtureRequest, case: Case, persona: str
) -> None:
    user: User = request.getfixturevalue(persona)
    assert not cases_for_user(user).exists()
    assert not sees(user, case)
    assert refusals(user, case) == 1
    access = case_access(user, case)
    assert not access.manage
    assert not access.identity


def test_identity_only_for_those_who_may_see_it_and_run_the_case(
    flow: Flow,
    case: Case,
    dpo_mbdin: User,
    officer_gujrat: User,
    fia_org: Organisation,
    make_user: Callable[..., User],
) -> None:
    assert flow.prosecutor.organisation is not None
    share_with(case, fia_org, flow.officer)
    share_with(case, flow.prosecutor.organisation, flow.officer)
    analyst = make_user("analyst_mbdin", Role.ANALYST, "PK620")
    expected = {
        flow.officer: True,
        dpo_mbdin: True,
        flow.io: False,  # may see identities, but does not lead this case yet
        flow.fia_liaison: False,
        flow.prosecutor: False,
        officer_gujrat: False,  # may see identities, but in another district
        analyst: False,
    }
    assert {u: case_access(u, case).identity for u in expected} == expected
    flow.assign(case)
    assert case_access(flow.io, case).identity
