"""The protection record: opened (with its follow-ups and, for a child, a
draft referral to child protection), edited, its photograph and phone indicators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import Organisation, OrganisationKind
from ahtc.cases.references import CASE_PREFIXES
from ahtc.core.models import AuditAction
from ahtc.core.sequence import next_in_sequence
from ahtc.people.models import IdentifierKind, Person
from ahtc.victims.models import (
    FollowUp,
    ProtectionRecord,
    RecordCounter,
    Referral,
    ReleaseStatus,
    ServiceType,
    VictimIndicator,
)
from ahtc.victims.services.base import VictimError, _audit
from ahtc.victims.services.identity import identity_release_request

FOLLOW_UP_MONTHS = (1, 3, 6, 12)


def _months_later(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for dom in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, dom)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def indicators_refresh(record: ProtectionRecord) -> None:
    """Hash the victim's phone numbers like citizen-report indicators, so a new
    report naming the same phone raises an alert (signals.py)."""
    from ahtc.portal.duplicates import indicators_from

    VictimIndicator.objects.filter(record=record).delete()
    hashes: set[str] = set()
    for identifier in record.person.identifiers.filter(kind=IdentifierKind.PHONE):
        hashes |= {value for kind, value in indicators_from(identifier.value) if kind == "phone"}
    VictimIndicator.objects.bulk_create(
        [VictimIndicator(record=record, value_hash=value) for value in sorted(hashes)]
    )


@transaction.atomic
def record_create(
    *,
    person: Person,
    by: Any,
    child: bool,
    age_evidence: str = "",
    trafficking_status: str = "PossibleVictimOfTrafficking",
    status_decided_by: str = "Police",
    exploitation: Iterable[str] = (),
    control_methods: Iterable[str] = (),
    recruitment_method: str = "",
    recruitment_place: str = "",
    relationship: str = "",
    address: str = "",
    identity_withheld: bool = False,
    opened_on: dt.date | None = None,
    district: Any = None,
) -> ProtectionRecord:
    """`district` is the district of the case the record is opened from (default:
    the district that recorded the person). A person in any identity-withheld case
    gets an identity-withheld record."""
    if ProtectionRecord.objects.filter(person=person).exists():
        raise VictimError(_("This person already has a protection record."))
    district = district or person.source_district
    if person.parties.filter(case__identity_withheld=True).exists():
        identity_withheld = True
    day = opened_on or timezone.localdate()
    number = next_in_sequence(RecordCounter, district=district, year=day.year)
    prefix = CASE_PREFIXES.get(district.code, district.code)
    record = ProtectionRecord.objects.create(
        person=person,
        district=district,
        number=f"VIC-{prefix}-{day.year}-{number:04d}",
        trafficking_status=trafficking_status,
        status_decided_by=status_decided_by,
        exploitation=sorted(set(exploitation)),
        control_methods=sorted(set(control_methods)),
        recruitment_method=recruitment_method,
        recruitment_place=recruitment_place,
        relationship=relationship,
        child=child,
        age_evidence=age_evidence,
        address=address,
        identity_withheld=identity_withheld,
        created_by=by,
    )
    if opened_on is not None:
        ProtectionRecord.objects.filter(pk=record.pk).update(
            created_at=timezone.make_aware(dt.datetime.combine(opened_on, dt.time(10)))
        )
    FollowUp.objects.bulk_create(
        [FollowUp(record=record, due=_months_later(day, m)) for m in FOLLOW_UP_MONTHS]
    )
    indicators_refresh(record)
    _audit(by, record, "protection record opened", AuditAction.CREATE)
    if child:
        _child_protection_draft(record, by)
    return record


def _child_protection_draft(record: ProtectionRecord, by: Any) -> Referral | None:
    """Children are referred to child protection by default: a draft the officer
    sends once the guardian's consent is recorded."""
    cpb = (
        Organisation.objects.filter(
            kind=OrganisationKind.CHILD_PROTECTION,
            is_active=True,
            area__code__in=[c for c in record.district.path.split("/") if c],
        )
        .order_by("-area__path")
        .first()
    )
    if cpb is None:
        return None
    return Referral.objects.create(
        record=record,
        provider=cpb,
        service=ServiceType.SOCIAL_CARE,
        needs=str(_("Child victim: assessment and protection by the Child Protection Bureau.")),
        identity_needed=not record.identity_withheld,
        referred_by=by,
    )


@transaction.atomic
def record_update(
    *, record: ProtectionRecord, by: Any, release_reason: str = "", **fields: Any
) -> ProtectionRecord:
    """Change the profile. Never lifts the identity-withheld flag: unticking it
    asks a cell head instead (identity_release_request) and the flag stays set."""
    lifting = record.identity_withheld and not fields.get("identity_withheld", True)
    if lifting:
        fields["identity_withheld"] = True
    allowed = {
        "trafficking_status",
        "status_decided_by",
        "exploitation",
        "control_methods",
        "recruitment_method",
        "recruitment_place",
        "relationship",
        "child",
        "age_evidence",
        "address",
        "identity_withheld",
    }
    for name, value in fields.items():
        if name not in allowed:
            raise VictimError(_("That field cannot be changed here."))
        setattr(record, name, sorted(set(value)) if isinstance(value, list) else value)
    record.save()
    _audit(by, record, "protection record updated")
    if lifting and not record.identity_releases.filter(status=ReleaseStatus.PENDING).exists():
        identity_release_request(record=record, by=by, reason=release_reason)
    return record


@transaction.atomic
def photo_set(*, record: ProtectionRecord, by: Any, upload: Any) -> ProtectionRecord:
    """Re-encode (strips EXIF and GPS) and store encrypted; the old photo is deleted."""
    from ahtc.portal.files import FileRejectedError, clean_upload, delete_stored, store_encrypted

    try:
        clean = clean_upload(upload)
    except FileRejectedError as exc:
        raise VictimError(str(exc)) from exc
    if clean.kind != "jpeg":  # every accepted picture is re-encoded to JPEG
        raise VictimError(_("Only a photograph (JPEG, PNG or WebP) can be used."))
    old = record.photo_name
    record.photo_name, _digest = store_encrypted(clean)
    record.save(update_fields=["photo_name", "updated_at"])
    if old:
        delete_stored(old)
    _audit(by, record, "photo stored")
    return record
