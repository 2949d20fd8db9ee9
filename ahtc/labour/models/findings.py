"""Children found working: a child-labour finding is its own record.

A finding is not a trafficking victim. It follows the child from work to
school (withdrawn → referred to Child Protection and to the education
authority → enrolled). It becomes a victim's protection record only when the
classification says trafficking (e.g. bonded child labour): services.
record_as_victim opens the record through the victims app and links it here.

The child is a `people.Person` (name encrypted at rest); nothing else here
identifies them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import Organisation
from ahtc.core.models import TimeStampedModel
from ahtc.geography.models import Area
from ahtc.people.models import Person
from ahtc.victims.models import ProtectionRecord

# Under 18, as for child victims (the labour laws' own ages, e.g. under 15 for
# employment in Punjab, are checked when the labour issue adds them).
CHILD_UNDER = 18
MAX_HOURS = 24


class PlaceKind(models.TextChoices):
    BRICK_KILN = "brick_kiln", _("brick kiln")
    WORKSHOP_AUTO = "workshop_auto", _("workshop: auto repair")
    WORKSHOP_ELECTRICAL = "workshop_electrical", _("workshop: electrical")
    WORKSHOP_MANUFACTURING = "workshop_manufacturing", _("workshop: manufacturing")
    WORKSHOP_OTHER = "workshop_other", _("workshop: other")
    DOMESTIC = "domestic", _("domestic work")
    AGRICULTURE = "agriculture", _("agriculture")
    OTHER = "other", _("other")


class AgeEvidence(models.TextChoices):
    DOCUMENTS = "documents", _("documents (birth certificate, B-form, school record)")
    APPEARANCE = "appearance", _("appearance")
    STATEMENT = "statement", _("statement of the child or family")


class Hazard(models.TextChoices):
    HEAT = "heat", _("heat, fire or kilns")
    HEAVY_LOADS = "heavy_loads", _("carrying heavy loads")
    MACHINERY = "machinery", _("machines or sharp tools")
    CHEMICALS = "chemicals", _("chemicals, fumes or dust")
    ELECTRICITY = "electricity", _("live electrical work")
    NIGHT_WORK = "night_work", _("night work")
    ABUSE = "abuse", _("beating or verbal abuse")
    AWAY_FROM_FAMILY = "away_from_family", _("living at the workplace, away from family")
    OTHER = "other", _("other")


class Schooling(models.TextChoices):
    NEVER = "never_enrolled", _("never enrolled")
    DROPPED_OUT = "dropped_out", _("dropped out")
    ENROLLED = "enrolled", _("enrolled")


class NextStep(models.TextChoices):
    WITHDRAW = "withdraw", _("withdraw the child from work")
    REFER = "refer", _("refer to Child Protection and for schooling")
    ENROL = "enrol", _("record the school enrolment")
    DONE = "done", _("in school")


class ChildLabourFinding(TimeStampedModel):
    """One child found at work, on one day, with what happened next."""

    reference = models.CharField(_("reference"), max_length=30, editable=False)
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
    place_kind = models.CharField(_("place of work"), max_length=30, choices=PlaceKind.choices)
    place_description = models.CharField(_("description of the place"), max_length=300)
    person = models.ForeignKey(
        Person, verbose_name=_("child"), on_delete=models.PROTECT, related_name="labour_findings"
    )
    age_years = models.PositiveSmallIntegerField(_("age (years)"))
    age_evidence = models.CharField(
        _("evidence of age"), max_length=20, choices=AgeEvidence.choices
    )
    hours_per_day = models.PositiveSmallIntegerField(_("hours of work per day"))
    hazards = models.JSONField(_("hazards"), default=list, blank=True)
    schooling = models.CharField(_("schooling"), max_length=20, choices=Schooling.choices)
    found_on = models.DateField(_("found on"))
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("found by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn = models.BooleanField(_("withdrawn from work"), default=False)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    referred_on = models.DateField(_("referred on"), null=True, blank=True)
    child_protection = models.ForeignKey(
        Organisation,
        verbose_name=_("referred to Child Protection"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    child_protection_text = models.CharField(
        _("referred to (other office)"), max_length=200, blank=True
    )
    education = models.ForeignKey(
        Organisation,
        verbose_name=_("referred for schooling to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    school_name = models.CharField(_("school"), max_length=200, blank=True)
    school_grade = models.CharField(_("class"), max_length=20, blank=True)
    enrolled_on = models.DateField(_("enrolled on"), null=True, blank=True)
    # Where the child was found, when the place is in the registry.
    kiln = models.ForeignKey(
        "labour.BrickKiln",
        verbose_name=_("brick kiln"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="child_findings",
    )
    workshop = models.ForeignKey(
        "labour.Workshop",
        verbose_name=_("workshop"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="child_findings",
    )
    victim_record = models.ForeignKey(
        ProtectionRecord,
        verbose_name=_("protection record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="labour_findings",
    )

    class Meta:
        ordering = ["-found_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="labour_finding_unique_reference"),
            models.CheckConstraint(
                condition=Q(age_years__lt=CHILD_UNDER), name="labour_finding_child_age"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_day__lte=MAX_HOURS), name="labour_finding_hours"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn=True, withdrawn_on__isnull=False)
                | Q(withdrawn=False, withdrawn_on__isnull=True),
                name="labour_finding_withdrawn_has_date",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("found_on")),
                name="labour_finding_withdrawn_after_found",
            ),
            models.CheckConstraint(
                condition=Q(referred_on__isnull=True)
                | Q(withdrawn_on__isnull=False, referred_on__gte=F("withdrawn_on")),
                name="labour_finding_referred_after_withdrawn",
            ),
            models.CheckConstraint(
                condition=Q(enrolled_on__isnull=True)
                | Q(referred_on__isnull=False, enrolled_on__gte=F("referred_on")),
                name="labour_finding_enrolled_after_referred",
            ),
            models.CheckConstraint(
                condition=Q(kiln__isnull=True) | Q(workshop__isnull=True),
                name="labour_finding_one_place",
            ),
        ]
        indexes = [models.Index(fields=["district", "found_on"], name="labour_finding_district")]

    def __str__(self) -> str:
        return self.reference

    @property
    def next_step(self) -> NextStep:
        if not self.withdrawn:
            return NextStep.WITHDRAW
        if self.referred_on is None:
            return NextStep.REFER
        if self.enrolled_on is None:
            return NextStep.ENROL
        return NextStep.DONE

    def hazard_labels(self) -> list[str]:
        labels = dict(Hazard.choices)
        return [str(labels.get(h, h)) for h in self.hazards]

    @property
    def referred_to(self) -> str:
        if self.child_protection is not None:
            return str(self.child_protection.name)
        return self.child_protection_text


class FindingCounter(models.Model):
    """Last finding number per district and year (core.sequence)."""

    district = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="labour_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.district_id}/{self.year}: {self.last}"
