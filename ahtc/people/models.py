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


class NameToken(models.Model):
    """A keyed hash of one prefix (3 to 12 letters) of one normalised word of a
    person's names or aliases (people/search.py). Names are encrypted, so a
    search cannot read them in the database; it looks up these hashes instead,
    which reveal nothing without the key."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_tokens")
    token_hash = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "token_hash"], name="people_token_unique")
        ]

    def __str__(self) -> str:
        return f"name token of {self.person_id}"


# --- entity resolution across districts (issue 15, people/resolution.py) --------------


class MatchStatus(models.TextChoices):
    PENDING = "pending", _("to review")
    ACCEPTED = "accepted", _("the same person")
    REJECTED = "rejected", _("different people")
    UNSURE = "unsure", _("not sure")


class LinkKind(models.TextChoices):
    FULL_CNIC = "full_cnic", _("same full CNIC (linked automatically)")
    REVIEWED = "reviewed", _("accepted by a reviewer")


class ResolutionRun(models.Model):
    """One run of the matching job: what it did, and the model it used (m and
    u probabilities only; no record values), for the incremental runs."""

    class Mode(models.TextChoices):
        FULL = "full", _("full")
        INCREMENTAL = "incremental", _("incremental")

    mode = models.CharField(max_length=12, choices=Mode.choices)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    people = models.PositiveIntegerField(default=0)
    newest_person = models.PositiveBigIntegerField(default=0)
    pairs_scored = models.PositiveIntegerField(default=0)
    candidates_new = models.PositiveIntegerField(default=0)
    links_new = models.PositiveIntegerField(default=0)
    trained = models.BooleanField(default=False)
    model_json = models.TextField(blank=True)
    job_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"resolution run {self.pk} ({self.mode})"


class MatchCandidate(models.Model):
    """Two person records the model scored as possibly the same human. Never
    merged without a reviewer: `evidence` says which fields agreed (labels,
    never values) and the reviewer decides. person_a has the lower id."""

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    match_weight = models.FloatField()
    match_probability = models.FloatField()
    evidence = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=MatchStatus.choices, default=MatchStatus.PENDING, db_index=True
    )
    run = models.ForeignKey(ResolutionRun, null=True, on_delete=models.SET_NULL, related_name="+")
    found_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-match_weight", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="people_candidate_pair"),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")),
                name="people_candidate_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"candidate {self.person_a_id}~{self.person_b_id}"


class MatchDecision(models.Model):
    """Every decision on a candidate and every undo, in order: the history."""

    candidate = models.ForeignKey(
        MatchCandidate, on_delete=models.CASCADE, related_name="decisions"
    )
    status = models.CharField(max_length=10, choices=MatchStatus.choices)
    previous = models.CharField(max_length=10, choices=MatchStatus.choices)
    note = EncryptedTextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["candidate", "pk"]

    def __str__(self) -> str:
        return f"{self.candidate}: {self.previous} → {self.status}"


class PersonLink(models.Model):
    """Two records of one human. The linked records form an identity (the
    connected records); each keeps its own district and fields. Undoing sets
    `undone_at`: the row stays, so the history is kept."""

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=LinkKind.choices)
    candidate = models.ForeignKey(
        MatchCandidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="links"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person_a", "person_b"],
                condition=models.Q(undone_at__isnull=True),
                name="people_link_active_pair",
            ),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")),
                name="people_link_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"link {self.person_a_id}={self.person_b_id}"
