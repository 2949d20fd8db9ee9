"""The submission page's panel of what the findings flow matched and made."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from ahtc.surveys.findings_case import may_open_case
from ahtc.surveys.findings_match import MATCHED, agency_match, kiln_match
from ahtc.surveys.models import FindingLink, LinkKind, ReviewStatus, Submission

register = template.Library()
OPEN = {ReviewStatus.RECEIVED, ReviewStatus.ON_HOLD}


def link_url(link: FindingLink) -> str:
    if link.kind in {LinkKind.KILN, LinkKind.KILN_INSPECTION}:
        return reverse("cell:labour:kiln", args=[link.reference])
    if link.kind == LinkKind.CASE:
        return reverse("cell:case", args=[link.reference])
    from ahtc.agencies.models import Inspection

    if link.kind == LinkKind.AGENCY_INSPECTION:
        agency_id = Inspection.objects.filter(pk=link.object_id).values("agency_id")
        return reverse("cell:agencies:agency", args=[agency_id[0]["agency_id"]])
    return reverse("cell:agencies:agency", args=[link.object_id])


@register.inclusion_tag("surveys/findings_panel.html", takes_context=True)
def findings_panel(context: Any, submission: Submission) -> dict[str, Any]:
    user = context["request"].user
    kind = MATCHED.get(submission.instrument.form_id)
    waiting = kind is not None and submission.status in OPEN
    found: Any = None
    if waiting:
        found = kiln_match(submission) if kind == LinkKind.KILN else agency_match(submission)
    links = list(submission.links.all())
    return {
        "submission": submission,
        "findings": submission.instrument.form_id == "ahtc_workshop_children",
        "links": [(link, link_url(link)) for link in links],
        "kind": kind,
        "waiting": waiting,
        "found": found,
        "can_open_case": may_open_case(user, submission)
        and not any(link.kind == LinkKind.CASE for link in links),
    }
