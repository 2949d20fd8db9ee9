"""Writes for the registry: kilns, workshops, workers, advances and repayments.

An advance is checked against the limit in force on the day it was given
(`AdvanceLimit`, data with its source), on the worker's balance that day
including the new advance. Recording an advance above the limit is not
refused: it is a violation to record, and it is marked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from ahtc.accounts.models import User
from ahtc.cases.references import CASE_PREFIXES
from ahtc.core.models import AuditAction
from ahtc.core.sequence import next_in_sequence
from ahtc.geography.models import Area
from ahtc.labour.models import (
    Advance,
    AdvanceLimit,
    BrickKiln,
    KilnSeason,
    PlaceCounter,
    Repayment,
    RepaymentMethod,
    Worker,
    Workshop,
    WorkshopKind,
)
from ahtc.labour.services._common import LabourError, audit, check_area, check_day
from ahtc.people.models import Person
from ahtc.people.services import person_create


def place_reference(district: Area, kind: str, number: int) -> str:
    prefix = CASE_PREFIXES.get(district.code, district.code)
    return f"{prefix}-{kind.upper()}-{number:04d}"


def _owner(district: Area, by: User, owner: Person | None, owner_name: str) -> Person:
    if owner is not None:
        return owner
    if not owner_name.strip():
        raise LabourError(_("Name the owner."))
    return person_create(source_district=district, by=by, name_latin=owner_name.strip())


@transaction.atomic
def kiln_create(
    *,
    district: Area,
    by: User,
    location: str,
    season: str,
    owner: Person | None = None,
    owner_name: str = "",
    tehsil: Area | None = None,
    name: str = "",
    capacity: int | None = None,
    labour_registration: str = "",
    registered_on: dt.date | None = None,
) -> BrickKiln:
    """A brick kiln in the registry; the owner is a person (name encrypted)."""
    check_area(district, tehsil)
    KilnSeason(season)
    if registered_on is not None:
        check_day(registered_on)
        if not labour_registration.strip():
            raise LabourError(_("Give the registration number with the date."))
    number = next_in_sequence(PlaceCounter, district=district, kind="bk")
    kiln = BrickKiln.objects.create(
        reference=place_reference(district, "bk", number),
        district=district,
        tehsil=tehsil,
        name=name.strip(),
        owner=_owner(district, by, owner, owner_name),
        location=location.strip(),
        capacity=capacity,
        season=season,
        labour_registration=labour_registration.strip(),
        registered_on=registered_on,
    )
    audit(by, kiln, district, "brick kiln registered", AuditAction.CREATE)
    return kiln


@transaction.atomic
def workshop_create(
    *,
    district: Area,
    by: User,
    kind: str,
    location: str,
    owner: Person | None = None,
    owner_name: str = "",
    tehsil: Area | None = None,
    name: str = "",
) -> Workshop:
    check_area(district, tehsil)
    WorkshopKind(kind)
    number = next_in_sequence(PlaceCounter, district=district, kind="ws")
    workshop = Workshop.objects.create(
        reference=place_reference(district, "ws", number),
        district=district,
        tehsil=tehsil,
        name=name.strip(),
        kind=kind,
        owner=_owner(district, by, owner, owner_name),
        location=location.strip(),
    )
    audit(by, workshop, district, "workshop registered", AuditAction.CREATE)
    return workshop


@transaction.atomic
def workshop_update(
    *,
    workshop: Workshop,
    by: User,
    kind: str,
    location: str,
    tehsil: Area | None = None,
    name: str = "",
) -> Workshop:
    """Correct a workshop's kind, place or trade name; the owner (a person) is
    corrected on the person's page, with history."""
    workshop = Workshop.objects.select_for_update().select_related("district").get(pk=workshop.pk)
    check_area(workshop.district, tehsil)
    WorkshopKind(kind)
    if not location.strip():
        raise LabourError(_("Say where the workshop is."))
    workshop.kind, workshop.tehsil = kind, tehsil
    workshop.location, workshop.name = location.strip(), name.strip()
    workshop.save(update_fields=["kind", "tehsil", "location", "name", "updated_at"])
    audit(by, workshop, workshop.district, "workshop corrected", AuditAction.UPDATE)
    return workshop


