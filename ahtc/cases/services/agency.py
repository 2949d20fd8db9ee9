"""Proceedings run by an agency (FIA after a transfer): who records them, and the
agency's own FIR."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import Organisation, OrganisationKind
from ahtc.cases.legal import provisions_in_force
from ahtc.cases.models import Case, Fir, HandoverKind, HandoverStatus
from ahtc.cases.services._common import CaseError, _audit, _check_date
from ahtc.core.models import AuditAction


def _accepting_agency(case: Case) -> Organisation | None:
    """The FIA office that accepted the referral (share still active): it runs
    the proceedings once the case is transferred."""
    handover = (
        case.handovers.filter(
            kind=HandoverKind.REFER,
            status=HandoverStatus.ACCEPTED,
            to_organisation__kind=OrganisationKind.FIA,
            to_organisation__in=case.shares.filter(revoked_at__isnull=True).values("organisation"),
        )
        .select_related("to_organisation")
        .order_by("-answered_at", "-pk")
        .first()
    )
    return handover.to_organisation if handover else None


def _recording_agency(case: Case, by: Any) -> Organisation | None:
    """Who records a step of the proceedings: None for the cell; the agency
    once it runs them, and then only its users (the cell reads)."""
    if case.proceedings_organisation_id is None:
        return None
    if getattr(by, "organisation_id", None) != case.proceedings_organisation_id:
        raise CaseError(
            _("The agency running the proceedings records them; the cell follows them here."),
            refusal="proceedings refused: run by another agency",
        )
    if not case.shares.filter(
        organisation_id=case.proceedings_organisation_id, revoked_at__isnull=True
    ).exists():
        raise CaseError(
            _("The case is no longer shared with your agency; ask the cell."),
            refusal="proceedings refused: share ended",
        )
    return case.proceedings_organisation


def _recorded_by(case: Case, by: Any) -> Organisation | None:
    """The agency a row is recorded for (hearings and verdicts may also come
    from the prosecutor, who records them for the court, not for an agency)."""
    if case.proceedings_organisation_id == getattr(by, "organisation_id", None):
        return case.proceedings_organisation
    return None


# FIA registers its FIRs under the laws it enforces (FIA Act schedule).
AGENCY_FIR_ACTS = ("PTPA 2018", "PSMA 2018", "Emigration Ordinance 1979")


def agency_fir_provisions(case: Case, date: dt.date | None = None) -> Any:
    on = case.offence_date or date or timezone.localdate()
    return provisions_in_force(on, charges_only=True).filter(act__in=AGENCY_FIR_ACTS)


@transaction.atomic
def agency_fir_add(
    *,
    case: Case,
    by: Any,
    number: str,
    date: dt.date,
    station: str,
    provision_codes: Iterable[str],
) -> Fir:
    """The FIR of the agency running the proceedings: its circle (the agency
    itself) and its own police station, named as the agency writes it."""
    organisation = _recording_agency(case, by)
    if organisation is None:
        raise CaseError(_("The case is not run by an agency; record the cell's FIR."))
    if not station.strip():
        raise CaseError(_("Name the agency's police station."))
    _check_date(date, not_before=case.offence_date, before_what=_("the offence"))
    codes = list(dict.fromkeys(provision_codes))
    if not codes:
        raise CaseError(_("Choose at least one section."))
    in_force = {p.code: p for p in agency_fir_provisions(case, date)}
    unknown = [c for c in codes if c not in in_force]
    if unknown:
        raise CaseError(
            _("Not a section of PTPA, PSMA or the Emigration Ordinance in force: %(codes)s")
            % {"codes": ", ".join(unknown)}
        )
    try:
        with transaction.atomic():
            fir = Fir.objects.create(
                case=case,
                number=number.strip(),
                date=date,
                organisation=organisation,
                agency_station=station.strip()[:200],
                added_by=by,
            )
    except IntegrityError as exc:
        raise CaseError(_("This police station already has that FIR number on that date.")) from exc
    fir.provisions.set([in_force[c] for c in codes])
    _audit(by, case, f"FIR recorded by organisation {organisation.pk}", AuditAction.CREATE)
    return fir
