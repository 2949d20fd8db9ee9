"""Children from work to school in the Mandi Bahauddin year (synthetic, deterministic).

Seventy-two children found working in brick kilns and workshops in 2025 are
child-labour findings, not victim records: each was withdrawn, referred to the
Child Protection Bureau and to the education authority, and most were
enrolled in school (the education authority records the place). Four of them,
in bonded labour at kilns, were classified as trafficking: their findings are
linked to protection records. Every step is dated by the story.

The registry (issue 16, `ahtc/demo/labour_registry.py`): 230 kilns (44
surveyed jointly with the Labour Department), 116 workshops, 100 workers at
the surveyed kilns whose records give the survey's figures (89% in debt
bondage, 98% unaware of the minimum wage, 95% illiterate, none with a written
contract: computed on /cell/labour/survey/, never typed), the owners' 20%
wage agreement with evidence of payment, EOBI registrations; after school,
termly attendance (a few dropouts) and support to the families.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from ahtc.demo.labour_registry import Registry, after_school, build_registry
from ahtc.geography.models import Area, AreaLevel
from ahtc.labour import services as s
from ahtc.labour.models import ChildLabourFinding, Hazard, PlaceKind, Schooling
from ahtc.people.models import Person, Sex

if TYPE_CHECKING:
    from ahtc.accounts.models import User
    from ahtc.demo.build import DemoContext

CHILDREN = 72
NOT_YET_ENROLLED = frozenset({5, 17, 33, 46, 60, 71})  # still waiting for a school place
BONDED = frozenset({3, 21, 39, 57})  # classified as trafficking: bonded child labour at a kiln
FIRST_FOUND = dt.date(2025, 1, 8)
NAMES = ["Ali", "Hamza", "Ahmed", "Saad", "Hira", "Zainab", "Ayesha", "Fatima", "Umar"]
NAMES_UR = ["علی", "حمزہ", "احمد", "سعد", "حرا", "زینب", "عائشہ", "فاطمہ", "عمر"]
# Second names, so no two children share a name (the matching run would
# propose every "Ali" of an age for review).
SECOND = ["Iqbal", "Saleem", "Akhtar", "Rafiq", "Bashir", "Latif", "Hanif", "Anwar"]
SECOND_UR = ["اقبال", "سلیم", "اختر", "رفیق", "بشیر", "لطیف", "حنیف", "انور"]
GIRLS = {"Hira", "Zainab", "Ayesha", "Fatima"}
WORKSHOPS = [
    PlaceKind.WORKSHOP_AUTO,
    PlaceKind.WORKSHOP_ELECTRICAL,
    PlaceKind.WORKSHOP_MANUFACTURING,
    PlaceKind.WORKSHOP_OTHER,
]
HAZARDS = {
    PlaceKind.BRICK_KILN: [Hazard.HEAT, Hazard.HEAVY_LOADS, Hazard.CHEMICALS],
    PlaceKind.WORKSHOP_AUTO: [Hazard.MACHINERY, Hazard.CHEMICALS],
    PlaceKind.WORKSHOP_ELECTRICAL: [Hazard.ELECTRICITY, Hazard.MACHINERY],
    PlaceKind.WORKSHOP_MANUFACTURING: [Hazard.MACHINERY, Hazard.CHEMICALS],
    PlaceKind.WORKSHOP_OTHER: [Hazard.MACHINERY],
}
SCHOOLS = ["Government Primary School No. 1 (demo)", "Government Primary School No. 2 (demo)"]
SCHOOLING = [Schooling.NEVER, Schooling.DROPPED_OUT, Schooling.NEVER, Schooling.ENROLLED]
EVIDENCE = ["documents", "statement", "appearance"]


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(11)))


def _place(n: int) -> PlaceKind:
    return PlaceKind.BRICK_KILN if n % 2 else WORKSHOPS[(n // 2) % len(WORKSHOPS)]


def _found(
    ctx: DemoContext, n: int, district: Area, tehsils: list[Area], places: Registry
) -> ChildLabourFinding:
    name = NAMES[n % len(NAMES)]
    place = _place(n) if n not in BONDED else PlaceKind.BRICK_KILN
    kiln, workshop = places.place_of(n, place)
    hazards = [*HAZARDS[place], *([Hazard.AWAY_FROM_FAMILY] if n in BONDED else [])]
    return s.finding_create(
        district=district,
        tehsil=tehsils[n % len(tehsils)] if tehsils else None,
        by=ctx.users["officer_mbdin"],
        name_latin=f"{name} {SECOND[n // len(NAMES) % len(SECOND)]} (demo)",
        name_urdu=f"{NAMES_UR[n % len(NAMES)]} {SECOND_UR[n // len(NAMES) % len(SECOND)]} (نمونہ)",
        sex=Sex.FEMININE if name in GIRLS else Sex.MASCULINE,
        age_years=7 + n % 8,
        age_evidence=EVIDENCE[n % len(EVIDENCE)],
        place_kind=place,
        place_description=f"{place.label} no. {n + 1} (demo place)",
        hours_per_day=8 + n % 5,
        hazards=hazards,
        schooling=SCHOOLING[n % len(SCHOOLING)],
        found_on=FIRST_FOUND + dt.timedelta(days=3 * n),
        kiln=kiln,
        workshop=workshop,
    )


def _to_school(ctx: DemoContext, n: int, finding: ChildLabourFinding) -> dt.date:
    """Withdrawn the day it was found or the next, referred two days later,
    enrolled by the education authority a week or two after; the last day."""
    officer: User = ctx.users["officer_mbdin"]
    withdrawn = finding.found_on + dt.timedelta(days=n % 2)
    finding = s.finding_withdraw(finding=finding, by=officer, withdrawn_on=withdrawn)
    referred = withdrawn + dt.timedelta(days=2)
    finding = s.finding_refer(
        finding=finding,
        by=officer,
        referred_on=referred,
        child_protection=ctx.orgs["cpb_mbdin"],
        education=ctx.orgs["edu_mbdin"],
    )
    if n in BONDED:
        s.record_as_victim(
            finding=finding,
            by=ctx.users["dpo_mbdin"],
            reason=s.CLASSIFIED_TRAFFICKING,
            control_methods=["DebtBondage", "WithholdsNecessities"],
            opened_on=withdrawn,
        )
    if n in NOT_YET_ENROLLED:
        return referred
    enrolled = referred + dt.timedelta(days=7 + n % 8)
    s.finding_enrol(
        finding=finding,
        by=ctx.users["school_mbdin"],
        school_name=SCHOOLS[n % len(SCHOOLS)],
        school_grade=str(1 + n % 5),
        enrolled_on=enrolled,
    )
    return enrolled


def build_labour(ctx: DemoContext) -> None:
    if ChildLabourFinding.objects.exists():
        return
    district = Area.objects.get(code="PK620")
    tehsils = list(
        Area.objects.current().of_level(AreaLevel.TEHSIL).filter(parent=district).order_by("code")
    )
    today = timezone.localdate()
    places = build_registry(ctx, district, tehsils)
    for n in range(CHILDREN):
        finding = _found(ctx, n, district, tehsils, places)
        last = _to_school(ctx, n, finding)
        after_school(ctx, n, finding)
        # The services stamp "now": the story says when it happened.
        ChildLabourFinding.objects.filter(pk=finding.pk).update(
            created_at=_moment(finding.found_on), updated_at=_moment(min(last, today))
        )
        Person.objects.filter(pk=finding.person_id).update(
            created_at=_moment(finding.found_on), updated_at=_moment(finding.found_on)
        )
