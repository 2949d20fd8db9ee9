from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from ahtc.accounts.models import User
from ahtc.accounts.roles import ROLES, Perm, Role
from ahtc.accounts.selectors import user_scope
from ahtc.accounts.services import role_grant
from ahtc.geography.models import Area


def test_every_role_is_declared_with_workspace_access():
    assert set(ROLES) == set(Role)
    assert all(Perm.VIEW_WORKSPACE in spec.permissions for spec in ROLES.values())


def test_provincial_monitor_never_sees_identities():
    assert Perm.VIEW_IDENTITY not in ROLES[Role.PROVINCIAL_MONITOR].permissions


@pytest.mark.django_db
def test_role_cannot_be_held_at_the_wrong_level(officer_mbdin):
    with pytest.raises(ValidationError):
        role_grant(user=officer_mbdin, role=Role.CELL_OFFICER, area=Area.objects.get(code="PK6"))


@pytest.mark.django_db
def test_scope_fails_closed_without_grants(make_user):
    user = make_user("nobody", role=None)
    scope = user_scope(user)
    assert not scope.has_perm_anywhere(Perm.VIEW_WORKSPACE)
    assert not Area.objects.filter(scope.q(Perm.VIEW_AREA)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer_mbdin", "officer_gujrat", "provincial_monitor"])
def test_scope_by_area_ids_is_the_scope_by_path(request, persona):
    """ids_q (a list of area ids, for the planner's estimates) admits exactly the
    areas q admits through their paths, for a district and for the province."""
    scope = user_scope(request.getfixturevalue(persona))
    for perm in (Perm.VIEW_AREA, Perm.MANAGE_CASES, Perm.VIEW_AGGREGATES):
        by_path = set(Area.objects.filter(scope.q(perm)).values_list("pk", flat=True))
        by_ids = set(Area.objects.filter(scope.ids_q(perm, "pk")).values_list("pk", flat=True))
        assert by_ids == by_path
    assert len(scope.area_ids(Perm.VIEW_AREA)) > 1  # the district and its tehsils at least


@pytest.mark.django_db
def test_scope_by_area_ids_fails_closed_without_grants(make_user):
    scope = user_scope(make_user("nobody", role=None))
    assert scope.area_ids(Perm.VIEW_AREA) == []
    assert not Area.objects.filter(scope.ids_q(Perm.VIEW_AREA, "pk")).exists()


@pytest.mark.django_db
def test_createuser_command(officer_mbdin, capsys):
    organisation = officer_mbdin.organisation
    call_command(
        "createuser",
        "new_io",
        "--organisation",
        str(organisation.pk),
        "--role",
        "investigating_officer",
        "--area",
        "PK620",
    )
    assert "initial password" in capsys.readouterr().out
    user = User.objects.get(username="new_io")
    assert user.role_assignments.get().role == Role.INVESTIGATING_OFFICER


@pytest.mark.django_db
def test_createuser_refuses_duplicates_and_unknown_areas(officer_mbdin):
    organisation = str(officer_mbdin.organisation.pk)
    with pytest.raises(CommandError, match="already exists"):
        call_command(
            "createuser",
            "OFFICER_MBDIN",
            "--organisation",
            organisation,
            "--role",
            "cell_officer",
            "--area",
            "PK620",
        )
    with pytest.raises(CommandError, match="no area"):
        call_command(
            "createuser",
            "x1",
            "--organisation",
            organisation,
            "--role",
            "cell_officer",
            "--area",
            "NOPE",
        )
