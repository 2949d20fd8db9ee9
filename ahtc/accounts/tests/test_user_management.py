"""Each organisation manages its own users; only the provincial administrator
manages every organisation's (DESIGN.md, access model; issue 9)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ahtc.accounts.roles import Role
from ahtc.accounts.services import user_disable
from ahtc.core.models import AuditEvent, AuditOutcome


def _disable(client, target):
    return client.post(reverse("cell:user_disable", args=[target.pk]))


def _still_active(user) -> bool:
    user.refresh_from_db()
    return bool(user.is_active)


@pytest.fixture
def district_admin(make_user):
    """An administrator of the district police cell: not provincial."""
    return make_user("admin_mbdin", Role.ADMINISTRATOR, "PK620")


@pytest.mark.django_db
class TestDisable:
    def test_cell_head_disables_own_organisation_user(self, dpo_mbdin, officer_mbdin, login_as):
        assert _disable(login_as(dpo_mbdin), officer_mbdin).status_code == 302
        assert not _still_active(officer_mbdin)

    def test_cell_head_gets_404_for_other_agency_user_and_is_audited(
        self, dpo_mbdin, labour_liaison, login_as
    ):
        assert _disable(login_as(dpo_mbdin), labour_liaison).status_code == 404
        assert _still_active(labour_liaison)
        event = AuditEvent.objects.get(outcome=AuditOutcome.REFUSED)
        assert (event.actor, event.object_id) == (dpo_mbdin, str(labour_liaison.pk))

    def test_cell_head_gets_404_for_division_agency_user(self, dpo_mbdin, fia_liaison, login_as):
        assert _disable(login_as(dpo_mbdin), fia_liaison).status_code == 404
        assert _still_active(fia_liaison)

    def test_cell_head_of_other_district_gets_404(self, make_user, officer_mbdin, login_as):
        dpo_gujrat = make_user("dpo_gujrat", Role.CELL_HEAD, "PK610")
        assert _disable(login_as(dpo_gujrat), officer_mbdin).status_code == 404
        assert _still_active(officer_mbdin)

    def test_district_administrator_gets_404_for_other_agency_user(
        self, district_admin, labour_liaison, login_as
    ):
        assert _disable(login_as(district_admin), labour_liaison).status_code == 404
        assert _still_active(labour_liaison)

    def test_officer_without_user_management_gets_403(self, officer_mbdin, make_user, login_as):
        colleague = make_user("colleague_mbdin")
        assert _disable(login_as(officer_mbdin), colleague).status_code == 403
        assert _still_active(colleague)

    def test_agency_liaison_gets_403(self, fia_liaison, labour_liaison, login_as):
        assert _disable(login_as(fia_liaison), labour_liaison).status_code == 403
        assert _still_active(labour_liaison)

    def test_provincial_administrator_disables_any_organisation_user(
        self, admin_user, labour_liaison, fia_liaison, login_as
    ):
        client = login_as(admin_user)
        assert _disable(client, labour_liaison).status_code == 302
        assert _disable(client, fia_liaison).status_code == 302
        assert not _still_active(labour_liaison)
        assert not _still_active(fia_liaison)

    def test_service_refuses_a_manager_outside_the_organisation(self, dpo_mbdin, labour_liaison):
        with pytest.raises(PermissionDenied):
            user_disable(user=labour_liaison, by=dpo_mbdin, reason="x")
        assert _still_active(labour_liaison)


@pytest.mark.django_db
class TestLists:
    def test_cell_head_lists_only_own_organisation(
        self, dpo_mbdin, officer_mbdin, labour_liaison, login_as
    ):
        page = login_as(dpo_mbdin).get(reverse("cell:users"))
        assert b"officer_mbdin" in page.content
        assert b"labour_liaison" not in page.content

    def test_provincial_administrator_lists_every_organisation(
        self, admin_user, officer_mbdin, labour_liaison, fia_liaison, login_as
    ):
        page = login_as(admin_user).get(reverse("cell:users"))
        for name in (b"officer_mbdin", b"labour_liaison", b"fia_liaison"):
            assert name in page.content

    def test_cell_head_does_not_see_other_agency_members(self, dpo_mbdin, labour_liaison, login_as):
        page = login_as(dpo_mbdin).get(
            reverse("cell:organisation", args=[labour_liaison.organisation.pk])
        )
        assert page.status_code == 200
        assert b"labour_liaison" not in page.content
