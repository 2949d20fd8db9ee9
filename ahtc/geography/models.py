from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ahtc.core.models import TimeStampedModel, in_language

PATH_SEPARATOR = "/"


class AreaLevel(models.TextChoices):
    COUNTRY = "country", _("country")
    PROVINCE = "province", _("province")
    DIVISION = "division", _("division")
    DISTRICT = "district", _("district")
    TEHSIL = "tehsil", _("tehsil")


# Allowed parent level for each level; a hierarchy may skip divisions.
PARENT_LEVELS: dict[str, set[str]] = {
    AreaLevel.COUNTRY: set(),
    AreaLevel.PROVINCE: {AreaLevel.COUNTRY, ""},
    AreaLevel.DIVISION: {AreaLevel.PROVINCE},
    AreaLevel.DISTRICT: {AreaLevel.DIVISION, AreaLevel.PROVINCE},
    AreaLevel.TEHSIL: {AreaLevel.DISTRICT},
}
LEVEL_DEPTH = {level: index for index, level in enumerate(AreaLevel.values)}


class AreaQuerySet(models.QuerySet["Area"]):
    def valid_on(self, day: datetime.date | None = None) -> AreaQuerySet:
        day = day or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gt=day),
        )

    def current(self) -> AreaQuerySet:
        return self.valid_on(None)

    def within(self, area: Area) -> AreaQuerySet:
        """The area and everything under it, in one indexed prefix query."""
        return self.filter(path__startswith=area.path)

    def of_level(self, level: str) -> AreaQuerySet:
        return self.filter(level=level)


class Area(TimeStampedModel):
    """A unit of the administrative tree, valid for a span of dates.

    Units are never edited out of existence: a district split ends the old
    tehsil rows (`valid_to`) and starts new rows under the new district with
    `predecessors` links, so records filed under the old unit keep their place
    and their history (DESIGN.md, DOMAIN.md §5).
    `path` is the chain of codes from the root (`PK6/PK6DV03/PK620/`) so that
    "everything in Gujrat division" is one `LIKE 'prefix%'` query.
    """

    code = models.CharField(_("code"), max_length=20)
    level = models.CharField(_("level"), max_length=10, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ur = models.CharField(_("name (Urdu)"), max_length=100, blank=True)
    path = models.CharField(_("path"), max_length=255, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self",
        verbose_name=_("predecessors"),
        symmetrical=False,
        blank=True,
        related_name="successors",
    )
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("census year"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="geography_area_unique_code"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="geography_area_valid_range",
            ),
        ]
        indexes = [
            # varchar_pattern_ops lets PostgreSQL answer LIKE 'prefix%' from
            # the index under any collation; other databases ignore opclasses.
            models.Index(
                fields=["path"], name="geography_area_path_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["level", "path"], name="geography_area_level_path_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(en=self.name_en, ur=self.name_ur)

    @property
    def depth(self) -> int:
        return self.path.count(PATH_SEPARATOR)

    def is_valid_on(self, day: datetime.date) -> bool:
        starts = self.valid_from is None or self.valid_from <= day
        ends = self.valid_to is None or day < self.valid_to
        return starts and ends

    def contains(self, other: Area) -> bool:
        return other.path.startswith(self.path)

    def ancestor_codes(self) -> list[str]:
        return [code for code in self.path.split(PATH_SEPARATOR) if code]


class PoliceStation(TimeStampedModel):
    code = models.CharField(_("code"), max_length=30)
    tehsil = models.ForeignKey(
        Area,
        verbose_name=_("tehsil"),
        on_delete=models.PROTECT,
        related_name="police_stations",
        limit_choices_to={"level": AreaLevel.TEHSIL},
    )
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ur = models.CharField(_("name (Urdu)"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("police station")
        verbose_name_plural = _("police stations")
        ordering = ["tehsil__path", "name_en"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="geography_policestation_unique_code")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(en=self.name_en, ur=self.name_ur)
