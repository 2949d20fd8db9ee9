"""Administration pages end to end (issue 11): organisations and users, with a
test for each permission edge. Refusals: 404 outside scope, 403 (with the
reason on the page) for a rule, each audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from ahtc.accounts.models import (
    AuthenticatorReset,
    Organisation,
    OrganisationKind,
    ResetStatus,
    RoleAssignment,
    User,
)
from ahtc.accounts.roles import Role
from ahtc.accounts.services import authenticator_reset_request, role_grant
from ahtc.core.models import AuditEvent, AuditOutcome
from ahtc.geography.models import Area
from conftest import PASSWORD


def verified_client(user: User, **options: Any) -> Client:
    """A second signed-in, OTP-verified browser (login_as drives only one)."""
    client = Client(**options)
    client.force_login(user, backend="ahtc.accounts.backends.ActiveOrganisationBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    client.cookies["ahtc_lang"] = "en"
    return client


def refused_events() -> int:
    return AuditEvent.objects.filter(outcome=AuditOutcome.REFUSED).count()


@pytest.fixture
def admin2(make_user):
    return make_user("admin2", Role.ADMINISTRATOR, "PK6")


@pytest.fixture
def district_admin(make_user):
    return make_user("admin_mbdin", Role.ADMINISTRATOR, "PK620")


@pytest.fixture
def analyst(make_user):
    return make_user("analyst_mbdin", Role.ANALYST, "PK620")


@pytest.fixture
def dpo_gujrat(make_user):
    return make_user("dpo_gujrat", Role.CELL_HEAD, "PK610")


ORG_FORM = {
    "kind": OrganisationKind.COMMITTEE,
    "name_en": "District Vigilance Committee",
    "name_ur": "",
    "contact_person": "DC office",
    "phone": "",
    "email": "dvc@example.org",
    "address": "Civil lines",
}


@pytest.mark.django_db
class TestOrganisationPages:
    def test_admin_creates_an_organisation_with_served_areas(self, admin_user, login_as):
        client = login_as(admin_user)
        assert client.get(reverse("cell:organisation_new")).status_code == 200
        pk620, pk610 = Area.objects.get(code="PK620"), Area.objects.get(code="PK610")
        data = {**ORG_FORM, "area": pk620.pk, "areas_served": [pk610.pk]}
        response = client.post(reverse("cell:organisation_new"), data)
        org = Organisation.objects.get(name_en="District Vigilance Committee")
        assert response.url == reverse("cell:organisation", args=[org.pk])
        assert list(org.areas_served.all()) == [pk610]
        page = client.get(response.url)
        assert b"DC office" in page.content

    def test_district_admin_cannot_create_in_another_district(self, district_admin, login_as):
        client = login_as(district_admin)
        data = {**ORG_FORM, "area": Area.objects.get(code="PK610").pk}
        page = client.post(reverse("cell:organisation_new"), data)
        assert page.status_code == 200
        assert b"Select a valid choice" in page.content  # not offered at all
        assert b"DC office" in page.content  # what was typed stays
        assert not Organisation.objects.filter(name_en=ORG_FORM["name_en"]).exists()

    @pytest.mark.parametrize("persona", ["officer_mbdin", "dpo_mbdin", "fia_liaison", "analyst"])
    def test_non_administrators_see_read_only(self, request, persona, make_org, login_as):
        org = make_org(kind="ngo", area="PK620")
        client = login_as(request.getfixturevalue(persona))
        page = client.get(reverse("cell:organisation", args=[org.pk]))
        assert page.status_code == 200
        assert reverse("cell:organisation_edit", args=[org.pk]).encode() not in page.content
        assert client.get(reverse("cell:organisation_new")).status_code == 403
        edit = client.post(reverse("cell:organisation_edit", args=[org.pk]), {**ORG_FORM})
        assert edit.status_code == 403
        off = client.post(reverse("cell:organisation_deactivate", args=[org.pk]))
        assert off.status_code == 403
        org.refresh_from_db()
        assert org.is_active
        assert refused_events() >= 3

    def test_district_admin_cannot_edit_a_division_agency(
        self, district_admin, fia_liaison, login_as
    ):
        fia = fia_liaison.organisation
        client = login_as(district_admin)
        assert client.get(reverse("cell:organisation_edit", args=[fia.pk])).status_code == 403

    def test_organisation_of_another_district_is_404(self, district_admin, make_org, login_as):
        org = make_org(kind="ngo", area="PK610")
        client = login_as(district_admin)
        assert client.get(reverse("cell:organisation_edit", args=[org.pk])).status_code == 404

    def test_edit_keeps_input_and_says_why_on_duplicate(self, admin_user, make_org, login_as):
        make_org(kind="ngo", area="PK620", name="Taken")
        org = make_org(kind="ngo", area="PK620", name="Mine")
        data = {**ORG_FORM, "kind": "ngo", "name_en": "Taken", "area": org.area.pk}
        page = login_as(admin_user).post(reverse("cell:organisation_edit", args=[org.pk]), data)
        assert b"already serves this area" in page.content
        assert b'value="Taken"' in page.content

    def test_deactivate_confirms_then_ends_members_sessions(
        self, admin_user, labour_liaison, login_as
    ):
        member = Client()
        member.force_login(
            labour_liaison, backend="ahtc.accounts.backends.ActiveOrganisationBackend"
        )
        org = labour_liaison.organisation
        client = login_as(admin_user)
        confirm = client.get(reverse("cell:organisation_deactivate", args=[org.pk]))
        assert b"Deactivate" in confirm.content
        org.refresh_from_db()
        assert org.is_active
        client.post(reverse("cell:organisation_deactivate", args=[org.pk]), {"reason": "merged"})
        org.refresh_from_db()
        assert not org.is_active
        assert member.get("/cell/").status_code == 302
        client.post(reverse("cell:organisation_reactivate", args=[org.pk]))
        org.refresh_from_db()
        assert org.is_active

    def test_admin_cannot_deactivate_own_organisation(self, admin_user, login_as):
        org = admin_user.organisation
        page = login_as(admin_user).post(reverse("cell:organisation_deactivate", args=[org.pk]))
        assert page.status_code == 403
        assert b"your own organisation" in page.content
        org.refresh_from_db()
        assert org.is_active


def _create_form(org: Organisation, **extra: Any) -> dict[str, Any]:
    return {
        "username": "new_officer",
        "display_name": "New Officer",
        "email": "",
        "organisation": org.pk,
        "role": Role.CELL_OFFICER,
        "area": Area.objects.get(code="PK620").pk,
        "valid_from": "",
        "valid_to": "",
        "password": "",
        **extra,
    }


@pytest.mark.django_db
class TestUserPages:
    def test_cell_head_creates_officer_and_sees_secrets_once(self, dpo_mbdin, login_as):
        client = login_as(dpo_mbdin)
        page = client.post(reverse("cell:user_new"), _create_form(dpo_mbdin.organisation))
        assert page.status_code == 200
        assert "no-store" in page["Cache-Control"]
        user = User.objects.get(username="new_officer")
        assert b"Enrolment code" in page.content
        assert b"/accounts/enrol/code/" in page.content
        assert user.role_assignments.get().role == Role.CELL_OFFICER

    def test_create_with_an_admin_chosen_password(self, dpo_mbdin, login_as):
        data = _create_form(dpo_mbdin.organisation, password="a-long-chosen-password-77")
        page = login_as(dpo_mbdin).post(reverse("cell:user_new"), data)
        assert b"a-long-chosen-password-77" not in page.content
        assert User.objects.get(username="new_officer").check_password("a-long-chosen-password-77")

    def test_weak_password_is_refused_and_input_kept(self, dpo_mbdin, login_as):
        data = _create_form(dpo_mbdin.organisation, password="123")
        page = login_as(dpo_mbdin).post(reverse("cell:user_new"), data)
        assert b"too short" in page.content
        assert b'value="New Officer"' in page.content
        assert not User.objects.filter(username="new_officer").exists()

    def test_cell_head_cannot_grant_administrator_on_create(self, dpo_mbdin, login_as):
        data = _create_form(dpo_mbdin.organisation, role=Role.ADMINISTRATOR)
        page = login_as(dpo_mbdin).post(reverse("cell:user_new"), data)
        assert page.status_code == 403
        assert b"only a role you hold yourself" in page.content
        assert not User.objects.filter(username="new_officer").exists()
        assert refused_events() == 1

    def test_user_page_ladder(self, request, login_as, officer_mbdin, labour_liaison):
        url = reverse("cell:user", args=[officer_mbdin.pk])
        for persona, status in [
            ("officer_gujrat", 403),
            ("fia_liaison", 403),
            ("analyst", 403),
            ("provincial_monitor", 403),
            ("dpo_gujrat", 404),
            ("dpo_mbdin", 200),
            ("admin_user", 200),
        ]:
            client = login_as(request.getfixturevalue(persona))
            assert client.get(url).status_code == status, persona
        other = reverse("cell:user", args=[labour_liaison.pk])
        assert login_as(request.getfixturevalue("dpo_mbdin")).get(other).status_code == 404

    def test_grant_and_revoke_from_the_user_page(self, dpo_mbdin, officer_mbdin, login_as):
        client = login_as(dpo_mbdin)
        data = {
            "role": Role.INVESTIGATING_OFFICER,
            "area": Area.objects.get(code="PK620").pk,
            "valid_from": "",
            "valid_to": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        }
        client.post(reverse("cell:user_role_add", args=[officer_mbdin.pk]), data)
        granted = officer_mbdin.role_assignments.get(role=Role.INVESTIGATING_OFFICER)
        assert granted.valid_to == timezone.localdate() + dt.timedelta(days=30)
        assert granted.granted_by == dpo_mbdin
        url = reverse("cell:user_role_revoke", args=[officer_mbdin.pk, granted.pk])
        client.post(url)
        assert not RoleAssignment.objects.filter(pk=granted.pk).exists()

    def test_grant_outside_area_is_refused_with_input_kept(
        self, dpo_mbdin, officer_mbdin, login_as
    ):
        data = {"role": Role.ANALYST, "area": Area.objects.get(code="PK610").pk}
        page = login_as(dpo_mbdin).post(
            reverse("cell:user_role_add", args=[officer_mbdin.pk]), data
        )
        assert b"Select a valid choice" in page.content
        assert not officer_mbdin.role_assignments.filter(role=Role.ANALYST).exists()

    def test_grant_to_own_account_is_refused(self, dpo_mbdin, login_as):
        data = {"role": Role.ANALYST, "area": Area.objects.get(code="PK620").pk}
        page = login_as(dpo_mbdin).post(reverse("cell:user_role_add", args=[dpo_mbdin.pk]), data)
        assert page.status_code == 403
        assert b"your own roles" in page.content
        assert refused_events() == 1

    def test_revoking_own_role_is_refused(self, dpo_mbdin, login_as):
        own = dpo_mbdin.role_assignments.get()
        url = reverse("cell:user_role_revoke", args=[dpo_mbdin.pk, own.pk])
        assert login_as(dpo_mbdin).post(url).status_code == 403
        assert RoleAssignment.objects.filter(pk=own.pk).exists()

    def test_cell_head_cannot_act_on_another_agency_user(self, dpo_mbdin, labour_liaison, login_as):
        client = login_as(dpo_mbdin)
        pk = labour_liaison.pk
        for name in (
            "user_edit",
            "user_disable",
            "user_password",
            "user_role_add",
            "reset_request",
        ):
            assert client.post(reverse(f"cell:{name}", args=[pk]), {}).status_code == 404, name
        labour_liaison.refresh_from_db()
        assert labour_liaison.is_active
        assert refused_events() == 5

    def test_edit_name_but_not_organisation_as_cell_head(self, dpo_mbdin, officer_mbdin, login_as):
        client = login_as(dpo_mbdin)
        page = client.get(reverse("cell:user_edit", args=[officer_mbdin.pk]))
        assert b'name="organisation"' not in page.content
        data = {"display_name": "Renamed", "email": "o@example.org", "organisation": 999}
        client.post(reverse("cell:user_edit", args=[officer_mbdin.pk]), data)
        officer_mbdin.refresh_from_db()
        assert officer_mbdin.display_name == "Renamed"
        assert officer_mbdin.organisation.kind == OrganisationKind.POLICE_AHTC

    def test_provincial_admin_moves_a_user(self, admin_user, officer_mbdin, make_org, login_as):
        ngo = make_org(kind="ngo", area="PK620")
        data = {"display_name": "x", "email": "", "organisation": ngo.pk}
        login_as(admin_user).post(reverse("cell:user_edit", args=[officer_mbdin.pk]), data)
        officer_mbdin.refresh_from_db()
        assert officer_mbdin.organisation == ngo

    def test_disable_confirm_then_enable(self, dpo_mbdin, officer_mbdin, login_as):
        client = login_as(dpo_mbdin)
        client.post(reverse("cell:user_disable", args=[officer_mbdin.pk]), {"reason": "left"})
        officer_mbdin.refresh_from_db()
        assert not officer_mbdin.is_active
        assert b"Enable again" in client.get(reverse("cell:user", args=[officer_mbdin.pk])).content
        client.post(reverse("cell:user_enable", args=[officer_mbdin.pk]))
        officer_mbdin.refresh_from_db()
        assert officer_mbdin.is_active

    def test_disable_own_account_is_refused(self, dpo_mbdin, login_as):
        page = login_as(dpo_mbdin).post(reverse("cell:user_disable", args=[dpo_mbdin.pk]))
        assert page.status_code == 403
        dpo_mbdin.refresh_from_db()
        assert dpo_mbdin.is_active

    def test_password_reset_keeps_the_device_and_ends_sessions(
        self, dpo_mbdin, officer_mbdin, login_as
    ):
        officer = Client()
        officer.force_login(
            officer_mbdin, backend="ahtc.accounts.backends.ActiveOrganisationBackend"
        )
        page = login_as(dpo_mbdin).post(reverse("cell:user_password", args=[officer_mbdin.pk]))
        assert b"New password for officer_mbdin" in page.content
        officer_mbdin.refresh_from_db()
        assert not officer_mbdin.check_password(PASSWORD)
        assert TOTPDevice.objects.filter(user=officer_mbdin, confirmed=True).exists()
        assert officer.get("/cell/").status_code == 302

    def test_sessions_are_listed_without_addresses_and_ended(
        self, dpo_mbdin, officer_mbdin, login_as
    ):
        officer = Client(HTTP_USER_AGENT="Mozilla/5.0 Firefox/128.0", REMOTE_ADDR="10.9.8.7")
        officer.cookies["ahtc_lang"] = "en"
        from conftest import current_code

        data = {"username": "officer_mbdin", "password": PASSWORD}
        officer.post(
            reverse("accounts:login"), {**data, "otp_token": current_code("officer_mbdin")}
        )
        client = login_as(dpo_mbdin)
        page = client.get(reverse("cell:user_sessions", args=[officer_mbdin.pk]))
        assert b"Firefox" in page.content
        assert b"10.9.8.7" not in page.content
        client.post(reverse("cell:user_sessions", args=[officer_mbdin.pk]), {"confirm": "yes"})
        assert officer.get("/cell/").status_code == 302
        page = client.get(reverse("cell:user_sessions", args=[officer_mbdin.pk]))
        assert b"No open session" in page.content

    def test_enrolment_code_page(self, dpo_mbdin, make_user, login_as):
        newcomer = make_user("newcomer", enrolled=False)
        page = login_as(dpo_mbdin).post(reverse("cell:user_enrolment", args=[newcomer.pk]))
        assert b"/accounts/enrol/code/" in page.content
        assert newcomer.enrolment_codes.count() == 1

    def test_changes_need_csrf(self, dpo_mbdin, officer_mbdin):
        client = verified_client(dpo_mbdin, enforce_csrf_checks=True)
        url = reverse("cell:user_disable", args=[officer_mbdin.pk])
        assert client.post(url).status_code == 403
        officer_mbdin.refresh_from_db()
        assert officer_mbdin.is_active

    def test_users_list_query_count_is_flat(
        self, admin_user, make_user, login_as, django_assert_max_num_queries
    ):
        for n in range(15):
            make_user(f"extra{n}")
        client = login_as(admin_user)
        with django_assert_max_num_queries(16):
            assert client.get(reverse("cell:users")).status_code == 200


@pytest.mark.django_db
class TestAuthenticatorResetPages:
    def test_two_administrators_reset_a_lost_authenticator(
        self, admin_user, admin2, officer_mbdin, login_as
    ):
        first = login_as(admin_user)
        first.post(reverse("cell:reset_request", args=[officer_mbdin.pk]), {"reason": "lost phone"})
        reset = AuthenticatorReset.objects.get(user=officer_mbdin)
        second = verified_client(admin2)
        home = second.get(reverse("cell:home"))
        assert b"waits for a second administrator" in home.content
        page = second.post(reverse("cell:reset_decide", args=[reset.pk]), {"decision": "approve"})
        assert b"/accounts/enrol/code/" in page.content
        assert not TOTPDevice.objects.filter(user=officer_mbdin).exists()

    def test_requester_cannot_approve_own_request(self, admin_user, officer_mbdin, login_as):
        reset = authenticator_reset_request(user=officer_mbdin, by=admin_user, reason="lost")
        client = login_as(admin_user)
        page = client.get(reverse("cell:reset_decide", args=[reset.pk]))
        assert b"Approve the reset" not in page.content
        page = client.post(reverse("cell:reset_decide", args=[reset.pk]), {"decision": "approve"})
        assert page.status_code == 403
        assert b"A different administrator must approve" in page.content
        assert TOTPDevice.objects.filter(user=officer_mbdin, confirmed=True).exists()
        reset.refresh_from_db()
        assert reset.status == ResetStatus.PENDING
        assert refused_events() == 1

    def test_reset_of_another_agency_user_is_404_for_cell_head(
        self, admin_user, dpo_mbdin, labour_liaison, login_as
    ):
        reset = authenticator_reset_request(user=labour_liaison, by=admin_user, reason="lost")
        client = login_as(dpo_mbdin)
        url = reverse("cell:reset_decide", args=[reset.pk])
        assert client.post(url, {"decision": "approve"}).status_code == 404

    def test_officer_cannot_see_resets(self, officer_mbdin, login_as):
        assert login_as(officer_mbdin).get(reverse("cell:resets")).status_code == 403


@pytest.mark.django_db
class TestOverview:
    def test_admin_sees_stranded_members_and_expiring_roles(
        self, admin_user, labour_liaison, officer_mbdin, login_as
    ):
        org = labour_liaison.organisation
        org.is_active = False
        org.save()
        ends = timezone.localdate() + dt.timedelta(days=5)
        role_grant(
            user=officer_mbdin,
            role=Role.ANALYST,
            area=Area.objects.get(code="PK620"),
            valid_to=ends,
        )
        page = login_as(admin_user).get(reverse("cell:home"))
        assert b"1 active user belongs to a deactivated organisation" in page.content
        assert b"1 role ends within 14 days" in page.content

    def test_officer_sees_no_administration_work(self, officer_mbdin, login_as):
        page = login_as(officer_mbdin).get(reverse("cell:home"))
        assert b"deactivated organisation" not in page.content
