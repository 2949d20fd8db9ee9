"""An approved travel-agency inspection becomes an inspection on the agency.

Through the agencies app's own service (agencies.enforcement.inspection_record),
with the survey's SOP checklist mapped onto the registry's:

| survey answer          | registry checklist item        |
|------------------------|--------------------------------|
| staff_list_displayed   | employee_list_displayed        |
| licence_displayed      | licence_displayed              |
| advisory_displayed     | fraud_advisory_displayed       |
| receipts_issued        | records_kept                   |
| fee_schedule_displayed | fee_schedule_displayed         |

The schedule of fees is asked from version 2025.2 of the form; answers of
2025.1 record it as not seen and say so in the findings.

"Registered", "false promises" and the action taken go into the findings
text. A failed inspection gets its re-inspection day as any other (the
agencies app's rule). The agency is matched by findings_match.agency_match.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ahtc.accounts.models import User
from ahtc.agencies.enforcement import inspection_record
from ahtc.agencies.services import AgencyError
from ahtc.surveys.findings_match import (
    agency_answer,
    agency_match,
    link_made,
    link_record,
    not_matched,
    visit_day,
)
from ahtc.surveys.models import LinkKind, Submission
from ahtc.surveys.services import SurveyError

CHECKLIST = {
    "employee_list_displayed": "staff_list_displayed",
    "licence_displayed": "licence_displayed",
    "fraud_advisory_displayed": "advisory_displayed",
    "records_kept": "receipts_issued",
    "fee_schedule_displayed": "fee_schedule_displayed",
}
# Version 2025.1 of the form did not ask about the schedule of fees.
NOT_ASKED_BEFORE = "fee_schedule_displayed"


def checklist(answers: dict[str, Any]) -> dict[str, bool]:
    return {item: answers.get(question) == "yes" for item, question in CHECKLIST.items()}


def _said(answers: dict[str, Any], question: str) -> str:
    """An answer as the form's label in the reviewer's language (the code if
    the form has no such choice)."""
    from ahtc.surveys.builtin.forms import AGENCY

    value = str(answers.get(question, ""))
    if not value:
        return "—"
    choices = AGENCY.choices["action" if question == "action" else "yes_no"]
    for code, english, urdu in choices:
        if code == value:
            return urdu if (get_language() or "").startswith("ur") else english
    return value


def findings_text(submission: Submission) -> str:
    """Written in the reviewer's language at approval, like any typed note."""
    answers = submission.answers
    lines = [
        _("From the travel-agency inspection survey (submission %(pk)s, %(key)s).")
        % {"pk": submission.pk, "key": submission.key},
        _("Registered or licensed, as seen: %(answer)s.")
        % {"answer": _said(answers, "registered")},
        _("Visa or job promises that cannot be true: %(answer)s.")
        % {"answer": _said(answers, "false_promises")},
        _("Action taken on the visit: %(answer)s.") % {"answer": _said(answers, "action")},
    ]
    if NOT_ASKED_BEFORE not in answers:
        lines.append(_("The schedule of fees is not asked by the survey: recorded as not seen."))
    return "\n".join(lines)


def agency_inspection_record(submission: Submission, by: User) -> list[str]:
    """The approval hook of "ahtc_agency_inspection"."""
    agency = agency_match(submission)
    if agency is None:
        raise not_matched(LinkKind.AGENCY, agency_answer(submission))
    reference = f"agency {agency.pk}"
    if link_made(submission, LinkKind.AGENCY_INSPECTION) is not None:
        return [reference]
    try:
        items = checklist(submission.answers)
        inspection = inspection_record(
            agency=agency,
            by=by,
            on=visit_day(submission),
            employee_list_displayed=items["employee_list_displayed"],
            licence_displayed=items["licence_displayed"],
            fraud_advisory_displayed=items["fraud_advisory_displayed"],
            fee_schedule_displayed=items["fee_schedule_displayed"],
            records_kept=items["records_kept"],
            findings=findings_text(submission),
        )
    except AgencyError as exc:
        raise SurveyError(
            _("The inspection could not be recorded on %(agency)s: %(why)s")
            % {"agency": agency.name_en, "why": exc.message}
        ) from exc
    link_record(submission, by, LinkKind.AGENCY, agency, agency.name_en)
    link_record(submission, by, LinkKind.AGENCY_INSPECTION, inspection, agency.name_en)
    return [reference]
