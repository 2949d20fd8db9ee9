"""Registry pages under /cell/labour/kilns/ and /cell/labour/workshops/, and
the survey figures computed from the records (/cell/labour/survey/).

Cell staff and the Labour Department's liaisons of the district read; both
record inspections and wages; only cell staff hand a bonded-labour situation
to case management. Workers are shown by number, never by name.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ahtc.accounts.decorators import refused, refused_if, staff_view
from ahtc.accounts.roles import Perm
from ahtc.core.errors import RuleError
from ahtc.core.models import in_language
from ahtc.labour import forms as f
from ahtc.labour import indicators as ind
from ahtc.labour import services as s
from ahtc.labour.models import (
    EOBI,
    Advance,
    BondedLabourHandover,
    BrickKiln,
    Inspection,
    InspectionKind,
    Repayment,
    SchemeEnrolment,
    Worker,
)
from ahtc.labour.selectors import (
    kiln_for_user,
    kilns_for_user,
    reads_registry,
    registry_access,
    registry_districts,
    workshop_for_user,
    workshops_for_user,
)
from ahtc.labour.views.enforcement import place_inspection
from ahtc.labour.views.findings import PAGE_SIZE, _refused_page

SURVEYED = Exists(Inspection.objects.filter(kiln=OuterRef("pk"), kind=InspectionKind.SURVEY))


def _districts(user: Any) -> Any:
    from ahtc.geography.models import Area

    return Area.objects.filter(pk__in=kilns_for_user(user).values("district")).order_by("name_en")


@staff_view(Perm.VIEW_WORKSPACE)
def kiln_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not reads_registry(user):
        return _refused_page(request, "no access to the labour registry")
    form = f.RegistryFilter(request.GET or None, districts=_districts(user))
    rows = kilns_for_user(user).select_related("district", "tehsil").annotate(surveyed=SURVEYED)
    if form.is_valid():
        if form.cleaned_data["district"] is not None:
            rows = rows.filter(district=form.cleaned_data["district"])
        if form.cleaned_data["surveyed"]:
            rows = rows.filter(surveyed=True)
    rows = rows.annotate(workers_count=Count("workers")).order_by("reference")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "can_write": bool(registry_districts(user))}
    return render(request, "labour/kilns.html", context)


@staff_view(Perm.VIEW_WORKSPACE)
def kiln_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    districts = registry_districts(user)
    if not districts:
        return _refused_page(request, "may not record in the labour registry")
    form = f.KilnForm(request.POST or None, districts=districts)
    if request.method == "POST" and form.is_valid():
        try:
            kiln = s.kiln_create(by=user, **form.cleaned_data)
        except RuleError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Kiln %(ref)s registered.") % {"ref": kiln.reference})
            return redirect("cell:labour:kiln", kiln.reference)
    back = reverse("cell:labour:kilns")
    context = {"form": form, "title": _("Register a brick kiln"), "back": back}
    return render(request, "labour/action.html", context)


def _total(model: Any) -> Subquery:
    rows = model.objects.filter(worker=OuterRef("pk")).values("worker").annotate(t=Sum("amount"))
    return Subquery(rows.values("t"), output_field=IntegerField())


def _workers(kiln: BrickKiln) -> list[Worker]:
    """The kiln's workers by number, with what they owe today, whether an
    advance went above the limit, their EOBI status and any hand-over."""
    eobi = SchemeEnrolment.objects.filter(worker=OuterRef("pk"), scheme__code=EOBI)
    rows = kiln.workers.annotate(
        given=_total(Advance),
        paid=_total(Repayment),
        above=Exists(Advance.objects.filter(worker=OuterRef("pk"), above_limit=True)),
        eobi_status=Subquery(eobi.values("status")[:1]),
        handed_over=Exists(BondedLabourHandover.objects.filter(worker=OuterRef("pk"))),
    ).order_by("pk")
    workers: list[Worker] = list(rows[:200])
    for worker in workers:
        worker.owed = (worker.given or 0) - (worker.paid or 0)  # type: ignore[attr-defined]
    return workers


@staff_view(Perm.VIEW_WORKSPACE)
def kiln_detail(request: HttpRequest, reference: str) -> HttpResponse:
    kiln = kiln_for_user(request.user, reference)
    access = registry_access(request.user, kiln.district)
    wages = list(kiln.wages.select_related("rate").order_by("-observed_on", "-pk")[:50])
    context = {
        "kiln": kiln,
        "access": access,
        "workers": _workers(kiln),
        "inspections": kiln.inspections.select_related("follow_up_of").prefetch_related("notices")[
            :50
        ],
        "wages": wages,
        "undertakings": [(u, s.target_of(u)) for u in kiln.undertakings.all()],
        "handovers": _handovers(request.user, kiln),
    }
    return render(request, "labour/kiln.html", context)


def _handovers(user: Any, kiln: BrickKiln) -> list[dict[str, Any]]:
    """Hand-overs with a link to the case only for those who may open it."""
    from ahtc.cases.selectors import cases_for_user

    rows = BondedLabourHandover.objects.filter(worker__kiln=kiln).order_by("-handed_over_on")
    visible = set(
        cases_for_user(user).filter(pk__in=rows.values("case")).values_list("pk", "reference")
    )
    refs = dict(visible)
    return [{"handover": h, "case_reference": refs.get(h.case_id or 0, "")} for h in rows]


def _write_or_refuse(request: HttpRequest, kiln: BrickKiln) -> HttpResponse | None:
    if not registry_access(request.user, kiln.district).write:
        return refused(request, kiln, "lacks write access to the labour registry")
    return None


@staff_view(Perm.VIEW_WORKSPACE)
def kiln_inspection(request: HttpRequest, reference: str) -> HttpResponse:
    kiln = kiln_for_user(request.user, reference)
    return place_inspection(request, kiln, kiln=kiln)


@staff_view(Perm.VIEW_WORKSPACE)
def kiln_wage(request: HttpRequest, reference: str) -> HttpResponse:
    kiln = kiln_for_user(request.user, reference)
    if (refusal := _write_or_refuse(request, kiln)) is not None:
        return refusal
    form = f.WageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            seen = s.wage_record(by=request.user, kiln=kiln, **form.cleaned_data)  # type: ignore[arg-type]
        except RuleError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _wage_message(seen))
            return redirect("cell:labour:kiln", kiln.reference)
    back = reverse("cell:labour:kiln", args=[kiln.reference])
    context = {"form": form, "title": _("Record wages seen"), "back": back, "place": kiln}
    return render(request, "labour/action.html", context)


def _wage_message(seen: Any) -> str:
    if seen.compliant is None:
        return _("Saved. No notified rate is recorded for that day, so compliance is unknown.")
    if seen.compliant:
        return _("Saved. The wage meets the notified rate.")
    return _("Saved. The wage is below the notified rate of Rs %(rate)s.") % {
        "rate": seen.rate.amount
    }


@staff_view(Perm.VIEW_WORKSPACE)
def worker_handover(request: HttpRequest, reference: str, worker_id: int) -> HttpResponse:
    kiln = kiln_for_user(request.user, reference)
    worker = get_object_or_404(Worker, pk=worker_id, kiln=kiln)
    if not registry_access(request.user, kiln.district).handover:
        return refused(request, kiln, "may not open a case from the labour registry")
    form = f.HandoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        day = data.pop("handed_over_on")
        try:
            handover = s.bonded_handover(
                worker=worker,
                by=request.user,  # type: ignore[arg-type]
                handed_over_on=day,
                facts=data,
            )
        except RuleError as exc:
            refused_if(request, kiln, exc)
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Case %(ref)s opened. Confirm the classification on the case.")
                % {"ref": handover.case.reference if handover.case else ""},
            )
            return (
                redirect("cell:case", handover.case.reference)
                if handover.case
                else redirect("cell:labour:kiln", kiln.reference)
            )
    back = reverse("cell:labour:kiln", args=[kiln.reference])
    title = _("Hand a bonded-labour situation to case management")
    context = {"form": form, "title": title, "back": back, "place": kiln}
    return render(request, "labour/action.html", context)


@staff_view(Perm.VIEW_WORKSPACE)
def workshop_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not reads_registry(user):
        return _refused_page(request, "no access to the labour registry")
    rows = (
        workshops_for_user(user)
        .select_related("district", "tehsil")
        .annotate(
            children=Count("child_findings", distinct=True),
            inspected=Count("inspections", distinct=True),
        )
    )
    page = Paginator(rows.order_by("reference"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "can_write": bool(registry_districts(user))}
    return render(request, "labour/workshops.html", context)


@staff_view(Perm.VIEW_WORKSPACE)
def workshop_detail(request: HttpRequest, reference: str) -> HttpResponse:
    workshop = workshop_for_user(request.user, reference)
    context = {
        "workshop": workshop,
        "access": registry_access(request.user, workshop.district),
        "inspections": workshop.inspections.select_related("follow_up_of").prefetch_related(
            "notices"
        )[:50],
        "workers": workshop.workers.order_by("pk")[:200],
        "children": workshop.child_findings.count(),
    }
    return render(request, "labour/workshop.html", context)


@staff_view(Perm.VIEW_WORKSPACE)
def survey(request: HttpRequest) -> HttpResponse:
    """The kiln survey's figures per district, computed from the records."""
    user: Any = request.user
    if not reads_registry(user):
        return _refused_page(request, "no access to the labour registry")
    rows = [
        {
            "name": in_language(en=d.name_en, ur=d.name_ur),
            "figures": ind.survey_figures(area_path=d.path),
        }
        for d in _districts(user)
    ]
    return render(request, "labour/survey.html", {"rows": rows})
