"""Which kiln or agency of the registries a survey submission is about.

Never a guess: a kiln is matched by its registry reference or its Labour
Department registration number in the submission's district, or by its
exact trade name within the submission's tehsil; an agency by a licence
number recorded for it in the district, or by its exact name (the registry's
own duplicate key, agencies/names.name_key) within the tehsil. Anything else,
including two kilns of the same name, is left to the reviewer, who chooses
the record (or creates it) before approving; the choice is kept as a
FindingLink and wins over any automatic match.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from ahtc.accounts.models import User
from ahtc.agencies.models import Agency
from ahtc.agencies.names import licence_key, name_key
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.labour.models import BrickKiln
from ahtc.surveys.models import FindingLink, LinkKind, ReviewStatus, Submission
from ahtc.surveys.services import SurveyError

KILN_FORM = "ahtc_brick_kiln"
AGENCY_FORM = "ahtc_agency_inspection"
MIGRANT_FORM = "ahtc_returned_migrant"
M = TypeVar("M", BrickKiln, Agency)
MATCHED = {KILN_FORM: LinkKind.KILN, AGENCY_FORM: LinkKind.AGENCY}


def _plain(text: Any) -> str:
    return " ".join(str(text or "").split())


def kiln_answer(submission: Submission) -> str:
    return _plain(submission.answers.get("kiln_name"))


def agency_answer(submission: Submission) -> str:
    return _plain(submission.answers.get("agency_name"))


def _one(rows: QuerySet[M]) -> M | None:
    found = list(rows[:2])
    return found[0] if len(found) == 1 else None


def kilns_near(submission: Submission) -> QuerySet[BrickKiln]:
    """The kilns the reviewer chooses from: the district's, the tehsil's first."""
    return BrickKiln.objects.filter(district=submission.district).select_related("tehsil")


def agencies_near(submission: Submission) -> QuerySet[Agency]:
    return Agency.objects.filter(district=submission.district).select_related("tehsil")


def _linked(submission: Submission, kind: str) -> FindingLink | None:
    return FindingLink.objects.filter(submission=submission, kind=kind).first()


def kiln_match(submission: Submission) -> BrickKiln | None:
    """The kiln the reviewer chose, else the one the answer names exactly."""
    chosen = _linked(submission, LinkKind.KILN)
    if chosen is not None:
        return BrickKiln.objects.get(pk=chosen.object_id)
    answer = kiln_answer(submission)
    if not answer:
        return None
    kilns = kilns_near(submission)
    numbered = Q(reference__iexact=answer) | Q(labour_registration__iexact=answer)
    by_number = _one(kilns.filter(numbered))
    if by_number is not None or submission.tehsil_id is None:
        return by_number
    return _one(kilns.filter(tehsil=submission.tehsil_id, name__iexact=answer))


def agency_match(submission: Submission) -> Agency | None:
    chosen = _linked(submission, LinkKind.AGENCY)
    if chosen is not None:
        return Agency.objects.get(pk=chosen.object_id)
    agencies = agencies_near(submission)
    number = licence_key(_plain(submission.answers.get("licence_number")))
    if number:
        found = _one(agencies.filter(licences__number_key=number).distinct())
        if found is not None:
            return found
    key = name_key(agency_answer(submission))
    if not key:
        return None
    rows = agencies.filter(name_key=key)
    if submission.tehsil_id is not None:
        rows = rows.filter(Q(tehsil=submission.tehsil_id) | Q(tehsil__isnull=True))
    return _one(rows)


def not_matched(kind: str, answer: str) -> SurveyError:
    """The approval waits: the reviewer is told to choose or create the record."""
    if kind == LinkKind.KILN:
        text = _("Kiln “%(answer)s”: not matched — choose the kiln or create it, then approve.")
    else:
        text = _("Agency “%(answer)s”: not matched — choose the agency or create it, then approve.")
    return SurveyError(text % {"answer": answer or "—"})


@transaction.atomic
def match_choose(*, submission: Submission, by: User, target: BrickKiln | Agency) -> FindingLink:
    """The reviewer says which kiln or agency an open submission is about."""
    kind = MATCHED.get(submission.instrument.form_id)
    expected = BrickKiln if kind == LinkKind.KILN else Agency
    if kind is None or not isinstance(target, expected):
        raise SurveyError(_("This survey is not matched to a registry."))
    if submission.status not in {ReviewStatus.RECEIVED, ReviewStatus.ON_HOLD}:
        raise SurveyError(_("The submission is reviewed; its match can no longer change."))
    if target.district_id != submission.district_id:
        raise SurveyError(_("Choose a record of the submission's district."))
    reference = getattr(target, "reference", "") or str(target)
    try:
        with transaction.atomic():
            link, _created = FindingLink.objects.update_or_create(
                submission=submission,
                kind=kind,
                defaults={"object_id": target.pk, "reference": reference[:60], "by": by},
            )
    except IntegrityError as exc:  # chosen twice at the same moment
        raise SurveyError(_("Someone chose at the same moment; look again.")) from exc
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=submission,
        area_code=submission.district.code,
        reason=f"survey matched to {kind} {target.pk}",
    )
    return link


def link_made(submission: Submission, kind: str) -> FindingLink | None:
    """What an earlier run of the flow recorded (so it is not recorded twice)."""
    return _linked(submission, kind)


def link_record(submission: Submission, by: User, kind: str, target: Any, reference: str) -> None:
    FindingLink.objects.get_or_create(
        submission=submission,
        kind=kind,
        defaults={"object_id": target.pk, "reference": reference[:60], "by": by},
    )


def visit_day(submission: Submission) -> dt.date:
    from django.utils import timezone

    return submission.collected_on or timezone.localdate()
