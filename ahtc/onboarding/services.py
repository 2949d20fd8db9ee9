"""District onboarding: one call sets up a district's cell the way Mandi
Bahauddin's works, and running it again changes nothing.

For each district: the cell, the usual partner organisations (linking any that
already exist, such as the FIA circle that covers several districts), the
district vigilance committee, the service levels for citizen reports, the
province's public helplines and starter help pages (once per province), the
rollout register row, and the first cell head with a one-time enrolment code.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.accounts.models import Organisation, OrganisationKind, RoleAssignment, User
from ahtc.accounts.roles import Perm, Role
from ahtc.accounts.selectors import user_scope
from ahtc.accounts.services import organisation_create, role_grant, user_create
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.geography.models import Area, AreaLevel
from ahtc.onboarding import defaults
from ahtc.onboarding.models import DistrictRollout
from ahtc.portal.models import ContentPage, Helpline, HelplineKind


class OnboardingError(ValidationError):
    """A district that cannot be onboarded, with the reason in the message."""


@dataclass
class HeadAccount:
    """The first cell head. The password and code exist only in this object,
    returned once to whoever onboarded the district; the database keeps hashes."""

    username: str
    password: str
    enrolment_code: str
    enrolment_path: str


@dataclass
class Onboarded:
    district: Area
    rollout: DistrictRollout
    created: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)
    head: HeadAccount | None = None
    existing_head: str = ""
    # What was left for someone with a wider scope (e.g. the FIA circle of a
    # division, onboarded by a district's administrator).
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created)


def _named(template: defaults.PartnerTemplate, area: Area) -> tuple[str, str]:
    return (
        template.name_en.format(district=area.name_en),
        template.name_ur.format(district=area.name_ur or area.name_en),
    )


def _ensure_org(
    template: defaults.PartnerTemplate, *, area: Area, result: Onboarded, by: Any
) -> Organisation:
    """The organisation of this kind at this area, or a new one from the template.

    An organisation of the same kind already set up for the area (under any
    name) is linked rather than duplicated."""
    existing = (
        Organisation.objects.filter(area=area, kind=template.kind)
        .order_by("-is_active", "pk")
        .first()
    )
    if existing is not None:
        result.linked.append(existing.name_en)
        return existing
    name_en, name_ur = _named(template, area)
    organisation = organisation_create(
        kind=template.kind, name_en=name_en, name_ur=name_ur, area=area, by=by
    )
    result.created.append(name_en)
    return organisation


def _covering_fia(district: Area) -> Organisation | None:
    """An active FIA circle whose area holds the district, or that serves it."""
    above = district.ancestor_codes()
    return (
        Organisation.objects.filter(kind=OrganisationKind.FIA, is_active=True)
        .filter(Q(area__code__in=above) | Q(areas_served=district))
        .order_by("-area__path", "pk")
        .first()
    )


def _may_set_up(by: Any, area: Area) -> bool:
    """The command line (None) may; a user needs reference rights over the area."""
    return by is None or user_scope(by).permits(Perm.MANAGE_REFERENCE, area)


def _ensure_fia(district: Area, result: Onboarded, by: Any) -> None:
    circle = _covering_fia(district)
    if circle is not None:
        result.linked.append(circle.name_en)
        return
    parent = district.parent
    division = parent if parent is not None and parent.level == AreaLevel.DIVISION else district
    if not _may_set_up(by, division):
        result.notes.append(
            _(
                "No FIA circle covers %(district)s; "
                "a provincial administrator adds one for %(area)s."
            )
            % {"district": district.name_en, "area": division.name_en}
        )
        return
    _ensure_org(defaults.FIA_CIRCLE, area=division, result=result, by=by)


def _province_of(district: Area) -> Area:
    province = (
        Area.objects.filter(code__in=district.ancestor_codes(), level=AreaLevel.PROVINCE)
        .order_by("path")
        .first()
    )
    if province is None:
        raise OnboardingError(
            _("%(code)s is not under a province; load the hierarchy with `ahtc areas import`.")
            % {"code": district.code}
        )
    return province


def _ensure_province_content(province: Area, result: Onboarded, by: Any) -> None:
    """The public helplines and starter help pages, once per province."""
    if not _may_set_up(by, province):
        return
    inside = Q(area__path__startswith=province.path)
    for line_kind, name_en, name_ur, number, position in defaults.PROVINCE_HELPLINES:
        if not Helpline.objects.filter(inside, number=number).exists():
            line = Helpline.objects.create(
                area=province,
                kind=line_kind,
                name_en=name_en,
                name_ur=name_ur,
                number=number,
                position=position,
            )
            audit_record(actor=by, action=AuditAction.CREATE, target=line, area_code=province.code)
            result.created.append(f"{name_en} {number}")
    for slug, kind, title_en, title_ur, body_en, body_ur in defaults.STARTER_PAGES:
        if ContentPage.objects.filter(inside, kind=kind).exists():
            continue
        taken = ContentPage.objects.filter(slug=slug).exists()
        page = ContentPage.objects.create(
            slug=f"{slug}-{province.code.lower()}" if taken else slug,
            kind=kind,
            area=province,
            title_en=title_en,
            title_ur=title_ur,
            body_en=body_en,
            body_ur=body_ur,
            published=True,
            updated_by=by if isinstance(by, User) else None,
        )
        audit_record(actor=by, action=AuditAction.CREATE, target=page, area_code=province.code)
        result.created.append(title_en)


def _ensure_cell_helpline(
    district: Area, cell: Organisation, phone: str, result: Onboarded, by: Any
) -> None:
    number = phone or cell.phone
    if not number or Helpline.objects.filter(area=district, kind=HelplineKind.CELL).exists():
        return
    line = Helpline.objects.create(
        area=district,
        kind=HelplineKind.CELL,
        name_en=cell.name_en,
        name_ur=cell.name_ur,
        number=number,
        position=5,
    )
    audit_record(actor=by, action=AuditAction.CREATE, target=line, area_code=district.code)
    result.created.append(f"{cell.name_en} {number}")


def current_cell_heads(district: Area) -> Any:
    """Active users holding the cell head role for the district today."""
    held = RoleAssignment.objects.current().filter(role=Role.CELL_HEAD, area=district)
    return User.objects.filter(is_active=True, pk__in=held.values("user_id"))


def _ensure_head(
    district: Area,
    cell: Organisation,
    result: Onboarded,
    *,
    username: str,
    display_name: str,
    password: str | None,
    by: Any,
) -> None:
    existing = current_cell_heads(district).order_by("pk").first()
    if existing is not None:
        result.existing_head = existing.username
        return
    username = username or f"head_{district.code.lower()}"
    user = User.objects.filter(username__iexact=username).first()
    if user is not None and user.organisation_id != cell.pk:
        raise OnboardingError(
            _("The username %(username)s belongs to someone outside this cell; choose another.")
            % {"username": username}
        )
    plain = ""
    if user is None:
        plain = password or secrets.token_urlsafe(12)
        user = user_create(
            username=username,
            password=plain,
            organisation=cell,
            display_name=display_name
            or _("Cell head, %(district)s") % {"district": district.name_en},
            by=by,
            check_password=password is None,
        )
        result.created.append(username)
    role_grant(user=user, role=Role.CELL_HEAD, area=district, by=by)
    from ahtc.accounts.services import enrolment_issue, enrolment_link

    code = enrolment_issue(user=user, by=by if isinstance(by, User) else None)
    result.head = HeadAccount(
        username=user.username,
        password=plain,
        enrolment_code=code,
        enrolment_path=enrolment_link(code),
    )


def _check_district(district: Area, today: dt.date) -> None:
    if district.level != AreaLevel.DISTRICT:
        raise OnboardingError(
            _("%(code)s is a %(level)s, not a district.")
            % {"code": district.code, "level": district.get_level_display()}
        )
    if district.valid_to is not None and district.valid_to <= today:
        raise OnboardingError(
            _("%(code)s ended on %(date)s; onboard the district that replaced it.")
            % {"code": district.code, "date": district.valid_to.isoformat()}
        )


@transaction.atomic
def district_onboard(
    *,
    district: Area,
    by: Any = None,
    head_username: str = "",
    head_display_name: str = "",
    head_password: str | None = None,
    cell_phone: str = "",
    established_on: dt.date | None = None,
) -> Onboarded:
    """Set up one district; a second run changes nothing and reports what exists.

    `by` is the administrator (None: the command line). A cell head is created
    only when the district has none; its password is random unless given."""
    today = timezone.localdate()
    _check_district(district, today)
    province = _province_of(district)
    rollout = DistrictRollout.objects.filter(district=district).first()
    result = Onboarded(district=district, rollout=rollout)  # type: ignore[arg-type]
    _ensure_province_content(province, result, by)
    cell = _ensure_org(defaults.CELL, area=district, result=result, by=by)
    if cell_phone and not cell.phone:
        cell.phone = cell_phone
        cell.save(update_fields=["phone", "updated_at"])
    for template in defaults.DISTRICT_PARTNERS:
        _ensure_org(template, area=district, result=result, by=by)
    _ensure_fia(district, result, by)
    committee = _ensure_org(defaults.COMMITTEE, area=district, result=result, by=by)
    _ensure_cell_helpline(district, cell, cell_phone, result, by)
    if rollout is None:
        rollout = DistrictRollout.objects.create(
            district=district,
            cell=cell,
            committee=committee,
            established_on=established_on or today,
            onboarded_by=by if isinstance(by, User) else None,
        )
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            target=rollout,
            area_code=district.code,
            reason="district onboarded",
        )
        result.created.append(_("rollout register entry"))
    result.rollout = rollout
    _ensure_head(
        district,
        cell,
        result,
        username=head_username,
        display_name=head_display_name,
        password=head_password,
        by=by,
    )
    return result


def districts_onboard(*, districts: Iterable[Area], by: Any = None) -> list[Onboarded]:
    """Several districts, each in its own transaction: one refusal (a district
    that ended, a username taken) does not undo the others; it is raised after
    the rest are done, naming every district that failed."""
    done: list[Onboarded] = []
    failures: list[str] = []
    for district in districts:
        try:
            done.append(district_onboard(district=district, by=by))
        except ValidationError as exc:
            failures.append(f"{district.code}: {' '.join(exc.messages)}")
    if failures:
        error = OnboardingError("; ".join(failures))
        error.done = done  # type: ignore[attr-defined]
        raise error
    return done


def province_districts(province: Area) -> Any:
    """The current districts of a province (or any area), in path order."""
    return (
        Area.objects.filter(path__startswith=province.path, level=AreaLevel.DISTRICT)
        .current()
        .order_by("path")
    )


@transaction.atomic
def rollout_update(*, rollout: DistrictRollout, by: Any = None, **changes: Any) -> DistrictRollout:
    allowed = {"established_on", "live_on", "sla_urgent_hours", "sla_normal_hours"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    for name, value in changes.items():
        setattr(rollout, name, value)
    rollout.full_clean()
    rollout.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=rollout,
        area_code=rollout.district.code,
        reason=", ".join(sorted(changes)),
    )
    return rollout
