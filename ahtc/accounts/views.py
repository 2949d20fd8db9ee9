from __future__ import annotations

from typing import Any

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ahtc.accounts.forms import EnrolmentCodeForm, SignInForm, TokenForm
from ahtc.accounts.models import User
from ahtc.accounts.selectors import account_area_code, account_for_username
from ahtc.accounts.services import (
    enrolment_code_use,
    sign_in_records_purge_if_due,
    totp_base32,
    totp_device_confirm,
    totp_device_start,
    user_sessions_end,
)
from ahtc.accounts.sessions import session_mark
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction, AuditOutcome


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/cell/"


def _refuse(request: HttpRequest, username: str, user: Any, reason: str) -> None:
    """Audit a failed sign-in, filed under the account's area (or the
    province's for an unknown username) so the audit page shows it."""
    if user is not None:
        # The password was right but the code was not: it still counts
        # towards this account's lockout.
        user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    account = user or account_for_username(username)
    audit_record(
        actor=user,
        action=AuditAction.SIGN_IN_FAILED,
        outcome=AuditOutcome.REFUSED,
        object_type="accounts.user" if account else "",
        object_id=account.pk if account else "",
        area_code=account_area_code(account),
        reason=reason,
    )


def _signed_in(request: HttpRequest, user: User) -> None:
    """One user, one session: a new sign-in ends the others (user_sessions_end)."""
    user_sessions_end(user=user)
    login(request, user)
    session_mark(request)
    sign_in_records_purge_if_due()


def _sign_in(request: HttpRequest, form: SignInForm) -> HttpResponse | None:
    username = form.cleaned_data["username"]
    user = authenticate(request, username=username, password=form.cleaned_data["password"])
    if getattr(request, "axes_locked_out", False):
        return None  # AxesMiddleware answers with the lockout page.
    if user is None:
        _refuse(request, username, None, "wrong username or password")
        return None
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    token = form.cleaned_data["otp_token"]
    if device is not None and not (token and device.verify_token(token)):
        _refuse(request, username, user, "wrong or missing second-factor code")
        return None
    _signed_in(request, user)
    if device is None:
        return redirect("accounts:enrol")
    otp_login(request, device)
    audit_record(actor=user, action=AuditAction.SIGN_IN, target=user)
    return redirect(_next_url(request))


@never_cache
@sensitive_post_parameters("password", "otp_token")
def login_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.is_authenticated and user.is_verified():
        return redirect(_next_url(request))
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _sign_in(request, form)
        if response is not None:
            return response
        form.add_error(None, _("Sign-in failed: the username, password or code is wrong."))
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


# Session keys of the enrolment step: the code brought by a link (before
# sign-in), and the account whose code was accepted in this session.
LINK_CODE_KEY = "ahtc_enrol_link_code"
CODE_OK_KEY = "ahtc_enrol_code_ok"


@never_cache
def enrol_link_view(request: HttpRequest, code: str) -> HttpResponse:
    """The enrolment link: keep the code in the session, then sign in (or, if
    signed in with the password already, go straight on to enrolment)."""
    user: Any = request.user
    if user.is_authenticated and user.is_verified():
        return redirect("cell:home")
    request.session[LINK_CODE_KEY] = code[:64]
    if user.is_authenticated:
        return redirect("accounts:enrol")
    messages.info(
        request, _("Sign in with your username and password to enrol your authenticator.")
    )
    return redirect("accounts:login")


@never_cache
@sensitive_post_parameters("enrolment_code", "otp_token")
def enrol_view(request: HttpRequest) -> HttpResponse:
    """First sign-in: a one-time enrolment code from an administrator, then the
    user scans a QR code and proves it with one code."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if user.is_verified():
        return redirect("cell:home")
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        # Enrolled already but not verified in this session: sign in again.
        logout(request)
        return redirect("accounts:login")
    if request.session.get(CODE_OK_KEY) != user.pk:
        return _enrol_code_step(request, user)
    device = totp_device_start(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_device_confirm(device=device, token=form.cleaned_data["otp_token"]):
            update_session_auth_hash(request, device.user)  # this session carries on
            otp_login(request, device)
            request.session.pop(CODE_OK_KEY, None)
            messages.success(request, _("Your authenticator app is enrolled."))
            return redirect("cell:home")
        form.add_error("otp_token", _("That code does not match. Check the time on your phone."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000")
    context = {"form": form, "qr_svg": mark_safe(qr_svg), "secret": totp_base32(device)}  # noqa: S308
    return render(request, "accounts/enrol.html", context)


def _enrol_code_step(request: HttpRequest, user: Any) -> HttpResponse:
    """The enrolment code, typed or brought by the link. A wrong, used, replaced
    or expired code counts towards the account's lockout like a wrong password."""
    linked = str(request.session.pop(LINK_CODE_KEY, ""))
    form = EnrolmentCodeForm(request.POST or None)
    code = form.cleaned_data["enrolment_code"] if form.is_valid() else linked
    if not code:
        return render(request, "accounts/enrol_code.html", {"form": form})
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        return locked_out(request, credentials=credentials)
    if enrolment_code_use(user=user, code=code):
        request.session[CODE_OK_KEY] = user.pk
        return redirect("accounts:enrol")
    _refuse(request, user.get_username(), user, "wrong, used or expired enrolment code")
    if getattr(request, "axes_locked_out", False):
        logout(request)  # AxesMiddleware answers with the lockout page.
    form = EnrolmentCodeForm(request.POST or {"enrolment_code": linked})
    form.is_valid()
    form.add_error(
        "enrolment_code",
        _(
            "This enrolment code is wrong, used already, replaced by a newer one or expired. "
            "Check it, or ask your administrator for a new one."
        ),
    )
    return render(request, "accounts/enrol_code.html", {"form": form})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(actor=request.user, action=AuditAction.SIGN_OUT, target=request.user)
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")


def locked_out(request: HttpRequest, response: Any = None, credentials: Any = None) -> HttpResponse:
    """django-axes' answer while a username is locked from this address: an
    audit row naming the account (or, for an unknown username, what was tried)."""
    username = str((credentials or {}).get("username") or "")
    account = account_for_username(username) if username else None
    reason = "too many failed sign-ins for one account"
    if account is None:
        reason = f"too many failed sign-ins for an unknown username: {username[:150]}"
    audit_record(
        actor=None,
        action=AuditAction.LOCKED_OUT,
        outcome=AuditOutcome.REFUSED,
        target=account,
        area_code=account_area_code(account),
        reason=reason,
    )
    return render(request, "accounts/locked.html", status=429)
