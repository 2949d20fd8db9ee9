"""The rollout register and onboarding screens: who may do what, where."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ahtc.accounts.models import OrganisationKind, User
from ahtc.accounts.roles import Role
from ahtc.core.models import AuditEvent
from ahtc.geography.models import Area
from ahtc.onboarding.models import DistrictRollout
from ahtc.onboarding.services import district_onboard
from ahtc.portal.models import Tip
from ahtc.portal.staff_views import sla_due

pytestmark = pytest.mark.django_db

REGISTER = reverse("cell:onboarding:register")
ONBOARD = reverse("cell:onboarding:onboard")


def pk(code: str) -> int:
    return Area.objects.get(code=code).pk


def test_administrator_onboards_a_district_and_sees_the_credentials_once(
    admin_user: User, login_as: Callable[[User], Client]
) -> None:
    client = login_as(admin_user)
    page = client.get(ONBOARD)
    assert page.status_code == 200
    assert "Mandi Bahauddin" in page.content.decode()

    response = client.post(
        ONBOARD,
        {"districts": [pk("PK620")], "head_username": "dpo_new", "cell_phone": "0546-1"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "dpo_new" in body
    assert "Enrolment code" in body
    assert response["Cache-Control"].startswith("no-store")
    rollout = DistrictRollout.objects.get(district__code="PK620")
    assert rollout.onboarded_by == admin_user
    assert (
        AuditEvent.objects.filter(actor=admin_user, object_type="accounts.organisation").count()
        >= 8
    )
    # Onboarded districts leave the choice list.
    assert "Mandi Bahauddin (PK620)" not in client.get(ONBOARD).content.decode()


def test_bad_input_keeps_what_was_typed(
    admin_user: User, login_as: Callable[[User], Client]
) -> None:
    client = login_as(admin_user)
    response = client.post(
        ONBOARD,
        {"districts": [pk("PK620"), pk("PK610")], "head_username": "dpo_x", "cell_phone": "0546-1"},
    )
    body = response.content.decode()
    assert "Only when one district is chosen." in body
    assert 'value="dpo_x"' in body
    assert 'value="0546-1"' in body
    assert not DistrictRollout.objects.exists()

    response = client.post(ONBOARD, {"districts": []})
    assert "Choose at least one district." in response.content.decode()


def test_district_administrator_cannot_onboard_even_their_own_district(
    make_user: Callable[..., User], login_as: Callable[[User], Client]
) -> None:
    admin_gujrat = make_user("admin_gujrat", Role.ADMINISTRATOR, "PK610")
    client = login_as(admin_gujrat)

    assert client.get(ONBOARD).status_code == 403
    assert client.post(ONBOARD, {"districts": [pk("PK610")]}).status_code == 403
    assert not DistrictRollout.objects.exists()
    assert "Onboard districts" not in client.get(REGISTER).content.decode()


@pytest.mark.parametrize(
    "persona", ["officer_mbdin", "dpo_mbdin", "fia_liaison", "provincial_monitor"]
)
def test_other_roles_cannot_onboard(
    persona: str, request: pytest.FixtureRequest, login_as: Callable[[User], Client]
) -> None:
    client = login_as(request.getfixturevalue(persona))

    assert client.get(ONBOARD).status_code == 403
    assert client.post(ONBOARD, {"districts": [pk("PK620")]}).status_code == 403
    assert not DistrictRollout.objects.exists()


def test_register_shows_each_reader_their_own_districts(
    provincial_monitor: User,
    dpo_mbdin: User,
    officer_mbdin: User,
    fia_liaison: User,
    login_as: Callable[[User], Client],
    make_user: Callable[..., User],
) -> None:
    district_onboard(district=Area.objects.get(code="PK620"))
    make_user("io_one", Role.INVESTIGATING_OFFICER, "PK620")

    body = login_as(provincial_monitor).get(REGISTER).content.decode()
    assert "1 of 41 districts onboarded, 0 live" in body
    assert "Onboard districts" not in body  # reads, does not onboard

    body = login_as(dpo_mbdin).get(REGISTER).content.decode()
    assert "1 of 1 districts onboarded" in body
    assert "Gujrat" not in body

    body = login_as(officer_mbdin).get(REGISTER).content.decode()  # reads statistics
    assert "1 of 1 districts onboarded" in body
    assert "Onboard districts" not in body
    assert login_as(fia_liaison).get(REGISTER).status_code == 403
    io_user = make_user("io_two", Role.INVESTIGATING_OFFICER, "PK620")
    assert login_as(io_user).get(REGISTER).status_code == 403


def test_staffed_roles_count_current_assignments_only(
    admin_user: User, login_as: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    district_onboard(district=Area.objects.get(code="PK620"))
    officer = make_user("officer_a", Role.CELL_OFFICER, "PK620")
    make_user("officer_b", Role.CELL_OFFICER, "PK620")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    officer.role_assignments.update(valid_to=yesterday)

    response = login_as(admin_user).get(REGISTER)

    rows = {row.district.code: row for row in response.context["rows"]}
    assert rows["PK620"].staffed[Role.CELL_OFFICER] == 1
    assert rows["PK620"].staffed[Role.CELL_HEAD] == 1  # the onboarded head


def test_rollout_page_sets_live_date_and_service_levels(
    admin_user: User, login_as: Callable[[User], Client], make_org: Callable[..., object]
) -> None:
    district_onboard(district=Area.objects.get(code="PK620"), established_on=dt.date(2024, 11, 1))
    client = login_as(admin_user)
    url = reverse("cell:onboarding:rollout", args=["PK620"])

    refused = client.post(
        url,
        {
            "established_on": "2024-11-01",
            "live_on": "2024-10-01",
            "sla_urgent_hours": 2,
            "sla_normal_hours": 12,
        },
    )
    assert "cannot go live before" in refused.content.decode()

    client.post(
        url,
        {
            "established_on": "2024-11-01",
            "live_on": "2024-12-01",
            "sla_urgent_hours": 2,
            "sla_normal_hours": 12,
        },
    )
    rollout = DistrictRollout.objects.get()
    assert rollout.live_on == dt.date(2024, 12, 1)
    assert rollout.sla_normal_hours == 12
    assert AuditEvent.objects.filter(
        object_type="onboarding.districtrollout", action="update"
    ).exists()
    # The intake queue's due times follow the district's own service levels.
    tip = Tip(district=rollout.district, created_at=timezone.now())
    assert sla_due(tip) == tip.created_at + dt.timedelta(hours=12)


def test_rollout_page_refuses_other_districts_and_roles(
    make_user: Callable[..., User], dpo_mbdin: User, login_as: Callable[[User], Client]
) -> None:
    district_onboard(district=Area.objects.get(code="PK620"))
    url = reverse("cell:onboarding:rollout", args=["PK620"])
    admin_gujrat = make_user("admin_gujrat", Role.ADMINISTRATOR, "PK610")

    assert login_as(admin_gujrat).get(url).status_code == 404
    assert login_as(dpo_mbdin).get(url).status_code == 403


def test_labour_department_user_is_not_an_onboarder(
    make_user: Callable[..., User], login_as: Callable[[User], Client]
) -> None:
    user = make_user("labour_x", Role.AGENCY_LIAISON, "PK620", kind=OrganisationKind.LABOUR)
    assert login_as(user).get(ONBOARD).status_code == 403


def test_overview_tells_the_provincial_administrator_what_is_left(
    admin_user: User, dpo_mbdin: User, login_as: Callable[[User], Client]
) -> None:
    district_onboard(district=Area.objects.get(code="PK620"))

    body = login_as(admin_user).get(reverse("cell:home")).content.decode()

    assert "40 districts are not onboarded yet" in body
    assert ONBOARD in body
    assert "not onboarded yet" not in login_as(dpo_mbdin).get(reverse("cell:home")).content.decode()
