"""Workspace context: the navigation a user's roles allow and the area switcher."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import districts_for_user, user_scope
from ahtc.notifications.selectors import unread_count

SESSION_AREA_KEY = "ahtc_area"


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    perm: Perm
    any_of: tuple[Perm, ...] = ()  # and at least one of these, if given

    def shown_to(self, scope: Any) -> bool:
        return bool(scope.has_perm_anywhere(self.perm)) and (
            not self.any_of or any(scope.has_perm_anywhere(p) for p in self.any_of)
        )


CASE_WORKERS = (Perm.MANAGE_CASES, Perm.INVESTIGATE, Perm.VIEW_SHARED, Perm.PROSECUTE)
RECORD_WORKERS = (Perm.MANAGE_CASES, Perm.INVESTIGATE)
REFERRAL_USERS = (Perm.MANAGE_CASES, Perm.INVESTIGATE, Perm.VIEW_SHARED)


# Later issues append their pages here (intake, cases, victims, reports ...).
NAVIGATION: list[NavItem] = [
    NavItem(_("Overview"), "cell:home", Perm.VIEW_WORKSPACE),
    NavItem(_("Citizen reports"), "cell:intake", Perm.TRIAGE_TIPS),
    NavItem(_("Cases"), "cell:cases", Perm.VIEW_WORKSPACE, CASE_WORKERS),
    NavItem(_("Due and overdue"), "cell:cases_due", Perm.VIEW_WORKSPACE, CASE_WORKERS),
    NavItem(_("Victims"), "cell:victims", Perm.VIEW_WORKSPACE, RECORD_WORKERS),
    NavItem(_("Referrals"), "cell:referrals", Perm.VIEW_WORKSPACE, REFERRAL_USERS),
    NavItem(_("Service directory"), "cell:directory", Perm.VIEW_WORKSPACE, CASE_WORKERS),
    NavItem(_("Record a call"), "cell:record_call", Perm.RECORD_CALLS),
    NavItem(_("Help pages"), "cell:content", Perm.PUBLISH_CONTENT),
    NavItem(_("Organisations"), "cell:organisations", Perm.VIEW_AREA),
    NavItem(_("Users and roles"), "cell:users", Perm.MANAGE_USERS),
    NavItem(_("Import areas"), "cell:area_import", Perm.MANAGE_REFERENCE),
    NavItem(
        _("Districts and rollout"),
        "cell:onboarding:register",
        Perm.VIEW_WORKSPACE,
        (Perm.MANAGE_REFERENCE, Perm.VIEW_AGGREGATES),
    ),
    NavItem(_("Audit log"), "cell:audit", Perm.VIEW_AUDIT),
    NavItem(_("My exports"), "cell:jobs:list", Perm.EXPORT),
]


def current_area_code(request: HttpRequest) -> str:
    return str(request.session.get(SESSION_AREA_KEY, ""))


def workspace(request: HttpRequest) -> dict[str, Any]:
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.path.startswith("/cell/"):
        return {}
    if not user.is_verified():
        return {}
    scope = user_scope(user)
    nav = [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "active": request.path == reverse(item.url_name),
        }
        for item in NAVIGATION
        if item.shown_to(scope)
    ]
    districts = list(districts_for_user(user).only("code", "name_en", "name_ur"))
    code = current_area_code(request)
    # One district: it is the current one. Several: only the one chosen.
    default = districts[0] if len(districts) == 1 else None
    current = next((d for d in districts if d.code == code), default)
    return {
        "nav": nav,
        "switch_areas": districts,
        "current_area": current,
        "unread_notifications": unread_count(request),
    }
