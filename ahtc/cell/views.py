from __future__ import annotations

import datetime as dt
import io
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ahtc.accounts.decorators import staff_view
from ahtc.accounts.models import User
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import (
    administration_waiting,
    area_for_user,
    districts_for_user,
    user_for_user,
    user_has_current_role,
    user_may_authenticate,
    user_scope,
)
from ahtc.api.forms import ApiTokenForm
from ahtc.api.selectors import api_token_for_user
from ahtc.api.services import api_token_create, api_token_revoke
from ahtc.cell.context import SESSION_AREA_KEY
from ahtc.core.confirm import confirmed, unconfirmed
from ahtc.core.models import AuditAction, AuditEvent, AuditOutcome
from ahtc.geography.models import Area, PoliceStation
from ahtc.geography.services import ImportFileError, area_import_csv
from ahtc.notifications.selectors import work_for_user

MAX_IMPORT_BYTES = 2 * 1024 * 1024


@staff_view()
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    scope = user_scope(user)
    assignments = user.role_assignments.select_related("area").order_by("area__path")
    districts = districts_for_user(user).annotate(
        tehsil_count=Count("children", filter=Q(children__valid_to__isnull=True)),
    )
    context = {
        "assignments": assignments,
        "districts": districts[:50],
        "district_total": districts.count(),
        "can_manage_users": scope.has_perm_anywhere(Perm.MANAGE_USERS),
        "can_view_audit": scope.has_perm_anywhere(Perm.VIEW_AUDIT),
    }
    if context["can_view_audit"]:
        # The last 7 days only: a count over all history grows without end.
        since = timezone.now() - dt.timedelta(days=REFUSALS_DAYS)
        context["refused_recent"] = (
            _audit_for_user(user).filter(outcome=AuditOutcome.REFUSED, at__gte=since).count()
        )
    context.update(_waiting_safeguards(user))
    context.update(administration_waiting(user))
    context.update(_districts_waiting(user))
    context["work"] = work_for_user(user)
    return render(request, "cell/home.html", context)


def _districts_waiting(user: Any) -> dict[str, int]:
    """Districts a provincial administrator has yet to onboard."""
    from ahtc.accounts.selectors import is_provincial_administrator
    from ahtc.onboarding.selectors import onboardable_districts

    if not is_provincial_administrator(user):
        return {}
    return {"districts_waiting": onboardable_districts(user).filter(rollout__isnull=True).count()}


def _waiting_safeguards(user: Any) -> dict[str, int]:
    """Identity releases a cell head decides (held reports are counted with
    the citizen reports, notifications/selectors.py)."""
    from ahtc.victims.selectors import pending_releases_to_decide

    return {"releases_waiting": len(pending_releases_to_decide(user))}


@staff_view(Perm.VIEW_AREA)
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    area = area_for_user(request.user, code)
    context = {
        "area": area,
        "ancestors": Area.objects.filter(code__in=area.ancestor_codes()[:-1]).order_by("path"),
        "children": area.children.order_by("valid_to", "name_en"),
        "predecessors": area.predecessors.all(),
        "successors": area.successors.all(),
        "police_stations": area.police_stations.all()
        if area.level == "tehsil"
        else _stations_within(area),
        "organisations": area.organisations.filter(is_active=True),
    }
    return render(request, "cell/area_detail.html", context)


def _stations_within(area: Area) -> Any:
    return PoliceStation.objects.filter(tehsil__path__startswith=area.path).select_related("tehsil")


def _audit_for_user(user: Any) -> Any:
    scope = user_scope(user)
    codes = Area.objects.filter(scope.q(Perm.VIEW_AUDIT)).values("code")
    actors = User.objects.filter(scope.q(Perm.VIEW_AUDIT, "organisation__area__path"))
    return AuditEvent.objects.filter(Q(area_code__in=codes) | Q(actor__in=actors.values("pk")))


