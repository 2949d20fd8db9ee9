"""Writing, verifying and exporting the audit log. Every write goes through
`audit_record`; every row is linked into the hash chain (models.AuditEvent)."""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby, islice
from typing import Any

from django.db import models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ahtc.core.models import (
    GENESIS_HASH,
    AuditAction,
    AuditEvent,
    AuditItem,
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


# --- long lists -------------------------------------------------------------------------
#
# A row's `reason` holds 500 characters. A longer list (the victim numbers of an
# export, the rows an API call showed and which with identity) goes into
# AuditItem rows, one entry each; the reason keeps a summary and ends with a seal,
# " [N items, sha256 <hex>]", over the entries as a JSON array. The seal is part
# of the chained reason, so the chain covers the items too.
REASON_MAX = 500
ITEMS_SEAL_RE = re.compile(r" \[(\d+) items?, sha256 ([0-9a-f]{64})\]$")
SUMMARY_MAX = REASON_MAX - len(" [9999999999 items, sha256 ]") - 64
ITEMS_BATCH = 2000


def items_digest(items: Sequence[str]) -> str:
    text = json.dumps(list(items), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def items_seal(items: Sequence[str]) -> str:
    noun = "item" if len(items) == 1 else "items"
    return f" [{len(items)} {noun}, sha256 {items_digest(items)}]"


def reason_unsealed(reason: str) -> tuple[str, int]:
    """The summary without its seal, and how many items the row has."""
    match = ITEMS_SEAL_RE.search(reason)
    if not match:
        return reason, 0
    return reason[: match.start()], int(match.group(1))


def _shortened(text: str) -> str:
    return text[: SUMMARY_MAX - 1] + "…"


def reason_fit(reason: str, items: Sequence[str]) -> tuple[str, list[str]]:
    """Split what a row records into a summary that fits and its items, losing
    nothing. A too-long "summary: a,b,c" becomes "summary:" and its entries;
    any other too-long reason is shortened and kept whole as the first item."""
    entries = list(items)
    if len(reason) <= (SUMMARY_MAX if entries else REASON_MAX):
        return reason, entries
    head, sep, tail = reason.rpartition(": ")
    if sep and not entries and tail and len(head) < SUMMARY_MAX:
        return f"{head}:", tail.split(",")
    return _shortened(reason), [reason, *entries]


def audit_records(
    *,
    actor: Any,
    action: AuditAction,
    targets: Iterable[tuple[models.Model, str]],
    reason: str,
    outcome: AuditOutcome = AuditOutcome.ALLOWED,
) -> int:
    """One row per (record, area code), the same reason, linked into the chain
    in one transaction with one insert: the per-record audit of a page that
    shows many records (names on a list) at a fixed number of queries.
    Returns how many rows were written."""
    from ahtc.core.models import _chain_lock

    rows = list(targets)
    if not rows:
        return 0
    if len(reason) > REASON_MAX:
        raise ValueError("audit_records takes a short reason; use audit_record for long lists")
    using = router.db_for_write(AuditEvent)
    with transaction.atomic(using=using):
        _chain_lock(using)
        head = (
            AuditEvent.objects.using(using)
            .exclude(row_hash="")
            .order_by("-id")
            .values_list("row_hash", flat=True)
            .first()
        ) or GENESIS_HASH
        now = timezone.now()
        events = []
        for target, area_code in rows:
            event = AuditEvent(
                **_actor_fields(actor),
                at=now,
                action=action,
                outcome=outcome,
                object_type=target._meta.label_lower,
                object_id=str(target.pk),
                area_code=area_code,
                reason=reason,
            )
            event.prev_hash = head
            event.row_hash = head = audit_row_hash(head, event.canonical())
            events.append(event)
        AuditEvent.objects.using(using).bulk_create_chained(events)
    return len(events)


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
    items: Iterable[str] = (),
) -> AuditEvent:
    """Append one event. `target` gives the record kind and id; values never.
    `items` is a list the row records in full (numbers, ids with flags); a
    reason too long for the row is never cut: it goes to items (reason_fit)."""
    if target is not None:
        object_type = target._meta.label_lower
        object_id = target.pk
    summary, entries = reason_fit(reason, [str(item) for item in items])
    with transaction.atomic():
        event = AuditEvent.objects.create(
            **_actor_fields(actor),
            action=action,
            outcome=outcome,
            object_type=object_type,
            object_id=str(object_id),
            area_code=area_code,
            reason=summary + items_seal(entries) if entries else summary,
        )
        AuditItem.objects.bulk_create(
            [AuditItem(event=event, position=n, text=text) for n, text in enumerate(entries)],
            batch_size=ITEMS_BATCH,
        )
    return event


def audit_items(event_id: int) -> list[str]:
    """Every entry of a row, in order."""
    rows = AuditItem.objects.filter(event_id=event_id).order_by("position")
    return list(rows.values_list("text", flat=True))


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
    rows: Iterable[dict[str, Any]],
    *,
    known: Any,
    start: str = GENESIS_HASH,
    with_items: bool = False,
) -> ChainReport:
    """Walk `rows` in chain order. `known(hash)` names the row holding a hash
    (or None), to tell a reordering from a deletion. `with_items`: the rows
    carry their list entries (a shipped copy); check them against their seals."""
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
        if with_items and (
            problem := items_problem(row["id"], row["reason"], row.get("items", []))
        ):
            report.add(problem)
        expected = row["row_hash"]
    report.head = expected
    return report


