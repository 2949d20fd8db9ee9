"""Writes on the agency registry: typed, keyword-only, atomic, audited.

A refusal raises AgencyError with a message for the person who typed the
data; nothing is written then. Enforcement (inspections, notices) is in
enforcement.py, links to cases and reports in links.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.accounts.models import User
from ahtc.agencies.models import (
    Agency,
    AgencyPerson,
    AgencyStatus,
    Authority,
    Branch,
    FormerName,
    Licence,
    Phone,
    SearchKey,
    StatusChange,
)
from ahtc.agencies.names import licence_key, name_key, search_keys
from ahtc.core.audit import audit_record
from ahtc.core.errors import RuleError
from ahtc.core.models import AuditAction
from ahtc.geography.models import Area, AreaLevel
from ahtc.people import normalise
from ahtc.people.models import Person
from ahtc.people.services import person_create

S = AgencyStatus
# Where an agency may go from each status (docs/agencies.md has the diagram).
TRANSITIONS: dict[str, frozenset[str]] = {
    S.UNREGISTERED: frozenset({S.NOTICE_SERVED, S.LICENSED, S.CLOSED, S.SEALED}),
    S.NOTICE_SERVED: frozenset(
        {S.REGISTERED_AFTER_NOTICE, S.CLOSED, S.SEALED, S.UNDER_PROSECUTION}
    ),
    S.LICENSED: frozenset(
        {S.UNREGISTERED, S.NOTICE_SERVED, S.CLOSED, S.SEALED, S.UNDER_PROSECUTION}
    ),
    S.REGISTERED_AFTER_NOTICE: frozenset(
        {S.UNREGISTERED, S.NOTICE_SERVED, S.CLOSED, S.SEALED, S.UNDER_PROSECUTION}
    ),
    S.SEALED: frozenset({S.UNDER_PROSECUTION, S.CLOSED, S.REGISTERED_AFTER_NOTICE}),
    S.UNDER_PROSECUTION: frozenset({S.SEALED, S.CLOSED}),
    S.CLOSED: frozenset({S.UNREGISTERED, S.LICENSED}),
}
NEEDS_LICENCE = frozenset({S.LICENSED, S.REGISTERED_AFTER_NOTICE})
EDITABLE = ("name_en", "name_ur", "kind", "address", "tehsil")


class AgencyError(RuleError):
    """A rule of the registry was broken; the message is for the user."""


def audit(by: Any, agency: Agency, reason: str, action: AuditAction = AuditAction.UPDATE) -> None:
    audit_record(
        actor=by, action=action, target=agency, area_code=agency.district.code, reason=reason
    )


def check_day(day: dt.date, *, after: dt.date | None = None, what: str = "") -> None:
    if day > timezone.localdate():
        raise AgencyError(_("The date is in the future."))
    if after is not None and day < after:
        raise AgencyError(
            _("The date is before %(what)s (%(date)s).") % {"what": what, "date": after.isoformat()}
        )


def _check_place(district: Area, tehsil: Area | None) -> None:
    if district.level != AreaLevel.DISTRICT:
        raise AgencyError(_("Choose a district."))
    if tehsil is not None and tehsil.parent_id != district.pk:
        raise AgencyError(_("That tehsil is not in the agency's district."))


def phone_normalised(raw: str) -> str:
    try:
        return normalise.phone(raw).value
    except normalise.IdentifierError as exc:
        raise AgencyError(str(exc)) from exc


def keys_refresh(agency: Agency) -> None:
    """The sound keys the public search finds the agency by: its names, former
    names and its licence holders' names (names.search_keys)."""
    texts = [agency.name_en, agency.name_ur]
    texts += list(agency.former_names.values_list("name", flat=True))
    texts += list(agency.licences.values_list("holder_name", flat=True))
    keys = set().union(*(search_keys(t) for t in texts if t))
    SearchKey.objects.filter(agency=agency).delete()
    SearchKey.objects.bulk_create(SearchKey(agency=agency, key=k[:60]) for k in sorted(keys))


