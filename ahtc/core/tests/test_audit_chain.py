"""The audit log's hash chain: every row linked to the one before, and
`audit_verify` finding rows that were edited, deleted or moved by someone
who got past the append-only triggers (here: dropped them, as the owner of
the table could)."""

from __future__ import annotations

import importlib
import io
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from ahtc.cli import main
from ahtc.core.audit import audit_chain_verify, audit_record
from ahtc.core.models import GENESIS_HASH, AuditAction, AuditEvent, audit_row_hash

pytestmark = pytest.mark.django_db

APPEND_ONLY = importlib.import_module("ahtc.core.migrations.0002_audit_append_only")
BACKFILL = importlib.import_module("ahtc.core.migrations.0004_audit_chain_backfill")


@pytest.fixture
def rows() -> list[AuditEvent]:
    return [
        audit_record(actor=None, action=AuditAction.VIEW, object_type="x", object_id=i)
        for i in range(5)
    ]


def tamper(sql: str, params: list[Any]) -> None:
    """Raw SQL past the append-only triggers, as the table's owner could."""
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        else:
            for drop in APPEND_ONLY.DROP["sqlite"]:
                cursor.execute(drop)
        cursor.execute(sql, params)
        if vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")
        else:
            for create in APPEND_ONLY.SQLITE:
                cursor.execute(create)


