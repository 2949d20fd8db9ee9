"""Victims' recruiters as agencies of the registry (and members of their staff).

A protection record names its recruiter by choosing an agency (and, if known,
one of its owners or staff) from the registry within the user's scope
(`AgencyRecruit`). Before the registry, where a victim was recruited was free
text (`victims.ProtectionRecord.recruitment_place`). That text is linked only
when it *is* the name of exactly one agency of the record's district (the
whole name, English, Urdu or former, compared without case, accents or
surrounding punctuation); never by a part of it, and never when two agencies
match: "Phalia" is a place, not "Phalia Travels". Everything else stays text
and is counted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ahtc.accounts.models import User
from ahtc.agencies.models import Agency, AgencyPerson, AgencyRecruit, FormerName, LinkMethod
from ahtc.agencies.services import AgencyError
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.geography.models import Area

_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_SPACE = re.compile(r"\s+")


def exact_name(text: str) -> str:
    """The whole name, for an exact comparison: case, accents, spacing and
    punctuation at either end ignored; nothing else."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return _EDGE.sub("", _SPACE.sub(" ", plain).strip())


@dataclass(frozen=True)
class Matched:
    links: list[tuple[int, int]]  # (record id, agency id)
    left: int  # records with text that named no agency, or more than one


def recruiter_matches(
    agencies: Iterable[tuple[int, int, Iterable[str]]],
    records: Iterable[tuple[int, int, str]],
) -> Matched:
    """`agencies`: (id, district id, its names); `records`: (id, district id,
    text). Pure, so the data migration and the command share it."""
    by_name: dict[tuple[int, str], set[int]] = {}
    for pk, district_id, names in agencies:
        for name in names:
            if exact_name(name):
                by_name.setdefault((district_id, exact_name(name)), set()).add(pk)
    links, left = [], 0
    for pk, district_id, text in records:
        found = by_name.get((district_id, exact_name(text)), set())
        if len(found) == 1:
            links.append((pk, next(iter(found))))
        else:
            left += 1
    return Matched(links, left)


def agency_names(agencies: Any, former_names: Any) -> list[tuple[int, int, list[str]]]:
    """(id, district id, names) of `agencies`, with their `former_names`
    (querysets of the live or of the historical models: the data migration)."""
    rows: dict[int, tuple[int, int, list[str]]] = {}
    for pk, district_id, en, ur in agencies.values_list("pk", "district_id", "name_en", "name_ur"):
        rows[pk] = (pk, district_id, [en, ur])
    for agency_id, name in former_names.filter(agency__in=agencies).values_list(
        "agency_id", "name"
    ):
        rows[agency_id][2].append(name)
    return list(rows.values())


def recruiters_link_by_text(*, district: Area | None = None, by: Any = None) -> Matched:
    """Link records whose free text names exactly one agency; `ahtc agencies link`."""
    from ahtc.victims.models import ProtectionRecord

    agencies = Agency.objects.all()
    records = ProtectionRecord.objects.filter(recruiter_link__isnull=True).exclude(
        recruitment_place=""
    )
    if district is not None:
        agencies, records = agencies.filter(district=district), records.filter(district=district)
    matched = recruiter_matches(
        agency_names(agencies, FormerName.objects.all()),
        records.values_list("pk", "district_id", "recruitment_place"),
    )
    with transaction.atomic():
        AgencyRecruit.objects.bulk_create(
            [
                AgencyRecruit(record_id=r, agency_id=a, method=LinkMethod.MIGRATED)
                for r, a in matched.links
            ],
            ignore_conflicts=True,
        )
        if matched.links:
            audit_record(
                actor=by,
                action=AuditAction.CREATE,
                object_type="agencies.agencyrecruit",
                area_code=district.code if district else "",
                reason=f"linked {len(matched.links)} victims' recruiters to agencies by name",
            )
    return matched


@transaction.atomic
def recruiter_set(
    *, record: Any, agency: Agency | None, staff: AgencyPerson | None, by: User
) -> AgencyRecruit | None:
    """Name the agency (and member of staff) that recruited the victim of
    `record`, or clear it. The caller checks the user may edit the record
    and read the agency."""
    if staff is not None and (agency is None or staff.agency_id != agency.pk):
        raise AgencyError(_("That person is not of the chosen agency."))
    AgencyRecruit.objects.filter(record=record).delete()
    link = None
    if agency is not None:
        link = AgencyRecruit.objects.create(
            record=record, agency=agency, staff=staff, method=LinkMethod.MANUAL, linked_by=by
        )
    what = f"agency {agency.pk}" if agency else "none"
    staff_text = f", staff {staff.pk}" if staff else ""
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=record,
        area_code=record.district.code,
        reason=f"recruiter set: {what}{staff_text}",
    )
    return link