def _token_page(request: HttpRequest, owner: Any, **more: Any) -> HttpResponse:
    rows = owner.api_tokens.select_related("created_by", "revoked_by")[:200]
    context = {"owner": owner, "tokens": rows, "own": owner == request.user, **more}
    return render(request, "cell/tokens.html", context)


@staff_view()
def tokens(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own API tokens (made with `api_token_create`)."""
    return _token_page(request, request.user)


@staff_view(Perm.MANAGE_USERS)
def user_tokens(request: HttpRequest, pk: int) -> HttpResponse:
    """The tokens of a user the administrator manages (their own organisation's,
    or anyone's for the provincial administrator), and a form to issue one."""
    owner = user_for_user(request.user, pk)
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not (user_may_authenticate(owner) and user_has_current_role(owner)):
            form.add_error(None, _("This user holds no current role, so a token would not work."))
        else:
            data = form.cleaned_data
            token, key = api_token_create(
                user=owner,
                name=data["name"],
                by=cast(User, request.user),
                days=data["days"],
                scopes=data["scopes"],
            )
            response = _token_page(request, owner, form=ApiTokenForm(), new_key=key, new=token)
            add_never_cache_headers(response)  # the key is shown in this answer only
            return response
    return _token_page(request, owner, form=form)


@require_POST
@staff_view()
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    token = api_token_for_user(user, pk)
    if not confirmed(request):
        own = token.user_id == user.pk
        back = reverse("cell:tokens") if own else reverse("cell:user_tokens", args=[token.user_id])
        return unconfirmed(request, back)
    api_token_revoke(token=token, by=user)
    messages.success(request, _("The token is revoked; it stops working at once."))
    if token.user_id == user.pk:
        return redirect("cell:tokens")
    return redirect("cell:user_tokens", pk=token.user_id)


class AuditFilter(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        required=False,
        choices=[("", gettext_lazy("All")), *AuditAction.choices],
    )
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        required=False,
        choices=[("", gettext_lazy("All")), *AuditOutcome.choices],
    )


@staff_view(Perm.VIEW_AUDIT)
def audit(request: HttpRequest) -> HttpResponse:
    form = AuditFilter(request.GET or None)
    rows = _audit_for_user(request.user)
    if form.is_valid():
        for name in ("action", "outcome"):
            if form.cleaned_data[name]:
                rows = rows.filter(**{name: form.cleaned_data[name]})
    # Newest first, 50 at a time, by position in the log rather than by page
    # number: no count of a table that grows by a million rows a year.
    before = request.GET.get("before", "")
    if before.isascii() and before.isdigit():
        rows = rows.filter(id__lt=int(before))
    batch = list(rows.order_by("-id")[: AUDIT_PAGE + 1])
    events = batch[:AUDIT_PAGE]
    context = {
        "form": form,
        "events": events,
        "older": events[-1].pk if len(batch) > AUDIT_PAGE else None,
        "newer": bool(before),
        "query": request.GET.copy(),
    }
    return render(request, "cell/audit.html", context)


AUDIT_PAGE = 50
REFUSALS_DAYS = 7


class AreaImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file (UTF-8)"),
        help_text=gettext_lazy("Columns: code, level, parent_code, name_en, name_ur, ..."),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Check only; do not save"), required=False, initial=True
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


@staff_view(Perm.MANAGE_REFERENCE)
def area_import(request: HttpRequest) -> HttpResponse:
    form = AreaImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            text = io.StringIO(raw.decode("utf-8-sig"))
            report = area_import_csv(
                source=text, by=request.user, dry_run=form.cleaned_data["dry_run"]
            )
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text; save it as 'CSV UTF-8'."))
        except ImportFileError as exc:
            form.add_error("file", str(exc))
    return render(request, "cell/area_import.html", {"form": form, "report": report})


@require_POST
@staff_view()
def switch_area(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("area", "")
    if districts_for_user(request.user).filter(code=code).exists():
        request.session[SESSION_AREA_KEY] = code
    else:
        messages.error(request, _("That area is not in your scope."))
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/cell/") else "cell:home")
