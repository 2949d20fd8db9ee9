"""Writes to users, organisations and roles. Each one is audited."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ahtc.accounts.models import Organisation, RoleAssignment, User
from ahtc.accounts.roles import Role, role_allows_level
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.geography.models import Area


@transaction.atomic
def organisation_create(
    *, kind: str, name_en: str, name_ur: str = "", area: Area, phone: str = "", by: Any = None
) -> Organisation:
    organisation = Organisation.objects.create(
        kind=kind, name_en=name_en, name_ur=name_ur, area=area, phone=phone
    )
    audit_record(actor=by, action=AuditAction.CREATE, target=organisation)
    return organisation


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    organisation: Organisation,
    display_name: str = "",
    email: str = "",
    by: Any = None,
    check_password: bool = True,
) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("A user with that username already exists."))
    user = User(
        username=username, organisation=organisation, display_name=display_name, email=email
    )
    if check_password:
        validate_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(actor=by, action=AuditAction.CREATE, target=user)
    return user


@transaction.atomic
def role_grant(*, user: User, role: Role, area: Area, by: Any = None) -> RoleAssignment:
    if not role_allows_level(role, area.level):
        raise ValidationError(
            _("The role %(role)s cannot be held in a %(level)s.")
            % {"role": role.label, "level": area.get_level_display()}
        )
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user, role=role, area=area, defaults={"granted_by": by}
    )
    audit_record(actor=by, action=AuditAction.GRANT, target=user, area_code=area.code, reason=role)
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, by: Any = None) -> None:
    audit_record(
        actor=by,
        action=AuditAction.REVOKE,
        target=assignment.user,
        area_code=assignment.area.code,
        reason=assignment.role,
    )
    assignment.delete()


def _sessions_of(user: User) -> list[str]:
    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            keys.append(session.session_key)
    return keys


@transaction.atomic
def user_disable(*, user: User, by: Any = None, reason: str = "") -> None:
    """Disable at once: the flag stops every open session on its next request
    (ActiveOrganisationBackend) and the stored sessions are deleted too."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    Session.objects.filter(session_key__in=_sessions_of(user)).delete()
    audit_record(actor=by, action=AuditAction.DISABLE, target=user, reason=reason)


def demo_totp_key(username: str) -> str:
    """A fixed TOTP key (hex) per demo persona, so testers can script sign-in."""
    return hashlib.sha256(f"ahtc-demo-totp:{username}".encode()).hexdigest()[:40]


def totp_device_confirm_demo(*, user: User) -> TOTPDevice:
    device, _created = TOTPDevice.objects.update_or_create(
        user=user, name="default", defaults={"key": demo_totp_key(user.username), "confirmed": True}
    )
    return device


def totp_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed device for enrolment; reuses one not yet confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    audit_record(actor=device.user, action=AuditAction.ENROL_2FA, target=device.user)
    return True
