"""Opening the case file: the case itself, its citizen reports, parties and timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import Organisation
from ahtc.cases.models import Case, CaseCounter, CaseEvent, Origin, Party, PartyRole
from ahtc.cases.references import case_reference
from ahtc.cases.services._common import CaseError, _audit, _next_number
from ahtc.core.models import AuditAction
from ahtc.core.sequence import next_in_sequence
from ahtc.geography.models import Area
from ahtc.people.models import Person


@transaction.atomic
def case_open(
    *,
    district: Area,
    by: Any,
    title: str,
    origin: str,
    summary: str = "",
    tip: Any = None,
    referred_by: Organisation | None = None,
    offence_date: dt.date | None = None,
    lead_officer: Any = None,
    opened_on: dt.date | None = None,
    split_reason: str = "",
) -> Case:
    """A report leads to one case; a second case is opened from it only as a
    deliberate split, with `split_reason` (the report stays with its case)."""
    if origin == Origin.TIP and tip is None:
        raise CaseError(_("Choose the citizen report this case comes from."))
    if tip is not None and tip.district_id and tip.district_id != district.pk:
        raise CaseError(_("The citizen report belongs to another district."))
    split = _is_split(tip, split_reason)
    if origin == Origin.REFERRAL and referred_by is None:
        raise CaseError(_("Say which agency referred the case."))
    year = (opened_on or timezone.localdate()).year
    number = next_in_sequence(CaseCounter, district=district, year=year)
    case = Case.objects.create(
        reference=case_reference(district.code, year, number),
        district=district,
        year=year,
        number=number,
        title=title,
        summary=summary,
        origin=origin,
        tip=tip,
        referred_by=referred_by,
        offence_date=offence_date,
        lead_officer=lead_officer,
        opened_by=by,
        tip_split=split,
        split_reason=split_reason.strip() if split else "",
    )
    if opened_on is not None:
        Case.objects.filter(pk=case.pk).update(
            created_at=timezone.make_aware(dt.datetime.combine(opened_on, dt.time(10)))
        )
    _audit(by, case, f"opened from {origin}{' (split)' if split else ''}", AuditAction.CREATE)
    if tip is not None and not split:
        from ahtc.portal.services import tip_link

        tip_link(tip=tip, case=case, by=by)
    return case


def _is_split(tip: Any, split_reason: str) -> bool:
    """Whether a case from `tip` would be a second one (refused without a
    reason). The report row is locked, so two officers cannot both open the
    'first' case from it at once."""
    if tip is None:
        return False
    from ahtc.portal.models import Tip

    locked = Tip.objects.select_for_update().get(pk=tip.pk)
    existing = (locked.case if locked.case_id else None) or Case.objects.filter(
        tip=tip, tip_split=False
    ).first()
    if existing is None:
        return False
    if not split_reason.strip():
        raise CaseError(
            _(
                "Report %(report)s already belongs to case %(case)s. Open it there, or say "
                "why this report needs a second case."
            )
            % {"report": tip.reference, "case": existing.reference}
        )
    return True


@transaction.atomic
def case_link_reports(*, case: Case, tips: Iterable[Any], by: Any) -> list[Any]:
    """Link citizen reports to `case` ("linked to a case"): all or none. A
    report of another district, or already part of another case, is refused."""
    from ahtc.portal.services import tip_link

    tips = list(tips)
    wrong_district = [t.reference for t in tips if t.district_id != case.district_id]
    if wrong_district:
        raise CaseError(
            _("Not in the district of case %(case)s: %(reports)s")
            % {"case": case.reference, "reports": ", ".join(wrong_district)}
        )
    elsewhere = [t.reference for t in tips if t.case_id not in (None, case.pk)]
    if elsewhere:
        raise CaseError(
            _("Already part of another case: %(reports)s") % {"reports": ", ".join(elsewhere)}
        )
    linked = [tip_link(tip=tip, case=case, by=by) for tip in tips]
    _audit(by, case, f"{len(linked)} citizen report(s) linked")
    return linked


# --- parties ------------------------------------------------------------------


@transaction.atomic
def party_add(
    *,
    case: Case,
    by: Any,
    role: str,
    person: Person | None = None,
    organisation_name: str = "",
    note: str = "",
) -> Party:
    """Guard rails: a victim or smuggled migrant is never also a suspect in the
    same case (PTPA: victims are not liable; Smuggling Protocol Art. 5)."""
    if person is None and not organisation_name.strip():
        raise CaseError(_("Choose a person or give the organisation's name."))
    runs = case.proceedings_organisation_id
    # The agency running the proceedings (FIA after a transfer) adds the
    # accused it finds; victims and witnesses stay the cell's to record.
    agency = runs is not None and getattr(by, "organisation_id", None) == runs
    if agency and not Party(role=role).is_suspect:
        raise CaseError(
            _("The agency adds the accused; ask the cell to add victims and witnesses."),
            refusal="party refused: an agency adds accused only",
        )
    if person is not None:
        roles = set(case.parties.filter(person=person).values_list("role", flat=True))
        if role in roles:
            raise CaseError(_("This person already has that role in the case."))
        new_is_suspect = Party(role=role).is_suspect
        protected = {PartyRole.VICTIM, PartyRole.SMUGGLED_MIGRANT}
        if new_is_suspect and roles & protected:
            raise CaseError(
                _(
                    "A victim or smuggled migrant cannot be made a suspect in the same case: "
                    "the law does not punish them for what was done to them."
                )
            )
        if role in protected and any(Party(role=r).is_suspect for r in roles):
            raise CaseError(_("This person is a suspect in the case; remove that role first."))
    number = _next_number(case.parties)
    party = Party.objects.create(
        case=case,
        person=person,
        organisation_name=organisation_name.strip(),
        role=role,
        number=number,
        note=note,
        added_by=by,
    )
    _audit(by, case, f"party added ({role})")
    return party


@transaction.atomic
def party_mark_warned(*, party: Party, by: Any) -> Party:
    if not party.is_suspect:
        raise CaseError(_("Only a suspect can be questioned and warned."))
    party.questioned_and_warned = True
    party.save(update_fields=["questioned_and_warned", "updated_at"])
    _audit(by, party.case, "suspect questioned and warned")
    return party


# --- timeline -----------------------------------------------------------------


@transaction.atomic
def event_add(
    *,
    case: Case,
    by: Any,
    kind: str,
    date: dt.date | None = None,
    country: str = "PK",
    place: str = "",
    area: Area | None = None,
    amount_pkr: int | None = None,
    description: str = "",
) -> CaseEvent:
    if date is not None and date > timezone.localdate():
        raise CaseError(_("The date is in the future."))
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        date=date,
        country=country.upper(),
        place=place,
        area=area if country.upper() == "PK" else None,
        amount_pkr=amount_pkr,
        description=description,
        added_by=by,
    )
    _audit(by, case, f"timeline event {kind}")
    return event


def case_route(case: Case) -> list[str]:
    """Countries in the order the case passed through them, repeats collapsed."""
    route: list[str] = []
    for country in case.events.exclude(kind="Payment").values_list("country", flat=True):
        if not route or route[-1] != country:
            route.append(country)
    return route