@transaction.atomic
def worker_add(
    *,
    by: User,
    name_latin: str,
    recorded_on: dt.date,
    kiln: BrickKiln | None = None,
    workshop: Workshop | None = None,
    sex: str = "unknown",
    age_years: int | None = None,
    family_members: int = 1,
    written_contract: bool = False,
    literate: bool = False,
    knows_minimum_wage: bool = False,
) -> Worker:
    """A worker (a person) at one kiln or workshop, with what the survey asked."""
    if (kiln is None) == (workshop is None):
        raise LabourError(_("Choose the kiln or the workshop where the person works."))
    place = kiln or workshop
    assert place is not None  # noqa: S101 - narrowed above
    if family_members < 1:
        raise LabourError(_("At least the worker: one or more."))
    check_day(recorded_on)
    person = person_create(
        source_district=place.district, by=by, name_latin=name_latin, sex=sex, age_years=age_years
    )
    worker = Worker.objects.create(
        person=person,
        district=place.district,
        kiln=kiln,
        workshop=workshop,
        family_members=family_members,
        written_contract=written_contract,
        literate=literate,
        knows_minimum_wage=knows_minimum_wage,
        recorded_on=recorded_on,
        recorded_by=by,
    )
    audit(by, worker, place.district, "worker recorded", AuditAction.CREATE)
    return worker


def limit_on(day: dt.date) -> AdvanceLimit | None:
    """The advance limit in force on `day`, or None if none was in force."""
    in_force = Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    return (
        AdvanceLimit.objects.filter(in_force, valid_from__lte=day).order_by("-valid_from").first()
    )


def balance_on(worker: Worker, day: dt.date) -> int:
    """What the worker owes at the end of `day`: advances less repayments."""
    given = worker.advances.filter(given_on__lte=day).aggregate(t=Sum("amount"))["t"] or 0
    paid = worker.repayments.filter(paid_on__lte=day).aggregate(t=Sum("amount"))["t"] or 0
    return max(int(given) - int(paid), 0)


@dataclass(frozen=True)
class AdvanceCheck:
    balance: int
    limit: AdvanceLimit | None

    @property
    def above(self) -> bool:
        return self.limit is not None and self.balance > self.limit.amount

    @property
    def excess(self) -> int:
        return self.balance - self.limit.amount if self.above and self.limit else 0


def advance_check(*, worker: Worker, amount: int, given_on: dt.date) -> AdvanceCheck:
    return AdvanceCheck(balance_on(worker, given_on) + amount, limit_on(given_on))


@transaction.atomic
def advance_record(*, worker: Worker, by: User, amount: int, given_on: dt.date) -> Advance:
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    if amount <= 0:
        raise LabourError(_("The amount is more than zero."))
    check_day(given_on)
    checked = advance_check(worker=worker, amount=amount, given_on=given_on)
    advance = Advance.objects.create(
        worker=worker,
        amount=amount,
        given_on=given_on,
        balance_after=checked.balance,
        limit=checked.limit,
        above_limit=checked.above,
        recorded_by=by,
    )
    reason = "advance recorded" + (" above the legal limit" if checked.above else "")
    audit(by, advance, worker.district, reason, AuditAction.CREATE)
    return advance


@transaction.atomic
def repayment_record(
    *, worker: Worker, by: User, amount: int, paid_on: dt.date, method: str
) -> Repayment:
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    RepaymentMethod(method)
    if amount <= 0:
        raise LabourError(_("The amount is more than zero."))
    check_day(paid_on)
    owed = balance_on(worker, paid_on)
    if amount > owed:
        raise LabourError(
            _("The worker owed Rs %(owed)s on that day; the repayment is more.") % {"owed": owed}
        )
    repayment = Repayment.objects.create(
        worker=worker, amount=amount, paid_on=paid_on, method=method, recorded_by=by
    )
    audit(by, repayment, worker.district, "repayment recorded", AuditAction.CREATE)
    return repayment