def _duplicate(district: Area, key: str, exclude: int | None = None) -> bool:
    rows = Agency.objects.filter(district=district, name_key=key)
    return rows.exclude(pk=exclude).exists() if exclude else rows.exists()


@transaction.atomic
def agency_create(
    *,
    district: Area,
    by: User | None,
    name_en: str,
    kind: str,
    status: str,
    status_since: dt.date,
    name_ur: str = "",
    address: str = "",
    tehsil: Area | None = None,
    phones: Iterable[str] = (),
    former_names: Iterable[str] = (),
) -> Agency:
    """A new agency in the registry with its first status. Unregistered and
    licensed are the only statuses to start from; the others follow from
    notices, inspections and status changes."""
    _check_place(district, tehsil)
    check_day(status_since)
    if status not in (S.UNREGISTERED, S.LICENSED):
        raise AgencyError(_("A new agency starts as licensed or unregistered."))
    key = name_key(name_en.strip())
    if not key:
        raise AgencyError(_("Give the agency's name."))
    if _duplicate(district, key):
        raise AgencyError(_("An agency with this name is already registered in the district."))
    numbers = sorted({phone_normalised(p) for p in phones if p.strip()})
    agency = Agency.objects.create(
        district=district,
        tehsil=tehsil,
        name_en=name_en.strip(),
        name_ur=name_ur.strip(),
        name_key=key,
        kind=kind,
        status=status,
        status_since=status_since,
        address=address.strip(),
        created_by=by,
    )
    StatusChange.objects.create(agency=agency, to_status=status, on=status_since, by=by)
    Phone.objects.bulk_create(Phone(agency=agency, number=n) for n in numbers)
    FormerName.objects.bulk_create(
        FormerName(agency=agency, name=n.strip()) for n in former_names if n.strip()
    )
    keys_refresh(agency)
    audit(by, agency, "agency registered", AuditAction.CREATE)
    return agency


@transaction.atomic
def agency_update(*, agency: Agency, by: User, changes: dict[str, Any]) -> Agency:
    """Correct the agency's facts; a new English name keeps the old one as a former name."""
    agency = Agency.objects.select_for_update().select_related("district").get(pk=agency.pk)
    changed = [f for f in EDITABLE if f in changes and changes[f] != getattr(agency, f)]
    if not changed:
        return agency
    _check_place(agency.district, changes.get("tehsil", agency.tehsil))
    if "name_en" in changed:
        key = name_key(changes["name_en"].strip())
        if not key or _duplicate(agency.district, key, exclude=agency.pk):
            raise AgencyError(_("An agency with this name is already registered in the district."))
        FormerName.objects.create(agency=agency, name=agency.name_en, until=timezone.localdate())
        agency.name_key = key
    for field in changed:
        value = changes[field]
        setattr(agency, field, value.strip() if isinstance(value, str) else value)
    agency.save()
    keys_refresh(agency)
    audit(by, agency, "agency corrected: " + ", ".join(changed))
    return agency


def has_valid_licence(agency: Agency, day: dt.date) -> bool:
    return any(licence.valid_on(day) for licence in agency.licences.all())


def _check_transition(agency: Agency, to_status: str, on: dt.date) -> None:
    if to_status == agency.status:
        raise AgencyError(_("The agency already has this status."))
    if to_status not in TRANSITIONS[agency.status]:
        raise AgencyError(
            _("An agency cannot go from “%(from)s” to “%(to)s”.")
            % {"from": S(agency.status).label, "to": S(to_status).label}
        )
    if to_status in NEEDS_LICENCE and not has_valid_licence(agency, on):
        raise AgencyError(_("Record a licence valid on that date first."))
    check_day(on, after=agency.status_since, what=_("the current status"))


