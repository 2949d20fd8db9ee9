"""The case list (filters, saved searches, exports started from it) and the
due list."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ahtc.accounts.decorators import staff_view
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.cases import forms as f
from ahtc.cases import services as s
from ahtc.cases.exports import export_refused
from ahtc.cases.models import Handover, HandoverStatus, SavedSearch
from ahtc.cases.selectors import (
    cases_for_user,
    challan_returned_for_user,
    filtered_cases,
    hearings_due_for_user,
    tasks_due_for_user,
)
from ahtc.cases.views._common import CASE_WORK


@staff_view(CASE_WORK)
def case_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    scope = user_scope(user)
    export = request.GET.get("export")
    if not any(
        scope.has_perm_anywhere(p)
        for p in (Perm.MANAGE_CASES, Perm.INVESTIGATE, Perm.VIEW_SHARED, Perm.PROSECUTE)
    ):
        if export in {"csv", "xlsx"}:
            why = "no access to case lists"
            return export_refused(
                request, kind=f"case list {export}", why=why, object_type="cases.case"
            )
        return render(request, "cell/forbidden.html", status=403)
    params = request.GET.copy()
    if "view" not in params and not scope.has_perm_anywhere(Perm.INVESTIGATE):
        params["view"] = "district" if scope.has_perm_anywhere(Perm.MANAGE_CASES) else "shared"
    form = f.CaseFilter(params)
    rows = filtered_cases(user, form)
    if export in {"csv", "xlsx"}:
        from ahtc.jobs.exports import case_list_export_start

        if not scope.has_perm_anywhere(Perm.EXPORT):
            return export_refused(
                request,
                kind=f"case list {export}",
                why=f"lacks permission {Perm.EXPORT}",
                object_type="cases.case",
            )
        # Made by a background job; its page shows progress, then the download.
        filters = params.copy()
        for name in ("export", "page"):
            filters.pop(name, None)
        return redirect(case_list_export_start(user=user, query=filters.urlencode(), fmt=export))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = urlencode([(k, v) for k, v in params.items() if k not in {"page", "export"} and v])
    pending = (
        Handover.objects.filter(status=HandoverStatus.PENDING, case__in=cases_for_user(user))
        .filter(Q(to_user=user) | Q(to_organisation_id=user.organisation_id or 0))
        .select_related("case")
    )
    context = {
        "form": form,
        "page": page,
        "query": query,
        "saved": SavedSearch.objects.filter(user=user),
        "save_form": f.SavedSearchForm(),
        "can_open": scope.has_perm_anywhere(Perm.MANAGE_CASES),
        "can_export": scope.has_perm_anywhere(Perm.EXPORT),
        "pending": pending,
    }
    return render(request, "cases/list.html", context)


@require_POST
@staff_view(CASE_WORK)
def saved_search(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if "delete" in request.POST:
        SavedSearch.objects.filter(user=user, pk=request.POST.get("delete") or 0).delete()
        return redirect("cell:cases")
    form = f.SavedSearchForm(request.POST)
    query = request.POST.get("query", "")[:500]
    if form.is_valid():
        s.saved_search_save(user=user, name=form.cleaned_data["name"], query=query)
        messages.success(request, _("Search saved."))
    else:
        messages.error(request, _("Give the search a name."))
    return redirect(f"{reverse('cell:cases')}?{query}")


@staff_view(CASE_WORK)
def due(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    tasks = tasks_due_for_user(user, within_days=7)
    sections = {
        "overdue": tasks.filter(due__lt=today),  # the longest overdue first
        "soon": tasks.filter(due__gte=today),
        "hearings": hearings_due_for_user(user),
        "returned": challan_returned_for_user(user),
    }
    context: dict[str, Any] = {"today": today, "limit": DUE_LIMIT}
    for name, rows in sections.items():
        shown = list(rows[: DUE_LIMIT + 1])
        context[name] = shown[:DUE_LIMIT]
        # Counted only when the list is cut: a district's whole backlog is one
        # COUNT, never a page of a thousand rows.
        context[f"{name}_more"] = rows.count() - DUE_LIMIT if len(shown) > DUE_LIMIT else 0
    return render(request, "cases/due.html", context)


# Each section of "Due and overdue" shows at most this many rows, oldest first,
# and says how many more there are (issue 19: 1,004 rows for a cell head).
DUE_LIMIT = 100
