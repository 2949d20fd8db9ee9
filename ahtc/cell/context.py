"""Workspace context: the navigation a user's roles allow and the area switcher."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import districts_for_user, user_scope
from ahtc.notifications.selectors import unread_count
from ahtc.surveys.selectors import sees_surveys

SESSION_AREA_KEY = "ahtc_area"


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    perm: Perm
    any_of: tuple[Perm, ...] = ()  # and at least one of these, if given
    # Or, where permissions cannot say it (an organisation's kind, a role),
    # the page's own access rule, given the user.
    when: Callable[[Any], bool] | None = None

    def shown_to(self, scope: Any, user: Any = None) -> bool:
        if self.when is not None:
            return bool(scope.has_perm_anywhere(self.perm)) and self.when(user)
        return bool(scope.has_perm_anywhere(self.perm)) and (
            not self.any_of or any(scope.has_perm_anywhere(p) for p in self.any_of)
        )


def _finding_reader(user: Any) -> bool:
    from ahtc.labour.selectors import counts_findings, reads_findings

    return reads_findings(user) or counts_findings(user)


def _registry_reader(user: Any) -> bool:
    from ahtc.labour.selectors import reads_registry

    return reads_registry(user)


def _school_placer(user: Any) -> bool:
    from ahtc.labour.selectors import places_schools

    return places_schools(user)


def _agency_reader(user: Any) -> bool:
    from ahtc.agencies.selectors import reads_agencies

    return reads_agencies(user)


def _match_reviewer(user: Any) -> bool:
    from ahtc.people.match_views import reviews_matches

    return reviews_matches(user)


def _network_reader(user: Any) -> bool:
    from ahtc.intelligence.selectors import may_analyse

    return may_analyse(user)


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
    NavItem(_("Child labour"), "cell:labour:list", Perm.VIEW_WORKSPACE, when=_finding_reader),
    NavItem(
        _("Kilns and workshops"), "cell:labour:kilns", Perm.VIEW_WORKSPACE, when=_registry_reader
    ),
    NavItem(
        _("Children to place in school"),
        "cell:labour:schooling",
        Perm.VIEW_WORKSPACE,
        when=_school_placer,
    ),
    NavItem(_("Travel agencies"), "cell:agencies:list", Perm.VIEW_WORKSPACE, when=_agency_reader),
    NavItem(_("Field surveys"), "cell:surveys:list", Perm.VIEW_WORKSPACE, when=sees_surveys),
    NavItem(_("Referrals"), "cell:referrals", Perm.VIEW_WORKSPACE, REFERRAL_USERS),
    NavItem(_("People to match"), "cell:people_matches", Perm.VIEW_WORKSPACE, when=_match_reviewer),
    NavItem(_("Networks"), "cell:intelligence:networks", Perm.VIEW_WORKSPACE, when=_network_reader),
    NavItem(_("Service directory"), "cell:directory", Perm.VIEW_WORKSPACE, CASE_WORKERS),
    NavItem(_("Record a call"), "cell:record_call", Perm.RECORD_CALLS),
    # Figures after the daily work (monitors and analysts see only these).
    NavItem(_("Monitoring"), "cell:monitoring:dashboard", Perm.VIEW_AGGREGATES),
    NavItem(_("Indicator explorer"), "cell:monitoring:explore", Perm.VIEW_AGGREGATES),
    NavItem(_("District committee"), "cell:monitoring:committee", Perm.VIEW_AGGREGATES),
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
        if item.shown_to(scope, user)
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
