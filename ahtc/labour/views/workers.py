"""Worker pages: add a worker (a person) to a kiln or workshop, the worker's
page (by number, never by name), advances checked against the legal limit,
repayments, and registration with EOBI and other schemes.

Cell staff and the Labour Department's liaisons of the district record;
investigating officers read; everyone else gets 404 (audited) from the
access functions, and a reader who tries to record gets 403 (audited).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.accounts.decorators import refused, staff_view
from ahtc.accounts.roles import Perm
from ahtc.core.errors import RuleError
from ahtc.core.templatetags.figures import rupees
from ahtc.labour import forms_registry as f
from ahtc.labour import services as s
from ahtc.labour.models import EnrolmentStatus, Scheme, SchemeEnrolment, Worker
from ahtc.labour.selectors import (
    kiln_for_user,
    registry_access,
    worker_for_user,
    workshop_for_user,
)

NEXT_STEP = {
    EnrolmentStatus.APPLIED: EnrolmentStatus.REGISTERED,
    EnrolmentStatus.REGISTERED: EnrolmentStatus.CARD_ISSUED,
}


def place_url(place: Any) -> str:
    name = "kiln" if place._meta.model_name == "brickkiln" else "workshop"
    return reverse(f"cell:labour:{name}", args=[place.reference])


def worker_url(worker: Worker) -> str:
    return reverse("cell:labour:worker", args=[worker.pk])


def _refuse_write(request: HttpRequest, target: Any, district: Any) -> HttpResponse | None:
    if not registry_access(request.user, district).write:
        return refused(request, target, "lacks write access to the labour registry")
    return None


def _form_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "labour/action.html", context)


def _worker_add(request: HttpRequest, place: Any, **where: Any) -> HttpResponse:
    if (refusal := _refuse_write(request, place, place.district)) is not None:
        return refusal
    form = f.WorkerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            worker = s.worker_add(by=request.user, **where, **form.cleaned_data)  # type: ignore[arg-type]
        except RuleError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Worker #%(n)s recorded.") % {"n": worker.pk})
            return redirect(worker_url(worker))
    title = _("Add a worker or family")
    explain = [_("The name is kept encrypted; pages show the worker by number.")]
    context = {"form": form, "title": title, "back": place_url(place), "explain": explain}
    return _form_page(request, context)


@staff_view(Perm.VIEW_WORKSPACE)
def kiln_worker_add(request: HttpRequest, reference: str) -> HttpResponse:
    kiln = kiln_for_user(request.user, reference)
    return _worker_add(request, kiln, kiln=kiln)


@staff_view(Perm.VIEW_WORKSPACE)
def workshop_worker_add(request: HttpRequest, reference: str) -> HttpResponse:
    workshop = workshop_for_user(request.user, reference)
    return _worker_add(request, workshop, workshop=workshop)


def _schemes(worker: Worker) -> list[dict[str, Any]]:
    rows = SchemeEnrolment.objects.filter(worker=worker).select_related("scheme")
    return [{"enrolment": e, "next": NEXT_STEP.get(EnrolmentStatus(e.status))} for e in rows]


def _open_schemes(worker: Worker) -> Any:
    return Scheme.objects.exclude(pk__in=worker.schemes.values("scheme")).order_by("code")


@staff_view(Perm.VIEW_WORKSPACE)
def worker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    worker = worker_for_user(request.user, pk)
    today = timezone.localdate()
    context = {
        "worker": worker,
        "place": worker.kiln or worker.workshop,
        "place_url": place_url(worker.kiln or worker.workshop),
        "access": registry_access(request.user, worker.district),
        "advances": worker.advances.select_related("limit")[:200],
        "repayments": worker.repayments.all()[:200],
        "owed": s.balance_on(worker, today),
        "limit": s.limit_on(today),
        "schemes": _schemes(worker),
        "can_apply": _open_schemes(worker).exists(),
    }
    return render(request, "labour/worker.html", context)


def _limit_rule(worker: Worker) -> list[str]:
    today = timezone.localdate()
    limit = s.limit_on(today)
    owed = rupees(s.balance_on(worker, today))
    lines = [_("The worker owes %(owed)s today.") % {"owed": owed}]
    if limit is None:
        lines.append(_("No legal limit on advances is recorded for today."))
    else:
        lines.append(
            _("Legal limit in force today: %(limit)s (%(source)s).")
            % {"limit": rupees(limit.amount), "source": limit.source}
        )
    lines.append(
        _(
            "The check is on what the worker owes on the day of the advance, including "
            "it, against the limit in force that day. An advance above the limit is "
            "recorded and marked as a violation."
        )
    )
    return lines


def _above_text(check: s.AdvanceCheck) -> str:
    assert check.limit is not None  # noqa: S101 - only called when above a limit
    return _(
        "With this advance the worker owes %(balance)s on that day: above the legal "
        "limit of %(limit)s by %(excess)s."
    ) % {
        "balance": rupees(check.balance),
        "limit": rupees(check.limit.amount),
        "excess": rupees(check.excess),
    }


@staff_view(Perm.VIEW_WORKSPACE)
def advance_add(request: HttpRequest, pk: int) -> HttpResponse:
    worker = worker_for_user(request.user, pk)
    if (refusal := _refuse_write(request, worker, worker.district)) is not None:
        return refusal
    form = f.AdvanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        check = s.advance_check(worker=worker, amount=data["amount"], given_on=data["given_on"])
        if check.above and not data["confirm_above"]:
            form.add_error(
                "confirm_above",
                _above_text(check) + " " + _("Tick the box to record it as a violation."),
            )
        else:
            try:
                s.advance_record(
                    worker=worker,
                    by=request.user,  # type: ignore[arg-type]
                    amount=data["amount"],
                    given_on=data["given_on"],
                )
            except RuleError as exc:
                form.add_error(None, exc.message)
            else:
                done = _above_text(check) if check.above else _("Within the legal limit.")
                messages.success(request, _("Advance recorded.") + " " + done)
                return redirect(worker_url(worker))
    context = {
        "form": form,
        "title": _("Record an advance (peshgi)"),
        "back": worker_url(worker),
        "explain": _limit_rule(worker),
    }
    return _form_page(request, context)


@staff_view(Perm.VIEW_WORKSPACE)
def repayment_add(request: HttpRequest, pk: int) -> HttpResponse:
    worker = worker_for_user(request.user, pk)
    if (refusal := _refuse_write(request, worker, worker.district)) is not None:
        return refusal
    form = f.RepaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            s.repayment_record(worker=worker, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except RuleError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Repayment recorded."))
            return redirect(worker_url(worker))
    owed = rupees(s.balance_on(worker, timezone.localdate()))
    context = {
        "form": form,
        "title": _("Record a repayment"),
        "back": worker_url(worker),
        "explain": [
            _("The worker owes %(owed)s today.") % {"owed": owed},
            _("A repayment larger than what was owed on its day is refused."),
        ],
    }
    return _form_page(request, context)


@staff_view(Perm.VIEW_WORKSPACE)
def scheme_apply(request: HttpRequest, pk: int) -> HttpResponse:
    worker = worker_for_user(request.user, pk)
    if (refusal := _refuse_write(request, worker, worker.district)) is not None:
        return refusal
    form = f.SchemeApplyForm(request.POST or None, schemes=_open_schemes(worker))
    if request.method == "POST" and form.is_valid():
        try:
            s.scheme_apply(worker=worker, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except RuleError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The application is recorded."))
            return redirect(worker_url(worker))
    title = _("Register with EOBI or another scheme")
    explain = [_("A registration moves: applied, then registered, then card issued.")]
    context = {"form": form, "title": title, "back": worker_url(worker), "explain": explain}
    return _form_page(request, context)


@staff_view(Perm.VIEW_WORKSPACE)
def scheme_step(request: HttpRequest, pk: int, enrolment_id: int) -> HttpResponse:
    worker = worker_for_user(request.user, pk)
    enrolment = get_object_or_404(
        SchemeEnrolment.objects.select_related("scheme"), pk=enrolment_id, worker=worker
    )
    if (refusal := _refuse_write(request, worker, worker.district)) is not None:
        return refusal
    step = NEXT_STEP.get(EnrolmentStatus(enrolment.status))
    form = f.SchemeStepForm(request.POST or None)
    if step is None:
        form.add_error(None, _("The card is issued: this registration is complete."))
    elif request.method == "POST" and form.is_valid():
        try:
            user: Any = request.user
            s.scheme_advance(enrolment=enrolment, by=user, status=step, on=form.cleaned_data["on"])
        except RuleError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The registration is updated."))
            return redirect(worker_url(worker))
    label = step.label if step is not None else ""
    title = _("%(scheme)s: %(step)s") % {"scheme": enrolment.scheme.name_en, "step": label}
    explain = [_("Current step: %(status)s.") % {"status": enrolment.get_status_display()}]
    context = {"form": form, "title": title, "back": worker_url(worker), "explain": explain}
    return _form_page(request, context)
