"""The audit log on PostgreSQL: one unbroken chain under concurrent writers
(an advisory lock serialises appends), and an application role that can
append to the log but not change it (ahtc/core/sql/roles.sql)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psycopg
import pytest
from django.db import connection, connections

from ahtc.core.audit import audit_chain_verify, audit_record
from ahtc.core.management.commands.db_roles import audit_role_weaknesses, roles_sql
from ahtc.core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.postgres

WORKERS = 8
EACH = 15


def _need_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.fail("run with DATABASE_URL pointing at PostgreSQL (make test-postgres)")


def test_concurrent_writers_keep_one_unbroken_chain(transactional_db: Any) -> None:
    _need_postgres()

    def write(worker: int) -> int:
        try:
            for i in range(EACH):
                audit_record(
                    actor=None, action=AuditAction.VIEW, object_type=f"w{worker}", object_id=i
                )
            return EACH
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        written = sum(pool.map(write, range(WORKERS)))
    report = audit_chain_verify(batch_size=7)
    assert report.problems == []
    assert report.rows == AuditEvent.objects.count() >= written
    hashes = AuditEvent.objects.values_list("prev_hash", flat=True)
    assert len(set(hashes)) == len(hashes)  # no row has two successors


@pytest.fixture
def app_role(transactional_db: Any) -> Iterator[psycopg.Connection[Any]]:
    """Roles made by roles.sql in the test database; a connection as the app."""
    _need_postgres()
    suffix = uuid.uuid4().hex[:8]
    owner, app = f"ahtc_test_owner_{suffix}", f"ahtc_test_app_{suffix}"
    superuser = connection.settings_dict["USER"] or "postgres"
    with connection.cursor() as cursor:
        cursor.execute(roles_sql(owner=owner, app=app))
    audit_record(actor=None, action=AuditAction.VIEW, object_type="before")
    settings = connection.settings_dict
    conn = psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=app,
        autocommit=True,
    )
    try:
        yield conn
    finally:
        conn.close()
        with connection.cursor() as cursor:
            cursor.execute(f'REASSIGN OWNED BY "{owner}" TO "{superuser}"')
            # One role at a time: together they trip over the shared default ACL.
            cursor.execute(f'DROP OWNED BY "{app}"')
            cursor.execute(f'DROP OWNED BY "{owner}"')
            cursor.execute(f'DROP ROLE "{app}", "{owner}"')


INSERT = """INSERT INTO core_auditevent
    (at, actor_label, action, outcome, object_type, object_id, area_code, reason,
     prev_hash, row_hash)
    VALUES (now(), '', 'view', 'allowed', 'test', '1', '', '', %s, %s)"""


def test_app_role_appends_but_cannot_change_the_audit_log(
    app_role: psycopg.Connection[Any],
) -> None:
    cursor = app_role.cursor()
    cursor.execute(INSERT, [uuid.uuid4().hex, uuid.uuid4().hex])
    cursor.execute("SELECT count(*) FROM core_auditevent")
    assert cursor.fetchone()[0] >= 2  # type: ignore[index]
    refused = [
        "UPDATE core_auditevent SET reason = 'rewritten'",
        "DELETE FROM core_auditevent",
        "TRUNCATE core_auditevent",
        "ALTER TABLE core_auditevent DISABLE TRIGGER ALL",
        "ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_change",
        "DROP TRIGGER core_auditevent_no_change ON core_auditevent",
        "CREATE OR REPLACE FUNCTION core_auditevent_refuse() RETURNS trigger AS $$ "
        "BEGIN RETURN OLD; END; $$ LANGUAGE plpgsql",
        "SET session_replication_role = replica",
        "SELECT setval(pg_get_serial_sequence('core_auditevent', 'id'), 1)",
    ]
    for sql in refused:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            cursor.execute(sql)
    assert audit_role_weaknesses(cursor) == []


def test_app_role_still_writes_the_other_tables(app_role: psycopg.Connection[Any]) -> None:
    cursor = app_role.cursor()
    cursor.execute("SELECT count(*) FROM geography_area")
    cursor.execute("UPDATE geography_area SET name_en = name_en WHERE code = 'PK620'")
    assert cursor.rowcount == 1


def test_superuser_is_reported_as_able_to_rewrite_the_log(transactional_db: Any) -> None:
    _need_postgres()
    with connection.cursor() as cursor:
        assert "is a superuser" in audit_role_weaknesses(cursor)
