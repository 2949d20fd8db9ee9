from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ahtc.core.fields import EncryptedTextField
from ahtc.core.models import TimeStampedModel
from ahtc.core.scan import original_sha256_field, scan_status_field
from ahtc.geography.models import Area


class TipCategory(models.TextChoices):
    FAKE_AGENT = "fake_agent", _("Fake visa or travel agent, or an illegal route abroad")
    HELD_FOR_RANSOM = "held_for_ransom", _("Someone held or kidnapped for ransom on the way abroad")
    FORCED_LABOUR = "forced_labour", _("Forced or bonded labour, e.g. at a brick kiln")
    CHILD_LABOUR = "child_labour", _("Child labour")
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Sexual exploitation")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    FORCED_BEGGING = "forced_begging", _("Forced begging")
    ORGAN_TRAFFICKING = "organ_trafficking", _("Organ trafficking")
    MISSING_ABROAD = "missing_abroad", _("A family member missing abroad")
    OTHER = "other", _("Something else")


class Channel(models.TextChoices):
    WEB = "web", _("web portal")
    HELPLINE = "helpline", _("helpline call")
    IN_PERSON = "in_person", _("in person at the front desk")
    # Sent by a partner system through the API (POST /api/v1/reports/); a
    # helpline system's reports are "helpline", with Tip.partner set.
    SMS = "sms", _("SMS gateway")
    WHATSAPP = "whatsapp", _("WhatsApp gateway")
    OTHER_PROVINCE = "portal_other_province", _("another province's portal")


class TipStatus(models.TextChoices):
    NEW = "new", _("new")
    TRIAGED = "triaged", _("triaged")
    LINKED = "linked", _("linked to a case")
    NOT_ACTIONABLE = "not_actionable", _("not actionable")
    DUPLICATE = "duplicate", _("duplicate")
    REFERRED = "referred", _("referred")


CLOSED_STATUSES = frozenset(
    {TipStatus.LINKED, TipStatus.NOT_ACTIONABLE, TipStatus.DUPLICATE, TipStatus.REFERRED}
)

# What the reporter reads on the follow-up page. The cell's own words ("not
# actionable", "duplicate") read as a brush-off to a frightened reporter, so
# the public gets plain wording of its own (issue 18).
PUBLIC_STATUS = {
    TipStatus.NEW: _("Received. The cell will read it soon."),
    TipStatus.TRIAGED: _("Read by the cell. It is being looked into."),
    TipStatus.LINKED: _("The cell is acting on it as part of an investigation."),
    TipStatus.NOT_ACTIONABLE: _(
        "Read by the cell. There is nothing more the cell can do with it for now; "
        "you can still write to the cell below."
    ),
    TipStatus.DUPLICATE: _(
        "Read by the cell. The cell already knows of this and is dealing with it "
        "together with an earlier report."
    ),
    TipStatus.REFERRED: _("Passed to the department that can help."),
}


