"""Choosing a victim's recruiter from the registry (the protection record's
"how recruited"), and what the agency's page shows of the victims it recruited.

The record is found through the victims' own access function (another
district's record is a 404, audited); choosing needs the cell's write access
to the record (*manage cases* in its district). The agencies offered are those
the user may read. On the agency's page, users who may not open a record see
only how many victims name the agency, never which.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ahtc.accounts.decorators import refused, refused_if, staff_view
from ahtc.accounts.roles import Perm
from ahtc.agencies import forms as f
from ahtc.agencies.models import Agency, AgencyPerson, AgencyRecruit
from ahtc.agencies.recruits import recruiter_set
from ahtc.agencies.selectors import agencies_for_user
from ahtc.agencies.services import AgencyError

MAX_STAFF_OFFERED = 500


def _record_url(record: Any) -> str:
    return reverse("cell:victim", args=[record.number])


@staff_view(Perm.VIEW_WORKSPACE)
def recruiter_choose(request: HttpRequest, number: str) -> HttpResponse:
    from ahtc.victims.selectors import record_access, record_for_user

    user: Any = request.user
    record = record_for_user(user, number)
    if not record_access(user, record).cell:
        return refused(request, record, "lacks record access: cell")
    agencies = agencies_for_user(user).select_related("district").order_by("name_en", "pk")
    staff = list(
        AgencyPerson.objects.filter(agency__in=agencies)
        .select_related("agency")
        .order_by("agency__name_en", "role", "pk")[:MAX_STAFF_OFFERED]
    )
    current = AgencyRecruit.objects.filter(record=record).first()
    initial = {"agency": current.agency_id, "staff": current.staff_id} if current else {}
    form = f.RecruiterForm(request.POST or None, initial=initial, agencies=agencies, staff=staff)
    if request.method == "POST" and form.is_valid():
        agency = form.cleaned_data["agency"]
        chosen = next((r for r in staff if r.pk == form.cleaned_data["staff"]), None)
        try:
            recruiter_set(record=record, agency=agency, staff=chosen, by=user)
        except AgencyError as exc:
            refused_if(request, record, exc)
            form.add_error("staff", exc.message)
        else:
            messages.success(request, _("The recruiter is recorded."))
            return redirect(_record_url(record))
    context = {
        "form": form,
        "title": _("Who recruited the victim"),
        "subtitle": _("Protection record %(number)s") % {"number": record.number},
        "back": _record_url(record),
    }
    return render(request, "agencies/action.html", context)


def recruited(user: Any, agency: Agency) -> dict[str, Any]:
    """The victims who name the agency as their recruiter: the count for
    everyone who reads the agency; the record numbers (pseudonymous) only of
    the records the user may open."""
    from ahtc.victims.selectors import records_for_user

    total = agency.recruits.count()
    numbers = (
        list(
            records_for_user(user)
            .filter(recruiter_link__agency=agency)
            .order_by("number")
            .values_list("number", flat=True)[:100]
        )
        if total
        else []
    )
    return {"count": total, "numbers": numbers}
