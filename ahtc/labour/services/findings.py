"""Writes for child-labour findings: typed, keyword-only, atomic, audited.

Dates follow the child's path and are never in the future: found ≤ withdrawn
≤ referred ≤ enrolled. A refusal raises FindingError with a message for the
person who typed the date; the model's check constraints hold the same order
in the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.accounts.models import Organisation, OrganisationKind, User
from ahtc.cases.references import CASE_PREFIXES
from ahtc.core.audit import audit_record
from ahtc.core.errors import RuleError
from ahtc.core.models import AuditAction
from ahtc.core.sequence import next_in_sequence
from ahtc.geography.models import Area, AreaLevel
from ahtc.labour.models import (
    CHILD_UNDER,
    MAX_HOURS,
    BrickKiln,
    ChildLabourFinding,
    FindingCounter,
    Hazard,
    Workshop,
)
from ahtc.people.services import person_create
from ahtc.victims import services as victims

# The one reason a finding becomes a victim's protection record (DOMAIN: child
# labour is not trafficking unless the classification finds its elements).
CLASSIFIED_TRAFFICKING = "classification says trafficking"
EDITABLE = (
    "tehsil",
    "place_kind",
    "place_description",
    "age_years",
    "age_evidence",
    "hours_per_day",
    "hazards",
    "schooling",
    "found_on",
)


class FindingError(RuleError):
    """A rule of the child-labour record was broken; the message is for the user."""


def _audit(by: Any, finding: ChildLabourFinding, reason: str, action: AuditAction) -> None:
    audit_record(
        actor=by, action=action, target=finding, area_code=finding.district.code, reason=reason
    )


def finding_reference(district: Area, year: int, number: int) -> str:
    prefix = CASE_PREFIXES.get(district.code, district.code)
    return f"{prefix}-CL-{year}-{number:04d}"


def _check_day(day: dt.date, *, after: dt.date | None = None, what: str = "") -> None:
    if day > timezone.localdate():
        raise FindingError(_("The date is in the future."))
    if after is not None and day < after:
        raise FindingError(
            _("The date is before %(what)s (%(date)s).") % {"what": what, "date": after.isoformat()}
        )


def _check_facts(*, district: Area, tehsil: Area | None, age_years: int, hours: int) -> None:
    if district.level != AreaLevel.DISTRICT:
        raise FindingError(_("Choose a district."))
    if tehsil is not None and tehsil.parent_id != district.pk:
        raise FindingError(_("That tehsil is not in the district you chose."))
    if age_years >= CHILD_UNDER:
        raise FindingError(_("A child-labour finding is for a child under 18."))
    if not 0 < hours <= MAX_HOURS:
        raise FindingError(_("Hours per day are between 1 and 24."))


def _check_place(district: Area, kiln: BrickKiln | None, workshop: Workshop | None) -> None:
    if kiln is not None and workshop is not None:
        raise FindingError(_("Choose the kiln or the workshop, not both."))
    place = kiln or workshop
    if place is not None and place.district_id != district.pk:
        raise FindingError(_("That place is in another district."))


def _hazards(values: Iterable[str]) -> list[str]:
    return sorted({Hazard(v).value for v in values})


@transaction.atomic
def finding_create(
    *,
    district: Area,
    by: User,
    name_latin: str,
    name_urdu: str = "",
    sex: str = "unknown",
    age_years: int,
    age_evidence: str,
    place_kind: str,
    place_description: str,
    hours_per_day: int,
    schooling: str,
    found_on: dt.date,
    hazards: Iterable[str] = (),
    tehsil: Area | None = None,
    kiln: BrickKiln | None = None,
    workshop: Workshop | None = None,
) -> ChildLabourFinding:
    """A child found at work: the child as a person (name encrypted), the finding numbered;
    linked to the kiln or workshop of the registry when known."""
    _check_facts(district=district, tehsil=tehsil, age_years=age_years, hours=hours_per_day)
    _check_place(district, kiln, workshop)
    _check_day(found_on)
    person = person_create(
        source_district=district,
        by=by,
        name_latin=name_latin.strip(),
        name_urdu=name_urdu.strip(),
        sex=sex,
        age_years=age_years,
    )
    number = next_in_sequence(FindingCounter, district=district, year=found_on.year)
    finding = ChildLabourFinding.objects.create(
        reference=finding_reference(district, found_on.year, number),
        district=district,
        tehsil=tehsil,
        place_kind=place_kind,
        place_description=place_description.strip(),
        person=person,
        age_years=age_years,
        age_evidence=age_evidence,
        hours_per_day=hours_per_day,
        hazards=_hazards(hazards),
        schooling=schooling,
        found_on=found_on,
        found_by=by,
        kiln=kiln,
        workshop=workshop,
    )
    _audit(by, finding, "child-labour finding recorded", AuditAction.CREATE)
    return finding


def _first_step(finding: ChildLabourFinding) -> dt.date | None:
    return finding.withdrawn_on or finding.referred_on or finding.enrolled_on


@transaction.atomic
def finding_update(
    *, finding: ChildLabourFinding, by: User, changes: dict[str, Any]
) -> ChildLabourFinding:
    """Correct the facts of the finding (not the child's name: people.person_update)."""
    finding = ChildLabourFinding.objects.select_for_update().get(pk=finding.pk)
    changed = [f for f in EDITABLE if f in changes and changes[f] != getattr(finding, f)]
    if not changed:
        return finding
    values = {f: changes.get(f, getattr(finding, f)) for f in EDITABLE}
    _check_facts(
        district=finding.district,
        tehsil=values["tehsil"],
        age_years=values["age_years"],
        hours=values["hours_per_day"],
    )
    later = _first_step(finding)
    _check_day(values["found_on"])
    if later is not None and values["found_on"] > later:
        raise FindingError(
            _("The child was found before the next step (%(date)s).") % {"date": later.isoformat()}
        )
    values["hazards"] = _hazards(values["hazards"])
    for name in changed:
        setattr(finding, name, values[name])
    finding.save(update_fields=[*changed, "updated_at"])
    _audit(by, finding, f"edited {','.join(changed)}", AuditAction.UPDATE)
    return finding


@transaction.atomic
def finding_withdraw(
    *, finding: ChildLabourFinding, by: User, withdrawn_on: dt.date
) -> ChildLabourFinding:
    finding = ChildLabourFinding.objects.select_for_update().get(pk=finding.pk)
    if finding.withdrawn:
        raise FindingError(_("The child is already recorded as withdrawn from work."))
    _check_day(withdrawn_on, after=finding.found_on, what=_("the day the child was found"))
    finding.withdrawn, finding.withdrawn_on = True, withdrawn_on
    finding.save(update_fields=["withdrawn", "withdrawn_on", "updated_at"])
    _audit(by, finding, "withdrawn from work", AuditAction.UPDATE)
    return finding


def _check_org(org: Organisation | None, kind: str, finding: ChildLabourFinding) -> None:
    if org is None:
        return
    if org.kind != kind or not finding.district.path.startswith(org.area.path):
        raise FindingError(_("That organisation does not serve this district."))


@transaction.atomic
def finding_refer(
    *,
    finding: ChildLabourFinding,
    by: User,
    referred_on: dt.date,
    child_protection: Organisation | None = None,
    child_protection_text: str = "",
    education: Organisation | None = None,
) -> ChildLabourFinding:
    """Refer the withdrawn child to Child Protection (an organisation here, or
    another office by name) and, for a school place, to the education authority."""
    finding = ChildLabourFinding.objects.select_for_update().get(pk=finding.pk)
    if finding.withdrawn_on is None:
        raise FindingError(_("Record the withdrawal from work first."))
    if child_protection is None and not child_protection_text.strip():
        raise FindingError(_("Say where the child was referred."))
    _check_org(child_protection, OrganisationKind.CHILD_PROTECTION, finding)
    _check_org(education, OrganisationKind.EDUCATION, finding)
    _check_day(referred_on, after=finding.withdrawn_on, what=_("the withdrawal"))
    if finding.enrolled_on is not None and referred_on > finding.enrolled_on:
        raise FindingError(_("The referral is after the enrolment."))
    finding.referred_on = referred_on
    finding.child_protection = child_protection
    finding.child_protection_text = "" if child_protection else child_protection_text.strip()
    finding.education = education
    fields = ["referred_on", "child_protection", "child_protection_text", "education"]
    finding.save(update_fields=[*fields, "updated_at"])
    _audit(by, finding, "referred to child protection and schooling", AuditAction.UPDATE)
    return finding


@transaction.atomic
def finding_enrol(
    *,
    finding: ChildLabourFinding,
    by: User,
    school_name: str,
    school_grade: str,
    enrolled_on: dt.date,
) -> ChildLabourFinding:
    """The school place: by the cell, or by the education authority it was referred to."""
    finding = ChildLabourFinding.objects.select_for_update().get(pk=finding.pk)
    if finding.referred_on is None:
        raise FindingError(_("Record the referral first."))
    if not school_name.strip():
        raise FindingError(_("Name the school."))
    _check_day(enrolled_on, after=finding.referred_on, what=_("the referral"))
    finding.school_name = school_name.strip()
    finding.school_grade = school_grade.strip()
    finding.enrolled_on = enrolled_on
    finding.save(update_fields=["school_name", "school_grade", "enrolled_on", "updated_at"])
    _audit(by, finding, "school enrolment recorded", AuditAction.UPDATE)
    return finding


@transaction.atomic
def record_as_victim(
    *,
    finding: ChildLabourFinding,
    by: User,
    reason: str,
    control_methods: Iterable[str] = (),
    opened_on: dt.date | None = None,
) -> ChildLabourFinding:
    """Open the child's protection record (victims app) and link it here.

    Only when the classification says trafficking (e.g. bonded child labour):
    child labour alone is not trafficking, and a victim record carries
    consequences (referrals, follow-ups) that a finding does not need. Once.
    """
    finding = ChildLabourFinding.objects.select_for_update().get(pk=finding.pk)
    if reason != CLASSIFIED_TRAFFICKING:
        raise FindingError(
            _("A finding becomes a victim record only when the classification says trafficking."),
            refusal="victim record without a trafficking classification",
        )
    if finding.victim_record_id is not None or hasattr(finding.person, "protection"):
        raise FindingError(
            _("This child already has a protection record."),
            refusal="second victim record for one finding",
        )
    record = victims.record_create(
        person=finding.person,
        by=by,
        child=True,
        age_evidence=finding.age_evidence,
        trafficking_status="ActualVictimOfTrafficking",
        exploitation=["ChildLabour"],
        control_methods=control_methods,
        district=finding.district,
        opened_on=opened_on,
    )
    finding.victim_record = record
    finding.save(update_fields=["victim_record", "updated_at"])
    _audit(by, finding, f"recorded as victim: {reason}", AuditAction.UPDATE)
    return finding