@transaction.atomic
def agency_status_set(
    *, agency: Agency, by: User | None, to_status: str, on: dt.date, reason: str = ""
) -> Agency:
    """Move the agency to another status, dated, kept in its history."""
    agency = Agency.objects.select_for_update().select_related("district").get(pk=agency.pk)
    _check_transition(agency, to_status, on)
    StatusChange.objects.create(
        agency=agency,
        from_status=agency.status,
        to_status=to_status,
        on=on,
        reason=reason.strip()[:300],
        by=by,
    )
    before = agency.status
    agency.status, agency.status_since = to_status, on
    agency.save(update_fields=["status", "status_since", "updated_at"])
    audit(by, agency, f"status {before} -> {to_status}")
    return agency


@transaction.atomic
def licence_add(
    *,
    agency: Agency,
    by: User | None,
    number: str,
    authority: str,
    valid_from: dt.date,
    valid_to: dt.date,
    holder_name: str = "",
) -> Licence:
    key = licence_key(number)
    if not key:
        raise AgencyError(_("Give the licence number."))
    if valid_to < valid_from:
        raise AgencyError(_("The licence ends before it starts."))
    if Licence.objects.filter(authority=authority, number_key=key).exists():
        raise AgencyError(_("This licence number is already recorded for an agency."))
    try:
        with transaction.atomic():
            licence = Licence.objects.create(
                agency=agency,
                number=number.strip(),
                number_key=key,
                authority=Authority(authority),
                holder_name=holder_name.strip(),
                valid_from=valid_from,
                valid_to=valid_to,
            )
    except IntegrityError as exc:  # the same number saved at the same moment
        raise AgencyError(_("This licence number is already recorded for an agency.")) from exc
    keys_refresh(agency)
    audit(by, agency, "licence recorded")
    return licence


@transaction.atomic
def licence_cancel(*, licence: Licence, by: User, on: dt.date) -> Licence:
    check_day(on, after=licence.valid_from, what=_("the licence's start"))
    licence.cancelled_on = on
    licence.save(update_fields=["cancelled_on"])
    audit(by, licence.agency, "licence cancelled")
    return licence


@transaction.atomic
def agency_person_add(
    *,
    agency: Agency,
    by: User,
    role: str,
    name_latin: str = "",
    name_urdu: str = "",
    phone: str = "",
    cnic: str = "",
    since: dt.date | None = None,
) -> AgencyPerson:
    """An owner or member of staff, recorded as a person of the people registry."""
    if not (name_latin.strip() or name_urdu.strip()):
        raise AgencyError(_("Give the person's name."))
    identifiers = {k: v for k, v in (("phone", phone), ("cnic", cnic)) if v.strip()}
    try:
        person = person_create(
            source_district=agency.district,
            by=by,
            name_latin=name_latin.strip(),
            name_urdu=name_urdu.strip(),
            identifiers=identifiers,
        )
    except normalise.IdentifierError as exc:
        raise AgencyError(str(exc)) from exc
    link = AgencyPerson.objects.create(agency=agency, person=person, role=role, since=since)
    audit(by, agency, f"{role} recorded")
    return link


@transaction.atomic
def agency_person_link(
    *, agency: Agency, person: Person, role: str, by: User | None
) -> AgencyPerson:
    """A person already in the registry (e.g. a suspect of a case) as an owner or staff."""
    link, created = AgencyPerson.objects.get_or_create(agency=agency, person=person, role=role)
    if created:
        audit(by, agency, f"{role} linked to person {person.pk}")
    return link


@transaction.atomic
def phone_add(*, agency: Agency, by: User, raw: str) -> Phone:
    number = phone_normalised(raw)
    phone, created = Phone.objects.get_or_create(agency=agency, number=number)
    if created:
        audit(by, agency, "office phone recorded")
    return phone


@transaction.atomic
def branch_add(
    *, agency: Agency, by: User, address: str, tehsil: Area | None = None, phone: str = ""
) -> Branch:
    if tehsil is not None and tehsil.parent_id != agency.district_id:
        raise AgencyError(_("That tehsil is not in the agency's district."))
    if not address.strip():
        raise AgencyError(_("Give the branch's address."))
    number = phone_normalised(phone) if phone.strip() else ""
    branch = Branch.objects.create(
        agency=agency, address=address.strip(), tehsil=tehsil, phone=number
    )
    audit(by, agency, "branch recorded")
    return branch
