"""Families of missing migrants, the migrant's fate, and support to families."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.accounts.decorators import staff_view
from ahtc.accounts.roles import Perm
from ahtc.cases.selectors import cases_for_user, managed_cases_q
from ahtc.core.access import get_scoped_or_404
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.victims import forms as f
from ahtc.victims import services as s
from ahtc.victims.models import MissingMigrant, MissingMigrantFamily
from ahtc.victims.views.base import _post, _works_records


@staff_view(Perm.VIEW_WORKSPACE)
def families(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not _works_records(user):
        return render(request, "cell/forbidden.html", status=403)
    managed = cases_for_user(user).filter(managed_cases_q(user))
    rows = (
        MissingMigrantFamily.objects.filter(case__in=managed)
        .select_related("case", "migrant")
        .prefetch_related("support")
    )
    form = f.FamilyForm(_post(request), cases=managed.order_by("-year", "-number"))
    if request.method == "POST" and form.is_valid():
        try:
            s.family_add(by=user, **form.cleaned_data)
        except s.VictimError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Family added."))
            return redirect("cell:families")
    audit_record(
        actor=user,
        action=AuditAction.VIEW,
        object_type="victims.missingmigrantfamily",
        reason="families list",
    )
    page = Paginator(rows.order_by("-created_at"), 50).get_page(request.GET.get("page"))
    return render(request, "victims/families.html", {"rows": page, "page": page, "form": form})


@staff_view(Perm.VIEW_WORKSPACE)
def migrant_fate(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a missing migrant's fate (one for all their relatives); a
    refusal keeps what was typed and says why."""
    user: Any = request.user
    managed = cases_for_user(user).filter(managed_cases_q(user))
    migrant = get_scoped_or_404(
        user=user,
        scoped=MissingMigrant.objects.filter(case__in=managed).select_related("case__district"),
        pk=pk,
    )
    form = f.MigrantFateForm(
        _post(request), fate=migrant.fate, initial={"on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            s.migrant_fate_set(migrant=migrant, by=user, **form.cleaned_data)
        except s.VictimError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Saved for every relative of this migrant."))
            return redirect("cell:families")
    context = {
        "form": form,
        "title": _("%(migrant)s is %(fate)s: record a change")
        % {"migrant": migrant.pseudonym, "fate": migrant.get_fate_display()},
        "back": reverse("cell:families"),
    }
    return render(request, "victims/action.html", context)


@staff_view(Perm.VIEW_WORKSPACE)
def family_support(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    managed = cases_for_user(user).filter(managed_cases_q(user))
    family = MissingMigrantFamily.objects.filter(pk=pk, case__in=managed).first()
    if family is None:
        raise Http404
    form = f.FamilySupportForm(_post(request), initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            s.family_support_add(family=family, by=user, **form.cleaned_data)
        except s.VictimError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Support recorded."))
            return redirect("cell:families")
    context = {
        "form": form,
        "title": _("Record support to the family"),
        "back": reverse("cell:families"),
    }
    return render(request, "victims/action.html", context)
