"""Writing, verifying and exporting the audit log. Every write goes through
`audit_record`; every row is linked into the hash chain (models.AuditEvent)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from ahtc.core.models import (
    GENESIS_HASH,
    AuditAction,
    AuditEvent,
    AuditOutcome,
    audit_canonical,
    audit_row_hash,
)

# Reasons are stored in English (stable, greppable) and shown translated.
REASON_LABELS = {
    "outside the user's scope": _("outside the user's scope"),
    "wrong username or password": _("wrong username or password"),
    "wrong or missing second-factor code": _("wrong or missing second-factor code"),
    "too many failed sign-ins for one account": _("too many failed sign-ins for one account"),
    "disabled from the workspace": _("disabled from the workspace"),
}

# The canonical fields, in the order they are hashed (models.audit_canonical).
CHAIN_FIELDS = (
    "at",
    "actor_id",
    "actor_label",
    "action",
    "outcome",
    "object_type",
    "object_id",
    "area_code",
    "reason",
)
MAX_PROBLEMS_KEPT = 100


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_label": ""}
    return {"actor": actor, "actor_label": actor.get_username()}


def audit_record(
    *,
    actor: Any,
    action: AuditAction,
    outcome: AuditOutcome = AuditOutcome.ALLOWED,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    area_code: str = "",
    reason: str = "",
) -> AuditEvent:
    """Append one event. `target` gives the record kind and id; values never."""
    if target is not None:
        object_type = target._meta.label_lower
        object_id = target.pk
    return AuditEvent.objects.create(
        **_actor_fields(actor),
        action=action,
        outcome=outcome,
        object_type=object_type,
        object_id=str(object_id),
        area_code=area_code,
        reason=reason[:500],
    )


def user_area_code(user: Any) -> str:
    """The area of the user's organisation: where a cell head oversees them."""
    organisation = getattr(user, "organisation", None)
    area = getattr(organisation, "area", None)
    return str(getattr(area, "code", "") or "")


def audit_export_refused(
    *,
    actor: Any,
    kind: str,
    why: str,
    target: models.Model | None = None,
    object_type: str = "",
    area_code: str = "",
) -> AuditEvent:
    """A refused export: its kind and why, in the record's district or else the
    user's, so the cell head's audit page shows it."""
    return audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        outcome=AuditOutcome.REFUSED,
        target=target,
        object_type=object_type,
        area_code=area_code or user_area_code(actor),
        reason=f"{kind} refused: {why}",
    )


# --- the hash chain ---------------------------------------------------------------------


@dataclass(frozen=True)
class ChainProblem:
    row_id: int
    kind: str  # edited | gap | reordered | unchained | anchor
    detail: str

    def __str__(self) -> str:
        return f"row {self.row_id}: {self.kind}: {self.detail}"


@dataclass
class ChainReport:
    rows: int = 0
    head: str = GENESIS_HASH
    problem_count: int = 0
    problems: list[ChainProblem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return self.problem_count == 0

    def add(self, problem: ChainProblem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:  # memory stays bounded
            self.problems.append(problem)


def audit_rows(*, batch_size: int = 1000, after_id: int = 0) -> Iterator[dict[str, Any]]:
    """Audit rows in id order, `batch_size` at a time (keyset paging)."""
    values = ("id", "prev_hash", "row_hash", *CHAIN_FIELDS)
    while True:
        batch = list(
            AuditEvent.objects.filter(id__gt=after_id).order_by("id").values(*values)[:batch_size]
        )
        yield from batch
        if len(batch) < batch_size:
            return
        after_id = batch[-1]["id"]


def _canonical(row: dict[str, Any]) -> str:
    return audit_canonical(**{name: row[name] for name in CHAIN_FIELDS})


def _link_problem(row: dict[str, Any], known: Any) -> ChainProblem:
    """The row does not follow the row before it: moved, or rows are missing."""
    other = known(row["prev_hash"]) if row["prev_hash"] else None
    if other is not None:
        return ChainProblem(row["id"], "reordered", f"follows row {other}, not the row before it")
    return ChainProblem(
        row["id"],
        "gap",
        "the row before it is missing: rows deleted, or the previous row rewritten",
    )


def audit_chain_check(
    rows: Iterable[dict[str, Any]], *, known: Any, start: str = GENESIS_HASH
) -> ChainReport:
    """Walk `rows` in chain order. `known(hash)` names the row holding a hash
    (or None), to tell a reordering from a deletion."""
    report = ChainReport(head=start)
    expected = start
    for row in rows:
        report.rows += 1
        if not row["row_hash"]:
            report.add(ChainProblem(row["id"], "unchained", "no hash: written outside the chain"))
        elif audit_row_hash(row["prev_hash"], _canonical(row)) != row["row_hash"]:
            report.add(ChainProblem(row["id"], "edited", "its fields do not match its hash"))
        if row["prev_hash"] != expected:
            report.add(_link_problem(row, known))
        expected = row["row_hash"]
    report.head = expected
    return report


def _known_in_database(row_hash: str) -> int | None:
    return AuditEvent.objects.filter(row_hash=row_hash).values_list("id", flat=True).first()


def audit_chain_verify(*, batch_size: int = 1000, anchors: Iterable[str] = ()) -> ChainReport:
    """Walk the whole chain in the database. An anchor is a row hash recorded
    elsewhere earlier (a shipped copy): if it is gone, rows were cut off the end."""
    report = audit_chain_check(audit_rows(batch_size=batch_size), known=_known_in_database)
    for anchor in anchors:
        if _known_in_database(anchor) is None:
            report.add(ChainProblem(0, "anchor", f"{anchor} is no longer in the log"))
    return report


# --- shipping ---------------------------------------------------------------------------


def audit_export_line(row: dict[str, Any]) -> str:
    """One row as JSON with its hashes, fields as they are hashed."""
    values = json.loads(_canonical(row))
    line = {"id": row["id"], **dict(zip(CHAIN_FIELDS, values, strict=True))}
    line.update(prev_hash=row["prev_hash"], row_hash=row["row_hash"])
    return json.dumps(line, ensure_ascii=False, separators=(",", ":"))


def audit_chain_from_lines(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """Rows back from exported JSON lines, ready for `audit_chain_check`."""
    from datetime import datetime

    for text in lines:
        if not text.strip():
            continue
        row = json.loads(text)
        row["at"] = datetime.fromisoformat(row["at"].replace("Z", "+00:00"))
        row["actor_id"] = row["actor_id"] or None
        yield row
