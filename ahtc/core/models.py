from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any, ClassVar

from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def in_language(*, en: str, ur: str) -> str:
    """The Urdu text when Urdu is active and the text exists, else the English."""
    if ur and (get_language() or "").startswith("ur"):
        return ur
    return en


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    VIEW = "view", _("viewed")
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    EXPORT = "export", _("exported")
    IMPORT = "import", _("imported")
    SIGN_IN = "sign_in", _("signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("sign-in failed")
    SIGN_OUT = "sign_out", _("signed out")
    LOCKED_OUT = "locked_out", _("locked out")
    ENROL_2FA = "enrol_2fa", _("enrolled a second factor")
    GRANT = "grant", _("granted a role")
    REVOKE = "revoke", _("revoked a role")
    DISABLE = "disable", _("disabled")


class AuditOutcome(models.TextChoices):
    ALLOWED = "allowed", _("allowed")
    REFUSED = "refused", _("refused")
    FAILED = "failed", _("failed")


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("the audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit log is append-only")

    def bulk_create(self, *args: Any, **kwargs: Any) -> list[AuditEvent]:
        raise PermissionError("audit rows are chained one by one (audit_record)")

    def bulk_create_chained(self, events: list[AuditEvent]) -> list[AuditEvent]:
        """Rows already linked, in order, by core.audit.audit_records under the
        chain lock: each row's prev_hash is the row before it."""
        for before, event in zip([None, *events], events, strict=False):
            if not event.row_hash or (before is not None and event.prev_hash != before.row_hash):
                raise PermissionError("audit rows must be linked before they are inserted")
        return super().bulk_create(events)


# The hash chain over audit rows. Each row stores the hash of the row before it
# (`prev_hash`) and its own (`row_hash`): SHA-256 over the previous hash and the
# row's canonical fields. Editing a row breaks its own hash; deleting or moving
# one breaks the link of the row after it. `audit_verify` walks the chain.
GENESIS_HASH = "0" * 64
# Any constant shared by every process; pg_advisory_xact_lock takes a bigint.
CHAIN_LOCK_KEY = int.from_bytes(hashlib.sha256(b"ahtc.core.auditevent").digest()[:8], "big") >> 1


def audit_canonical(
    *,
    at: Any,
    actor_id: Any,
    actor_label: str,
    action: str,
    outcome: str,
    object_type: str,
    object_id: str,
    area_code: str,
    reason: str,
) -> str:
    """The row's fields as one JSON array: UTC time to the microsecond, empty
    strings for missing values. Documented in docs/operations.md so a remote
    copy can be verified by other tools."""
    moment = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    fields = [moment, "" if actor_id is None else str(actor_id), actor_label, action, outcome]
    fields += [object_type, str(object_id), area_code, reason]
    return json.dumps([str(f) for f in fields], ensure_ascii=False, separators=(",", ":"))


def audit_row_hash(prev_hash: str, canonical: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


class AuditEvent(models.Model):
    """One row per security-relevant event; never updated or deleted.

    Holds identifiers only (record kind and primary key, the actor's id and
    username), never the values of personal fields. The database refuses
    UPDATE and DELETE too (triggers in migration 0002).
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=AuditOutcome.choices)
    object_type = models.CharField(_("record kind"), max_length=100, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    area_code = models.CharField(_("area"), max_length=20, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    prev_hash = models.CharField(_("previous row's hash"), max_length=64, editable=False)
    row_hash = models.CharField(_("row hash"), max_length=64, editable=False)

    objects: ClassVar[models.Manager[AuditEvent]] = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="core_audit_object_idx"),
            models.Index(fields=["actor", "-at"], name="core_audit_actor_idx"),
            # A district's audit page: its rows, newest first (cell/views.audit).
            models.Index(fields=["area_code", "-id"], name="core_audit_area_idx"),
            # The Overview's "refusals in the last days": refusals are a few in a
            # thousand rows, so a partial index finds them without reading the
            # week's allowed reads (issue 19).
            models.Index(
                fields=["-at"],
                name="core_audit_refused_idx",
                condition=models.Q(outcome="refused"),
            ),
        ]
        constraints = [
            # One successor per row: two writers linking to the same row would
            # fork the chain; the database refuses the second.
            models.UniqueConstraint(fields=["prev_hash"], name="core_audit_unique_prev_hash"),
            models.UniqueConstraint(fields=["row_hash"], name="core_audit_unique_row_hash"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only, linked to the newest row. Every way in (audit_record,
        objects.create) passes here, so no row escapes the chain."""
        if self.pk is not None:
            raise PermissionError("the audit log is append-only")
        using = kwargs.get("using") or router.db_for_write(type(self))
        with transaction.atomic(using=using):
            _chain_lock(using)
            head = (
                AuditEvent.objects.using(using)
                .exclude(row_hash="")  # a row slipped in by raw SQL is not a link
                .order_by("-id")
                .values_list("row_hash", flat=True)
                .first()
            )
            self.prev_hash = head or GENESIS_HASH
            self.row_hash = audit_row_hash(self.prev_hash, self.canonical())
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit log is append-only")

    def canonical(self) -> str:
        return audit_canonical(
            at=self.at,
            actor_id=self.actor_id,
            actor_label=self.actor_label,
            action=self.action,
            outcome=self.outcome,
            object_type=self.object_type,
            object_id=self.object_id,
            area_code=self.area_code,
            reason=self.reason,
        )


def _chain_lock(using: str) -> None:
    """Serialise appends until the transaction ends, so each new row links to
    the true newest row. SQLite needs nothing: its transactions begin
    IMMEDIATE (settings.py), holding the write lock from the first statement."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


class AuditItemQuerySet(models.QuerySet["AuditItem"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("the audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit log is append-only")


class AuditItem(models.Model):
    """One entry of a long list an audit event records: the victim numbers of
    an export, the rows an API call showed and whether with identity.

    The event's `reason` keeps a short summary and ends with the count and
    SHA-256 of its items (core/audit.py: items_seal), so the hash chain covers
    them: an edited, added or removed item shows in `ahtc audit_verify`.
    """

    event = models.ForeignKey(
        AuditEvent,
        verbose_name=_("audit event"),
        on_delete=models.PROTECT,
        related_name="items",
        db_index=False,  # the unique (event, position) index serves
        # No foreign-key triggers on the audit table (its own triggers and the
        # chain guard it); an entry without its row shows in audit_verify.
        db_constraint=False,
    )
    position = models.PositiveIntegerField(_("position"))
    text = models.TextField(_("entry"))

    objects: ClassVar[models.Manager[AuditItem]] = AuditItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["event", "position"]
        constraints = [
            models.UniqueConstraint(fields=["event", "position"], name="core_audititem_unique_pos")
        ]

    def __str__(self) -> str:
        return f"{self.event_id}.{self.position}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit log is append-only")
