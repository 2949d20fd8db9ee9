"""Administration pages, part two: users, roles, sessions, enrolment codes and
the two-person reset of a lost authenticator (issue 11).

Who may act on whom is decided by the accounts selectors: a user outside
`users_for_user` is a 404 (audited); a rule the services refuse (own
account, a role not held, an area outside scope, the requester approving
their own reset) is a 403 with the reason on the page and an audit row.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from ahtc.accounts.decorators import refused_if, staff_view
from ahtc.accounts.forms import (
    GrantForm,
    PasswordResetForm,
    ReasonForm,
    RequiredReasonForm,
    UserCreateForm,
    UserEditForm,
)
from ahtc.accounts.models import ResetStatus, RoleAssignment, User
from ahtc.accounts.roles import Perm, Role
from ahtc.accounts.selectors import (
    grant_areas_for_user,
    is_provincial_administrator,
    organisations_for_new_user,
    reset_for_user,
    resets_for_user,
    user_for_user,
    users_for_user,
)
from ahtc.accounts.services import (
    authenticator_reset_approve,
    authenticator_reset_cancel,
    authenticator_reset_request,
    enrolment_issue,
    enrolment_link,
    role_grant,
    role_revoke,
    user_create_with_role,
    user_disable,
    user_enable,
    user_password_reset,
    user_sessions_terminate,
    user_update,
)
from ahtc.accounts.sessions import sessions_of
from ahtc.cell.admin_views import form_page, posted, rule_refused
from ahtc.core.confirm import confirmed, unconfirmed
from ahtc.core.errors import RuleError


def _back(target: User) -> str:
    return reverse("cell:user", args=[target.pk])


def _secret_page(request: HttpRequest, *, title: str, target: User, **secrets: str) -> HttpResponse:
    """A password or enrolment code, shown this once (never stored in clear)."""
    context = {"title": title, "target": target, **secrets}
    if secrets.get("code"):
        context["link"] = request.build_absolute_uri(enrolment_link(secrets["code"]))
    response = render(request, "accounts/secret_shown.html", context)
    response["Cache-Control"] = "no-store"
    return response


@staff_view(Perm.MANAGE_USERS)
def users(request: HttpRequest) -> HttpResponse:
    rows = (
        users_for_user(request.user)
        .select_related("organisation")
        .prefetch_related("role_assignments__area")
        .order_by("organisation__name_en", "username")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "cell/users.html", {"page": page, "today": timezone.localdate()})


@staff_view(Perm.MANAGE_USERS)
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor: Any = request.user
    target = user_for_user(actor, pk)
    return _detail_page(request, target, GrantForm(areas=grant_areas_for_user(actor)))


def _detail_page(
    request: HttpRequest, target: User, grant_form: GrantForm, status: int = 200
) -> HttpResponse:
    assignments = target.role_assignments.select_related("area", "granted_by").order_by(
        "area__path", "role"
    )
    context = {
        "target": target,
        "own": target.pk == request.user.pk,
        "assignments": assignments,
        "today": timezone.localdate(),
        "grant_form": grant_form,
        "enrolled": target.totpdevice_set.filter(confirmed=True).exists(),  # type: ignore[attr-defined]
        "resets": target.authenticator_resets.select_related("requested_by", "decided_by")[:5],
    }
    return render(request, "cell/user_detail.html", context, status=status)


@never_cache
@sensitive_post_parameters("password")
@staff_view(Perm.MANAGE_USERS)
def user_new(request: HttpRequest) -> HttpResponse:
    actor: Any = request.user
    form = UserCreateForm(
        posted(request),
        areas=grant_areas_for_user(actor),
        organisations=organisations_for_new_user(actor),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            target, password, code = user_create_with_role(
                username=data["username"],
                organisation=data["organisation"],
                role=Role(data["role"]),
                area=data["area"],
                display_name=data["display_name"],
                email=data["email"],
                password=data["password"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                by=actor,
            )
        except (RuleError, ValidationError) as error:
            status = rule_refused(request, form, None, error)
        else:
            shown = password if not data["password"] else ""
            title = _("%(name)s is created") % {"name": target.username}
            return _secret_page(request, title=title, target=target, password=shown, code=code)
    back = reverse("cell:users")
    return form_page(request, form, title=_("New user"), back=back, status=status)


@staff_view(Perm.MANAGE_USERS)
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor: Any = request.user
    target = user_for_user(actor, pk)
    moves = is_provincial_administrator(actor) and target.pk != actor.pk
    initial = {
        "display_name": target.display_name,
        "email": target.email,
        "organisation": target.organisation,
    }
    organisations = organisations_for_new_user(actor) if moves else None
    form = UserEditForm(posted(request), initial=initial, organisations=organisations)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user_update(user=target, by=actor, **form.cleaned_data)
        except RuleError as error:
            status = rule_refused(request, form, target, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("cell:user", pk=target.pk)
    title = _("Edit %(name)s") % {"name": target.username}
    return form_page(request, form, title=title, back=_back(target), status=status)


@require_POST
@staff_view(Perm.MANAGE_USERS)
def role_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor: Any = request.user
    target = user_for_user(actor, pk)
    form = GrantForm(request.POST, areas=grant_areas_for_user(actor))
    if not form.is_valid():
        return _detail_page(request, target, form)
    data = form.cleaned_data
    try:
        role_grant(
            user=target,
            role=Role(data["role"]),
            area=data["area"],
            by=actor,
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
        )
    except (RuleError, ValidationError) as error:
        return _detail_page(request, target, form, rule_refused(request, form, target, error))
    messages.success(request, _("The role is granted; the user's open sessions ended."))
    return redirect("cell:user", pk=target.pk)


@require_POST
@staff_view(Perm.MANAGE_USERS)
def role_remove(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    actor: Any = request.user
    target = user_for_user(actor, pk)
    assignment = RoleAssignment.objects.filter(user=target, pk=assignment_pk).first()
    if assignment is None:
        messages.error(request, _("That role was revoked already."))
        return redirect("cell:user", pk=target.pk)
    try:
        role_revoke(assignment=assignment, by=actor)
    except RuleError as error:
        refused_if(request, target, error)
        messages.error(request, error.message)
        return _detail_page(request, target, GrantForm(areas=grant_areas_for_user(actor)), 403)
    messages.success(request, _("The role is revoked; the user's open sessions ended."))
    return redirect("cell:user", pk=target.pk)


@staff_view(Perm.MANAGE_USERS)
def user_disable_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation page; POST: disable."""
    actor: Any = request.user
    target = user_for_user(actor, pk)
    form = ReasonForm(posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"] or "disabled from the workspace"
        try:
            user_disable(user=target, by=actor, reason=reason)
        except (RuleError, PermissionDenied) as error:
            rule = (
                error if isinstance(error, RuleError) else RuleError(str(error), refusal=str(error))
            )
            status = rule_refused(request, form, target, rule)
        else:
            messages.success(request, _("%(name)s is disabled and signed out.") % {"name": target})
            return redirect("cell:user", pk=target.pk)
    title = _("Disable %(name)s?") % {"name": target.username}
    intro = _(
        "They are signed out at once and cannot sign in until re-enabled. Their records stay."
    )
    return form_page(
        request,
        form,
        title=title,
        intro=intro,
        back=_back(target),
        submit=_("Disable"),
        danger=True,
        status=status,
    )


@require_POST
@staff_view(Perm.MANAGE_USERS)
def user_enable_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor: Any = request.user
    target = user_for_user(actor, pk)
    try:
        user_enable(user=target, by=actor)
    except RuleError as error:
        refused_if(request, target, error)
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s can sign in again.") % {"name": target})
    return redirect("cell:user", pk=target.pk)


@never_cache
@sensitive_post_parameters("password")
@staff_view(Perm.MANAGE_USERS)
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    actor: Any = request.user
    target = user_for_user(actor, pk)
    form = PasswordResetForm(posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        typed = form.cleaned_data["password"]
        try:
            password = user_password_reset(user=target, by=actor, password=typed)
        except (RuleError, ValidationError) as error:
            status = rule_refused(request, form, target, error)
        else:
            title = _("New password for %(name)s") % {"name": target.username}
            return _secret_page(
                request, title=title, target=target, password="" if typed else password
            )
    intro = _(
        "The user signs in with the new password and the code from their usual "
        "authenticator app, which stays enrolled. Their open sessions end."
    )
    title = _("Reset the password of %(name)s") % {"name": target.username}
    return form_page(
        request,
        form,
        title=title,
        intro=intro,
        back=_back(target),
        submit=_("Reset"),
        status=status,
    )


@staff_view(Perm.MANAGE_USERS)
def user_sessions(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the user's open sessions; POST: end one (`session`) or all."""
    actor: Any = request.user
    target = user_for_user(actor, pk)
    if request.method == "POST" and not confirmed(request):
        return unconfirmed(request, reverse("cell:user_sessions", args=[target.pk]))
    if request.method == "POST":
        ended = user_sessions_terminate(user=target, by=actor, ref=request.POST.get("session", ""))
        messages.success(request, _("Sessions ended: %(count)s.") % {"count": ended})
        return redirect("cell:user_sessions", pk=target.pk)
    context = {"target": target, "sessions": sessions_of(target.pk)}
    return render(request, "cell/user_sessions.html", context)


@require_POST
@never_cache
@staff_view(Perm.MANAGE_USERS)
def user_enrolment(request: HttpRequest, pk: int) -> HttpResponse:
    actor: Any = request.user
    target = user_for_user(actor, pk)
    code = enrolment_issue(user=target, by=actor)
    title = _("Enrolment code for %(name)s") % {"name": target.username}
    return _secret_page(request, title=title, target=target, code=code)


@staff_view(Perm.MANAGE_USERS)
def reset_request(request: HttpRequest, pk: int) -> HttpResponse:
    """First administrator: ask for a lost authenticator to be reset."""
    actor: Any = request.user
    target = user_for_user(actor, pk)
    form = RequiredReasonForm(posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            authenticator_reset_request(user=target, by=actor, reason=form.cleaned_data["reason"])
        except RuleError as error:
            status = rule_refused(request, form, target, error)
        else:
            messages.success(
                request, _("Requested. A second administrator must approve within 48 hours.")
            )
            return redirect("cell:user", pk=target.pk)
    intro = _(
        "For a user who lost their phone or authenticator app. A different administrator "
        "must approve within 48 hours; then the old authenticator stops working and the "
        "user enrols a new one with an enrolment code."
    )
    title = _("Reset the authenticator of %(name)s") % {"name": target.username}
    return form_page(
        request, form, title=title, intro=intro, back=_back(target), submit=_("Ask"), status=status
    )


@staff_view(Perm.MANAGE_USERS)
def resets(request: HttpRequest) -> HttpResponse:
    rows = resets_for_user(request.user).select_related("user", "requested_by", "decided_by")
    context = {"resets": rows[:100], "now": timezone.now(), "pending": ResetStatus.PENDING}
    return render(request, "cell/authenticator_resets.html", context)


@never_cache
@staff_view(Perm.MANAGE_USERS)
def reset_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Second administrator: approve (POST decision=approve) or cancel."""
    actor: Any = request.user
    reset = reset_for_user(actor, pk)
    form = ReasonForm(posted(request))
    form.fields.pop("reason")
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("decision") == "approve":
                code = authenticator_reset_approve(reset=reset, by=actor)
                title = _("Authenticator of %(name)s removed") % {"name": reset.user.username}
                return _secret_page(request, title=title, target=reset.user, code=code)
            authenticator_reset_cancel(reset=reset, by=actor)
        except RuleError as error:
            status = rule_refused(request, form, reset.user, error)
        else:
            messages.success(request, _("The request is cancelled."))
            return redirect("cell:resets")
    return render(
        request,
        "cell/authenticator_reset.html",
        {"form": form, "reset": reset, "own": reset.requested_by_id == actor.pk},
        status=status,
    )
