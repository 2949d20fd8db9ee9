"""Findings flow from approved submissions into the registries.

- Workshop child-labour survey: every child recorded in an approved
  submission becomes a child-labour finding (ahtc.labour.services.
  finding_create), found by the reviewer on the day of the visit. A child
  that cannot be recorded (an age of 18 or more, a visit in the future)
  stops the approval with the reason, so nothing is half done.
- Brick-kiln survey (findings_kiln.py) and travel-agency inspection
  (findings_agency.py): a survey visit on the kiln, an inspection with the
  SOP checklist on the agency, each through its own app's services. The
  record is matched, never guessed (findings_match.py); an unmatched one
  stops the approval until the reviewer chooses the record or creates it.
  The hooks are registered here rather than in the labour and agencies
  apps' ready(): they read the survey's answers, so the dependency stays
  surveys -> registries, never back.
- Returned-migrant questionnaire: `case_consent` = yes lets a cell officer
  of the district open a case from it (findings_case.py): the cell's
  decision, refused without consent, audited.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.accounts.models import User
from ahtc.surveys.findings_agency import agency_inspection_record
from ahtc.surveys.findings_kiln import kiln_survey_record
from ahtc.surveys.findings_match import AGENCY_FORM, KILN_FORM
from ahtc.surveys.models import ReviewStatus, Submission
from ahtc.surveys.services import APPROVAL_HOOKS, SurveyError, approval_hook_register

WORKSHOP = "ahtc_workshop_children"
PLACES = {
    "auto": "workshop_auto",
    "electrical": "workshop_electrical",
    "manufacturing": "workshop_manufacturing",
}
SEXES = {"male": "masculine", "female": "feminine", "transgender": "non_conforming"}


def _child_values(answers: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    from ahtc.labour.models import Hazard

    hazards = str(child.get("child/hazards", "")).split()
    return {
        "name_latin": str(child.get("child/child_name", "")).strip(),
        "sex": SEXES.get(str(child.get("child/child_sex", "")), "unknown"),
        "age_years": int(child["child/child_age"]),
        "age_evidence": str(child.get("child/age_evidence", "statement")),
        "place_kind": PLACES.get(str(answers.get("workshop_kind", "")), "workshop_other"),
        "place_description": str(answers.get("workshop_name", ""))[:300],
        "hours_per_day": int(child["child/hours"]),
        "schooling": str(child.get("child/schooling", "never_enrolled")),
        "hazards": [h for h in hazards if h in Hazard.values],
    }


def workshop_children_record(submission: Submission, by: User) -> list[str]:
    from ahtc.labour.services import FindingError, finding_create

    answers = submission.answers
    found_on = submission.collected_on or timezone.localdate()
    references = []
    for number, child in enumerate(answers.get("child", []), start=1):
        try:
            finding = finding_create(
                district=submission.district,
                tehsil=submission.tehsil,
                by=by,
                found_on=found_on,
                **_child_values(answers, child),
            )
        except (FindingError, KeyError, ValueError) as exc:
            reason = getattr(exc, "message", _("an answer is missing or not a number"))
            raise SurveyError(
                _("Child %(n)s could not be recorded as a child-labour finding: %(why)s")
                % {"n": number, "why": reason}
            ) from exc
        references.append(finding.reference)
    return references


approval_hook_register(WORKSHOP, workshop_children_record)
approval_hook_register(KILN_FORM, kiln_survey_record)
approval_hook_register(AGENCY_FORM, agency_inspection_record)


@transaction.atomic
def findings_apply(*, submission: Submission, by: User) -> list[str]:
    """Run the flow for a submission approved without it (the demo's bulk
    approval, or approvals made before a hook existed). Each hook records
    once (FindingLink), so running it again adds nothing."""
    if submission.status != ReviewStatus.APPROVED:
        raise SurveyError(_("Only an approved submission flows into the registries."))
    if submission.instrument.form_id == WORKSHOP and submission.outcomes:
        return list(submission.outcomes)  # the children are recorded already
    made = [
        ref
        for hook in APPROVAL_HOOKS.get(submission.instrument.form_id, [])
        for ref in hook(submission, by)
    ]
    new = [ref for ref in made if ref not in submission.outcomes]
    if new:
        submission.outcomes = [*submission.outcomes, *new]
        submission.save(update_fields=["outcomes", "updated_at"])
    return made
