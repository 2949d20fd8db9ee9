"""Findings flow from approved submissions into the registries.

- Workshop child-labour survey: every child recorded in an approved
  submission becomes a child-labour finding (ahtc.labour.services.
  finding_create), found by the reviewer on the day of the visit. A child
  that cannot be recorded (an age of 18 or more, a visit in the future)
  stops the approval with the reason, so nothing is half done.
- Brick-kiln survey and travel-agency inspection: the kiln and agency
  registries (their own apps) hear of approved submissions by registering a
  hook for "ahtc_brick_kiln" / "ahtc_agency_inspection" with
  `surveys.services.approval_hook_register(form_id, hook)` in their
  AppConfig.ready(); the hook gets the submission and the reviewer and
  returns the references it made, kept on the submission. Nothing is
  registered for them here.
- Returned-migrant questionnaire: `case_consent` = yes marks the
  respondent's consent to a case; opening one stays the cell's decision.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.accounts.models import User
from ahtc.surveys.models import Submission
from ahtc.surveys.services import SurveyError, approval_hook_register

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
