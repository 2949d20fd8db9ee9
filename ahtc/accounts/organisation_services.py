"""Writes to organisations (reference data), each audited. `by` is the
acting user, or None for the command line; a user must hold MANAGE_REFERENCE
over every area the organisation serves (issue 11)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ahtc.accounts.models import Organisation, User
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.accounts.sessions import sessions_delete
from ahtc.core.audit import audit_record
from ahtc.core.errors import RuleError
from ahtc.core.models import AuditAction
from ahtc.geography.models import Area


@transaction.atomic
def organisation_create(
    *,
    kind: str,
    name_en: str,
    name_ur: str = "",
    area: Area,
    phone: str = "",
    contact_person: str = "",
    email: str = "",
    address: str = "",
    areas_served: Iterable[Area] = (),
    by: User | None = None,
) -> Organisation:
    """A new organisation; `by` (None: the command line) must hold
    MANAGE_REFERENCE over its home area and every further area it serves."""
    served = list(areas_served)
    _check_reference_scope(by, [area, *served])
    _check_unique_name(area=area, kind=kind, name_en=name_en)
    organisation = Organisation.objects.create(
        kind=kind,
        name_en=name_en,
        name_ur=name_ur,
        area=area,
        phone=phone,
        contact_person=contact_person,
        email=email,
        address=address,
    )
    organisation.areas_served.set(served)
    audit_record(actor=by, action=AuditAction.CREATE, target=organisation, area_code=area.code)
    return organisation


ORGANISATION_FIELDS = (
    "kind",
    "name_en",
    "name_ur",
    "area",
    "phone",
    "contact_person",
    "email",
    "address",
)


@transaction.atomic
def organisation_update(
    *,
    organisation: Organisation,
    by: User | None,
    areas_served: Iterable[Area] | None = None,
    **changes: Any,
) -> list[str]:
    """Change the named fields (ORGANISATION_FIELDS) and, if given, the further
    areas served. Returns the names of what changed; the audit row lists the
    names, never the values."""
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"not organisation fields: {sorted(unknown)}")
    served = None if areas_served is None else list(areas_served)
    _check_reference_scope(by, [organisation.area, *(served or [])])
    if "area" in changes:
        _check_reference_scope(by, [changes["area"]])
    changed = [name for name, value in changes.items() if getattr(organisation, name) != value]
    for name in changed:
        setattr(organisation, name, changes[name])
    if {"area", "kind", "name_en"} & set(changed):
        _check_unique_name(
            area=organisation.area,
            kind=organisation.kind,
            name_en=organisation.name_en,
            exclude=organisation.pk,
        )
    if changed:
        organisation.save(update_fields=[*changed, "updated_at"])
    if served is not None and set(served) != set(organisation.areas_served.all()):
        organisation.areas_served.set(served)
        changed.append("areas_served")
    if changed:
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=organisation,
            area_code=organisation.area.code,
            reason="changed: " + ", ".join(changed),
        )
    return changed


@transaction.atomic
def organisation_deactivate(
    *, organisation: Organisation, by: User | None, reason: str = ""
) -> int:
    """Stop the organisation: its members cannot sign in (user_may_authenticate)
    and their open sessions end now. Returns how many members it had."""
    _check_reference_scope(by, [organisation.area])
    if by is not None and by.organisation_id == organisation.pk:
        raise RuleError(
            _("You cannot deactivate your own organisation."), refusal="own organisation"
        )
    organisation.is_active = False
    organisation.save(update_fields=["is_active", "updated_at"])
    members = set(organisation.members.values_list("pk", flat=True))
    User.objects.filter(pk__in=members).update(session_epoch=F("session_epoch") + 1)
    sessions_delete(user_ids=members)
    audit_record(
        actor=by,
        action=AuditAction.DISABLE,
        target=organisation,
        area_code=organisation.area.code,
        reason=reason or "organisation deactivated",
    )
    return len(members)


@transaction.atomic
def organisation_reactivate(*, organisation: Organisation, by: User | None) -> None:
    _check_reference_scope(by, [organisation.area])
    organisation.is_active = True
    organisation.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=organisation,
        area_code=organisation.area.code,
        reason="organisation reactivated",
    )


def _check_reference_scope(by: User | None, areas: list[Area]) -> None:
    if by is None:
        return
    scope = user_scope(by)
    if not all(scope.permits(Perm.MANAGE_REFERENCE, area) for area in areas):
        raise RuleError(
            _("An area is outside the areas whose organisations you manage."),
            refusal="area outside the manager's scope",
        )


def _check_unique_name(*, area: Area, kind: str, name_en: str, exclude: int = 0) -> None:
    same = Organisation.objects.filter(area=area, kind=kind, name_en=name_en).exclude(pk=exclude)
    if same.exists():
        raise ValidationError(
            _("An organisation of this kind with this name already serves this area.")
        )
