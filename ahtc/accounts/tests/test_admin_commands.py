"""`ahtc orgs ...` and `ahtc users ...` (issue 11): each change audited with no
actor (the command line); bad input is one clear line, never a traceback."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from ahtc.accounts.models import Organisation, RoleAssignment, User
from ahtc.accounts.roles import Role
from ahtc.accounts.services import enrolment_code_use
from ahtc.cli import main
from ahtc.core.models import AuditAction, AuditEvent
from conftest import PASSWORD


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def command_line_events(action: str) -> int:
    return AuditEvent.objects.filter(action=action, actor__isnull=True).count()


@pytest.mark.django_db
class TestOrgs:
    def test_create_list_update_deactivate_reactivate(self):
        out = run(
            "orgs",
            "create",
            "--kind",
            "fia",
            "--name",
            "FIA circle",
            "--area",
            "PK6DV03",
            "--serves",
            "PK620,PK610",
            "--email",
            "fia@example.org",
        )
        org = Organisation.objects.get(name_en="FIA circle")
        assert f"created organisation {org.pk}" in out
        assert sorted(a.code for a in org.areas_served.all()) == ["PK610", "PK620"]
        assert "FIA circle" in run("orgs", "list", "--area", "PK6")
        assert "phone changed" in run("orgs", "update", str(org.pk), "--phone", "042-1")
        run("orgs", "deactivate", "FIA circle", "--reason", "merged")
        org.refresh_from_db()
        assert not org.is_active
        run("orgs", "reactivate", str(org.pk))
        org.refresh_from_db()
        assert org.is_active
        assert command_line_events(AuditAction.CREATE) == 1
        assert command_line_events(AuditAction.DISABLE) == 1

    def test_update_can_clear_served_areas(self, make_org):
        org = make_org(kind="fia", area="PK6DV03")
        run("orgs", "update", str(org.pk), "--serves", "PK620")
        run("orgs", "update", str(org.pk), "--serves", "")
        assert not org.areas_served.exists()

    def test_unknown_area_code_is_a_clear_error(self):
        with pytest.raises(CommandError, match="no current area has the code 'PK999'"):
            run("orgs", "create", "--kind", "ngo", "--name", "X", "--area", "PK999")

    def test_unknown_organisation_is_a_clear_error(self):
        with pytest.raises(CommandError, match="no single organisation"):
            run("orgs", "deactivate", "Nobody")

    def test_duplicate_is_a_clear_error(self, make_org):
        make_org(kind="ngo", area="PK620", name="Dup")
        with pytest.raises(CommandError, match="already serves this area"):
            run("orgs", "create", "--kind", "ngo", "--name", "Dup", "--area", "PK620")


@pytest.mark.django_db
class TestUsers:
    def test_create_prints_password_and_enrolment_code(self, make_org):
        org = make_org()
        out = run(
            "users",
            "create",
            "new_officer",
            "--organisation",
            str(org.pk),
            "--role",
            "cell_officer",
            "--area",
            "PK620",
            "--to",
            "2030-12-31",
            "--base-url",
            "https://ahtc.example.org",
        )
        user = User.objects.get(username="new_officer")
        code = out.split("enrolment code (one use): ")[1].split()[0]
        assert "https://ahtc.example.org/accounts/enrol/code/" in out
        assert str(RoleAssignment.objects.get(user=user).valid_to) == "2030-12-31"
        assert enrolment_code_use(user=user, code=code)

    def test_grant_revoke_disable_enable(self, officer_mbdin):
        grants = command_line_events(AuditAction.GRANT)
        run("users", "grant", "officer_mbdin", "--role", "analyst", "--area", "PK620")
        assert officer_mbdin.role_assignments.filter(role=Role.ANALYST).exists()
        run("users", "revoke", "officer_mbdin", "--role", "analyst", "--area", "PK620")
        assert not officer_mbdin.role_assignments.filter(role=Role.ANALYST).exists()
        run("users", "disable", "officer_mbdin")
        officer_mbdin.refresh_from_db()
        assert not officer_mbdin.is_active
        run("users", "enable", "officer_mbdin")
        officer_mbdin.refresh_from_db()
        assert officer_mbdin.is_active
        assert command_line_events(AuditAction.GRANT) == grants + 1
        assert command_line_events(AuditAction.REVOKE) == 1

    def test_role_not_allowed_at_that_level(self, officer_mbdin):
        with pytest.raises(CommandError, match="cannot be held in a province"):
            run("users", "grant", "officer_mbdin", "--role", "cell_officer", "--area", "PK6")

    def test_bad_date_is_a_clear_error(self, officer_mbdin):
        with pytest.raises(CommandError, match="not a date"):
            run(
                "users",
                "grant",
                "officer_mbdin",
                "--role",
                "analyst",
                "--area",
                "PK620",
                "--to",
                "31/12/2030",
            )

    def test_revoke_of_a_role_not_held(self, officer_mbdin):
        with pytest.raises(CommandError, match="does not hold analyst in PK620"):
            run("users", "revoke", "officer_mbdin", "--role", "analyst", "--area", "PK620")

    def test_unknown_user(self):
        with pytest.raises(CommandError, match="no user is called 'ghost'"):
            run("users", "disable", "ghost")

    def test_reset_password_keeps_the_authenticator(self, officer_mbdin):
        out = run("users", "reset-password", "officer_mbdin")
        officer_mbdin.refresh_from_db()
        assert not officer_mbdin.check_password(PASSWORD)
        assert officer_mbdin.check_password(out.split("(give privately): ")[1].split()[0])
        assert TOTPDevice.objects.filter(user=officer_mbdin, confirmed=True).exists()

    def test_enrolment_code_sessions_and_end_sessions(self, make_user, officer_mbdin, client):
        newcomer = make_user("newcomer", enrolled=False)
        out = run("users", "enrolment-code", "newcomer", "--hours", "24")
        code = out.split("enrolment code (one use): ")[1].split()[0]
        assert enrolment_code_use(user=newcomer, code=code)
        client.force_login(
            officer_mbdin, backend="ahtc.accounts.backends.ActiveOrganisationBackend"
        )
        assert "session" in run("users", "sessions", "officer_mbdin")
        assert "1 sessions ended" in run("users", "end-sessions", "officer_mbdin")
        assert "no open session" in run("users", "sessions", "officer_mbdin")

    def test_list(self, officer_mbdin, labour_liaison):
        out = run("users", "list", "--area", "PK620")
        assert "officer_mbdin" in out
        assert "cell_officer@PK620" in out


@pytest.mark.django_db
def test_cli_passes_orgs_and_users_through(capsys, officer_mbdin):
    assert main(["users", "list"]) == 0
    assert "officer_mbdin" in capsys.readouterr().out


@pytest.mark.django_db
def test_createuser_prints_an_enrolment_link(make_org):
    org = make_org()
    out = run(
        "createuser",
        "new_head",
        "--organisation",
        str(org.pk),
        "--role",
        "cell_head",
        "--area",
        "PK620",
    )
    assert "/accounts/enrol/code/" in out
    assert "enrolment code (one use, 72 hours): " in out
