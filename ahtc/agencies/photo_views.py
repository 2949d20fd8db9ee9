"""A finding with its photograph on an inspection, and the photograph's download.

Adding needs write access to the agency (cell officers and heads of its
district); downloading, read access (agency_for_user: another district's
agency is a 404 and an audited refusal). A refused file comes back with the
finding as typed and the reason, and is audited.
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
from ahtc.agencies import services as s
from ahtc.agencies.models import Agency, Inspection, InspectionPhoto
from ahtc.agencies.photos import inspection_photo_add
from ahtc.agencies.selectors import agency_access, agency_for_user
from ahtc.agencies.views import agency_url
from ahtc.portal.views import limited_upload


def _inspection(agency: Agency, inspection_pk: int) -> Inspection:
    inspection = agency.inspections.filter(pk=inspection_pk).first()
    if inspection is None:
        raise Http404
    return inspection


@limited_upload
@staff_view(Perm.VIEW_WORKSPACE)
def photo_add(request: HttpRequest, pk: int, inspection_pk: int) -> HttpResponse:
    user: Any = request.user
    agency = agency_for_user(user, pk)
    if not agency_access(user, agency).write:
        return refused(request, agency, "lacks write access to the agency registry")
    inspection = _inspection(agency, inspection_pk)
    form = f.PhotoFindingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            inspection_photo_add(
                inspection=inspection,
                by=user,
                finding=form.cleaned_data["finding"],
                upload=form.cleaned_data["photo"],
            )
        except s.AgencyError as exc:
            refused_if(request, agency, exc)
            form.add_error("photo", exc.message)
        else:
            messages.success(request, _("The finding and its photograph are kept."))
            return redirect(agency_url(agency, "inspections"))
    context = {
        "form": form,
        "title": _("Add a finding with a photograph"),
        "subtitle": _("Inspection of %(day)s") % {"day": inspection.on.isoformat()},
        "back": agency_url(agency, "inspections"),
        "agency": agency,
        "multipart": True,
    }
    return render(request, "agencies/action.html", context)


@staff_view(Perm.VIEW_WORKSPACE)
def photo_download(
    request: HttpRequest, pk: int, inspection_pk: int, photo_pk: int
) -> HttpResponse:
    from ahtc.portal.files import deliver

    agency = agency_for_user(request.user, pk)
    photo = InspectionPhoto.objects.filter(
        pk=photo_pk, inspection_id=inspection_pk, inspection__agency=agency
    ).first()
    if photo is None:
        raise Http404
    # Scanned again before delivery, like every stored file; audited either way.
    return deliver(
        request,
        target=photo,
        stored_name=photo.stored_name,
        kind="jpeg",
        name=f"inspection-{inspection_pk}-photo-{photo.pk}",
        area_code=agency.district.code,
        reason=f"inspection photo of agency {agency.pk} downloaded",
    )
