"""Administration pages, part one: organisations (issue 11).

Every organisation serving the user's areas is readable (VIEW_AREA); holders
of MANAGE_REFERENCE whose scope covers its home area may create, edit,
deactivate and reactivate. Changes are POST only; a deactivation is confirmed
on its own page. Users are in cell/user_views.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ahtc.accounts.decorators import refused, refused_if, staff_view
from ahtc.accounts.forms import OrganisationForm, ReasonForm
from ahtc.accounts.models import Organisation
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import (
    may_manage_members_of,
    may_manage_organisation,
    organisation_for_user,
    organisations_for_user,
    reference_areas_for_user,
    user_scope,
)
from ahtc.accounts.services import (
    organisation_create,
    organisation_deactivate,
    organisation_reactivate,
    organisation_update,
)
from ahtc.core.errors import RuleError

FORM_PAGE = "accounts/form_page.html"


def form_page(
    request: HttpRequest, form: Form, *, title: str, back: str, status: int = 200, **extra: Any
) -> HttpResponse:
    """The one page for every administration form and confirmation."""
    context = {"form": form, "title": title, "back": back, **extra}
    return render(request, FORM_PAGE, context, status=status)


def posted(request: HttpRequest) -> Any:
    """The POST data (even when empty) for a POST, None for a GET: an empty
    confirmation form is still a submission."""
    return request.POST if request.method == "POST" else None


def rule_refused(
    request: HttpRequest, form: Form, target: Any, error: RuleError | ValidationError
) -> int:
    """Put a service's refusal on the form (keeping what was typed); audit it
    when it names a refused attempt. Returns the status to answer with."""
    if isinstance(error, ValidationError):
        form.add_error(None, error)
        return 200
    refused_if(request, target, error)
    form.add_error(None, error.message)
    return 403 if error.refusal else 200


@staff_view(Perm.VIEW_AREA)
def organisations(request: HttpRequest) -> HttpResponse:
    rows = (
        organisations_for_user(request.user)
        .select_related("area")
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
    )
    can_create = user_scope(request.user).has_perm_anywhere(Perm.MANAGE_REFERENCE)
    return render(
        request, "cell/organisations.html", {"organisations": rows, "can_create": can_create}
    )


@staff_view(Perm.VIEW_AREA)
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = organisation_for_user(request.user, pk)
    can_manage = may_manage_members_of(request.user, organisation)
    members = organisation.members.order_by("-is_active", "username") if can_manage else []
    from ahtc.victims.views import may_edit_provider

    context = {
        "organisation": organisation,
        "areas_served": organisation.areas_served.order_by("path"),
        "members": members,
        "can_manage": can_manage,
        "can_edit": may_manage_organisation(request.user, organisation),
        "provider": getattr(organisation, "provider", None),
        "provider_labels": _service_labels(),
        "can_edit_services": organisation.kind != "police_ahtc"
        and may_edit_provider(request.user, organisation),
    }
    return render(request, "cell/organisation_detail.html", context)


def _service_labels() -> list[tuple[str, Any]]:
    from ahtc.victims.models import ServiceType

    return list(ServiceType.choices)


def _organisation_values(form: OrganisationForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("areas_served")
    return data


@staff_view(Perm.MANAGE_REFERENCE)
def organisation_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = OrganisationForm(posted(request), areas=reference_areas_for_user(user))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_create(
                **_organisation_values(form),
                areas_served=form.cleaned_data["areas_served"],
                by=user,
            )
        except (RuleError, ValidationError) as error:
            status = rule_refused(request, form, None, error)
        else:
            messages.success(request, _("The organisation is created."))
            return redirect("cell:organisation", pk=organisation.pk)
    back = reverse("cell:organisations")
    return form_page(request, form, title=_("New organisation"), back=back, status=status)


@staff_view(Perm.VIEW_AREA)
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    organisation = organisation_for_user(user, pk)
    if not may_manage_organisation(user, organisation):
        return refused(request, organisation, "edit organisation without manage_reference")
    initial = {
        **{name: getattr(organisation, name) for name in OrganisationForm.base_fields},
        "areas_served": list(organisation.areas_served.all()),
    }
    areas = reference_areas_for_user(user)
    form = OrganisationForm(posted(request), initial=initial, areas=areas)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            organisation_update(
                organisation=organisation,
                by=user,
                areas_served=form.cleaned_data["areas_served"],
                **_organisation_values(form),
            )
        except (RuleError, ValidationError) as error:
            status = rule_refused(request, form, organisation, error)
        else:
            messages.success(request, _("The organisation is saved."))
            return redirect("cell:organisation", pk=organisation.pk)
    back = reverse("cell:organisation", args=[organisation.pk])
    title = _("Edit %(name)s") % {"name": organisation.name}
    return form_page(request, form, title=title, back=back, status=status)


@staff_view(Perm.VIEW_AREA)
def organisation_status(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Deactivate (with a reason) or reactivate, after a confirmation page."""
    user: Any = request.user
    organisation = organisation_for_user(user, pk)
    if not may_manage_organisation(user, organisation):
        return refused(request, organisation, f"{action} organisation without manage_reference")
    deactivating = action == "deactivate"
    form = ReasonForm(posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            if deactivating:
                reason = form.cleaned_data["reason"]
                organisation_deactivate(organisation=organisation, by=user, reason=reason)
            else:
                organisation_reactivate(organisation=organisation, by=user)
        except RuleError as error:
            status = rule_refused(request, form, organisation, error)
        else:
            done = _("deactivated") if deactivating else _("reactivated")
            messages.success(request, _("The organisation is %(done)s.") % {"done": done})
            return redirect("cell:organisation", pk=organisation.pk)
    return _status_confirmation(request, form, organisation, deactivating, status)


def _status_confirmation(
    request: HttpRequest, form: Form, organisation: Organisation, deactivating: bool, status: int
) -> HttpResponse:
    name = organisation.name
    if deactivating:
        title = _("Deactivate %(name)s?") % {"name": name}
        intro = _(
            "Its members can no longer sign in, and their open sessions end now. "
            "Its records stay. You can reactivate it later."
        )
    else:
        title = _("Reactivate %(name)s?") % {"name": name}
        intro = _("Its active members can sign in again with their roles.")
        form.fields.pop("reason", None)
    return form_page(
        request,
        form,
        title=title,
        intro=intro,
        back=reverse("cell:organisation", args=[organisation.pk]),
        submit=_("Deactivate") if deactivating else _("Reactivate"),
        danger=deactivating,
        status=status,
    )
