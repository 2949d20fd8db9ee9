"""Writes to users, organisations and roles. Each one is audited."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from ahtc.accounts.models import (
    RESET_APPROVAL_HOURS,
    AuthenticatorReset,
    EnrolmentCode,
    Organisation,
    ResetStatus,
    RoleAssignment,
    User,
)

# Organisation writes live in their own module; re-exported for callers.
from ahtc.accounts.organisation_services import organisation_create as organisation_create
from ahtc.accounts.organisation_services import (
    organisation_deactivate as organisation_deactivate,
)
from ahtc.accounts.organisation_services import (
    organisation_reactivate as organisation_reactivate,
)
from ahtc.accounts.organisation_services import organisation_update as organisation_update
from ahtc.accounts.roles import Role, role_allows_level
from ahtc.accounts.selectors import (
    grant_refusal,
    is_provincial_administrator,
    may_manage_user,
    organisations_for_new_user,
    province_root_code,
)
from ahtc.accounts.sessions import sessions_delete
from ahtc.core.audit import audit_record
from ahtc.core.errors import RuleError
from ahtc.core.models import AuditAction
from ahtc.geography.models import Area

# One purge of old sign-in records an hour at most, across processes (the cache is shared).
SIGN_IN_PURGE_CACHE_KEY = "accounts:sign-in-records-purged"
SIGN_IN_PURGE_EVERY_SECONDS = 3600


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    organisation: Organisation,
    display_name: str = "",
    email: str = "",
    by: User | None = None,
    check_password: bool = True,
) -> User:
    if by is not None and not organisations_for_new_user(by).filter(pk=organisation.pk).exists():
        raise RuleError(
            _("You cannot create accounts in this organisation."),
            refusal="organisation outside the manager's scope",
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("A user with that username already exists."))
    user = User(
        username=username, organisation=organisation, display_name=display_name, email=email
    )
    if check_password:
        validate_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(actor=by, action=AuditAction.CREATE, target=user, area_code=organisation.area.code)
    return user


def password_generate() -> str:
    """A strong initial password (96 random bits), shown once."""
    return secrets.token_urlsafe(12)


@transaction.atomic
def user_create_with_role(
    *,
    username: str,
    organisation: Organisation,
    role: Role,
    area: Area,
    display_name: str = "",
    email: str = "",
    password: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    by: User | None = None,
) -> tuple[User, str, str]:
    """An account with its first role and its enrolment code, all or nothing.
    Returns (user, password, enrolment code): a generated password when none
    is given; both are shown once and never stored in clear."""
    password = password or password_generate()
    user = user_create(
        username=username,
        password=password,
        organisation=organisation,
        display_name=display_name,
        email=email,
        by=by,
    )
    role_grant(user=user, role=role, area=area, by=by, valid_from=valid_from, valid_to=valid_to)
    return user, password, enrolment_issue(user=user, by=by)


@transaction.atomic
def user_update(
    *,
    user: User,
    by: User | None,
    display_name: str,
    email: str,
    organisation: Organisation | None = None,
) -> list[str]:
    """Name and email; the organisation only by the provincial administrator
    (or the command line). Moving a user ends their sessions."""
    _check_manages(by, user, own_allowed=True)
    moving = organisation is not None and organisation.pk != user.organisation_id
    if moving and by is not None and not _may_move(by, user, organisation):
        raise RuleError(
            _("Only the provincial administrator moves users between organisations."),
            refusal="organisation change by a non-provincial manager",
        )
    changed = [
        name
        for name, value in (("display_name", display_name), ("email", email))
        if getattr(user, name) != value
    ]
    user.display_name, user.email = display_name, email
    if moving:
        user.organisation = organisation
        changed.append("organisation")
    if changed:
        user.save(update_fields=changed)
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=user,
            reason="changed: " + ", ".join(changed),
        )
    if moving:
        _sessions_stop(user)
    return changed


def _may_move(by: User, user: User, organisation: Organisation | None) -> bool:
    if organisation is None or by.pk == user.pk or not is_provincial_administrator(by):
        return False
    return organisations_for_new_user(by).filter(pk=organisation.pk).exists()


@transaction.atomic
def role_grant(
    *,
    user: User,
    role: Role,
    area: Area,
    by: User | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> RoleAssignment:
    """Grant `role` in `area`, from/until the dates given (both inclusive; none:
    open). Granting a held role again sets its dates. `by` (None: the command
    line) must pass selectors.grant_refusal."""
    role = Role(role)
    if not role_allows_level(role, area.level):
        raise ValidationError(
            _("The role %(role)s cannot be held in a %(level)s.")
            % {"role": role.label, "level": area.get_level_display()}
        )
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError(_("The last day comes before the first day."))
    _check_grant(by, user, role, area)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        area=area,
        defaults={"granted_by": by, "valid_from": valid_from, "valid_to": valid_to},
    )
    dated = (assignment.valid_from, assignment.valid_to) != (valid_from, valid_to)
    if dated:
        assignment.valid_from, assignment.valid_to = valid_from, valid_to
        assignment.save(update_fields=["valid_from", "valid_to", "updated_at"])
    if created or dated:
        user_sessions_end(user=user)
    reason = str(role)
    if valid_from or valid_to:
        reason += f" {valid_from or ''}..{valid_to or ''}"
    audit_record(
        actor=by, action=AuditAction.GRANT, target=user, area_code=area.code, reason=reason
    )
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, by: User | None = None) -> None:
    _check_grant(by, assignment.user, assignment.role, assignment.area)
    audit_record(
        actor=by,
        action=AuditAction.REVOKE,
        target=assignment.user,
        area_code=assignment.area.code,
        reason=assignment.role,
    )
    assignment.delete()
    user_sessions_end(user=assignment.user)


# Lazy: translated when raised, in the language of the request.
GRANT_REFUSAL_MESSAGES = {
    "own account": gettext_lazy("You cannot change your own roles or account status."),
    "outside the user's scope": gettext_lazy("This user is not one you manage."),
    "area outside the manager's scope": gettext_lazy(
        "That area is outside the areas where you manage users."
    ),
    "role not held by the manager": gettext_lazy(
        "You can grant only a role you hold yourself in that area (or one your role may delegate)."
    ),
}


def _check_grant(by: User | None, user: User, role: str, area: Area) -> None:
    if by is None:
        return
    refusal = grant_refusal(by, user, role, area)
    if refusal:
        raise RuleError(GRANT_REFUSAL_MESSAGES[refusal], refusal=refusal)


def _check_manages(by: User | None, user: User, *, own_allowed: bool = False) -> None:
    """`by` manages `user` (None: the command line); not their own account unless allowed."""
    if by is None:
        return
    if by.pk == user.pk and not own_allowed:
        raise RuleError(GRANT_REFUSAL_MESSAGES["own account"], refusal="own account")
    if not may_manage_user(by, user):
        raise RuleError(
            GRANT_REFUSAL_MESSAGES["outside the user's scope"], refusal="outside the user's scope"
        )


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


def _sessions_stop(user: User) -> None:
    """End the sessions now and delete them from the store as well."""
    user_sessions_end(user=user)
    sessions_delete(user_ids={user.pk})


@transaction.atomic
def user_sessions_terminate(*, user: User, by: User | None = None, ref: str = "") -> int:
    """End one stored session (named by `ref`, sessions.session_ref) or all of them."""
    _check_manages(by, user, own_allowed=True)
    if ref:
        ended = sessions_delete(user_ids={user.pk}, ref=ref)
    else:
        ended = sessions_delete(user_ids={user.pk})
        user_sessions_end(user=user)
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=user,
        reason="one session ended" if ref else "all sessions ended",
    )
    return ended


@transaction.atomic
def user_disable(*, user: User, by: User | None = None, reason: str = "") -> None:
    """Disable at once: the flag stops every open session on its next request
    (ActiveOrganisationBackend) and the stored sessions are deleted too.

    `by` must manage the user (selectors.users_for_user); None is the command line.
    """
    if by is not None and not may_manage_user(by, user):
        raise PermissionDenied("outside the user's scope")
    _check_manages(by, user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    _sessions_stop(user)
    audit_record(actor=by, action=AuditAction.DISABLE, target=user, reason=reason)


@transaction.atomic
def user_enable(*, user: User, by: User | None = None) -> None:
    _check_manages(by, user)
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(actor=by, action=AuditAction.UPDATE, target=user, reason="enabled")


@transaction.atomic
def user_password_reset(*, user: User, by: User | None = None, password: str = "") -> str:
    """A new password set by an administrator (generated when none is given).
    The authenticator stays: the user signs in with the new password and their
    usual code. Open sessions end. Returns the password, to be shown once."""
    _check_manages(by, user)
    password = password or password_generate()
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    _sessions_stop(user)
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=user,
        reason="password reset by an administrator",
    )
    return password


# --- enrolment codes and authenticator resets ------------------------------------------

ENROLMENT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
ENROLMENT_GROUPS = 4


def _code_hash(code: str) -> str:
    """SHA-256 of the normalised code. Codes carry 80 random bits and expire
    within days, so an unsalted fast hash is enough (as for API tokens)."""
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()


@transaction.atomic
def enrolment_issue(*, user: User, by: User | None = None, valid_hours: int = 72) -> str:
    """A one-time code for the user's first enrolment of an authenticator;
    returns it in clear (shown once; only its hash is stored). Older codes of
    the user stop working."""
    if by is not None and not may_manage_user(by, user):
        raise RuleError(
            GRANT_REFUSAL_MESSAGES["outside the user's scope"], refusal="outside the user's scope"
        )
    now = timezone.now()
    EnrolmentCode.objects.filter(user=user, used_at__isnull=True, voided_at__isnull=True).update(
        voided_at=now
    )
    groups = [
        "".join(secrets.choice(ENROLMENT_ALPHABET) for _i in range(4))
        for _g in range(ENROLMENT_GROUPS)
    ]
    code = "-".join(groups)
    EnrolmentCode.objects.create(
        user=user,
        code_hash=_code_hash(code),
        created_by=by,
        expires_at=now + dt.timedelta(hours=valid_hours),
    )
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        target=user,
        reason=f"enrolment code issued, valid {valid_hours} h",
    )
    return code


def enrolment_link(code: str) -> str:
    """The site-relative path of the enrolment link carrying `code`."""
    return reverse("accounts:enrol_code", args=[code])


@transaction.atomic
def enrolment_code_use(*, user: User, code: str) -> bool:
    """Spend the user's code if it is theirs, unused, not voided and not expired."""
    row = (
        EnrolmentCode.objects.select_for_update()
        .filter(
            user=user,
            code_hash=_code_hash(code),
            used_at__isnull=True,
            voided_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )
    if row is None:
        return False
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    audit_record(actor=user, action=AuditAction.UPDATE, target=user, reason="enrolment code used")
    return True


@transaction.atomic
def authenticator_reset_request(*, user: User, by: User, reason: str) -> AuthenticatorReset:
    """First of the two administrators: asks, with a reason. A second one must
    approve within RESET_APPROVAL_HOURS (authenticator_reset_approve)."""
    _check_manages(by, user)
    stale = timezone.now() - dt.timedelta(hours=RESET_APPROVAL_HOURS)
    AuthenticatorReset.objects.filter(
        user=user, status=ResetStatus.PENDING, requested_at__lte=stale
    ).update(status=ResetStatus.CANCELLED, decided_at=timezone.now())
    if AuthenticatorReset.objects.filter(user=user, status=ResetStatus.PENDING).exists():
        raise RuleError(_("A reset of this user's authenticator is already waiting for approval."))
    reset = AuthenticatorReset.objects.create(user=user, requested_by=by, reason=reason.strip())
    audit_record(
        actor=by, action=AuditAction.UPDATE, target=user, reason="authenticator reset requested"
    )
    return reset


@transaction.atomic
def authenticator_reset_approve(*, reset: AuthenticatorReset, by: User) -> str:
    """The second administrator approves: the user's authenticators are
    removed, their sessions end, and an enrolment code (returned) lets them
    enrol a new one. The requester cannot approve their own request."""
    reset = AuthenticatorReset.objects.select_for_update().get(pk=reset.pk)
    if not reset.is_open():
        raise RuleError(_("This request was decided already or is older than 48 hours."))
    if reset.requested_by_id == by.pk:
        raise RuleError(
            _("A different administrator must approve: you asked for this reset."),
            refusal="requester cannot approve own authenticator reset",
        )
    _check_manages(by, reset.user)
    TOTPDevice.objects.filter(user=reset.user).delete()
    reset.status, reset.decided_by, reset.decided_at = ResetStatus.APPROVED, by, timezone.now()
    reset.save(update_fields=["status", "decided_by", "decided_at"])
    _sessions_stop(reset.user)
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=reset.user,
        reason="authenticator reset approved",
    )
    return enrolment_issue(user=reset.user, by=by)


@transaction.atomic
def authenticator_reset_cancel(*, reset: AuthenticatorReset, by: User) -> None:
    if reset.user_id == by.pk:
        raise RuleError(GRANT_REFUSAL_MESSAGES["own account"], refusal="own account")
    _check_manages(by, reset.user)
    if reset.status != ResetStatus.PENDING:
        raise RuleError(_("This request was decided already."))
    reset.status, reset.decided_by, reset.decided_at = ResetStatus.CANCELLED, by, timezone.now()
    reset.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=reset.user,
        reason="authenticator reset cancelled",
    )


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
