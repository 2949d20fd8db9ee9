"""Many records audited at once (a list that shows names): one row each,
linked into the hash chain, at a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ahtc.accounts.models import User
from ahtc.core.audit import audit_chain_verify, audit_record, audit_records
from ahtc.core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_rows_are_chained_like_single_ones(
    officer_mbdin: User, make_user: Callable[..., User]
) -> None:
    from ahtc.accounts.roles import Role

    others = [make_user(f"someone{n}", Role.CELL_OFFICER, "PK620") for n in range(3)]
    audit_record(actor=officer_mbdin, action=AuditAction.VIEW, reason="before")
    written = audit_records(
        actor=officer_mbdin,
        action=AuditAction.VIEW,
        targets=[(u, "PK620") for u in others],
        reason="name on a list",
    )
    audit_record(actor=officer_mbdin, action=AuditAction.VIEW, reason="after")
    assert written == 3
    rows = list(AuditEvent.objects.order_by("id"))
    assert [r.reason for r in rows[-5:]] == ["before", *["name on a list"] * 3, "after"]
    assert {r.object_id for r in rows[-4:-1]} == {str(u.pk) for u in others}
    assert audit_chain_verify().intact


def test_queries_do_not_grow_with_rows(officer_mbdin: User, make_user: Callable[..., User]) -> None:
    from ahtc.accounts.roles import Role

    users = [make_user(f"person{n}", Role.CELL_OFFICER, "PK620") for n in range(20)]

    def queries(n: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            audit_records(
                actor=officer_mbdin,
                action=AuditAction.VIEW,
                targets=[(u, "PK620") for u in users[:n]],
                reason="x",
            )
        return len(ctx.captured_queries)

    assert queries(2) == queries(20)


def test_an_unlinked_bulk_insert_is_refused(officer_mbdin: User) -> None:
    with pytest.raises(PermissionError):
        AuditEvent.objects.bulk_create_chained(
            [AuditEvent(actor=officer_mbdin, action=AuditAction.VIEW, outcome="allowed")]
        )
