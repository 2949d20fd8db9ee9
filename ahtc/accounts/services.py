"""Writes to users, organisations and roles. Each one is audited."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ahtc.accounts.models import Organisation, RoleAssignment, User
from ahtc.accounts.roles import Role, role_allows_level
from ahtc.accounts.selectors import may_manage_user, province_root_code
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.geography.models import Area

# One purge of old sign-in records an hour at most, across processes (the cache is shared).
SIGN_IN_PURGE_CACHE_KEY = "accounts:sign-in-records-purged"
SIGN_IN_PURGE_EVERY_SECONDS = 3600


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
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, area=area, defaults={"granted_by": by}
    )
    if created:
        user_sessions_end(user=user)
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
    user_sessions_end(user=assignment.user)


@transaction.atomic
def user_sessions_end(*, user: User) -> None:
    """End every open session of the user, in any session store.

    The session epoch is part of each session's hash (User._get_session_auth_hash),
    so sessions opened before this call fail verification on their next request.
    Called when a role or the second factor changes and at each sign-in: one
    user, one session. `user` is refreshed so a caller can open a new session.
    """
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])


def _sessions_of(user: User) -> list[str]:
    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            keys.append(session.session_key)
    return keys


@transaction.atomic
def user_disable(*, user: User, by: User | None = None, reason: str = "") -> None:
    """Disable at once: the flag stops every open session on its next request
    (ActiveOrganisationBackend) and the stored sessions are deleted too.

    `by` must manage the user (selectors.users_for_user); None is the command line.
    """
    if by is not None and not may_manage_user(by, user):
        raise PermissionDenied("outside the user's scope")
    user.is_active = False
    user.save(update_fields=["is_active"])
    Session.objects.filter(session_key__in=_sessions_of(user)).delete()
    audit_record(actor=by, action=AuditAction.DISABLE, target=user, reason=reason)


def demo_totp_key(username: str) -> str:
    """A fixed TOTP key (hex) per demo persona, so testers can script sign-in."""
    return hashlib.sha256(f"ahtc-demo-totp:{username}".encode()).hexdigest()[:40]


def totp_device_confirm_demo(*, user: User) -> TOTPDevice:
    device, created = TOTPDevice.objects.update_or_create(
        user=user, name="default", defaults={"key": demo_totp_key(user.username), "confirmed": True}
    )
    if created:
        user_sessions_end(user=user)
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
    # A new second factor ends every open session; the enrolling one is
    # carried over by the view (update_session_auth_hash).
    user_sessions_end(user=device.user)
    audit_record(actor=device.user, action=AuditAction.ENROL_2FA, target=device.user)
    return True


@transaction.atomic
def sign_in_records_purge(*, now: dt.datetime | None = None) -> int:
    """Delete staff sign-in records (address, browser) older than
    SIGN_IN_RECORDS_DAYS; one audit row with the count, when there was any."""
    days = settings.AHTC_SIGN_IN_RECORDS_DAYS
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    deleted = 0
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        count, _per_model = model.objects.filter(attempt_time__lt=cutoff).delete()
        deleted += count
    if deleted:
        audit_record(
            actor=None,
            action=AuditAction.DELETE,
            object_type="axes.accesslog",
            area_code=province_root_code(),
            reason=f"purged {deleted} sign-in records older than {days} days",
        )
    return deleted


def sign_in_records_purge_if_due() -> int | None:
    """The purge, at most once an hour (so nothing depends on cron). The time of
    the last purge is kept as the value, not left to the key's expiry, so the
    rule is the same whichever cache holds it. Two servers purging at once do
    no harm: the purge is idempotent."""
    now = timezone.now().timestamp()
    last = cache.get(SIGN_IN_PURGE_CACHE_KEY)
    if isinstance(last, float) and 0 <= now - last < SIGN_IN_PURGE_EVERY_SECONDS:
        return None
    cache.set(SIGN_IN_PURGE_CACHE_KEY, now, timeout=2 * SIGN_IN_PURGE_EVERY_SECONDS)
    return sign_in_records_purge()
