"""The indicator catalogue as rows (synced from indicators.CATALOGUE) and targets.

Values are not stored: they are computed from the records (compute.py), so a
late correction shows at once. A target says what an area means to reach in a
period, against a baseline measured before it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ahtc.core.models import TimeStampedModel, in_language
from ahtc.geography.models import Area
from ahtc.monitoring.indicators import IndicatorStatus, Measure
from ahtc.monitoring.periods import PeriodKind


class Indicator(models.Model):
    code = models.CharField(_("code"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ur = models.CharField(_("name (Urdu)"), max_length=200, blank=True)
    numerator = models.CharField(_("numerator"), max_length=500)
    denominator = models.CharField(_("denominator"), max_length=500, blank=True)
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    disaggregations = models.JSONField(_("breakdowns"), default=list, blank=True)
    period_kinds = models.JSONField(_("period types"), default=list, blank=True)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=IndicatorStatus.choices,
        default=IndicatorStatus.ACTIVE,
    )
    pending_note = models.CharField(_("wired by"), max_length=200, blank=True)
    module = models.CharField(_("source module"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="monitoring_indicator_unique_code")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return in_language(en=self.name_en, ur=self.name_ur)


class Target(TimeStampedModel):
    """What `area` aims at for `indicator` in one period, against a baseline."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="targets"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    period_kind = models.CharField(_("period type"), max_length=12, choices=PeriodKind.choices)
    period = models.CharField(_("period"), max_length=12)
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_date = models.DateField(_("baseline measured on"), null=True, blank=True)
    baseline_period = models.CharField(_("baseline period"), max_length=12, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["area__path", "period", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period"], name="monitoring_target_unique"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="monitoring_target_positive"),
            models.CheckConstraint(
                condition=Q(baseline_value__isnull=True) | Q(baseline_value__gte=0),
                name="monitoring_target_baseline_positive",
            ),
        ]
        indexes = [models.Index(fields=["area", "period"], name="monitoring_target_area_period")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.area_id} {self.period}"


# --- district vigilance committees (issue 13) ----------------------------------------------
#
# The committee's own records: who sits on it (by agency), its meetings and the
# decisions it assigns; and its reports upward. None of these rows names a
# victim or an accused: a report's numbers are aggregates from compute.py.


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("chair")
    SECRETARY = "secretary", _("secretary")
    MEMBER = "member", _("member")


class CommitteeMember(TimeStampedModel):
    """A seat on a district's committee, held for an agency by a post holder."""

    district = models.ForeignKey(
        Area, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    post = models.CharField(_("post (e.g. Deputy Commissioner)"), max_length=150)
    name = models.CharField(_("name of the post holder"), max_length=150, blank=True)
    role = models.CharField(
        _("role on the committee"), max_length=10, choices=MemberRole.choices, default="member"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("workspace account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    active = models.BooleanField(_("serving"), default=True)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["district", "role", "organisation__name_en", "post"]

    def __str__(self) -> str:
        return f"{self.district_id}: {self.post}"


class Meeting(TimeStampedModel):
    district = models.ForeignKey(
        Area, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("date of the meeting"))
    agenda = models.TextField(_("agenda"), max_length=4000)
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)
    attendees = models.ManyToManyField(
        CommitteeMember, verbose_name=_("present"), blank=True, related_name="meetings"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["district", "-held_on"], name="monitoring_meeting_dist")]

    def __str__(self) -> str:
        return f"{self.district_id} {self.held_on}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped by the committee")


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ActionItem(TimeStampedModel):
    """A decision of a meeting: who (agency and person) does what by when."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="actions"
    )
    district = models.ForeignKey(
        Area, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.TextField(_("decision"), max_length=2000)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("agency responsible"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee = models.CharField(_("person responsible (post)"), max_length=150)
    assignee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("their workspace account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    evidence = models.TextField(_("evidence of what was done"), max_length=4000, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # Set when the overdue sweep told the committee; cleared if the due date moves.
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due", "pk"]
        indexes = [
            models.Index(
                fields=["district", "due"],
                condition=Q(status__in=["open", "in_progress"]),
                name="monitoring_action_open_due",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(evidence=""),
                name="monitoring_action_done_has_evidence",
            )
        ]

    def __str__(self) -> str:
        return f"{self.district_id} action {self.pk}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("being prepared by the district")
    SUBMITTED = "submitted", _("submitted: waiting for the division's review")
    REVIEWED = "reviewed", _("reviewed by the division: waiting for the province")
    ACCEPTED = "accepted", _("accepted by the province")


LOCKED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.REVIEWED, ReportStatus.ACCEPTED)


class CommitteeReport(TimeStampedModel):
    """A district committee's report for one month or two-month period.

    Its numbers are computed from the records while it is a draft; on
    submission they are frozen in `snapshot`, and the period is locked until the
    province reopens it (with a reason, audited)."""

    district = models.ForeignKey(
        Area, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    period_kind = models.CharField(_("period type"), max_length=12, choices=PeriodKind.choices)
    period = models.CharField(_("period"), max_length=12)
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    challenges = models.TextField(_("challenges"), max_length=8000, blank=True)
    decisions = models.TextField(_("decisions taken"), max_length=8000, blank=True)
    requests = models.TextField(_("requests to the province"), max_length=8000, blank=True)
    # Why a validation check fails, by the check's code (the committee explains).
    explanations = models.JSONField(_("explanations"), default=dict, blank=True)
    snapshot = models.JSONField(_("numbers as submitted"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    class Meta:
        verbose_name = _("committee report")
        verbose_name_plural = _("committee reports")
        ordering = ["district__path", "-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "period"], name="monitoring_report_unique_period"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(snapshot__isnull=False),
                name="monitoring_report_locked_has_snapshot",
            ),
        ]
        indexes = [models.Index(fields=["period", "status"], name="monitoring_report_period")]

    def __str__(self) -> str:
        return f"{self.district_id} {self.period}"

    @property
    def locked(self) -> bool:
        return self.status in LOCKED_STATUSES


class ReportStep(models.TextChoices):
    CREATED = "created", _("prepared")
    SUBMITTED = "submitted", _("submitted by the district")
    REVIEWED = "reviewed", _("reviewed by the division")
    RETURNED = "returned", _("returned to the district")
    ACCEPTED = "accepted", _("accepted by the province")
    REOPENED = "reopened", _("reopened by the province")


class ReportEvent(models.Model):
    """The sign-off trail of a report, shown on its page (the audit log has it too)."""

    report = models.ForeignKey(CommitteeReport, on_delete=models.CASCADE, related_name="events")
    step = models.CharField(_("step"), max_length=12, choices=ReportStep.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("when"))
    reason = models.CharField(_("reason"), max_length=1000, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.step}"


class MonthlyCount(models.Model):
    """Pre-aggregated tallies of one indicator (aggregates.py): per month,
    district (as filed, so splits keep their history), tehsil where recorded,
    and one breakdown's category ("" dimension: the distinct total). Medians
    keep one row per number of days (`days`), so they stay exact. Rebuilt
    from the records by the scheduled job; the live computation is the
    reference, used whenever the store is not fresh."""

    indicator = models.CharField(max_length=60)
    month = models.DateField()
    district = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    tehsil = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    dimension = models.CharField(max_length=30, blank=True)
    category = models.CharField(max_length=100, blank=True)
    days = models.IntegerField(null=True, blank=True)
    count = models.PositiveIntegerField(default=0)
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["indicator", "dimension", "month"], name="monitoring_monthly_lookup"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.month:%Y-%m} {self.district_id}"


class AggregateState(models.Model):
    """When the stored months of one indicator were last rebuilt: the store
    is read only while `refreshed_at` is recent (aggregates.max_age)."""

    indicator = models.CharField(max_length=60)
    refreshed_at = models.DateTimeField()
    full_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator"], name="monitoring_aggstate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} at {self.refreshed_at}"
