"""`ahtc users ...`: accounts from the command line. Every change is audited
with no actor (the command line). Passwords and enrolment codes are printed
once and never stored in clear."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ahtc.accounts.management.lookup import (
    area_by_code,
    date_arg,
    organisation_by_ref,
    service_errors,
    table,
    user_by_username,
)
from ahtc.accounts.models import RoleAssignment, User
from ahtc.accounts.roles import Role
from ahtc.accounts.services import (
    enrolment_issue,
    enrolment_link,
    role_grant,
    role_revoke,
    user_create_with_role,
    user_disable,
    user_enable,
    user_password_reset,
    user_sessions_terminate,
)
from ahtc.accounts.sessions import sessions_of


def _role_options(parser: CommandParser, *, dates: bool = True) -> None:
    parser.add_argument("--role", required=True, choices=Role.values)
    parser.add_argument("--area", required=True, help="area code, e.g. PK620")
    if dates:
        parser.add_argument("--from", dest="valid_from", type=date_arg, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="valid_to", type=date_arg, help="last day, YYYY-MM-DD")


def _base_url(parser: CommandParser) -> None:
    parser.add_argument("--base-url", default="", help="site address, to print a full link")


def _one_user(sub: Any, name: str, help_text: str) -> CommandParser:
    parser: CommandParser = sub.add_parser(name, help=help_text)
    parser.add_argument("username")
    return parser


class Command(BaseCommand):
    help = "List, create and manage staff accounts, their roles and sessions."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="accounts and their roles")
        listing.add_argument("--organisation", help="organisation id or exact English name")
        listing.add_argument("--area", help="only organisations within this area")
        create = _one_user(sub, "create", "an account with one role and an enrolment code")
        create.add_argument("--organisation", required=True, help="id or exact English name")
        _role_options(create)
        create.add_argument("--name", default="", help="name shown to colleagues")
        create.add_argument("--email", default="")
        _base_url(create)
        _role_options(_one_user(sub, "grant", "grant a role (again: sets its dates)"))
        _role_options(_one_user(sub, "revoke", "revoke a role"), dates=False)
        _one_user(sub, "disable", "sign out and block").add_argument("--reason", default="")
        _one_user(sub, "enable", "allow to sign in again")
        _one_user(sub, "reset-password", "a new password; the authenticator stays")
        code = _one_user(sub, "enrolment-code", "a one-time code to enrol an authenticator")
        code.add_argument("--hours", type=int, default=72, help="valid for (default 72)")
        _base_url(code)
        _one_user(sub, "sessions", "open sessions")
        _one_user(sub, "end-sessions", "end every open session")

    def handle(self, *args: Any, **options: Any) -> None:
        self.base_url = str(options.get("base_url") or "").rstrip("/")
        handler = getattr(self, "_" + options["action"].replace("-", "_"))
        with service_errors():
            handler(options)

    def _list(self, options: dict[str, Any]) -> None:
        rows = User.objects.select_related("organisation__area").order_by("username")
        if options["organisation"]:
            rows = rows.filter(organisation=organisation_by_ref(options["organisation"]))
        if options["area"]:
            path = area_by_code(options["area"]).path
            rows = rows.filter(organisation__area__path__startswith=path)
        roles = RoleAssignment.objects.filter(user__in=rows).select_related("area")
        held: dict[int, list[str]] = {}
        for a in roles:
            held.setdefault(a.user_id, []).append(f"{a.role}@{a.area.code}{_dates(a)}")
        lines = [["username", "status", "organisation", "roles"]]
        for user in rows:
            org = user.organisation.name_en if user.organisation else "-"
            status = "active" if user.is_active else "disabled"
            lines.append([user.username, status, org, " ".join(held.get(user.pk, [])) or "-"])
        table(lines, self.stdout.write)

    def _print_code(self, code: str) -> None:
        link = self.base_url + enrolment_link(code)
        self.stdout.write(f"enrolment code (one use): {code}")
        self.stdout.write(f"enrolment link: {link}")

    def _create(self, options: dict[str, Any]) -> None:
        user, password, code = user_create_with_role(
            username=options["username"],
            organisation=organisation_by_ref(options["organisation"]),
            role=Role(options["role"]),
            area=area_by_code(options["area"]),
            display_name=options["name"],
            email=options["email"],
            valid_from=options["valid_from"],
            valid_to=options["valid_to"],
        )
        self.stdout.write(
            f"created {user.username}; give privately, shown once: initial password {password}"
        )
        self._print_code(code)

    def _grant(self, options: dict[str, Any]) -> None:
        user = user_by_username(options["username"])
        area = area_by_code(options["area"])
        role_grant(
            user=user,
            role=Role(options["role"]),
            area=area,
            valid_from=options["valid_from"],
            valid_to=options["valid_to"],
        )
        self.stdout.write(f"{user.username}: {options['role']} in {area.code} granted")

    def _revoke(self, options: dict[str, Any]) -> None:
        user = user_by_username(options["username"])
        area = area_by_code(options["area"])
        assignment = RoleAssignment.objects.filter(
            user=user, role=options["role"], area=area
        ).first()
        if assignment is None:
            raise CommandError(f"{user.username} does not hold {options['role']} in {area.code}")
        role_revoke(assignment=assignment)
        self.stdout.write(f"{user.username}: {options['role']} in {area.code} revoked")

    def _disable(self, options: dict[str, Any]) -> None:
        user = user_by_username(options["username"])
        user_disable(user=user, reason=options["reason"] or "disabled from the command line")
        self.stdout.write(f"{user.username} disabled and signed out")

    def _enable(self, options: dict[str, Any]) -> None:
        user = user_by_username(options["username"])
        user_enable(user=user)
        self.stdout.write(f"{user.username} enabled")

    def _reset_password(self, options: dict[str, Any]) -> None:
        user = user_by_username(options["username"])
        password = user_password_reset(user=user)
        self.stdout.write(f"{user.username}: new password (give privately): {password}")
        self.stdout.write("Their authenticator stays enrolled; their sessions ended.")

    def _enrolment_code(self, options: dict[str, Any]) -> None:
        if options["hours"] < 1:
            raise CommandError("--hours must be at least 1")
        user = user_by_username(options["username"])
        self._print_code(enrolment_issue(user=user, valid_hours=options["hours"]))

    def _sessions(self, options: dict[str, Any]) -> None:
        user = user_by_username(options["username"])
        lines = [["session", "started", "last seen", "expires", "browser"]]
        for s in sessions_of(user.pk):
            started = timezone.localtime(s.started).strftime("%Y-%m-%d %H:%M") if s.started else "-"
            seen = timezone.localtime(s.last_seen).strftime("%Y-%m-%d %H:%M")
            ends = timezone.localtime(s.expires).strftime("%Y-%m-%d %H:%M")
            lines.append([s.ref, started, seen, ends, s.browser or "-"])
        if len(lines) == 1:
            self.stdout.write(f"{user.username} has no open session")
        table(lines if len(lines) > 1 else [], self.stdout.write)

    def _end_sessions(self, options: dict[str, Any]) -> None:
        user = user_by_username(options["username"])
        ended = user_sessions_terminate(user=user)
        self.stdout.write(f"{user.username}: {ended} sessions ended")


def _dates(assignment: RoleAssignment) -> str:
    if not (assignment.valid_from or assignment.valid_to):
        return ""
    return f"[{assignment.valid_from or ''}..{assignment.valid_to or ''}]"
