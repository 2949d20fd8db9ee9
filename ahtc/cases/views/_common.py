"""What every stage of the case workspace shares: loading a case with the
reader's access, the one form-action flow (`_action`), and small lookups."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ahtc.accounts.decorators import refused, refused_if
from ahtc.accounts.models import Organisation, OrganisationKind, RoleAssignment, User
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import organisations_for_user
from ahtc.cases import services as s
from ahtc.cases.models import Case
from ahtc.cases.selectors import CaseAccess, case_access, case_for_user
from ahtc.core.access import get_scoped_or_404
from ahtc.people.normalise import IdentifierError

CASE_WORK = Perm.VIEW_WORKSPACE


def _in_case(request: HttpRequest, model: Any, pk: Any, **in_case: Any) -> Any:
    """An object of this case by pk: 404 otherwise, audited when it exists elsewhere."""
    return get_scoped_or_404(
        user=request.user, scoped=model._default_manager.filter(**in_case), pk=pk
    )


def _detail_url(case: Case, anchor: str = "") -> str:
    url = reverse("cell:case", args=[case.reference])
    return f"{url}#{anchor}" if anchor else url


def _load(request: HttpRequest, reference: str) -> tuple[Case, CaseAccess]:
    case = case_for_user(request.user, reference)
    return case, case_access(request.user, case)


# --- actions -------------------------------------------------------------------------

Handler = Callable[[Case, dict[str, Any], CaseAccess, HttpRequest], Any]


def _action(
    request: HttpRequest,
    reference: str,
    *,
    need: str,
    build: Callable[[Case, CaseAccess, HttpRequest], Any],
    handle: Handler,
    title: str,
    anchor: str,
    done: str,
    template: str = "cases/action.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    case, access = _load(request, reference)
    if not getattr(access, need):
        return refused(request, case, f"lacks case access: {need}")
    form = build(case, access, request)
    if request.method == "POST" and form.is_valid():
        try:
            handle(case, form.cleaned_data, access, request)
        except s.CaseError as exc:
            refused_if(request, case, exc)
            form.add_error(None, exc.message)
        except IdentifierError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect(_detail_url(case, anchor))
    context = {"case": case, "form": form, "title": title, "anchor": anchor, **(extra or {})}
    return render(request, template, context)


def _post(request: HttpRequest) -> tuple[Any, Any]:
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def _staff_in(case: Case, perms: tuple[Perm, ...]) -> QuerySet[User]:
    """Active users holding one of `perms` in an area that covers the district."""
    covering = [code for code in case.district.path.split("/") if code]
    held = RoleAssignment.objects.current().filter(
        area__code__in=covering,
        role__in=[r for r, spec in _role_specs().items() if spec.permissions & set(perms)],
    )
    return User.objects.filter(is_active=True, pk__in=held.values("user_id")).order_by("username")


def _role_specs() -> dict[Any, Any]:
    from ahtc.accounts.roles import ROLES

    return ROLES


def _partner_orgs(user: Any) -> QuerySet[Organisation]:
    return organisations_for_user(user).exclude(kind=OrganisationKind.POLICE_AHTC)
