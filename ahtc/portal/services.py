"""Writes for citizen reports. The portal writes only its own rows."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ahtc.accounts.models import Organisation
from ahtc.api.models import ApiToken
from ahtc.core.audit import audit_record
from ahtc.core.errors import RuleError
from ahtc.core.models import AuditAction
from ahtc.geography.models import Area
from ahtc.notifications.services import notify_reporter_reply, notify_urgent_report
from ahtc.portal.duplicates import indicators_record
from ahtc.portal.files import CleanFile, FileRejectedError, delete_stored, store_encrypted
from ahtc.portal.models import (
    CLOSED_STATUSES,
    Channel,
    Tip,
    TipAttachment,
    TipMessage,
    TipStatus,
)
from ahtc.portal.receipts import idempotency_hash, receipt_code_for, receipt_hash


@dataclass(frozen=True)
class Submission:
    tip: Tip
    receipt_code: str
    created: bool


def tip_submit(
    *,
    client_token: str,
    category: str,
    district: Area,
    tehsil: Area | None,
    description: str,
    child_involved: str,
    danger_now: bool = False,
    place: str = "",
    when: str = "",
    involved: str = "",
    contact: str = "",
    channel: str = Channel.WEB,
    recorded_by: Any = None,
    files: list[CleanFile] | None = None,
    held: bool = False,
    partner: Organisation | None = None,
    partner_token: ApiToken | None = None,
) -> Submission:
    """Store a report whole, once per client token; a retry returns the same receipt.

    The report, its indicators and its files are one transaction: if any part
    fails, nothing is kept and the files already written are removed, so a
    receipt always means the whole report is stored. A retry of a report whose
    files were lost (stored before this rule) completes it. Two concurrent
    retries race on the unique idempotency hash: the loser reads the winner's
    row instead of failing.
    """
    idem = idempotency_hash(client_token)
    code = receipt_code_for(client_token)
    existing = Tip.objects.filter(idempotency_hash=idem).first()
    if existing is not None:
        tip_files_complete(tip=existing, files=files or [])
        return Submission(tip=existing, receipt_code=code, created=False)
    written: list[str] = []
    try:
        with transaction.atomic():
            tip = Tip.objects.create(
                idempotency_hash=idem,
                receipt_hash=receipt_hash(code),
                channel=channel,
                category=category,
                district=district,
                tehsil=tehsil,
                description=description,
                child_involved=child_involved,
                danger_now=danger_now,
                place=place,
                when=when,
                involved=involved,
                contact=contact,
                recorded_by=recorded_by,
                held_for_review=held,
                partner=partner,
                partner_token=partner_token,
            )
            indicators_record(tip)
            for clean in files or []:
                written.append(tip_attach(tip=tip, clean=clean).stored_name)
            if recorded_by is not None:
                audit_record(actor=recorded_by, action=AuditAction.CREATE, target=tip)
            notify_urgent_report(tip=tip)
    except IntegrityError:
        _delete_files(written)
        winner = Tip.objects.get(idempotency_hash=idem)
        tip_files_complete(tip=winner, files=files or [])
        return Submission(tip=winner, receipt_code=code, created=False)
    except BaseException:
        _delete_files(written)
        raise
    return Submission(tip=tip, receipt_code=code, created=True)


def _delete_files(names: list[str]) -> None:
    for name in names:
        delete_stored(name)


@transaction.atomic
def tip_files_complete(*, tip: Tip, files: list[CleanFile]) -> list[TipAttachment]:
    """Attach the files of a retried submission that the stored report lacks
    (compared by content hash), so a retry completes a partial report."""
    if not files:
        return []  # the usual retry: nothing to compare, no query
    have = set(tip.attachments.filter(message=None).values_list("sha256", flat=True))
    added = []
    for clean in files:
        digest = hashlib.sha256(clean.data).hexdigest()
        if digest not in have:
            added.append(tip_attach(tip=tip, clean=clean))
            have.add(digest)
    return added


def tip_attach(*, tip: Tip, clean: CleanFile, message: TipMessage | None = None) -> TipAttachment:
    stored_name, digest = store_encrypted(clean)
    try:
        return TipAttachment.objects.create(
            tip=tip,
            message=message,
            stored_name=stored_name,
            kind=clean.kind,
            size=len(clean.data),
            sha256=digest,
            original_sha256=clean.original_sha256,
            scan_status=clean.scan,
        )
    except Exception:
        delete_stored(stored_name)
        raise


def _room_for_files(*, tip: Tip, count: int) -> None:
    """A report's whole thread (the report, the reporter's and the cell's
    replies) holds at most AHTC_MAX_ATTACHMENTS_PER_REPORT files. The report
    row is locked first, so two replies at once cannot both pass the count."""
    if not count:
        return
    Tip.objects.select_for_update().only("pk").get(pk=tip.pk)
    held = tip.attachments.count()
    limit = settings.AHTC_MAX_ATTACHMENTS_PER_REPORT
    if held + count > limit:
        message = ngettext(
            "A report can have at most %(limit)d files and this one already has %(held)d. "
            "Send your message without files, or with fewer.",
            "A report can have at most %(limit)d files and this one already has %(held)d. "
            "Send your message without files, or with fewer.",
            held,
        )
        raise FileRejectedError(message % {"limit": limit, "held": held})


def _attach_all(*, tip: Tip, message: TipMessage, files: list[CleanFile]) -> None:
    written: list[str] = []
    try:
        for clean in files:
            written.append(tip_attach(tip=tip, clean=clean, message=message).stored_name)
    except Exception:
        for stored_name in written:  # the rows roll back; the files must go too
            delete_stored(stored_name)
        raise


def tip_for_receipt(code: str) -> Tip | None:
    return Tip.objects.filter(receipt_hash=receipt_hash(code)).first()


@transaction.atomic
def tip_reporter_reply(*, tip: Tip, body: str, files: list[CleanFile] | None = None) -> TipMessage:
    """Raises FileRejectedError, storing nothing, when the files would not fit."""
    _room_for_files(tip=tip, count=len(files or []))
    message = TipMessage.objects.create(tip=tip, from_reporter=True, body=body)
    _attach_all(tip=tip, message=message, files=files or [])
    Tip.objects.filter(pk=tip.pk).update(reply_waiting=True, updated_at=timezone.now())
    tip.reply_waiting = True
    notify_reporter_reply(tip=tip)
    return message


@transaction.atomic
def tip_staff_reply(
    *, tip: Tip, body: str, by: Any, files: list[CleanFile] | None = None
) -> TipMessage:
    """Raises FileRejectedError, storing nothing, when the files would not fit."""
    _room_for_files(tip=tip, count=len(files or []))
    message = TipMessage.objects.create(tip=tip, from_reporter=False, author=by, body=body)
    _attach_all(tip=tip, message=message, files=files or [])
    if tip.acknowledged_at is None:
        tip.acknowledged_at = timezone.now()
    tip.reply_waiting = False
    tip.save(update_fields=["acknowledged_at", "reply_waiting", "updated_at"])
    audit_record(actor=by, action=AuditAction.UPDATE, target=tip, reason="replied to reporter")
    return message


@transaction.atomic
def tip_reply_seen(*, tip: Tip, by: Any) -> Tip:
    """A staff member opened the report: the reporter's reply is no longer waiting."""
    if Tip.objects.filter(pk=tip.pk, reply_waiting=True).update(reply_waiting=False):
        audit_record(actor=by, action=AuditAction.UPDATE, target=tip, reason="reply seen")
    tip.reply_waiting = False
    return tip