class ChildInvolved(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    UNKNOWN = "unknown", _("don't know")


# Urgent reports are acknowledged within the hour (portal/staff_views.py).
URGENT = Q(danger_now=True) | Q(child_involved="yes")


def queue_default_q() -> Q:
    """The intake queue's rows by default: open, or linked and waiting for its
    case. The partial index portal_tip_queue_idx has exactly this condition,
    which is what lets PostgreSQL use it (issue 19)."""
    return Q(status__in=["new", "triaged"]) | Q(link_review=True)


class Tip(TimeStampedModel):
    """A report from a citizen (web) or taken on their behalf (helpline, desk).

    Nothing here identifies the reporter unless they chose to give contact
    details (encrypted). The receipt code itself is never stored: only a keyed
    hash of it (portal/receipts.py).
    """

    idempotency_hash = models.CharField(max_length=64, editable=False)
    receipt_hash = models.CharField(max_length=64, editable=False)
    channel = models.CharField(_("channel"), max_length=30, choices=Channel.choices)
    category = models.CharField(_("what happened"), max_length=30, choices=TipCategory.choices)
    district = models.ForeignKey(
        Area, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    tehsil = models.ForeignKey(
        Area,
        verbose_name=_("tehsil"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = EncryptedTextField(_("place"), blank=True)
    when = models.CharField(_("when"), max_length=100, blank=True)
    description = EncryptedTextField(_("what happened, in the reporter's words"))
    involved = EncryptedTextField(_("who is involved"), blank=True)
    child_involved = models.CharField(
        _("a child is involved"), max_length=10, choices=ChildInvolved.choices
    )
    danger_now = models.BooleanField(_("someone is in danger now"), default=False)
    contact = EncryptedTextField(_("reporter's contact (given by choice)"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TipStatus.choices, default=TipStatus.NEW
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tips",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recorded_tips",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    # Set when the report reaches a closed status, cleared if it is reopened:
    # the retention period counts from here (portal/retention.py).
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Sent without the form's proof of work while the portal was busy: kept,
    # never refused, and shown to the cell in its own list to check for spam.
    held_for_review = models.BooleanField(_("held for review"), default=False)
    # The reporter wrote back and no one in the cell has opened or answered
    # the report since (cleared by a staff reply or by opening it).
    reply_waiting = models.BooleanField(_("reporter's reply waiting"), default=False)
    # The case this report is part of: one case per report (a second case is
    # opened from it only as a deliberate split, cases.Case.tip_split). Status
    # "linked" needs it; reports marked linked before this rule, with no case,
    # are kept and flagged for review (migration 0009), never deleted.
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="linked_reports",
    )
    link_review = models.BooleanField(_("marked linked without a case"), default=False)
    # A report sent by a partner system (SMS or WhatsApp gateway, helpline
    # system, another province's portal): whose token sent it. Never the
    # sender's address: gateway reports keep the portal's promise too.
    partner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("sent by partner system of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    partner_token = models.ForeignKey(
        "api.ApiToken",
        verbose_name=_("sent with API token"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("citizen report")
        verbose_name_plural = _("citizen reports")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["idempotency_hash"], name="portal_tip_unique_idem"),
            models.UniqueConstraint(fields=["receipt_hash"], name="portal_tip_unique_receipt"),
            models.CheckConstraint(
                condition=~Q(status="linked") | Q(case__isnull=False) | Q(link_review=True),
                name="portal_tip_linked_has_case",
            ),
        ]
        indexes = [
            models.Index(
                fields=["district", "-created_at"],
                name="portal_tip_open_idx",
                condition=Q(status__in=["new", "triaged"]),
            ),
            # Duplicate suggestions: same kind, same district, within two weeks.
            models.Index(
                fields=["district", "category", "created_at"], name="portal_tip_kind_near_idx"
            ),
            # Monitoring: reports received in a period, province-wide (issue 13).
            models.Index(fields=["created_at"], name="portal_tip_created_idx"),
            # The intake queue's default filter (open, or linked with no case),
            # an OR that the open index above cannot serve (issue 19).
            models.Index(
                fields=["district", "created_at"],
                name="portal_tip_queue_idx",
                condition=queue_default_q(),
            ),
            # The queue filtered by a status (closed ones hold most reports):
            # counted and sorted from the index alone, by the queue's order.
            models.Index(
                fields=["district", "status", "created_at"],
                name="portal_tip_status_idx",
                include=["id", "held_for_review", "danger_now", "child_involved"],
            ),
            # The Overview's "replies waiting", over any status (issue 19).
            models.Index(
                fields=["district"], name="portal_tip_reply_idx", condition=Q(reply_waiting=True)
            ),
        ]

    def __str__(self) -> str:
        return f"R-{self.pk}"

    @property
    def reference(self) -> str:
        return f"R-{self.pk:06d}"

    @property
    def urgent(self) -> bool:
        return self.danger_now or self.child_involved == ChildInvolved.YES

    @property
    def public_status(self) -> str:
        """The status in the reporter's words (PUBLIC_STATUS), never staff terms."""
        return str(PUBLIC_STATUS.get(TipStatus(self.status), PUBLIC_STATUS[TipStatus.TRIAGED]))


class TipMessage(models.Model):
    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="messages")
    from_reporter = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = EncryptedTextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report message")
        verbose_name_plural = _("report messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.tip} message {self.pk}"


class HelplineKind(models.TextChoices):
    POLICE = "police", _("Police")
    RESCUE = "rescue", _("Rescue and ambulance")
    FIA = "fia", _("FIA")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    CELL = "cell", _("Anti-Human Trafficking Cell")
    LABOUR = "labour", _("Labour Department")
    OTHER = "other", _("Other")


class Helpline(TimeStampedModel):
    """A number shown to the public: province-wide ones appear in every district."""

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="helplines"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=HelplineKind.choices)
    name_en = models.CharField(_("name (English)"), max_length=150)
    name_ur = models.CharField(_("name (Urdu)"), max_length=150)
    number = models.CharField(_("number"), max_length=30)
    note_en = models.CharField(_("note (English)"), max_length=200, blank=True)
    note_ur = models.CharField(_("note (Urdu)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=10)
    is_active = models.BooleanField(_("shown"), default=True)

    class Meta:
        verbose_name = _("helpline")
        verbose_name_plural = _("helplines")
        ordering = ["position", "name_en"]

    def __str__(self) -> str:
        return f"{self.name_en} {self.number}"


class ContentKind(models.TextChoices):
    SAFE_MIGRATION = "safe_migration", _("Safe migration")
    SIGNS = "signs", _("Signs of trafficking")
    RIGHTS = "rights", _("Know your rights")
    ADVISORY = "advisory", _("Public advisory")


class ContentPage(TimeStampedModel):
    """Awareness material, written by staff in both languages (plain text)."""

    slug = models.SlugField(_("web address name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=ContentKind.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="content_pages"
    )
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ur = models.CharField(_("title (Urdu)"), max_length=200)
    body_en = models.TextField(_("text (English)"))
    body_ur = models.TextField(_("text (Urdu)"))
    published = models.BooleanField(_("published"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("awareness page")
        verbose_name_plural = _("awareness pages")
        ordering = ["kind", "title_en"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="portal_contentpage_unique_slug")
        ]

    def __str__(self) -> str:
        return self.title_en


class RetentionRule(TimeStampedModel):
    """How long closed reports of one category are kept before the purge deletes them."""

    category = models.CharField(_("category"), max_length=30, choices=TipCategory.choices)
    keep_days = models.PositiveIntegerField(_("keep for (days)"))

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(fields=["category"], name="portal_retentionrule_unique"),
            models.CheckConstraint(condition=Q(keep_days__gte=30), name="portal_retention_min_30"),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.keep_days} days"


class IndicatorKind(models.TextChoices):
    PHONE = "phone", _("same phone number")
    NAME = "name", _("same name or word")


class TipIndicator(models.Model):
    """A keyed hash of a phone number or name in a report, for duplicate search.

    The report text is encrypted, so it cannot be searched; these hashes can,
    and reveal nothing without RECEIPT_KEY.
    """

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(max_length=10, choices=IndicatorKind.choices)
    value_hash = models.CharField(max_length=64)
    # The report's district, copied when the row is written (a report never
    # changes district), so "how common is this value in the user's districts?"
    # is one index range per value, without joining every row to its report.
    # No index of its own: areas are never deleted (geography.Area), and the
    # scope index below leads with the value.
    district = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", editable=False, db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tip", "kind", "value_hash"], name="portal_tipindicator_unique"
            )
        ]
        indexes = [
            # Also serves lookups by value alone; the report id is in the index
            # so counting a value's reports reads no table rows.
            models.Index(
                fields=["value_hash", "district", "tip"], name="portal_tipindicator_scope_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tip_id} {self.kind}"


class TipAttachment(models.Model):
    """A file sent with a report: checked by content, images re-encoded without
    metadata, encrypted on disk under a generated name (portal/files.py)."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        TipMessage,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    stored_name = models.CharField(max_length=64, editable=False)
    kind = models.CharField(_("file type"), max_length=10)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # The stored file's hash, and the hash of the bytes as received: they differ
    # for a re-encoded photo, whose original is not kept (empty: not recorded).
    sha256 = models.CharField(max_length=64, editable=False)
    original_sha256 = original_sha256_field()
    scan_status = scan_status_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["stored_name"], name="portal_tipattachment_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.tip} file {self.pk}"

    @property
    def from_cell(self) -> bool:
        return self.message is not None and not self.message.from_reporter
