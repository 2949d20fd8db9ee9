"""A citizen report is assigned only to someone who may open it (issue 10):
the rule of tips_for_user (TRIAGE_TIPS in the report's district), checked in
the service and applied to the choices the form offers."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.accounts.roles import Role
from ahtc.core.models import AuditEvent, AuditOutcome
from ahtc.geography.models import Area
from ahtc.portal.models import Tip, TipStatus
from ahtc.portal.selectors import tip_assignees, tips_for_user
from ahtc.portal.services import TipError, tip_set_status, tip_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def tip(db: object) -> Tip:
    return tip_submit(
        client_token=uuid.uuid4().hex,
        category="forced_labour",
        district=Area.objects.get(code="PK620"),
        tehsil=None,
        description="A family is kept at a kiln to repay an advance.",
        child_involved="unknown",
    ).tip


@pytest.fixture
def second_officer(make_user: Callable[..., User]) -> User:
    return make_user("officer2_mbdin", Role.CELL_OFFICER, "PK620")


@pytest.fixture
def division_head(make_user: Callable[..., User]) -> User:
    return make_user("head_division", Role.CELL_HEAD, "PK6DV03", org_area="PK620")


def test_only_users_who_may_open_the_report_are_offered(
    tip: Tip,
    officer_mbdin: User,
    second_officer: User,
    division_head: User,
    labour_liaison: User,
    fia_liaison: User,
    officer_gujrat: User,
    provincial_monitor: User,
    make_user: Callable[..., User],
) -> None:
    io = make_user("io_mbdin", Role.INVESTIGATING_OFFICER, "PK620")
    offered = set(tip_assignees(tip))
    assert offered == {officer_mbdin, second_officer, division_head}
    for user in offered:
        assert tips_for_user(user).filter(pk=tip.pk).exists()
    for user in (labour_liaison, fia_liaison, officer_gujrat, provincial_monitor, io):
        assert user not in offered
        assert not tips_for_user(user).filter(pk=tip.pk).exists()


def test_disabled_user_is_not_offered(tip: Tip, second_officer: User) -> None:
    User.objects.filter(pk=second_officer.pk).update(is_active=False)
    assert second_officer not in set(tip_assignees(tip))


@pytest.mark.parametrize("persona", ["labour_liaison", "officer_gujrat", "provincial_monitor"])
def test_service_refuses_an_assignee_who_cannot_open_it(
    tip: Tip, officer_mbdin: User, persona: str, request: pytest.FixtureRequest
) -> None:
    assignee: User = request.getfixturevalue(persona)
    with pytest.raises(TipError, match="cannot open citizen reports of this district") as refused:
        tip_set_status(tip=tip, status=TipStatus.TRIAGED, by=officer_mbdin, assign_to=assignee)
    assert refused.value.refusal
    tip.refresh_from_db()
    assert (tip.status, tip.assigned_to) == (TipStatus.NEW, None)


def test_service_assigns_someone_who_may_open_it(
    tip: Tip, officer_mbdin: User, division_head: User
) -> None:
    tip_set_status(tip=tip, status=TipStatus.TRIAGED, by=officer_mbdin, assign_to=division_head)
    tip.refresh_from_db()
    assert tip.assigned_to == division_head


def test_form_offers_only_allowed_users_and_refusal_keeps_the_form(
    tip: Tip,
    officer_mbdin: User,
    labour_liaison: User,
    second_officer: User,
    login_as: Callable[[User], Client],
) -> None:
    client = login_as(officer_mbdin)
    url = reverse("cell:intake_detail", args=[tip.pk])
    html = client.get(url).content.decode()
    assert f'value="{second_officer.pk}"' in html
    assert f'value="{labour_liaison.pk}"' not in html
    response = client.post(url, {"status": TipStatus.REFERRED, "assign_to": labour_liaison.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert "cannot open citizen reports of this district" in body
    assert f'value="{TipStatus.REFERRED}" selected' in body  # what was chosen is kept
    tip.refresh_from_db()
    assert (tip.status, tip.assigned_to) == (TipStatus.NEW, None)


def test_assigned_user_can_open_the_report(
    tip: Tip,
    officer_mbdin: User,
    second_officer: User,
    login_as: Callable[[User], Client],
) -> None:
    client = login_as(officer_mbdin)
    url = reverse("cell:intake_detail", args=[tip.pk])
    assert (
        client.post(url, {"status": TipStatus.TRIAGED, "assign_to": second_officer.pk}).status_code
        == 302
    )
    assert login_as(second_officer).get(url).status_code == 200
    assert not AuditEvent.objects.filter(
        actor=second_officer, outcome=AuditOutcome.REFUSED, object_type="portal.tip"
    ).exists()
