"""Opening a case from a returned migrant's questionnaire, with consent.

The respondent's answer to `case_consent` ("Does the respondent agree that
the cell opens a case against the agent?") is the consent; without "yes"
(and the interview's own `consent` = yes) no case is opened, and the
attempt is audited as refused. Only a cell officer or head of the
submission's district (*manage cases* there, and reading the row) opens it,
only from an approved questionnaire, and only once: the case records the
questionnaire as its source (origin "survey finding", the submission in
its summary, and a FindingLink back), so a second press finds the first.
The questionnaire holds no names; the officer adds the parties on the case.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ahtc.accounts.models import User
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction, AuditOutcome
from ahtc.surveys.findings_match import MIGRANT_FORM, link_made, visit_day
from ahtc.surveys.models import FindingLink, LinkKind, ReviewStatus, Submission
from ahtc.surveys.services import SurveyError


def consented(submission: Submission) -> bool:
    answers = submission.answers
    return answers.get("consent") == "yes" and answers.get("case_consent") == "yes"


def may_open_case(user: Any, submission: Submission) -> bool:
    """Whether the button is offered: the questionnaire, approved, consented,
    no case yet, and the user runs cases in its district."""
    return (
        submission.instrument.form_id == MIGRANT_FORM
        and submission.status == ReviewStatus.APPROVED
        and consented(submission)
        and user_scope(user).permits(Perm.MANAGE_CASES, submission.district)
    )


def _summary(submission: Submission) -> str:
    answers = submission.answers
    legs = [row for row in answers.get("leg", []) if isinstance(row, dict)]
    paid = sum(int(row.get("leg/leg_paid") or 0) for row in legs)
    return (
        f"Opened from the returned-migrant questionnaire (survey submission "
        f"{submission.pk}, {submission.key}, collected on {visit_day(submission).isoformat()}). "
        f"The respondent agreed that the cell opens a case against the agent. "
        f"Recruiter: {answers.get('recruiter', '—')}; destination: "
        f"{answers.get('destination', '—')}; stages of the journey: {len(legs)}; "
        f"paid in all: PKR {paid}."
    )


def _refuse(by: User, submission: Submission, why: str, message: str) -> SurveyError:
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        outcome=AuditOutcome.REFUSED,
        target=submission,
        area_code=submission.district.code,
        reason=f"case from questionnaire refused: {why}",
    )
    return SurveyError(message)


def _check(submission: Submission, by: User) -> None:
    if submission.instrument.form_id != MIGRANT_FORM:
        raise _refuse(
            by, submission, "not the questionnaire", _("Only a questionnaire opens a case.")
        )
    if not user_scope(by).permits(Perm.MANAGE_CASES, submission.district):
        raise _refuse(by, submission, "no case role", _("You do not open cases in this district."))
    if submission.status != ReviewStatus.APPROVED:
        raise _refuse(
            by, submission, "not approved", _("Approve the questionnaire before opening a case.")
        )
    if not consented(submission):
        raise _refuse(
            by,
            submission,
            "no consent",
            _("The respondent did not agree to a case: no case can be opened from it."),
        )


def case_from_questionnaire(*, submission: Submission, by: User) -> Any:
    """Open the case, or refuse with the reason (refusals audited)."""
    from ahtc.cases.models import Case

    _check(submission, by)
    made = link_made(submission, LinkKind.CASE)
    if made is not None:
        raise SurveyError(
            _("A case was already opened from this questionnaire: %(ref)s.")
            % {"ref": made.reference}
        )
    try:
        case = _open(submission, by)
    except IntegrityError as exc:  # two officers at the same moment: one case
        raise SurveyError(_("A case was already opened from this questionnaire.")) from exc
    return Case.objects.get(pk=case.pk)


@transaction.atomic
def _open(submission: Submission, by: User) -> Any:
    from ahtc.cases import services as cases
    from ahtc.cases.models import Origin

    case = cases.case_open(
        district=submission.district,
        by=by,
        title=_("Returned migrant: questionnaire %(key)s") % {"key": submission.key[:40]},
        origin=Origin.SURVEY,
        summary=_summary(submission),
    )
    FindingLink.objects.create(
        submission=submission,
        kind=LinkKind.CASE,
        object_id=case.pk,
        reference=case.reference,
        by=by,
    )
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        target=submission,
        area_code=submission.district.code,
        reason=f"case {case.reference} opened from the questionnaire",
    )
    return case
