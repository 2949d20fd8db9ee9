"""PostgreSQL roles so the application cannot rewrite its audit log
(ahtc/core/sql/roles.sql; docs/operations.md, "Database roles")."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

ROLES_SQL = Path(__file__).resolve().parents[2] / "sql" / "roles.sql"
# Plain lower-case names only: they are written into the SQL unquoted-safe.
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def roles_sql(*, owner: str, app: str) -> str:
    for name in (owner, app):
        if not ROLE_NAME.fullmatch(name):
            raise ValueError(f"not a plain role name: {name!r}")
    if owner == app:
        raise ValueError("the owner and the application need two different roles")
    return ROLES_SQL.read_text(encoding="utf-8").replace("{owner}", owner).replace("{app}", app)


WEAKNESS_SQL = """
SELECT r.rolsuper, r.rolbypassrls,
       pg_has_role(current_user, c.relowner, 'USAGE'),
       has_table_privilege('core_auditevent', 'UPDATE'),
       has_table_privilege('core_auditevent', 'DELETE'),
       has_table_privilege('core_auditevent', 'TRUNCATE'),
       has_table_privilege('core_auditevent', 'TRIGGER'),
       has_table_privilege('core_audititem', 'UPDATE')
         OR has_table_privilege('core_audititem', 'DELETE')
         OR has_table_privilege('core_audititem', 'TRUNCATE')
FROM pg_roles r, pg_class c
WHERE r.rolname = current_user AND c.oid = 'core_auditevent'::regclass
"""
WEAKNESSES = (
    "is a superuser",
    "bypasses row security",
    "owns the audit table (or is a member of its owner)",
    "may UPDATE audit rows",
    "may DELETE audit rows",
    "may TRUNCATE the audit table",
    "may create triggers on the audit table",
    "may change or remove the audit log's list entries",
)


def audit_role_weaknesses(cursor: Any) -> list[str]:
    """What the current database role could do to the audit log it should not."""
    cursor.execute(WEAKNESS_SQL)
    row = cursor.fetchone()
    return [label for label, flag in zip(WEAKNESSES, row, strict=True) if flag]


class Command(BaseCommand):
    help = "Print (or apply) the SQL for an owner role and an application role on PostgreSQL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--owner", default="ahtc_owner", help="role that runs migrations")
        parser.add_argument("--app", default="ahtc_app", help="role the application runs as")
        parser.add_argument(
            "--apply", action="store_true", help="run it now (connected as a superuser)"
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="report what the role of DATABASE_URL could do to the audit log",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            return self._check()
        try:
            sql = roles_sql(owner=options["owner"], app=options["app"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not options["apply"]:
            self.stdout.write(sql)
            return None
        if connection.vendor != "postgresql":
            raise CommandError("database roles are a PostgreSQL matter")
        with connection.cursor() as cursor:
            cursor.execute(sql)
        self.stdout.write(f"roles {options['owner']} and {options['app']} are set up")
        return None

    def _check(self) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("database roles are a PostgreSQL matter")
        with connection.cursor() as cursor:
            found = audit_role_weaknesses(cursor)
        for weakness in found:
            self.stderr.write(f"this role {weakness}")
        if found:
            raise CommandError("the application's role could rewrite the audit log")
        self.stdout.write("this role can only read and append to the audit log")