def verify(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit_verify", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def verify_fails(*args: str) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError, match="audit chain BROKEN"):
        call_command("audit_verify", *args, stdout=io.StringIO(), stderr=err)
    return err.getvalue()


class TestChain:
    def test_each_row_links_to_the_row_before(self, rows: list[AuditEvent]) -> None:
        stored = list(AuditEvent.objects.order_by("id").values_list("prev_hash", "row_hash"))
        assert stored[0][0] == GENESIS_HASH
        for (_prev, before), (prev, _own) in itertools.pairwise(stored):
            assert prev == before
        last = AuditEvent.objects.get(pk=rows[-1].pk)
        assert last.row_hash == audit_row_hash(last.prev_hash, last.canonical())

    def test_created_through_the_orm_too(self) -> None:
        event = AuditEvent.objects.create(action=AuditAction.CREATE, outcome="allowed")
        assert len(event.row_hash) == 64
        assert audit_chain_verify().intact

    def test_bulk_create_is_refused(self) -> None:
        with pytest.raises(PermissionError):
            AuditEvent.objects.bulk_create([AuditEvent(action=AuditAction.VIEW)])

    def test_changing_any_field_changes_the_hash(self, rows: list[AuditEvent]) -> None:
        event = AuditEvent.objects.get(pk=rows[2].pk)
        event.reason = "changed"
        assert audit_row_hash(event.prev_hash, event.canonical()) != event.row_hash


class TestVerify:
    def test_intact_log_passes(self, rows: list[AuditEvent]) -> None:
        out, err = verify()
        assert "audit chain intact" in out
        assert AuditEvent.objects.order_by("-id").first().row_hash in out  # type: ignore[union-attr]
        assert err == ""

    def test_edited_row_is_found(self, rows: list[AuditEvent]) -> None:
        tamper("UPDATE core_auditevent SET reason = 'nothing to see' WHERE id = %s", [rows[2].pk])
        assert f"row {rows[2].pk}: edited" in verify_fails()

    def test_edited_row_with_its_hash_rewritten_breaks_the_next_link(
        self, rows: list[AuditEvent]
    ) -> None:
        event = AuditEvent.objects.get(pk=rows[2].pk)
        event.reason = "nothing to see"
        forged = audit_row_hash(event.prev_hash, event.canonical())
        tamper(
            "UPDATE core_auditevent SET reason = %s, row_hash = %s WHERE id = %s",
            [event.reason, forged, event.pk],
        )
        assert f"row {rows[3].pk}: gap" in verify_fails()

    def test_deleted_row_leaves_a_gap(self, rows: list[AuditEvent]) -> None:
        tamper("DELETE FROM core_auditevent WHERE id = %s", [rows[2].pk])
        assert f"row {rows[3].pk}: gap" in verify_fails()

    def test_moved_row_is_reported_as_reordered(self, rows: list[AuditEvent]) -> None:
        tamper("UPDATE core_auditevent SET id = %s WHERE id = %s", [rows[-1].pk + 1000, rows[2].pk])
        errors = verify_fails()
        assert f"row {rows[3].pk}: reordered: follows row {rows[-1].pk + 1000}" in errors

    def test_missing_anchor_shows_rows_cut_off_the_end(self, rows: list[AuditEvent]) -> None:
        anchor = AuditEvent.objects.get(pk=rows[-1].pk).row_hash
        verify("--anchor", anchor)
        tamper("DELETE FROM core_auditevent WHERE id = %s", [rows[-1].pk])
        assert f"{anchor} is no longer in the log" in verify_fails("--anchor", anchor)

    def test_reads_in_bounded_batches(
        self, rows: list[AuditEvent], django_assert_num_queries: Any
    ) -> None:
        count = AuditEvent.objects.count()
        # One query per batch of two, the empty last batch, and one stream of list entries.
        with django_assert_num_queries(count // 2 + 2):
            report = audit_chain_verify(batch_size=2)
        assert (report.rows, report.intact) == (count, True)

    # The command closes the database connection when it ends: call it last.
    def test_through_the_ahtc_command(
        self, rows: list[AuditEvent], capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["audit", "verify"]) == 0
        assert "audit chain intact" in capsys.readouterr().out

    def test_through_the_ahtc_command_exits_non_zero_when_broken(
        self, rows: list[AuditEvent], capsys: pytest.CaptureFixture[str]
    ) -> None:
        tamper("DELETE FROM core_auditevent WHERE id = %s", [rows[1].pk])
        with pytest.raises(SystemExit) as exit_info:
            main(["audit", "verify"])
        assert exit_info.value.code != 0
        assert f"row {rows[2].pk}: gap" in capsys.readouterr().err


class TestBackfill:
    """Migration 0004 chains rows written before the chain existed."""

    class Editor:
        def __init__(self) -> None:
            self.connection = connection

        def execute(self, sql: str) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql)

    def test_rows_without_hashes_are_chained(self, rows: list[AuditEvent]) -> None:
        from django.apps import apps

        for i, event in enumerate(rows):  # as before the chain: placeholders, no links
            tamper(
                "UPDATE core_auditevent SET prev_hash = %s, row_hash = %s WHERE id = %s",
                [f"old-{i}", f"unchained-{i}", event.pk],
            )
        assert not audit_chain_verify().intact
        BACKFILL.forwards(apps, self.Editor())
        assert audit_chain_verify().intact
        # ... and the append-only triggers are back in force.
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditevent SET reason = 'x' WHERE id = %s", [rows[0].pk])


class TestExport:
    @pytest.fixture
    def shipped(self, rows: list[AuditEvent], tmp_path: Path) -> Path:
        out = io.StringIO()
        call_command("audit_export", stdout=out, stderr=io.StringIO())
        path = tmp_path / "audit.jsonl"
        path.write_text(out.getvalue(), encoding="utf-8")
        return path

    def test_lines_carry_the_hashes_and_verify_elsewhere(
        self, shipped: Path, rows: list[AuditEvent]
    ) -> None:
        lines = [json.loads(line) for line in shipped.read_text().splitlines()]
        assert lines[-1]["row_hash"] == AuditEvent.objects.get(pk=rows[-1].pk).row_hash
        assert {"id", "at", "actor_id", "reason", "prev_hash", "row_hash"} <= set(lines[0])
        out, _err = verify("--file", str(shipped))
        assert f"{len(lines)} rows" in out

    def test_a_changed_shipped_copy_is_found(self, shipped: Path) -> None:
        lines = shipped.read_text().splitlines()
        row = json.loads(lines[1])
        row["reason"] = "rewritten"
        lines[1] = json.dumps(row)
        shipped.write_text("\n".join(lines), encoding="utf-8")
        assert f"row {row['id']}: edited" in verify_fails("--file", str(shipped))

    def test_after_id_ships_only_newer_rows(self, rows: list[AuditEvent]) -> None:
        out = io.StringIO()
        call_command(
            "audit_export", "--after-id", str(rows[2].pk), stdout=out, stderr=io.StringIO()
        )
        ids = [json.loads(line)["id"] for line in out.getvalue().splitlines()]
        assert ids == [rows[3].pk, rows[4].pk]

    def test_since_a_time_in_the_future_ships_nothing(self, rows: list[AuditEvent]) -> None:
        out = io.StringIO()
        call_command("audit_export", "--since", "2999-01-01", stdout=out, stderr=io.StringIO())
        assert out.getvalue() == ""
