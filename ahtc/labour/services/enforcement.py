"""Writes for wages and enforcement: inspections, notices, owners' meetings,
undertakings, wages seen at kilns, and the hand-over of bonded labour to
case management.

A wage seen at a kiln keeps the notified rate in force that day (data,
`WageRate`). An undertaking to raise wages is fulfilled by the first wage seen
on or after the day it was given that reaches its target (base x (1 + %)).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ahtc.accounts.models import User
from ahtc.core.models import AuditAction
from ahtc.geography.models import Area
from ahtc.labour.models import (
    BondedLabourHandover,
    BrickKiln,
    EvidenceKind,
    Inspection,
    InspectionKind,
    Notice,
    OwnerMeeting,
    Undertaking,
    UndertakingKind,
    Violation,
    WageBasis,
    WageObservation,
    WageRate,
    Worker,
    Workshop,
)
from ahtc.labour.services._common import LabourError, audit, check_day
from ahtc.labour.services.workplaces import balance_on

HANDOVER_FACTS = (
    "peshgi",
    "works_to_repay",
    "restricted_movement",
    "threats",
    "violence",
    "documents_withheld",
    "nominal_wages",
    "children_involved",
)


@transaction.atomic
def inspection_record(
    *,
    by: User,
    inspected_on: dt.date,
    kind: str,
    kiln: BrickKiln | None = None,
    workshop: Workshop | None = None,
    with_labour: bool = False,
    with_child_protection: bool = False,
    violations: Iterable[str] = (),
    notes: str = "",
    follow_up_of: Inspection | None = None,
) -> Inspection:
    if (kiln is None) == (workshop is None):
        raise LabourError(_("Choose the kiln or the workshop inspected."))
    place: Any = kiln or workshop
    InspectionKind(kind)
    check_day(inspected_on)
    if follow_up_of is not None:
        if (follow_up_of.kiln_id, follow_up_of.workshop_id) != (
            getattr(kiln, "pk", None),
            getattr(workshop, "pk", None),
        ):
            raise LabourError(_("A follow-up is of an inspection of the same place."))
        check_day(inspected_on, after=follow_up_of.inspected_on, what=_("the inspection"))
    inspection = Inspection.objects.create(
        district=place.district,
        kiln=kiln,
        workshop=workshop,
        kind=kind,
        inspected_on=inspected_on,
        with_labour=with_labour,
        with_child_protection=with_child_protection,
        violations=sorted({Violation(v).value for v in violations}),
        notes=notes.strip(),
        follow_up_of=follow_up_of,
        recorded_by=by,
    )
    audit(by, inspection, place.district, f"{kind} recorded", AuditAction.CREATE)
    return inspection


@transaction.atomic
def notice_issue(
    *, inspection: Inspection, by: User, issued_on: dt.date, about: str, comply_by: dt.date
) -> Notice:
    check_day(issued_on, after=inspection.inspected_on, what=_("the inspection"))
    if comply_by < issued_on:
        raise LabourError(_("The deadline is before the notice."))
    if not about.strip():
        raise LabourError(_("Say what must be put right."))
    notice = Notice.objects.create(
        inspection=inspection, issued_on=issued_on, about=about.strip(), comply_by=comply_by
    )
    audit(by, notice, inspection.district, "notice issued", AuditAction.CREATE)
    return notice


@transaction.atomic
def notice_complied(*, notice: Notice, by: User, complied_on: dt.date) -> Notice:
    notice = (
        Notice.objects.select_for_update(of=("self",))
        .select_related("inspection__district")
        .get(pk=notice.pk)
    )
    check_day(complied_on, after=notice.issued_on, what=_("the notice"))
    notice.complied_on = complied_on
    notice.save(update_fields=["complied_on", "updated_at"])
    audit(by, notice, notice.inspection.district, "notice complied with", AuditAction.UPDATE)
    return notice


@transaction.atomic
def owner_meeting_record(
    *, district: Area, by: User, held_on: dt.date, place: str, owners_present: int
) -> OwnerMeeting:
    check_day(held_on)
    meeting = OwnerMeeting.objects.create(
        district=district,
        held_on=held_on,
        place=place.strip(),
        owners_present=owners_present,
        recorded_by=by,
    )
    audit(by, meeting, district, "owners' meeting recorded", AuditAction.CREATE)
    return meeting


@transaction.atomic
def undertaking_record(
    *,
    kiln: BrickKiln,
    by: User,
    kind: str,
    given_on: dt.date,
    due_by: dt.date,
    meeting: OwnerMeeting | None = None,
    basis: str = "",
    base_amount: Decimal | None = None,
    increase_percent: int | None = None,
) -> Undertaking:
    check_day(given_on)
    if due_by < given_on:
        raise LabourError(_("The deadline is before the undertaking."))
    if UndertakingKind(kind) == UndertakingKind.RAISE_WAGES:
        if not basis or base_amount is None or not increase_percent:
            raise LabourError(_("A wage rise needs the wage before and the percentage."))
        WageBasis(basis)
    undertaking = Undertaking.objects.create(
        kiln=kiln,
        meeting=meeting,
        kind=kind,
        given_on=given_on,
        due_by=due_by,
        basis=basis,
        base_amount=base_amount,
        increase_percent=increase_percent,
    )
    audit(by, undertaking, kiln.district, f"undertaking: {kind}", AuditAction.CREATE)
    return undertaking


def target_of(undertaking: Undertaking) -> Decimal | None:
    """The wage an undertaking to raise wages promises, to the rupee."""
    if undertaking.base_amount is None or undertaking.increase_percent is None:
        return None
    raised = undertaking.base_amount * (100 + undertaking.increase_percent) / 100
    return raised.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def rate_on(basis: str, day: dt.date) -> WageRate | None:
    """The notified rate on `basis` in force on `day`, or None."""
    in_force = Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    rows = WageRate.objects.filter(in_force, basis=basis, valid_from__lte=day)
    return rows.order_by("-valid_from").first()


def _fulfil(kiln: BrickKiln, seen: WageObservation, by: User) -> Undertaking | None:
    open_ones = kiln.undertakings.filter(
        kind=UndertakingKind.RAISE_WAGES,
        fulfilled_on__isnull=True,
        basis=seen.basis,
        given_on__lte=seen.observed_on,
    ).select_for_update()
    for undertaking in open_ones:
        target = target_of(undertaking)
        if target is not None and seen.amount >= target:
            undertaking.fulfilled_on = seen.observed_on
            undertaking.save(update_fields=["fulfilled_on", "updated_at"])
            audit(by, undertaking, kiln.district, "wage rise paid", AuditAction.UPDATE)
            return undertaking
    return None


@transaction.atomic
def wage_record(
    *,
    kiln: BrickKiln,
    by: User,
    observed_on: dt.date,
    basis: str,
    amount: Decimal,
    evidence: str,
    inspection: Inspection | None = None,
) -> WageObservation:
    """A wage seen at a kiln, with the rate in force that day; it may be the
    evidence of payment of an owner's undertaking to raise wages."""
    WageBasis(basis)
    EvidenceKind(evidence)
    check_day(observed_on)
    if amount <= 0:
        raise LabourError(_("The amount is more than zero."))
    seen = WageObservation.objects.create(
        kiln=kiln,
        observed_on=observed_on,
        basis=basis,
        amount=amount,
        evidence=evidence,
        rate=rate_on(basis, observed_on),
        inspection=inspection,
        recorded_by=by,
    )
    fulfilled = _fulfil(kiln, seen, by)
    if fulfilled is not None:
        seen.undertaking = fulfilled
        seen.save(update_fields=["undertaking", "updated_at"])
    audit(by, seen, kiln.district, "wage seen", AuditAction.CREATE)
    return seen