class TipError(RuleError):
    """A rule of the intake was broken; the message is for the user."""


@transaction.atomic
def tip_link(*, tip: Tip, case: Any, by: Any) -> Tip:
    """Mark the report as part of `case` (status "linked"). The case service
    (cases.services.case_link_reports) checks district and scope first."""
    tip.case = case
    tip.link_review = False
    tip.save(update_fields=["case", "link_review", "updated_at"])
    return tip_set_status(tip=tip, status=TipStatus.LINKED, by=by)


@transaction.atomic
def tip_check_assignee(*, tip: Tip, assignee: Any) -> None:
    """A report is assigned only to someone who may open it (the rule of
    tips_for_user: TRIAGE_TIPS in its district); anyone else would get a 403."""
    from ahtc.portal.selectors import may_open_tip

    if not may_open_tip(assignee, tip):
        name = getattr(assignee, "display_name", "") or assignee.get_username()
        raise TipError(
            _(
                "%(name)s cannot open citizen reports of this district. Choose someone "
                "who triages reports here."
            )
            % {"name": name},
            refusal="report assignment refused: assignee may not open it",
        )


def tip_set_status(*, tip: Tip, status: TipStatus, by: Any, assign_to: Any = None) -> Tip:
    if status == TipStatus.LINKED and tip.case_id is None:
        raise TipError(_("Say which case the report belongs to: give the case reference."))
    if assign_to is not None:
        tip_check_assignee(tip=tip, assignee=assign_to)
    tip.status = status
    now = timezone.now()
    if tip.acknowledged_at is None:
        tip.acknowledged_at = now
    if status in CLOSED_STATUSES:
        tip.closed_at = tip.closed_at or now
    else:
        tip.closed_at = None
    fields = ["status", "acknowledged_at", "closed_at", "updated_at"]
    if assign_to is not None:
        tip.assigned_to = assign_to
        fields.append("assigned_to")
    tip.save(update_fields=fields)
    audit_record(actor=by, action=AuditAction.UPDATE, target=tip, reason=f"status {status}")
    return tip
