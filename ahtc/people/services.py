"""Writes for people. Identifiers are normalised on entry (people/normalise.py)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet

from ahtc.core.audit import audit_record
from ahtc.core.hashing import keyed_hex
from ahtc.core.models import AuditAction
from ahtc.geography.models import Area
from ahtc.people.models import Alias, Identifier, IdentifierKind, Person, PersonVersion
from ahtc.people.normalise import NORMALISERS, Normalised
from ahtc.people.search import name_tokens_refresh


def identifier_hash(kind: str, value: str) -> str:
    return keyed_hex(key=settings.SECRET_KEY, purpose=f"identifier:{kind}", value=value)


@transaction.atomic
def person_create(
    *,
    source_district: Area,
    by: Any,
    name_latin: str = "",
    name_urdu: str = "",
    relative_name: str = "",
    sex: str = "unknown",
    age_years: int | None = None,
    birth_date: dt.date | None = None,
    identifiers: Mapping[str, str] | None = None,
    aliases: Iterable[str] = (),
) -> Person:
    """A person with their identifiers and aliases, all or nothing: every
    identifier is checked before anything is written, so a bad one raises
    people.normalise.IdentifierError (with the reason) and leaves no row."""
    checked = {
        IdentifierKind(kind): NORMALISERS[kind](raw) for kind, raw in (identifiers or {}).items()
    }
    person = Person.objects.create(
        source_district=source_district,
        name_latin=name_latin,
        name_urdu=name_urdu,
        relative_name=relative_name,
        sex=sex,
        age_years=age_years,
        birth_date=birth_date,
        created_by=by,
    )
    audit_record(actor=by, action=AuditAction.CREATE, target=person, area_code=source_district.code)
    for kind, normalised in checked.items():
        _identifier_save(person, kind, normalised, by)
    for alias in aliases:
        person.aliases.create(name=alias)
    name_tokens_refresh(person)
    return person


@transaction.atomic
def identifier_add(*, person: Person, kind: IdentifierKind, raw: str, by: Any) -> Identifier:
    """Raises people.normalise.IdentifierError with the reason for bad input."""
    return _identifier_save(person, kind, NORMALISERS[kind](raw), by)


def _identifier_save(
    person: Person, kind: IdentifierKind, normalised: Normalised, by: Any
) -> Identifier:
    identifier, _created = Identifier.objects.get_or_create(
        person=person,
        kind=kind,
        value_hash=identifier_hash(kind, normalised.value),
        defaults={"value": normalised.value, "partial": normalised.partial},
    )
    audit_record(actor=by, action=AuditAction.UPDATE, target=person, reason=f"identifier {kind}")
    return identifier


def people_with_identifier(kind: IdentifierKind, raw: str) -> QuerySet[Person]:
    """Exact matches on a complete identifier, across districts (before scoping)."""
    normalised = NORMALISERS[kind](raw)
    if normalised.partial:
        return Person.objects.none()
    value_hash = identifier_hash(kind, normalised.value)
    return Person.objects.filter(
        identifiers__kind=kind, identifiers__value_hash=value_hash
    ).distinct()


EDITABLE = ("name_latin", "name_urdu", "relative_name", "sex", "birth_date", "age_years")


@transaction.atomic
def person_update(
    *, person: Person, by: Any, changes: Mapping[str, Any], reason: str = ""
) -> PersonVersion | None:
    """Change a person's editable fields, keeping the earlier values as a
    numbered version (encrypted); None when nothing changed. The audit row
    names the changed fields only."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    changed = [f for f in EDITABLE if f in changes and changes[f] != getattr(person, f)]
    if not changed:
        return None
    before = {f: _jsonable(getattr(person, f)) for f in EDITABLE}
    number = int(person.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = PersonVersion.objects.create(
        person=person,
        number=number,
        before=json.dumps(before, ensure_ascii=False),
        changed_fields=",".join(changed),
        reason=reason.strip(),
        changed_by=by,
    )
    for name in changed:
        setattr(person, name, changes[name])
    person.save(update_fields=[*changed, "updated_at"])
    if {"name_latin", "name_urdu"} & set(changed):
        name_tokens_refresh(person)
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=person,
        area_code=person.source_district.code,
        reason=f"edited {','.join(changed)} (version {number} kept)",
    )
    return version


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def version_values(version: PersonVersion) -> dict[str, Any]:
    values: dict[str, Any] = json.loads(version.before)
    return values


# --- identifiers and aliases, edited on the person's page ------------------------------

LIST_FIELDS = ("identifiers", "aliases")


def _listed(person: Person, field: str) -> list[str]:
    if field == "identifiers":
        return [f"{i.kind}: {i.value}" for i in person.identifiers.order_by("kind", "pk")]
    return [a.name for a in person.aliases.order_by("pk")]


def _list_version(person: Person, field: str, by: Any, reason: str) -> PersonVersion:
    """Keep the list as it was before a change (encrypted), like person_update."""
    number = int(person.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = PersonVersion.objects.create(
        person=person,
        number=number,
        before=json.dumps({field: _listed(person, field)}, ensure_ascii=False),
        changed_fields=field,
        reason=reason.strip(),
        changed_by=by,
    )
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=person,
        area_code=person.source_district.code,
        reason=f"edited {field} (version {number} kept)",
    )
    return version


@transaction.atomic
def person_identifier_add(
    *, person: Person, kind: IdentifierKind, raw: str, by: Any, reason: str = ""
) -> Identifier | None:
    """Add an identifier from the person's page, keeping the earlier list as a
    version. None when the person already has it. Raises IdentifierError."""
    normalised = NORMALISERS[kind](raw)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.identifiers.filter(
        kind=kind, value_hash=identifier_hash(kind, normalised.value)
    ).exists():
        return None
    _list_version(person, "identifiers", by, reason)
    return _identifier_save(person, kind, normalised, by)


@transaction.atomic
def person_identifier_remove(*, identifier: Identifier, by: Any, reason: str = "") -> None:
    person = Person.objects.select_for_update().get(pk=identifier.person_id)
    _list_version(person, "identifiers", by, reason)
    identifier.delete()


@transaction.atomic
def person_alias_add(*, person: Person, name: str, by: Any, reason: str = "") -> Alias | None:
    """None when the name is blank or the person already has this alias."""
    name = " ".join(name.split())
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not name or name in _listed(person, "aliases"):
        return None
    _list_version(person, "aliases", by, reason)
    alias = person.aliases.create(name=name)
    name_tokens_refresh(person)
    return alias


@transaction.atomic
def person_alias_remove(*, alias: Alias, by: Any, reason: str = "") -> None:
    person = Person.objects.select_for_update().get(pk=alias.person_id)
    _list_version(person, "aliases", by, reason)
    alias.delete()
    name_tokens_refresh(person)