def handover_summary(worker: Worker, facts: dict[str, bool]) -> str:
    """The case's summary: the place and the facts, never a name."""
    place = worker.kiln or worker.workshop
    fields = [BondedLabourHandover._meta.get_field(f) for f in HANDOVER_FACTS]
    said = [str(getattr(field, "verbose_name", field.name)) for field in fields]
    found = [text for name, text in zip(HANDOVER_FACTS, said, strict=True) if facts.get(name)]
    return (
        f"Bonded-labour situation at {place} (labour registry). Facts recorded for the "
        f"classification, to be confirmed by the officer: {'; '.join(found) or 'none'}."
    )


@transaction.atomic
def bonded_handover(
    *, worker: Worker, by: User, handed_over_on: dt.date, facts: dict[str, bool]
) -> BondedLabourHandover:
    """Open a case for a bonded-labour situation, with the facts stored here
    for the officer's classification; the classification is not decided here."""
    from ahtc.cases import services
    from ahtc.cases.models import Origin

    worker = (
        Worker.objects.select_for_update(of=("self",))
        .select_related("kiln", "workshop")
        .get(pk=worker.pk)
    )
    if BondedLabourHandover.objects.filter(worker=worker).exists():
        raise LabourError(
            _("This worker's situation is already with case management."),
            refusal="second bonded-labour hand-over for one worker",
        )
    check_day(handed_over_on)
    values = {name: bool(facts.get(name, False)) for name in HANDOVER_FACTS}
    values["peshgi"] = values["peshgi"] or balance_on(worker, handed_over_on) > 0
    case = services.case_open(
        district=worker.district,
        by=by,
        title=_("Bonded labour at %(place)s") % {"place": worker.kiln or worker.workshop},
        origin=Origin.OWN_INITIATIVE,
        summary=handover_summary(worker, values),
        opened_on=handed_over_on,
    )
    handover = BondedLabourHandover.objects.create(
        worker=worker,
        district=worker.district,
        case=case,
        handed_over_on=handed_over_on,
        by=by,
        **values,
    )
    audit(
        by, handover, worker.district, "bonded labour handed to case management", AuditAction.CREATE
    )
    return handover
