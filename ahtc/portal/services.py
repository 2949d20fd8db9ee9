"""Writes for citizen reports. The portal writes only its own rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.geography.models import Area
from ahtc.portal.duplicates import indicators_record
from ahtc.portal.files import CleanFile, delete_stored, store_encrypted
from ahtc.portal.models import Channel, Tip, TipAttachment, TipMessage, TipStatus
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
) -> Submission:
    """Store a report once per client token; a retry returns the same receipt.

    Two concurrent retries race on the unique idempotency hash: the loser
    reads the winner's row instead of failing.
    """
    idem = idempotency_hash(client_token)
    code = receipt_code_for(client_token)
    existing = Tip.objects.filter(idempotency_hash=idem).first()
    if existing is not None:
        return Submission(tip=existing, receipt_code=code, created=False)
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
            )
    except IntegrityError:
        return Submission(
            tip=Tip.objects.get(idempotency_hash=idem), receipt_code=code, created=False
        )
    indicators_record(tip)
    for clean in files or []:
        tip_attach(tip=tip, clean=clean)
    if recorded_by is not None:
        audit_record(actor=recorded_by, action=AuditAction.CREATE, target=tip)
    return Submission(tip=tip, receipt_code=code, created=True)


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
        )
    except Exception:
        delete_stored(stored_name)
        raise


def tip_for_receipt(code: str) -> Tip | None:
    return Tip.objects.filter(receipt_hash=receipt_hash(code)).first()


@transaction.atomic
def tip_reporter_reply(*, tip: Tip, body: str, files: list[CleanFile] | None = None) -> TipMessage:
    message = TipMessage.objects.create(tip=tip, from_reporter=True, body=body)
    for clean in files or []:
        tip_attach(tip=tip, clean=clean, message=message)
    return message


@transaction.atomic
def tip_staff_reply(
    *, tip: Tip, body: str, by: Any, files: list[CleanFile] | None = None
) -> TipMessage:
    message = TipMessage.objects.create(tip=tip, from_reporter=False, author=by, body=body)
    for clean in files or []:
        tip_attach(tip=tip, clean=clean, message=message)
    if tip.acknowledged_at is None:
        tip.acknowledged_at = timezone.now()
        tip.save(update_fields=["acknowledged_at", "updated_at"])
    audit_record(actor=by, action=AuditAction.UPDATE, target=tip, reason="replied to reporter")
    return message


@transaction.atomic
def tip_set_status(*, tip: Tip, status: TipStatus, by: Any, assign_to: Any = None) -> Tip:
    tip.status = status
    if tip.acknowledged_at is None:
        tip.acknowledged_at = timezone.now()
    fields = ["status", "acknowledged_at", "updated_at"]
    if assign_to is not None:
        tip.assigned_to = assign_to
        fields.append("assigned_to")
    tip.save(update_fields=fields)
    audit_record(actor=by, action=AuditAction.UPDATE, target=tip, reason=f"status {status}")
    return tip
