"""The service directory and a provider's profile in it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ahtc.accounts.decorators import refused, staff_view
from ahtc.accounts.models import Organisation
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.victims import forms as f
from ahtc.victims import services as s
from ahtc.victims.models import ServiceType
from ahtc.victims.views.base import _providers


@staff_view(Perm.VIEW_WORKSPACE)
def directory(request: HttpRequest) -> HttpResponse:
    service = request.GET.get("service", "")
    if service and service not in ServiceType.values:
        service = ""
    providers = _providers(request.user, service or None)
    labels = dict(ServiceType.choices)
    rows = [
        {
            "org": org,
            "profile": org.provider,
            "services": [labels.get(x, x) for x in org.provider.services],
        }
        for org in providers
    ]
    return render(
        request,
        "victims/directory.html",
        {"rows": rows, "services": ServiceType.choices, "service": service},
    )


def may_edit_provider(user: Any, organisation: Organisation) -> bool:
    if organisation.kind not in s.PROVIDER_KINDS:
        return False
    scope = user_scope(user)
    return scope.permits(Perm.MANAGE_REFERENCE, organisation.area) or scope.permits(
        Perm.MANAGE_CASES, organisation.area
    )


@staff_view(Perm.VIEW_WORKSPACE)
def provider_profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    from ahtc.accounts.selectors import organisation_for_user

    organisation = organisation_for_user(request.user, pk)
    if not may_edit_provider(request.user, organisation):
        return refused(request, organisation, "may not edit the service directory")
    profile = getattr(organisation, "provider", None)
    initial = (
        {
            "services": profile.services,
            "address": profile.address,
            "contact_person": profile.contact_person,
            "hours": profile.hours,
            "accepts_children": profile.accepts_children,
        }
        if profile
        else {"accepts_children": True}
    )
    form = f.ProviderProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            s.provider_profile_save(organisation=organisation, by=request.user, **form.cleaned_data)
        except s.VictimError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Service directory updated."))
            return redirect("cell:organisation", pk=organisation.pk)
    context = {
        "form": form,
        "title": _("Services given by %(name)s") % {"name": organisation.name},
        "back": reverse("cell:organisation", args=[organisation.pk]),
    }
    return render(request, "victims/action.html", context)
