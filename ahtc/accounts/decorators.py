from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction, AuditOutcome

View = Callable[..., HttpResponse]


def refused(request: HttpRequest, target: Any, why: str) -> HttpResponse:
    """403 page for a user who may see `target` but not do this; audited."""
    audit_record(
        actor=request.user,
        action=AuditAction.UPDATE,
        outcome=AuditOutcome.REFUSED,
        target=target,
        reason=why,
    )
    return render(request, "cell/forbidden.html", status=403)


def refused_if(request: Any, target: Any, error: Any) -> None:
    """Audit a refused attempt carried by a service's RuleError (if any)."""
    if getattr(error, "refusal", ""):
        audit_record(
            actor=request.user,
            action=AuditAction.UPDATE,
            outcome=AuditOutcome.REFUSED,
            target=target,
            reason=error.refusal,
        )


def staff_view(perm: Perm = Perm.VIEW_WORKSPACE) -> Callable[[View], View]:
    """Signed in, second factor verified, and holding `perm` somewhere.

    Anonymous users go to sign-in; a user without a verified second factor
    goes to enrolment or sign-in; a user without the permission gets 403 and
    an audit row. Record-level scope is the access functions' job (404).
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user: Any = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.is_verified():
                return redirect("accounts:enrol")
            if not user_scope(user).has_perm_anywhere(perm):
                audit_record(
                    actor=user,
                    action=AuditAction.VIEW,
                    outcome=AuditOutcome.REFUSED,
                    object_type="page",
                    object_id=request.resolver_match.view_name if request.resolver_match else "",
                    reason=f"lacks permission {perm}",
                )
                return render(request, "cell/forbidden.html", status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