def _known_in_database(row_hash: str) -> int | None:
    return AuditEvent.objects.filter(row_hash=row_hash).values_list("id", flat=True).first()


def audit_chain_verify(*, batch_size: int = 1000, anchors: Iterable[str] = ()) -> ChainReport:
    """Walk the whole chain in the database. An anchor is a row hash recorded
    elsewhere earlier (a shipped copy): if it is gone, rows were cut off the end."""
    seals: dict[int, str] = {}
    rows = _noting_seals(audit_rows(batch_size=batch_size), seals)
    report = audit_chain_check(rows, known=_known_in_database)
    _items_verify(report, seals, batch_size=batch_size)
    for anchor in anchors:
        if _known_in_database(anchor) is None:
            report.add(ChainProblem(0, "anchor", f"{anchor} is no longer in the log"))
    return report


def _noting_seals(
    rows: Iterable[dict[str, Any]], seals: dict[int, str]
) -> Iterator[dict[str, Any]]:
    for row in rows:
        if ITEMS_SEAL_RE.search(row["reason"]):
            seals[row["id"]] = row["reason"]
        yield row


def items_problem(row_id: int, reason: str, items: Sequence[str]) -> ChainProblem | None:
    """None when the row's entries are exactly those its chained seal names."""
    match = ITEMS_SEAL_RE.search(reason)
    if match is None and not items:
        return None
    if match and int(match.group(1)) == len(items) and items_digest(items) == match.group(2):
        return None
    return ChainProblem(row_id, "items", "its list entries do not match its sealed count and hash")


def _items_by_event(*, batch_size: int) -> Iterator[tuple[int, list[str]]]:
    rows = AuditItem.objects.order_by("event_id", "position").values_list("event_id", "text")
    for event_id, group in groupby(rows.iterator(chunk_size=batch_size), key=lambda r: r[0]):
        yield event_id, [text for _, text in group]


def _items_verify(report: ChainReport, seals: dict[int, str], *, batch_size: int) -> None:
    """Entries edited, added or removed since their row was chained."""
    for event_id, items in _items_by_event(batch_size=batch_size):
        problem = items_problem(event_id, seals.pop(event_id, ""), items)
        if problem:
            report.add(problem)
    for event_id, reason in seals.items():  # sealed rows whose entries are all gone
        problem = items_problem(event_id, reason, [])
        if problem:
            report.add(problem)


# --- shipping ---------------------------------------------------------------------------


def audit_rows_with_items(*, batch_size: int = 1000, after_id: int = 0) -> Iterator[dict[str, Any]]:
    """`audit_rows`, each sealed row with its entries under "items" (one query
    per batch for them)."""
    rows = audit_rows(batch_size=batch_size, after_id=after_id)
    while batch := list(islice(rows, batch_size)):
        sealed = {row["id"] for row in batch if ITEMS_SEAL_RE.search(row["reason"])}
        found: dict[int, list[str]] = defaultdict(list)
        entries = AuditItem.objects.filter(event_id__in=sealed).order_by("event_id", "position")
        for event_id, text in entries.values_list("event_id", "text"):
            found[event_id].append(text)
        for row in batch:
            if row["id"] in sealed:
                row["items"] = found[row["id"]]
            yield row


def audit_export_line(row: dict[str, Any]) -> str:
    """One row as JSON with its hashes, fields as they are hashed, and its
    list entries ("items") when it has them."""
    values = json.loads(_canonical(row))
    line = {"id": row["id"], **dict(zip(CHAIN_FIELDS, values, strict=True))}
    if "items" in row:
        line["items"] = row["items"]
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
