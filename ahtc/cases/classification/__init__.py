"""The classification assistant (issue 12): facts, rules, words.

`suggest(answers)` is a pure function. It returns the rules that fired, one
suggested classification, the candidate charges with the facts that triggered
each, notes that are not charges, the agency and its reason, flags and the
reasons to review. It never decides: the officer does, and
`services.classification_decide` stores the answers, the suggestion and the
officer's choice with the reason for every departure.
"""

from __future__ import annotations

from ahtc.cases.classification.facts import (
    ANSWERS_VERSION,
    FACT_KEYS,
    FACT_LABELS,
    FACTS,
    GROUPS,
    ILO_FACTS,
    STRONG_ILO,
    AgeEvidence,
    Answers,
    Direction,
    Fact,
    Tri,
    answers,
    legacy_answers,
    legacy_to_v2,
)
from ahtc.cases.classification.rules import (
    ENGINE_VERSION,
    PRIORITY,
    PTPA_IN_FORCE,
    RULES,
    Suggestion,
    suggest,
)
from ahtc.cases.classification.words import (
    DERIVED,
    TRAFFICKING,
    Agency,
    AgencyReason,
    Classification,
    Flag,
    Review,
    reason_label,
)

__all__ = [
    "ANSWERS_VERSION",
    "DERIVED",
    "ENGINE_VERSION",
    "FACTS",
    "FACT_KEYS",
    "FACT_LABELS",
    "GROUPS",
    "ILO_FACTS",
    "PRIORITY",
    "PTPA_IN_FORCE",
    "RULES",
    "STRONG_ILO",
    "TRAFFICKING",
    "AgeEvidence",
    "Agency",
    "AgencyReason",
    "Answers",
    "Classification",
    "Direction",
    "Fact",
    "Flag",
    "Review",
    "Suggestion",
    "Tri",
    "answers",
    "legacy_answers",
    "legacy_to_v2",
    "reason_label",
    "suggest",
]
