"""Roles and what they may do, declared once (STYLE.md §6).

A role is held in an area (a district, a division or the province); it grants
its permissions for that area and everything under it. Need-to-know rules of
later issues (sharing a case with an agency) narrow this further; they never
widen it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from ahtc.geography.models import AreaLevel


class Perm(models.TextChoices):
    VIEW_WORKSPACE = "view_workspace", _("use the cell workspace")
    VIEW_AREA = "view_area", _("see area profiles")
    TRIAGE_TIPS = "triage_tips", _("triage citizen reports")
    RECORD_CALLS = "record_calls", _("record reports received by phone or in person")
    MANAGE_CASES = "manage_cases", _("open and manage cases")
    INVESTIGATE = "investigate", _("investigate cases assigned to them")
    VIEW_SHARED = "view_shared", _("see records shared with their agency")
    VIEW_IDENTITY = "view_identity", _("see victim identities where the case needs it")
    VIEW_AGGREGATES = "view_aggregates", _("see statistics and reports")
    EXPORT = "export", _("export data without identities")
    VIEW_AUDIT = "view_audit", _("read the audit log")
    MANAGE_USERS = "manage_users", _("manage users and roles")
    MANAGE_REFERENCE = "manage_reference", _("manage reference data (areas, organisations)")
    CONSENT_OVERRIDE = (
        "consent_override",
        _("go ahead without the victim's recorded consent (audited)"),
    )
    PUBLISH_CONTENT = "publish_content", _("edit helplines and awareness pages")
    EXPORT_IDENTITY = (
        "export_identity",
        _("export lists with victims' names (with a reason; audited)"),
    )
    PROSECUTE = "prosecute", _("check challans and record hearings and verdicts of shared cases")
    # Targets for indicators (monitoring/selectors.py: may_set_targets): the
    # province's plan, and the district vigilance committee's for its district.
    SET_TARGETS = "set_targets", _("set targets for indicators")
    # Filling survey forms in the field (surveys/collect.py); sensitive
    # instruments also need the role that reads their rows (surveys/selectors.py).
    COLLECT_SURVEYS = "collect_surveys", _("fill in field survey forms in their district")


class Role(models.TextChoices):
    CELL_HEAD = "cell_head", _("Cell head (DPO)")
    CELL_OFFICER = "cell_officer", _("Cell officer")
    INVESTIGATING_OFFICER = "investigating_officer", _("Investigating officer")
    ANALYST = "analyst", _("Analyst")
    HELPLINE = "helpline", _("Helpline call-taker")
    AGENCY_LIAISON = "agency_liaison", _("Agency liaison")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    PROVINCIAL_MONITOR = "provincial_monitor", _("Provincial monitor")
    ADMINISTRATOR = "administrator", _("Administrator")


@dataclass(frozen=True)
class RoleSpec:
    permissions: frozenset[Perm]
    levels: frozenset[str]


_D, _V, _P = AreaLevel.DISTRICT, AreaLevel.DIVISION, AreaLevel.PROVINCE
_W = Perm.VIEW_WORKSPACE

ROLES: dict[Role, RoleSpec] = {
    Role.CELL_HEAD: RoleSpec(
        frozenset(
            {
                _W,
                Perm.VIEW_AREA,
                Perm.TRIAGE_TIPS,
                Perm.MANAGE_CASES,
                Perm.INVESTIGATE,
                Perm.VIEW_IDENTITY,
                Perm.VIEW_AGGREGATES,
                Perm.EXPORT,
                Perm.VIEW_AUDIT,
                Perm.MANAGE_USERS,
                Perm.CONSENT_OVERRIDE,
                Perm.EXPORT_IDENTITY,
                Perm.PUBLISH_CONTENT,
                Perm.COLLECT_SURVEYS,
            }
        ),
        frozenset({_D, _V}),
    ),
    Role.CELL_OFFICER: RoleSpec(
        frozenset(
            {
                _W,
                Perm.VIEW_AREA,
                Perm.TRIAGE_TIPS,
                Perm.RECORD_CALLS,
                Perm.MANAGE_CASES,
                Perm.VIEW_IDENTITY,
                Perm.VIEW_AGGREGATES,
                Perm.EXPORT,
                Perm.PUBLISH_CONTENT,
                Perm.COLLECT_SURVEYS,
            }
        ),
        frozenset({_D}),
    ),
    Role.INVESTIGATING_OFFICER: RoleSpec(
        frozenset({_W, Perm.VIEW_AREA, Perm.INVESTIGATE, Perm.VIEW_IDENTITY}),
        frozenset({_D}),
    ),
    Role.ANALYST: RoleSpec(
        frozenset({_W, Perm.VIEW_AREA, Perm.VIEW_AGGREGATES, Perm.EXPORT}),
        frozenset({_D, _V, _P}),
    ),
    Role.HELPLINE: RoleSpec(
        frozenset({_W, Perm.VIEW_AREA, Perm.RECORD_CALLS}),
        frozenset({_D, _V, _P}),
    ),
    Role.AGENCY_LIAISON: RoleSpec(
        frozenset({_W, Perm.VIEW_AREA, Perm.VIEW_SHARED}),
        frozenset({_D, _V, _P}),
    ),
    Role.PROSECUTOR: RoleSpec(
        frozenset({_W, Perm.VIEW_AREA, Perm.VIEW_SHARED, Perm.PROSECUTE}),
        frozenset({_D, _V}),
    ),
    Role.COMMITTEE_MEMBER: RoleSpec(
        frozenset({_W, Perm.VIEW_AREA, Perm.VIEW_AGGREGATES, Perm.SET_TARGETS}),
        frozenset({_D}),
    ),
    Role.PROVINCIAL_MONITOR: RoleSpec(
        frozenset({_W, Perm.VIEW_AREA, Perm.VIEW_AGGREGATES, Perm.EXPORT, Perm.SET_TARGETS}),
        frozenset({_P, _V}),
    ),
    Role.ADMINISTRATOR: RoleSpec(
        frozenset(
            {
                _W,
                Perm.VIEW_AREA,
                Perm.VIEW_AUDIT,
                Perm.MANAGE_USERS,
                Perm.MANAGE_REFERENCE,
                Perm.PUBLISH_CONTENT,
            }
        ),
        frozenset({_D, _V, _P}),
    ),
}


def role_permissions(role: str) -> frozenset[Perm]:
    return ROLES[Role(role)].permissions


def role_allows_level(role: str, level: str) -> bool:
    return level in ROLES[Role(role)].levels


# Who may grant what (issue 11). A user grants only roles they hold
# themselves, in an area inside the one where they hold it; the provincial
# administrator grants any role. The roles below may also be granted by the
# holder of the key role, so that a cell head can staff the cell without
# holding every post in it. An empty table leaves the strict rule.
DELEGABLE: dict[Role, frozenset[Role]] = {
    Role.CELL_HEAD: frozenset(
        {Role.CELL_OFFICER, Role.INVESTIGATING_OFFICER, Role.HELPLINE, Role.ANALYST}
    ),
}


def roles_grantable_by(held: set[str]) -> set[str]:
    """The roles a holder of `held` (in one area) may grant there."""
    grantable = set(held)
    for role in held:
        grantable |= {str(r) for r in DELEGABLE.get(Role(role), frozenset())}
    return grantable
