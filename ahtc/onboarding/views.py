from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.accounts.decorators import staff_view
from ahtc.accounts.roles import Perm, Role
from ahtc.accounts.selectors import is_provincial_administrator, user_scope
from ahtc.onboarding.forms import OnboardForm, RolloutForm
from ahtc.onboarding.models import DistrictRollout
from ahtc.onboarding.selectors import (
    may_read_register,
    onboardable_districts,
    rollout_for_user,
    rollout_register,
)
from ahtc.onboarding.services import Onboarded, OnboardingError, district_onboard, rollout_update

# The roles a cell needs before it can work, shown as columns of the register.
STAFFED_ROLES = [Role.CELL_HEAD, Role.CELL_OFFICER, Role.INVESTIGATING_OFFICER, Role.HELPLINE]


def _deadline() -> dt.date:
    return dt.date.fromisoformat(settings.AHTC_ROLLOUT_DEADLINE)


@staff_view()
def register(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not may_read_register(user):
        raise PermissionDenied
    today = timezone.localdate()
    rows = rollout_register(user, today)
    for row in rows:
        row.columns = [(role.label, row.staffed.get(role, 0)) for role in STAFFED_ROLES]  # type: ignore[attr-defined]
    onboarded = [r for r in rows if r.rollout is not None]
    context = {
        "rows": rows,
        "roles": [role.label for role in STAFFED_ROLES],
        "today": today,
        "deadline": _deadline(),
        "onboarded": len(onboarded),
        "live": sum(1 for r in onboarded if r.rollout and r.rollout.is_live(today)),
        "can_onboard": is_provincial_administrator(user),
        "can_edit": user_scope(user).has_perm_anywhere(Perm.MANAGE_REFERENCE),
    }
    return render(request, "onboarding/register.html", context)


@staff_view(Perm.MANAGE_REFERENCE)
def onboard(request: HttpRequest) -> HttpResponse:
    """Provincial administrators only: onboarding creates a cell head (a role
    only they grant to a new cell) and partners above the district."""
    user: Any = request.user
    if not is_provincial_administrator(user):
        raise PermissionDenied
    pending = onboardable_districts(user).exclude(rollout__isnull=False)
    form = OnboardForm(request.POST if request.method == "POST" else None, districts=pending)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        results: list[Onboarded] = []
        errors: list[str] = []
        for district in data["districts"]:
            try:
                results.append(
                    district_onboard(
                        district=district,
                        by=user,
                        head_username=data["head_username"],
                        head_display_name=data["head_name"],
                        cell_phone=data["cell_phone"],
                        established_on=data["established_on"],
                    )
                )
            except ValidationError as exc:
                errors.append(f"{district.name} ({district.code}): {' '.join(exc.messages)}")
        if errors and not results:
            for error in errors:
                form.add_error(None, error)
        else:
            # Shown once: the page is never cached (SecurityHeadersMiddleware).
            context = {"results": results, "errors": errors}
            return render(request, "onboarding/onboarded.html", context)
    return render(request, "onboarding/onboard.html", {"form": form, "pending": pending.count()})


@staff_view(Perm.MANAGE_REFERENCE)
def rollout_edit(request: HttpRequest, code: str) -> HttpResponse:
    rollout: DistrictRollout = rollout_for_user(request.user, code)
    form = RolloutForm(request.POST if request.method == "POST" else None, instance=rollout)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        if changed:
            with transaction.atomic():
                fresh = DistrictRollout.objects.select_for_update().get(pk=rollout.pk)
                try:
                    rollout_update(rollout=fresh, by=request.user, **changed)
                except (ValidationError, OnboardingError) as exc:
                    form.add_error(None, " ".join(exc.messages))
                    return render(
                        request, "onboarding/rollout.html", {"form": form, "rollout": rollout}
                    )
            messages.success(
                request,
                _("The rollout of %(district)s is saved.") % {"district": rollout.district.name},
            )
        return redirect("cell:onboarding:register")
    return render(request, "onboarding/rollout.html", {"form": form, "rollout": rollout})
