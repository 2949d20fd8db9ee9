"""The cell's proceedings after the offence: FIR, arrests, hearings, verdicts, compensation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _

from ahtc.cases.legal import provisions_in_force
from ahtc.cases.models import (
    Arrest,
    Case,
    Fir,
    Hearing,
    LegalProvision,
    Party,
    Verdict,
    VerdictOutcome,
)
from ahtc.cases.services._common import CaseError, S, _audit, _check_date
from ahtc.cases.services.agency import _recorded_by, _recording_agency
from ahtc.core.models import AuditAction
from ahtc.geography.models import PoliceStation


def first_fir_date(case: Case) -> dt.date | None:
    first: dt.date | None = case.firs.aggregate(first=Min("date"))["first"]
    return first


def _verdict_date_check(party: Party, date: dt.date) -> None:
    case = party.case
    _check_date(date, not_before=first_fir_date(case), before_what=_("the first FIR"))
    arrested: dt.date | None = party.arrests.aggregate(last=Max("date"))["last"]
    _check_date(date, not_before=arrested, before_what=_("the arrest of this accused"))
    heard: dt.date | None = case.hearings.aggregate(first=Min("date"))["first"]
    _check_date(date, not_before=heard, before_what=_("the first hearing"))


@transaction.atomic
def fir_add(
    *,
    case: Case,
    by: Any,
    number: str,
    date: dt.date,
    police_station: PoliceStation,
    provision_codes: Iterable[str],
) -> Fir:
    if _recording_agency(case, by) is not None:
        raise CaseError(_("Record the agency's FIR with the agency's own police station."))
    _check_date(date, not_before=case.offence_date, before_what=_("the offence"))
    if not police_station.tehsil.path.startswith(case.district.path):
        raise CaseError(_("The police station is not in the case's district."))
    codes = list(dict.fromkeys(provision_codes))
    if not codes:
        raise CaseError(_("Choose at least one section."))
    in_force = {
        p.code: p for p in provisions_in_force(case.offence_date or date, charges_only=True)
    }
    unknown = [c for c in codes if c not in in_force]
    if unknown:
        raise CaseError(
            _("Not in force on the offence date: %(codes)s") % {"codes": ", ".join(unknown)}
        )
    try:
        with transaction.atomic():
            fir = Fir.objects.create(
                case=case,
                number=number.strip(),
                date=date,
                police_station=police_station,
                added_by=by,
            )
    except IntegrityError as exc:
        raise CaseError(_("This police station already has that FIR number on that date.")) from exc
    fir.provisions.set([in_force[c] for c in codes])
    _audit(by, case, "FIR recorded", AuditAction.CREATE)
    return fir


@transaction.atomic
def arrest_add(*, party: Party, by: Any, date: dt.date, bail_granted: bool = False) -> Arrest:
    if not party.is_suspect:
        raise CaseError(_("Only an accused can be arrested."))
    _check_date(date, not_before=party.case.offence_date, before_what=_("the offence"))
    _check_date(date, not_before=first_fir_date(party.case), before_what=_("the first FIR"))
    arrest = Arrest.objects.create(
        party=party,
        date=date,
        bail_granted=bail_granted,
        organisation=_recording_agency(party.case, by),
        added_by=by,
    )
    _audit(by, party.case, "arrest recorded")
    return arrest


@transaction.atomic
def hearing_add(
    *, case: Case, by: Any, court: str, date: dt.date, purpose: str = "", outcome: str = ""
) -> Hearing:
    if case.status not in {S.CHALLAN_SUBMITTED, S.TRIAL}:
        raise CaseError(_("Hearings are recorded once the challan is in court."))
    # A hearing may be scheduled ahead; what happened at it cannot be.
    _check_date(
        date,
        not_before=first_fir_date(case),
        before_what=_("the first FIR"),
        future_ok=not outcome.strip(),
    )
    hearing = Hearing.objects.create(
        case=case,
        court=court,
        date=date,
        purpose=purpose,
        outcome=outcome,
        organisation=_recorded_by(case, by),
        added_by=by,
    )
    _audit(by, case, "hearing recorded")
    return hearing


@transaction.atomic
def verdict_add(
    *,
    party: Party,
    by: Any,
    provision: LegalProvision,
    date: dt.date,
    outcome: str,
    prison_months: int | None = None,
    fine_pkr: int | None = None,
    compensation_ordered_pkr: int | None = None,
    compensation_paid_pkr: int | None = None,
) -> Verdict:
    case = party.case
    if case.status != S.TRIAL:
        raise CaseError(_("Verdicts are recorded while the case is on trial."))
    if not party.is_suspect:
        raise CaseError(_("A verdict is recorded for an accused only."))
    if not Fir.objects.filter(case=case, provisions=provision).exists():
        raise CaseError(_("That section is not in the case's FIR."))
    if outcome != VerdictOutcome.CONVICTED and (prison_months or fine_pkr):
        raise CaseError(_("A sentence is recorded only with a conviction."))
    if (compensation_paid_pkr or 0) > (compensation_ordered_pkr or 0):
        raise CaseError(_("More compensation is paid than was ordered."))
    _verdict_date_check(party, date)
    try:
        with transaction.atomic():
            verdict = Verdict.objects.create(
                party=party,
                provision=provision,
                date=date,
                outcome=outcome,
                prison_months=prison_months,
                fine_pkr=fine_pkr,
                compensation_ordered_pkr=compensation_ordered_pkr,
                compensation_paid_pkr=compensation_paid_pkr,
                organisation=_recorded_by(case, by),
                added_by=by,
            )
    except IntegrityError as exc:
        raise CaseError(_("A verdict for this accused and section is already recorded.")) from exc
    _audit(by, case, f"verdict {outcome}")
    return verdict


@transaction.atomic
def compensation_paid(*, verdict: Verdict, by: Any, amount_pkr: int) -> Verdict:
    if amount_pkr > (verdict.compensation_ordered_pkr or 0):
        raise CaseError(_("More compensation is paid than was ordered."))
    verdict.compensation_paid_pkr = amount_pkr
    verdict.save(update_fields=["compensation_paid_pkr", "updated_at"])
    _audit(by, verdict.party.case, "compensation payment recorded")
    return verdict
