"""Missing migrants, their fate, and support to their families."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.victims.models import (
    FATE_TRANSITIONS,
    FamilySupport,
    MigrantFate,
    MigrantFateChange,
    MissingMigrant,
    MissingMigrantFamily,
)
from ahtc.victims.services.base import VictimError


@transaction.atomic
def family_add(
    *,
    case: Any,
    by: Any,
    contact_name: str,
    relation: str,
    phone: str = "",
    migrant_fate: str = MigrantFate.MISSING,
    migrant: MissingMigrant | None = None,
    migrant_label: str = "",
    fate_on: dt.date | None = None,
) -> MissingMigrantFamily:
    """A relative of a migrant: of a migrant already recorded (whose fate is
    changed only by migrant_fate_set), or of a new one with `migrant_fate`."""
    if not contact_name.strip() or not relation.strip():
        raise VictimError(_("Give the family contact and their relation to the migrant."))
    if migrant is None:
        migrant = migrant_add(
            case=case, by=by, fate=migrant_fate, label=migrant_label, fate_on=fate_on
        )
    elif migrant.case_id != case.pk:
        raise VictimError(_("That migrant belongs to another case."))
    family = MissingMigrantFamily.objects.create(
        case=case,
        migrant=migrant,
        contact_name=contact_name.strip(),
        relation=relation.strip(),
        phone=phone.strip(),
        added_by=by,
    )
    audit_record(
        actor=by, action=AuditAction.CREATE, target=case, reason="family of a missing migrant added"
    )
    return family


def migrant_add(
    *, case: Any, by: Any, fate: str = MigrantFate.MISSING, label: str = "", fate_on: Any = None
) -> MissingMigrant:
    _fate_date_check(fate_on)
    number = int(case.missing_migrants.aggregate(m=Max("number"))["m"] or 0) + 1
    migrant = MissingMigrant.objects.create(
        case=case,
        number=number,
        label=label.strip()[:100],
        fate=MigrantFate(fate),
        fate_on=fate_on,
        added_by=by,
    )
    audit_record(actor=by, action=AuditAction.CREATE, target=migrant, area_code=case.district.code)
    return migrant


def _fate_date_check(on: dt.date | None) -> None:
    if on is not None and on > timezone.localdate():
        raise VictimError(_("The date is in the future."))


@transaction.atomic
def migrant_fate_set(
    *, migrant: MissingMigrant, by: Any, to: str, on: dt.date, reason: str = ""
) -> MigrantFateChange:
    """One fate per migrant, changed only along FATE_TRANSITIONS, dated, with
    its history. A death is undone only with a reason (a wrong identification)."""
    migrant = MissingMigrant.objects.select_for_update().get(pk=migrant.pk)
    before = MigrantFate(migrant.fate)
    if to not in FATE_TRANSITIONS[before]:
        raise VictimError(
            _("A migrant recorded as %(from)s cannot be recorded as %(to)s.")
            % {"from": before.label, "to": MigrantFate(to).label if to in MigrantFate else to}
        )
    _fate_date_check(on)
    if migrant.fate_on is not None and on < migrant.fate_on:
        raise VictimError(
            _("The date is before the last change (%(date)s).")
            % {"date": migrant.fate_on.isoformat()}
        )
    if before == MigrantFate.DECEASED and not reason.strip():
        raise VictimError(_("Say why the death is no longer taken as true."))
    change = MigrantFateChange.objects.create(
        migrant=migrant, from_fate=before, to_fate=to, on=on, reason=reason.strip(), by=by
    )
    migrant.fate, migrant.fate_on = to, on
    migrant.save(update_fields=["fate", "fate_on", "updated_at"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=migrant,
        area_code=migrant.case.district.code,
        reason=f"fate {before} -> {to}",
    )
    return change


@transaction.atomic
def family_support_add(
    *, family: MissingMigrantFamily, by: Any, kind: str, date: dt.date, note: str = ""
) -> FamilySupport:
    if date > timezone.localdate():
        raise VictimError(_("The date is in the future."))
    support = FamilySupport.objects.create(family=family, kind=kind, date=date, note=note, by=by)
    audit_record(
        actor=by, action=AuditAction.UPDATE, target=family.case, reason=f"family support {kind}"
    )
    return support
