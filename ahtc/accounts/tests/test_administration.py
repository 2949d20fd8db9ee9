"""Administration services (issue 11): organisations, grants and their scope
rules, time-bound roles, enrolment codes and the two-person authenticator reset."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from ahtc.accounts.models import AuthenticatorReset, EnrolmentCode, OrganisationKind, ResetStatus
from ahtc.accounts.roles import Role
from ahtc.accounts.selectors import (
    administration_waiting,
    organisations_for_user,
    user_has_current_role,
    user_may_authenticate,
    user_scope,
)
from ahtc.accounts.services import (
    authenticator_reset_approve,
    authenticator_reset_cancel,
    authenticator_reset_request,
    enrolment_code_use,
    enrolment_issue,
    enrolment_link,
    organisation_create,
    organisation_deactivate,
    organisation_reactivate,
    organisation_update,
    role_grant,
    role_revoke,
    user_create_with_role,
    user_disable,
    user_password_reset,
    user_update,
)
from ahtc.core.errors import RuleError
from ahtc.core.models import AuditAction, AuditEvent
from ahtc.geography.models import Area
from conftest import PASSWORD


def area(code: str) -> Area:
    return Area.objects.get(code=code)


@pytest.fixture
def admin2(make_user):
    return make_user("admin2", Role.ADMINISTRATOR, "PK6")


@pytest.fixture
def district_admin(make_user):
    return make_user("admin_mbdin", Role.ADMINISTRATOR, "PK620")


@pytest.mark.django_db
class TestOrganisations:
    def test_committee_kind_and_contact_fields(self, admin_user):
        org = organisation_create(
            kind=OrganisationKind.COMMITTEE,
            name_en="District Vigilance Committee, Mandi Bahauddin",
            area=area("PK620"),
            contact_person="Deputy Commissioner's office",
            email="dvc@example.org",
            address="DC office",
            by=admin_user,
        )
        assert org.get_kind_display() == "District vigilance committee"
        assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(org.pk)).exists()

    def test_areas_served_make_it_visible_in_those_districts(self, officer_gujrat, make_org):
        circle = make_org(kind=OrganisationKind.FIA, area="PK620", name="FIA circle")
        assert circle not in organisations_for_user(officer_gujrat)
        organisation_update(organisation=circle, by=None, areas_served=[area("PK610")])
        assert list(organisations_for_user(officer_gujrat).filter(pk=circle.pk)) == [circle]

    def test_served_areas_do_not_repeat_rows(self, officer_mbdin, make_org):
        circle = make_org(kind=OrganisationKind.FIA, area="PK6", name="FIA circle")
        circle.areas_served.set([area("PK620"), area("PK6DV03")])
        assert organisations_for_user(officer_mbdin).filter(pk=circle.pk).count() == 1

    def test_district_admin_cannot_create_outside_scope(self, district_admin):
        with pytest.raises(RuleError) as caught:
            organisation_create(kind="ngo", name_en="NGO", area=area("PK610"), by=district_admin)
        assert caught.value.refusal

    def test_district_admin_cannot_serve_area_outside_scope(self, district_admin, make_org):
        ngo = make_org(kind="ngo", area="PK620")
        with pytest.raises(RuleError):
            organisation_update(organisation=ngo, by=district_admin, areas_served=[area("PK610")])
        assert not ngo.areas_served.exists()

    def test_cell_head_holds_no_reference_permission(self, dpo_mbdin, make_org):
        ngo = make_org(kind="ngo", area="PK620")
        with pytest.raises(RuleError):
            organisation_update(organisation=ngo, by=dpo_mbdin, phone="0546-000")

    def test_update_audits_names_of_changed_fields_only(self, admin_user, make_org):
        ngo = make_org(kind="ngo", area="PK620")
        changed = organisation_update(organisation=ngo, by=admin_user, phone="0546-111")
        assert changed == ["phone"]
        event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(ngo.pk))
        assert event.reason == "changed: phone"

    def test_duplicate_name_is_refused(self, make_org):
        make_org(kind="ngo", area="PK620", name="Same")
        with pytest.raises(ValidationError):
            organisation_create(kind="ngo", name_en="Same", area=area("PK620"))

    def test_deactivation_stops_members_and_reactivation_restores(self, admin_user, labour_liaison):
        org = labour_liaison.organisation
        assert organisation_deactivate(organisation=org, by=admin_user, reason="merged") == 1
        labour_liaison.refresh_from_db()
        assert not user_may_authenticate(labour_liaison)
        organisation_reactivate(organisation=org, by=admin_user)
        labour_liaison.refresh_from_db()
        assert user_may_authenticate(labour_liaison)

    def test_nobody_deactivates_their_own_organisation(self, admin_user):
        with pytest.raises(RuleError):
            organisation_deactivate(organisation=admin_user.organisation, by=admin_user)
        admin_user.organisation.refresh_from_db()
        assert admin_user.organisation.is_active


@pytest.mark.django_db
class TestGrants:
    def test_cell_head_grants_officer_role_in_own_district(self, dpo_mbdin, make_user):
        new = make_user("new_officer", role=None)
        role_grant(user=new, role=Role.CELL_OFFICER, area=area("PK620"), by=dpo_mbdin)
        assert Role.CELL_OFFICER in user_scope(new).roles

    def test_cell_head_cannot_grant_administrator(self, dpo_mbdin, make_user):
        new = make_user("new_officer", role=None)
        with pytest.raises(RuleError) as caught:
            role_grant(user=new, role=Role.ADMINISTRATOR, area=area("PK620"), by=dpo_mbdin)
        assert caught.value.refusal == "role not held by the manager"

    def test_district_admin_cannot_grant_a_role_not_held(self, district_admin, make_user):
        new = make_user("clerk", role=None)
        with pytest.raises(RuleError):
            role_grant(user=new, role=Role.CELL_HEAD, area=area("PK620"), by=district_admin)

    def test_nobody_grants_outside_their_area(self, dpo_mbdin, make_user):
        new = make_user("new_officer", role=None)
        with pytest.raises(RuleError) as caught:
            role_grant(user=new, role=Role.CELL_OFFICER, area=area("PK610"), by=dpo_mbdin)
        assert caught.value.refusal == "area outside the manager's scope"

    def test_division_grant_above_a_district_head_is_refused(self, dpo_mbdin, make_user):
        new = make_user("new_officer", role=None)
        with pytest.raises(RuleError):
            role_grant(user=new, role=Role.CELL_HEAD, area=area("PK6DV03"), by=dpo_mbdin)

    def test_nobody_grants_to_themselves(self, dpo_mbdin):
        with pytest.raises(RuleError) as caught:
            role_grant(user=dpo_mbdin, role=Role.ANALYST, area=area("PK620"), by=dpo_mbdin)
        assert caught.value.refusal == "own account"

    def test_cell_head_cannot_grant_to_another_agency(self, dpo_mbdin, labour_liaison):
        with pytest.raises(RuleError) as caught:
            role_grant(user=labour_liaison, role=Role.ANALYST, area=area("PK620"), by=dpo_mbdin)
        assert caught.value.refusal == "outside the user's scope"

    def test_provincial_admin_grants_any_role_anywhere(self, admin_user, fia_liaison):
        role_grant(user=fia_liaison, role=Role.PROSECUTOR, area=area("PK6DV03"), by=admin_user)
        assert Role.PROSECUTOR in user_scope(fia_liaison).roles

    def test_role_not_allowed_at_level(self, admin_user, officer_mbdin):
        with pytest.raises(ValidationError):
            role_grant(user=officer_mbdin, role=Role.CELL_OFFICER, area=area("PK6"), by=admin_user)

    def test_revoke_follows_the_grant_rules(self, dpo_mbdin, make_user, admin_user):
        user = make_user("someone", role=None)
        assignment = role_grant(user=user, role=Role.ADMINISTRATOR, area=area("PK620"))
        with pytest.raises(RuleError):
            role_revoke(assignment=assignment, by=dpo_mbdin)
        role_revoke(assignment=assignment, by=admin_user)
        assert not user.role_assignments.exists()

    def test_dates_out_of_order_are_refused(self, officer_mbdin):
        with pytest.raises(ValidationError):
            role_grant(
                user=officer_mbdin,
                role=Role.ANALYST,
                area=area("PK620"),
                valid_from=dt.date(2026, 5, 1),
                valid_to=dt.date(2026, 4, 1),
            )


@pytest.mark.django_db
class TestTimeBoundRoles:
    def _user(self, make_user):
        user = make_user("temp", role=None)
        role_grant(
            user=user,
            role=Role.ANALYST,
            area=area("PK620"),
            valid_from=dt.date(2026, 3, 1),
            valid_to=dt.date(2026, 3, 31),
        )
        return user

    @pytest.mark.parametrize(
        ("day", "current"),
        [("2026-02-28", False), ("2026-03-01", True), ("2026-03-31", True), ("2026-04-01", False)],
    )
    def test_role_counts_only_between_its_dates(self, make_user, day, current):
        user = self._user(make_user)
        with time_machine.travel(dt.datetime.fromisoformat(f"{day}T12:00+05:00"), tick=False):
            user = type(user).objects.get(pk=user.pk)  # no cached scope
            assert bool(user_scope(user).roles) is current
            assert user_has_current_role(user) is current

    def test_scope_is_one_query(self, make_user, django_assert_num_queries):
        user = self._user(make_user)
        fresh = type(user).objects.get(pk=user.pk)
        with django_assert_num_queries(1):
            user_scope(fresh)

    def test_overview_counts_roles_ending_soon(self, dpo_mbdin, make_user):
        officer = make_user("leaving", role=None)
        soon = timezone.localdate() + dt.timedelta(days=10)
        role_grant(user=officer, role=Role.CELL_OFFICER, area=area("PK620"), valid_to=soon)
        assert administration_waiting(dpo_mbdin)["roles_expiring"] == 1


@pytest.mark.django_db
class TestUsers:
    def test_create_with_role_gives_password_and_enrolment_code(self, dpo_mbdin):
        user, password, code = user_create_with_role(
            username="new_officer",
            organisation=dpo_mbdin.organisation,
            role=Role.CELL_OFFICER,
            area=area("PK620"),
            by=dpo_mbdin,
        )
        assert user.check_password(password)
        assert len(password) >= 16
        assert EnrolmentCode.objects.get(user=user).code_hash != code
        assert enrolment_link(code).endswith(f"/enrol/code/{code}/")

    def test_cell_head_cannot_create_in_another_agency(self, dpo_mbdin, labour_liaison):
        with pytest.raises(RuleError):
            user_create_with_role(
                username="intruder",
                organisation=labour_liaison.organisation,
                role=Role.CELL_OFFICER,
                area=area("PK620"),
                by=dpo_mbdin,
            )
        assert not type(dpo_mbdin).objects.filter(username="intruder").exists()

    def test_only_provincial_admin_moves_users(
        self, dpo_mbdin, officer_mbdin, admin_user, make_org
    ):
        other = make_org(kind="ngo", area="PK620")
        with pytest.raises(RuleError):
            user_update(
                user=officer_mbdin, by=dpo_mbdin, display_name="x", email="", organisation=other
            )
        user_update(
            user=officer_mbdin, by=admin_user, display_name="x", email="", organisation=other
        )
        officer_mbdin.refresh_from_db()
        assert officer_mbdin.organisation == other

    def test_password_reset_keeps_the_authenticator(self, dpo_mbdin, officer_mbdin):
        password = user_password_reset(user=officer_mbdin, by=dpo_mbdin)
        officer_mbdin.refresh_from_db()
        assert officer_mbdin.check_password(password)
        assert not officer_mbdin.check_password(PASSWORD)
        assert TOTPDevice.objects.filter(user=officer_mbdin, confirmed=True).exists()

    def test_password_reset_of_own_account_is_refused(self, dpo_mbdin):
        with pytest.raises(RuleError):
            user_password_reset(user=dpo_mbdin, by=dpo_mbdin)

    def test_nobody_disables_themselves(self, dpo_mbdin):
        with pytest.raises(RuleError):
            user_disable(user=dpo_mbdin, by=dpo_mbdin)
        dpo_mbdin.refresh_from_db()
        assert dpo_mbdin.is_active


@pytest.mark.django_db
class TestEnrolmentCodes:
    def test_code_is_single_use(self, make_user):
        user = make_user("newcomer", enrolled=False)
        code = enrolment_issue(user=user)
        assert enrolment_code_use(user=user, code=code)
        assert not enrolment_code_use(user=user, code=code)

    def test_code_is_forgiving_about_case_and_dashes(self, make_user):
        user = make_user("newcomer", enrolled=False)
        code = enrolment_issue(user=user)
        assert enrolment_code_use(user=user, code=code.lower().replace("-", " "))

    def test_new_code_voids_older_ones(self, make_user):
        user = make_user("newcomer", enrolled=False)
        old = enrolment_issue(user=user)
        new = enrolment_issue(user=user)
        assert not enrolment_code_use(user=user, code=old)
        assert enrolment_code_use(user=user, code=new)

    def test_code_expires(self, make_user):
        user = make_user("newcomer", enrolled=False)
        code = enrolment_issue(user=user, valid_hours=1)
        later = timezone.now() + dt.timedelta(hours=2)
        with time_machine.travel(later, tick=False):
            assert not enrolment_code_use(user=user, code=code)

    def test_code_of_another_user_does_not_work(self, make_user):
        one = make_user("one", enrolled=False)
        two = make_user("two", enrolled=False)
        assert not enrolment_code_use(user=two, code=enrolment_issue(user=one))

    def test_only_the_hash_is_stored(self, make_user):
        user = make_user("newcomer", enrolled=False)
        code = enrolment_issue(user=user)
        row = EnrolmentCode.objects.get(user=user)
        assert code not in row.code_hash
        assert not any(code in e.reason for e in AuditEvent.objects.all())

    def test_manager_of_another_agency_cannot_issue(self, dpo_mbdin, labour_liaison):
        with pytest.raises(RuleError):
            enrolment_issue(user=labour_liaison, by=dpo_mbdin)


@pytest.mark.django_db
class TestAuthenticatorReset:
    def test_second_admin_approves_and_user_must_enrol_again(
        self, admin_user, admin2, officer_mbdin
    ):
        reset = authenticator_reset_request(user=officer_mbdin, by=admin_user, reason="lost phone")
        code = authenticator_reset_approve(reset=reset, by=admin2)
        assert not TOTPDevice.objects.filter(user=officer_mbdin).exists()
        assert enrolment_code_use(user=officer_mbdin, code=code)
        reset.refresh_from_db()
        assert (reset.status, reset.decided_by) == (ResetStatus.APPROVED, admin2)

    def test_requester_cannot_approve_own_request(self, admin_user, officer_mbdin):
        reset = authenticator_reset_request(user=officer_mbdin, by=admin_user, reason="lost phone")
        with pytest.raises(RuleError) as caught:
            authenticator_reset_approve(reset=reset, by=admin_user)
        assert "requester" in caught.value.refusal
        assert TOTPDevice.objects.filter(user=officer_mbdin, confirmed=True).exists()

    def test_approval_after_48_hours_is_refused(self, admin_user, admin2, officer_mbdin):
        reset = authenticator_reset_request(user=officer_mbdin, by=admin_user, reason="lost phone")
        later = timezone.now() + dt.timedelta(hours=49)
        with time_machine.travel(later, tick=False), pytest.raises(RuleError):
            authenticator_reset_approve(reset=reset, by=admin2)
        assert TOTPDevice.objects.filter(user=officer_mbdin, confirmed=True).exists()

    def test_one_open_request_per_user(self, admin_user, admin2, officer_mbdin):
        authenticator_reset_request(user=officer_mbdin, by=admin_user, reason="lost phone")
        with pytest.raises(RuleError):
            authenticator_reset_request(user=officer_mbdin, by=admin2, reason="again")

    def test_a_stale_request_does_not_block_a_new_one(self, admin_user, officer_mbdin):
        authenticator_reset_request(user=officer_mbdin, by=admin_user, reason="lost phone")
        with time_machine.travel(timezone.now() + dt.timedelta(hours=49), tick=False):
            authenticator_reset_request(user=officer_mbdin, by=admin_user, reason="still lost")
        assert AuthenticatorReset.objects.filter(status=ResetStatus.PENDING).count() == 1

    def test_requester_may_cancel(self, admin_user, officer_mbdin):
        reset = authenticator_reset_request(user=officer_mbdin, by=admin_user, reason="found it")
        authenticator_reset_cancel(reset=reset, by=admin_user)
        reset.refresh_from_db()
        assert reset.status == ResetStatus.CANCELLED

    def test_cell_head_cannot_approve_for_another_agency(
        self, admin_user, dpo_mbdin, labour_liaison
    ):
        reset = authenticator_reset_request(user=labour_liaison, by=admin_user, reason="lost")
        with pytest.raises(RuleError):
            authenticator_reset_approve(reset=reset, by=dpo_mbdin)

    def test_overview_shows_waiting_reset_to_the_other_admin_only(
        self, admin_user, admin2, officer_mbdin
    ):
        authenticator_reset_request(user=officer_mbdin, by=admin_user, reason="lost phone")
        assert administration_waiting(admin2)["resets_waiting"] == 1
        assert administration_waiting(admin_user)["resets_waiting"] == 0

    def test_no_one_asks_for_their_own_reset(self, admin_user):
        with pytest.raises(RuleError):
            authenticator_reset_request(user=admin_user, by=admin_user, reason="mine")
