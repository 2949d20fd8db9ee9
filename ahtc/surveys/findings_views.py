"""Pages of the findings flow: the reviewer chooses (or creates) the kiln or
agency a submission is about; a cell officer opens a case from a consented
questionnaire. Rows are reached only through selectors.submission_for_user
(404 and an audit row outside the user's districts or roles)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Case, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ahtc.accounts.decorators import staff_view
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.agencies.models import AgencyKind, AgencyStatus
from ahtc.agencies.services import agency_create
from ahtc.core.errors import RuleError
from ahtc.labour.services import kiln_create
from ahtc.surveys import selectors as sel
from ahtc.surveys.findings_case import case_from_questionnaire
from ahtc.surveys.findings_forms import (
    ChooseAgencyForm,
    ChooseKilnForm,
    NewAgencyForm,
    NewKilnForm,
)
from ahtc.surveys.findings_match import (
    MATCHED,
    agencies_near,
    agency_answer,
    agency_match,
    kiln_answer,
    kiln_match,
    kilns_near,
    match_choose,
)
from ahtc.surveys.models import LinkKind, ReviewStatus, Submission
from ahtc.surveys.services import SurveyError

OPEN = {ReviewStatus.RECEIVED, ReviewStatus.ON_HOLD}


def _tehsil_first(rows: QuerySet[Any], submission: Submission, order: str) -> QuerySet[Any]:
    near = Case(When(tehsil=submission.tehsil_id, then=Value(0)), default=Value(1))
    ordered: QuerySet[Any] = rows.annotate(near=near).order_by("near", order)
    return ordered


def _forms(submission: Submission, kind: str, data: Any, action: str) -> tuple[Any, Any]:
    answers = submission.answers
    if kind == LinkKind.KILN:
        kilns = _tehsil_first(kilns_near(submission), submission, "reference")
        choose: Any = ChooseKilnForm(data if action == "choose" else None, kilns=kilns)
        create: Any = NewKilnForm(
            data if action == "create" else None, initial={"name": kiln_answer(submission)}
        )
        return choose, create
    agencies = _tehsil_first(agencies_near(submission), submission, "name_en")
    choose = ChooseAgencyForm(data if action == "choose" else None, agencies=agencies)
    registered = answers.get("registered") == "yes"
    initial = {
        "name_en": agency_answer(submission),
        "status": AgencyStatus.LICENSED if registered else AgencyStatus.UNREGISTERED,
        "kind": AgencyKind.TRAVEL_AGENT if registered else AgencyKind.UNREGISTERED,
    }
    return choose, NewAgencyForm(data if action == "create" else None, initial=initial)


@transaction.atomic
def _create(submission: Submission, kind: str, by: Any, data: dict[str, Any]) -> Any:
    if kind == LinkKind.KILN:
        target: Any = kiln_create(
            district=submission.district, by=by, tehsil=submission.tehsil, **data
        )
    else:
        target = agency_create(
            district=submission.district,
            by=by,
            tehsil=submission.tehsil,
            status_since=timezone.localdate(),
            **data,
        )
    return match_choose(submission=submission, by=by, target=target)


def _act(request: HttpRequest, submission: Submission, kind: str, forms: tuple[Any, Any]) -> bool:
    """Choose or create; a refusal goes on the form, keeping what was typed."""
    action = request.POST.get("action", "")
    form = forms[0] if action == "choose" else forms[1]
    if action not in {"choose", "create"} or not form.is_valid():
        return False
    try:
        if action == "choose":
            target = next(iter(form.cleaned_data.values()))
            match_choose(submission=submission, by=request.user, target=target)  # type: ignore[arg-type]
        elif not user_scope(request.user).permits(Perm.MANAGE_CASES, submission.district):
            raise SurveyError(_("Only the cell of the district adds to its registries."))
        else:
            _create(submission, kind, request.user, form.cleaned_data)
    except RuleError as exc:
        form.add_error(None, exc.message)
        return False
    return True


@staff_view(Perm.VIEW_WORKSPACE)
def match(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the kiln or agency an open submission is about, or create it."""
    submission = sel.submission_for_user(request.user, pk)
    kind = MATCHED.get(submission.instrument.form_id)
    if kind is None or submission.status not in OPEN:
        raise Http404
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _forms(submission, kind, request.POST or None, action)
    if request.method == "POST" and _act(request, submission, kind, forms):
        return redirect("cell:surveys:submission", pk=submission.pk)
    found = kiln_match(submission) if kind == LinkKind.KILN else agency_match(submission)
    context = {
        "submission": submission,
        "kind": kind,
        "answer": kiln_answer(submission) if kind == LinkKind.KILN else agency_answer(submission),
        "found": found,
        "choose": forms[0],
        "create": forms[1],
        "can_create": user_scope(request.user).permits(Perm.MANAGE_CASES, submission.district),
        "back": reverse("cell:surveys:submission", args=[submission.pk]),
    }
    return render(request, "surveys/match.html", context)


@require_POST
@staff_view(Perm.VIEW_WORKSPACE)
def open_case(request: HttpRequest, pk: int) -> HttpResponse:
    submission = sel.submission_for_user(request.user, pk)
    try:
        case = case_from_questionnaire(submission=submission, by=request.user)  # type: ignore[arg-type]
    except SurveyError as exc:
        messages.error(request, exc.message)
        return redirect("cell:surveys:submission", pk=submission.pk)
    messages.success(request, _("Case %(ref)s is opened.") % {"ref": case.reference})
    return redirect("cell:case", reference=case.reference)
