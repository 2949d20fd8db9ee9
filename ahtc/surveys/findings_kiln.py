"""An approved brick-kiln survey becomes a survey visit on the kiln's record.

Through the labour app's own services: an inspection of kind "survey" on
the kiln (findings_match.kiln_match: never a guess) with the violations the
answers show, and the wage seen per 1,000 bricks with the rate notified
that day (labour.services.wage_record). The families interviewed have no
names in the survey, so they are not workers of the registry (a worker is a
person); what they said goes into the visit's notes as counts and amounts,
and an advance above the legal limit in force that day (labour's
`limit_on`) is a violation of the visit.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from ahtc.accounts.models import User
from ahtc.labour.models import BrickKiln, EvidenceKind, InspectionKind, Violation, WageBasis
from ahtc.labour.services import LabourError, inspection_record, limit_on, wage_record
from ahtc.surveys.findings_match import (
    kiln_answer,
    kiln_match,
    link_made,
    link_record,
    not_matched,
    visit_day,
)
from ahtc.surveys.models import LinkKind, Submission
from ahtc.surveys.services import SurveyError


def _number(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _families(answers: dict[str, Any]) -> list[dict[str, Any]]:
    return [row for row in answers.get("family", []) if isinstance(row, dict)]


def violations(answers: dict[str, Any], limit: int | None) -> list[str]:
    """The labour registry's violations the answers show (docs/surveys.md)."""
    families = _families(answers)
    paid, rate = _number(answers.get("wage_paid")), _number(answers.get("notified_rate"))
    advances = [_number(f.get("family/advance")) or 0 for f in families]
    bonded = answers.get("movement_restricted") == "yes" or any(
        f.get("family/debt_bondage") == "yes" for f in families
    )
    found = {
        Violation.BELOW_MINIMUM_WAGE: paid is not None and rate is not None and paid < rate,
        Violation.NO_CONTRACT: answers.get("written_contract") == "no",
        Violation.NO_SOCIAL_SECURITY: answers.get("eobi") == "no",
        Violation.CHILDREN_WORKING: (_number(answers.get("children_working")) or 0) > 0,
        Violation.BONDED_LABOUR: bonded,
        Violation.ADVANCE_ABOVE_LIMIT: limit is not None and any(a > limit for a in advances),
    }
    return sorted(str(v) for v, seen in found.items() if seen)


def notes(submission: Submission, limit: int | None) -> str:
    """What the families said, as counts and amounts: no names."""
    families = _families(submission.answers)
    advances = [_number(f.get("family/advance")) or 0 for f in families]
    bonded = sum(f.get("family/debt_bondage") == "yes" for f in families)
    # Written in the reviewer's language at approval, like any typed note.
    lines = [
        _("From the brick-kiln survey (submission %(pk)s, %(key)s).")
        % {"pk": submission.pk, "key": submission.key},
        _("Families interviewed: %(families)s; working off an advance: %(bonded)s.")
        % {"families": len(families), "bonded": bonded},
    ]
    if advances:
        lines.append(
            _("Advances owed: PKR %(total)s in all, the highest PKR %(highest)s.")
            % {"total": sum(advances), "highest": max(advances)}
        )
    if limit is not None:
        above = sum(a > limit for a in advances)
        lines.append(
            _("Above the legal limit of PKR %(limit)s that day: %(above)s.")
            % {"limit": limit, "above": above}
        )
    children = _number(submission.answers.get("children_working")) or 0
    lines.append(_("Children seen working: %(children)s.") % {"children": children})
    return "\n".join(lines)


def _wage(kiln: BrickKiln, submission: Submission, by: User, inspection: Any) -> None:
    paid = _number(submission.answers.get("wage_paid"))
    if paid and paid > 0:
        wage_record(
            kiln=kiln,
            by=by,
            observed_on=visit_day(submission),
            basis=WageBasis.PER_1000_BRICKS,
            amount=Decimal(paid),
            evidence=EvidenceKind.STATEMENTS,
            inspection=inspection,
        )


def kiln_survey_record(submission: Submission, by: User) -> list[str]:
    """The approval hook of "ahtc_brick_kiln"; refuses (and the approval
    waits) while the kiln is not matched."""
    kiln = kiln_match(submission)
    if kiln is None:
        raise not_matched(LinkKind.KILN, kiln_answer(submission))
    if link_made(submission, LinkKind.KILN_INSPECTION) is not None:
        return [kiln.reference]
    day = visit_day(submission)
    limit = limit_on(day)
    amount = limit.amount if limit is not None else None
    try:
        inspection = inspection_record(
            by=by,
            kiln=kiln,
            kind=InspectionKind.SURVEY,
            inspected_on=day,
            violations=violations(submission.answers, amount),
            notes=notes(submission, amount),
        )
        _wage(kiln, submission, by, inspection)
    except LabourError as exc:
        raise SurveyError(
            _("The visit could not be recorded on kiln %(kiln)s: %(why)s")
            % {"kiln": kiln.reference, "why": exc.message}
        ) from exc
    link_record(submission, by, LinkKind.KILN, kiln, kiln.reference)
    link_record(submission, by, LinkKind.KILN_INSPECTION, inspection, kiln.reference)
    return [kiln.reference]
