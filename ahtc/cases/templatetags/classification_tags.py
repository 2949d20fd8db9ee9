"""The history of classification decisions, in words, for the case page and the PDF."""

from __future__ import annotations

from typing import Any

from django import template

from ahtc.cases.classification import AgencyReason, Flag, Review, reason_label
from ahtc.cases.models import Case, LegalProvision
from ahtc.cases.services.classification import CaseSummary, case_summary, departure_words

register = template.Library()


@register.simple_tag
def decision_history(case: Case, limit: int = 20) -> list[dict[str, Any]]:
    """Newest first: what was suggested and why, what was decided, and each
    departure from the suggestion in words. Three queries whatever the length."""
    decisions = list(
        case.decisions.select_related("decided_by", "victim__case").prefetch_related("provisions")[
            :limit
        ]
    )
    codes = {c for d in decisions for c in [*d.suggested_provisions, *(d.notes or [])]}
    labels = {p.code: p for p in LegalProvision.objects.filter(code__in=codes)}
    return [_entry(d, labels) for d in decisions]


def _entry(d: Any, labels: dict[str, LegalProvision]) -> dict[str, Any]:
    def name(code: str) -> str:
        p = labels.get(code)
        return f"{p.label} — {p.title}" if p else code

    because = d.because or {}
    return {
        "decision": d,
        "suggested": [
            {"name": name(c), "because": [reason_label(r) for r in because.get(c, [])]}
            for c in d.suggested_provisions
        ],
        "notes": [name(c) for c in d.notes or []],
        "review": [Review(r).label for r in d.review or [] if r in Review.values],
        "flags": [Flag(f).label for f in d.flags or [] if f in Flag.values],
        "agency_reason": AgencyReason(d.agency_reason).label
        if d.agency_reason in AgencyReason.values
        else "",
        "departures": departure_words(d.departures or []),
        "decided": list(d.provisions.all()),
        "whom": d.victim.pseudonym if d.victim_id else "",
    }


@register.simple_tag
def classification_summary(case: Case) -> CaseSummary:
    """The latest decision for each victim and what the case adds up to."""
    return case_summary(case)
