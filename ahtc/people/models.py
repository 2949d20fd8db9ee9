from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ahtc.core.fields import EncryptedTextField
from ahtc.core.models import TimeStampedModel
from ahtc.geography.models import Area


class Sex(models.TextChoices):
    """HTCDS prs_Gender values."""

    FEMININE = "feminine", _("female")
    MASCULINE = "masculine", _("male")
    TRANSGENDER_FEMININE = "transgender_feminine", _("transgender (female)")
    TRANSGENDER_MASCULINE = "transgender_masculine", _("transgender (male)")
    NON_CONFORMING = "non_conforming", _("non-conforming")
    UNKNOWN = "unknown", _("not known")


class IdentifierKind(models.TextChoices):
    CNIC = "cnic", _("CNIC")
    PHONE = "phone", _("phone")
    PASSPORT = "passport", _("passport")


class Person(TimeStampedModel):
    """Someone in a case: victim, suspect, witness ... (roles live on the case).

    Identity fields are encrypted. A record belongs to the district that
    created it and is never overwritten when people are found to be the same
    (cross-district entity resolution links records, it does not merge them).
    """

    source_district = models.ForeignKey(
        Area, verbose_name=_("recorded in"), on_delete=models.PROTECT, related_name="+"
    )
    name_latin = EncryptedTextField(_("name (Latin script)"), blank=True)
    name_urdu = EncryptedTextField(_("name (Urdu script)"), blank=True)
    relative_name = EncryptedTextField(_("father's or husband's name"), blank=True)
    sex = models.CharField(_("sex"), max_length=30, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    age_years = models.PositiveSmallIntegerField(
        _("age (years, if no date of birth)"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(age_years__isnull=True) | models.Q(age_years__lte=120),
                name="people_person_age_range",
            )
        ]

    def __str__(self) -> str:
        return f"P-{self.pk}"


class Alias(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = EncryptedTextField(_("alias"))

    def __str__(self) -> str:
        return f"alias of {self.person}"


class Identifier(models.Model):
    """A normalised identifier, encrypted, with a keyed hash for exact lookup."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(_("kind"), max_length=10, choices=IdentifierKind.choices)
    value = EncryptedTextField(_("value"))
    value_hash = models.CharField(max_length=64, db_index=True, editable=False)
    partial = models.BooleanField(_("partial"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "value_hash"], name="people_identifier_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.person}"


class PersonVersion(models.Model):
    """A person's fields as they were before an edit (people.services.person_update).

    The values are identity, so they are kept encrypted (as JSON) and shown
    only to users who may see the person; the audit log names the changed
    fields, never their values.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(editable=False)
    before = EncryptedTextField(_("values before the change"))
    changed_fields = models.CharField(_("changed fields"), max_length=200)
    reason = EncryptedTextField(_("why it was changed"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        ordering = ["person", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["person", "number"], name="people_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} v{self.number}"
