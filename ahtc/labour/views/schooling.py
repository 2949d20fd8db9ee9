"""After enrolment: the term's attendance, recorded by the education
authority (from its schooling list) or by the cell (from the finding)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ahtc.accounts.decorators import refused, staff_view
from ahtc.accounts.roles import Perm
from ahtc.core.errors import RuleError
from ahtc.labour import forms as f
from ahtc.labour import services as s
from ahtc.labour.models import ChildLabourFinding
from ahtc.labour.selectors import (
    finding_access,
    finding_for_user,
    places_schools,
    schooling_finding_for_user,
)
from ahtc.labour.views.findings import _refused_page, _url


def _attendance(request: HttpRequest, finding: ChildLabourFinding, back: str) -> HttpResponse:
    form = f.AttendanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            s.attendance_record(finding=finding, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except RuleError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The attendance is recorded."))
            return redirect(back)
    context = {
        "form": form,
        "title": _("Attendance this term"),
        "back": back,
        "finding": finding,
    }
    return render(request, "labour/action.html", context)


@staff_view(Perm.VIEW_WORKSPACE)
def schooling_attendance(request: HttpRequest, reference: str) -> HttpResponse:
    user: Any = request.user
    if not places_schools(user):
        return _refused_page(request, "not an education authority")
    finding = schooling_finding_for_user(user, reference)
    return _attendance(request, finding, reverse("cell:labour:schooling"))


@staff_view(Perm.VIEW_WORKSPACE)
def finding_attendance(request: HttpRequest, reference: str) -> HttpResponse:
    finding = finding_for_user(request.user, reference)
    if not finding_access(request.user, finding).write:
        return refused(request, finding, "lacks write access to child-labour findings")
    return _attendance(request, finding, _url(finding, "school"))
