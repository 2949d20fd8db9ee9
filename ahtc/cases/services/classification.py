"""The classification decision: what the assistant suggested and what the officer chose.

Every departure from the suggestion needs a reason (issue 12): another
classification or agency, leaving out a suggested charge, or going back on an
earlier decision that was itself a reasoned departure. A decision is for one
victim or for the case as a whole; the case's classification and agency are
the summary of the latest decision for each (`case_summary`). The decision stores the
suggestion as it was (charges in force on the offence date, the facts behind
each, notes, review reasons) and which departures the officer made.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ahtc.cases.classification import (
    ENGINE_VERSION,
    Answers,
    Classification,
    Flag,
    Suggestion,
    suggest,
)
from ahtc.cases.legal import charges_in_force, provisions_in_force
from ahtc.cases.models import Case, ClassificationDecision, Party
from ahtc.cases.services._common import CaseError, _audit


def offered_provisions(case: Case) -> Any:
    """Charges in force on the offence date (never provisions that are not offences)."""
    return charges_in_force(case.offence_date or timezone.localdate())


def case_suggestion(case: Case, answers: Answers) -> tuple[Answers, Suggestion]:
    """The suggestion for this case: the offence date is the case's, and only
    what the catalogue in the database holds for that date is kept."""
    if answers.offence_date is None and case.offence_date is not None:
        answers = dataclasses.replace(answers, offence_date=case.offence_date)
    suggestion = suggest(answers)
    day = case.offence_date or timezone.localdate()
    in_force = set(provisions_in_force(day).values_list("code", flat=True))
    suggestion.because = {c: r for c, r in suggestion.because.items() if c in in_force}
    suggestion.provisions = list(suggestion.because)
    suggestion.notes = [c for c in suggestion.notes if c in in_force]
    return answers, suggestion


def _departures(
    case: Case,
    suggestion: Suggestion,
    classification: str,
    agency: str,
    codes: list[str],
    victim: Party | None,
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if classification != suggestion.classification:
        out.append({"kind": "classification", "suggested": suggestion.classification})
    if agency != suggestion.agency:
        out.append({"kind": "agency", "suggested": suggestion.agency})
    dropped = [c for c in suggestion.provisions if c not in codes]
    if dropped:
        out.append({"kind": "dropped", "codes": dropped})
    last = case.decisions.filter(victim=victim).prefetch_related("provisions").first()
    if last is not None and last.override_reason:
        before = {p.code for p in last.provisions.all()}
        if (last.classification, last.agency, before) != (classification, agency, set(codes)):
            out.append({"kind": "reverted", "decision": last.pk})
    return out


DEPARTURE_WORDS = {
    "classification": _("you chose another classification"),
    "agency": _("you chose another agency"),
    "dropped": _("you left out suggested sections (%(codes)s)"),
    "reverted": _("you changed an earlier decision that gave a reason"),
}


def departure_words(departures: list[dict[str, Any]]) -> list[str]:
    words = []
    for d in departures:
        text = DEPARTURE_WORDS.get(d.get("kind", ""), d.get("kind", ""))
        words.append(
            str(text) % {"codes": ", ".join(d.get("codes", []))} if d.get("codes") else str(text)
        )
    return words


@transaction.atomic
def classification_decide(
    *,
    case: Case,
    by: Any,
    answers: Answers,
    classification: str,
    agency: str,
    provision_codes: Iterable[str],
    override_reason: str = "",
    victim: Party | None = None,
) -> ClassificationDecision:
    if victim is not None and (victim.case_id != case.pk or not victim.is_protected):
        raise CaseError(_("Choose one of this case's victims."))
    answers, suggestion = case_suggestion(case, answers)
    if classification not in Classification.values or classification == Classification.OTHER:
        raise CaseError(_("Choose a classification from the list."))
    in_force = {p.code: p for p in offered_provisions(case)}
    codes = list(dict.fromkeys(provision_codes))
    unknown = [c for c in codes if c not in in_force]
    if unknown:
        raise CaseError(
            _("Not an offence in force on the offence date: %(codes)s")
            % {"codes": ", ".join(unknown)}
        )
    reason = override_reason.strip()
    if (
        classification == Classification.LABOUR_VIOLATION
        and Flag.POSSIBLE_FORCED_LABOUR in suggestion.flags
        and not reason
    ):
        raise CaseError(
            _("Forced-labour indicators were found: say why this is only a labour-law violation.")
        )
    departures = _departures(case, suggestion, classification, agency, codes, victim)
    if departures and not reason:
        raise CaseError(
            _("You chose differently from the suggestion: give the reason (%(what)s).")
            % {"what": "; ".join(departure_words(departures))}
        )
    decision = ClassificationDecision.objects.create(
        case=case,
        victim=victim,
        engine_version=ENGINE_VERSION,
        answers=answers.to_json(),
        rules=suggestion.rules,
        suggested_classification=suggestion.classification,
        suggested_provisions=suggestion.provisions,
        suggested_agency=suggestion.agency,
        flags=suggestion.flags,
        because=suggestion.because,
        notes=suggestion.notes,
        review=suggestion.review,
        agency_reason=suggestion.agency_reason,
        departures=departures,
        classification=classification,
        agency=agency,
        override_reason=reason,
        decided_by=by,
    )
    decision.provisions.set([in_force[c] for c in codes])
    summary = case_summary(case)
    case.classification = summary.classification
    case.agency = summary.agency
    case.save(update_fields=["classification", "agency", "updated_at"])
    rules = ",".join(str(r) for r in suggestion.rules) or "none"
    kinds = ",".join(d["kind"] for d in departures) or "none"
    whom = victim.pseudonym if victim is not None else "the case"
    _audit(by, case, f"classified {classification} for {whom} (rules {rules}; departures {kinds})")
    return decision


# Most serious first: the case is summarised by the most serious of the latest
# decision for each victim. A child trafficked outweighs an adult; any
# trafficking outweighs the offences that may lead to it; "needs review" only
# when nothing was decided firmly.
SERIOUSNESS = [
    Classification.TRAFFICKING_CHILD,
    Classification.SMUGGLING_TO_TRAFFICKING,
    Classification.TRAFFICKING_ADULT,
    Classification.TRAFFICKING_AGE_UNKNOWN,
    Classification.BONDED_LABOUR,
    Classification.FORCED_MARRIAGE,
    Classification.KIDNAPPING,
    Classification.EMIGRATION_FRAUD,
    Classification.SMUGGLING,
    Classification.LABOUR_VIOLATION,
    Classification.NEEDS_REVIEW,
    Classification.OTHER,
]


@dataclasses.dataclass
class CaseSummary:
    """The latest decision for each victim (and for the case as a whole, if one
    was made), and what they add up to."""

    latest: list[ClassificationDecision]
    classification: str
    agency: str
    provisions: list[Any]
    agencies_differ: bool
    review: int  # how many of the latest decisions need review

    @property
    def per_victim(self) -> bool:
        return any(d.victim_id is not None for d in self.latest)

    @property
    def label(self) -> str:
        if self.classification in Classification.values:
            return str(Classification(self.classification).label)
        return self.classification


def case_summary(case: Case) -> CaseSummary:
    """Two queries: every decision's subject, kind and date; the latest ones'
    sections. The agency is the most serious decision's."""
    seen: set[int | None] = set()
    latest_ids = []
    for pk, victim_id in case.decisions.order_by("-decided_at", "-pk").values_list(
        "pk", "victim_id"
    ):
        if victim_id not in seen:
            seen.add(victim_id)
            latest_ids.append(pk)
    latest = list(
        ClassificationDecision.objects.filter(pk__in=latest_ids)
        .select_related("victim__case", "decided_by")
        .prefetch_related("provisions")
        # The case as a whole first, then the victims by their number.
        .order_by(F("victim__number").asc(nulls_first=True), "-decided_at")
    )
    if not latest:
        return CaseSummary([], case.classification, case.agency, [], False, 0)
    rank = {str(c): i for i, c in enumerate(SERIOUSNESS)}
    worst = min(latest, key=lambda d: (rank.get(d.classification, len(rank)), -d.pk))
    provisions: dict[str, Any] = {}
    for d in latest:
        for p in d.provisions.all():
            provisions.setdefault(p.code, p)
    return CaseSummary(
        latest=latest,
        classification=worst.classification,
        agency=worst.agency,
        provisions=sorted(provisions.values(), key=lambda p: p.code),
        agencies_differ=len({d.agency for d in latest}) > 1,
        review=sum(1 for d in latest if d.classification == Classification.NEEDS_REVIEW),
    )
