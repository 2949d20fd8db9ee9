"""Linking an agency to a case party (by case reference) or a citizen report (by number).

The case and the report are found through their own access functions, so a
user links only what they may open; a reference they may not open reads as
not found (and is audited by the case's access function when it exists).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ahtc.accounts.decorators import refused, refused_if, staff_view
from ahtc.accounts.roles import Perm
from ahtc.agencies import forms as f
from ahtc.agencies import links as li
from ahtc.agencies.models import Agency
from ahtc.agencies.selectors import agency_access, agency_for_user
from ahtc.agencies.services import AgencyError
from ahtc.agencies.views import agency_url


def _parties(user: Any, reference: str) -> dict[int, Any] | str:
    """The case's unlinked broker and agent parties, or why there are none."""
    from ahtc.cases.selectors import case_for_user

    try:
        case = case_for_user(user, reference)
    except Http404:
        return _("No case with this reference that you may open.")
    rows = case.parties.filter(role__in=li.AGENT_ROLES, agency_link__isnull=True)
    parties = {p.pk: p for p in rows.select_related("case")}
    return parties or _("This case has no broker or agent that is not linked yet.")


def _choices(form: f.LinkPartyForm, parties: dict[int, Any], agency: Agency) -> None:
    form.fields["party"].choices = [  # type: ignore[attr-defined]
        (p.pk, f"{p.pseudonym} — {p.get_role_display()} {p.organisation_name}".strip())
        for p in parties.values()
    ]
    form.fields["staff"].choices = [("", _("not known"))] + [  # type: ignore[attr-defined]
        (row.pk, f"P-{row.person_id} ({row.get_role_display()})") for row in agency.people.all()
    ]


@staff_view(Perm.VIEW_WORKSPACE)
def link_party(request: HttpRequest, pk: int) -> HttpResponse:
    """Two steps on one form: the case reference, then which of its parties."""
    user: Any = request.user
    agency = agency_for_user(user, pk)
    if not agency_access(user, agency).write:
        return refused(request, agency, "lacks write access to the agency registry")
    form = f.LinkPartyForm(request.POST or None)
    choosing = False
    if request.method == "POST":
        parties = _parties(user, request.POST.get("reference", "").strip()[:30])
        if isinstance(parties, str):
            form.is_valid()
            form.add_error("reference", parties)
        else:
            _choices(form, parties, agency)
            choosing = True
            if form.is_valid() and form.cleaned_data["party"] in parties:
                data = form.cleaned_data
                staff = agency.people.filter(pk=data.get("staff") or 0).first()
                try:
                    li.agency_party_link(
                        agency=agency, party=parties[data["party"]], by=user, staff=staff
                    )
                except AgencyError as exc:
                    refused_if(request, agency, exc)
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, _("The case party is linked to the agency."))
                    return redirect(agency_url(agency, "links"))
    if not choosing:
        for name in ("party", "staff"):
            form.fields.pop(name)
    context = {
        "form": form,
        "title": _("Link a broker or agent in a case"),
        "back": agency_url(agency),
        "agency": agency,
        "choosing": choosing,
    }
    return render(request, "agencies/action.html", context)


@staff_view(Perm.VIEW_WORKSPACE)
def link_report(request: HttpRequest, pk: int) -> HttpResponse:
    from ahtc.portal.selectors import tips_for_user

    user: Any = request.user
    agency = agency_for_user(user, pk)
    if not agency_access(user, agency).write:
        return refused(request, agency, "lacks write access to the agency registry")
    form = f.LinkReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        tip = tips_for_user(user).filter(pk=form.cleaned_data["number"]).first()
        if tip is None:
            form.add_error("number", _("No report with this number that you may open."))
        else:
            try:
                li.agency_report_link(agency=agency, tip=tip, by=user)
            except AgencyError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The report is linked to the agency."))
                return redirect(agency_url(agency, "links"))
    context = {
        "form": form,
        "title": _("Link a citizen report"),
        "back": agency_url(agency),
        "agency": agency,
    }
    return render(request, "agencies/action.html", context)
