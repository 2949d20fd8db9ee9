"""Forms of the case workspace. Choices are always limited to what the user may
pick (districts, officers, organisations, sections in force); the services
check the rules again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Case as DbCase
from django.db.models import IntegerField, QuerySet, Value, When
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import Organisation, User
from ahtc.cases import classification as c
from ahtc.cases.classification_forms import ClassificationForm, DecisionForm
from ahtc.cases.countries import COUNTRIES
from ahtc.cases.fields import (
    DATE,
    AreaChoiceField,
    OrganisationChoiceField,
    ProvisionsField,
    UserChoiceField,
)
from ahtc.cases.models import (
    ChallanItemKind,
    ConsentMethod,
    ConsentPurpose,
    CustodyAction,
    EventKind,
    EvidenceKind,
    HandoverKind,
    LegalProvision,
    Origin,
    Party,
    PartyRole,
    Status,
    VerdictOutcome,
)
from ahtc.geography.models import Area, PoliceStation
from ahtc.people.models import Sex

__all__ = ["DATE", "ClassificationForm", "DecisionForm", "OrganisationChoiceField"]


class CaseFilter(forms.Form):
    VIEWS = [
        ("mine", _("My cases")),
        ("district", _("All cases I can see")),
        ("shared", _("Shared with my agency")),
    ]
    view = forms.ChoiceField(label=_("Show"), choices=VIEWS, required=False)
    q = forms.CharField(label=_("Reference"), required=False, max_length=30)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("any")), *Status.choices], required=False
    )
    classification = forms.ChoiceField(
        label=_("Classification"),
        choices=[("", _("any")), *c.Classification.choices],
        required=False,
    )
    agency = forms.ChoiceField(
        label=_("Agency"), choices=[("", _("any")), *c.Agency.choices], required=False
    )
    origin = forms.ChoiceField(
        label=_("Opened from"), choices=[("", _("any")), *Origin.choices], required=False
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    open_only = forms.BooleanField(label=_("Open cases only"), required=False)
    overdue = forms.BooleanField(label=_("With overdue tasks"), required=False)


class CaseOpenForm(forms.Form):
    district = AreaChoiceField(label=_("District"), queryset=Area.objects.none())
    title = forms.CharField(
        label=_("Short title"),
        max_length=200,
        help_text=_("No names: e.g. 'Visit-visa agent, Libya route'."),
    )
    origin = forms.ChoiceField(label=_("Opened from"), choices=Origin.choices)
    referred_by = OrganisationChoiceField(
        label=_("Referred by"), queryset=Organisation.objects.none(), required=False
    )
    offence_date = forms.DateField(
        label=_("Date of the offence (or first known)"), required=False, widget=DATE
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea, required=False)
    tip = forms.IntegerField(widget=forms.HiddenInput, required=False)
    split_reason = forms.CharField(
        label=_("Why this report needs a second case"),
        help_text=_("Only when the report already belongs to a case, e.g. two unrelated offences."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=500,
    )

    def __init__(
        self, *args: Any, districts: QuerySet[Area], orgs: QuerySet[Organisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts  # type: ignore[attr-defined]
        self.fields["referred_by"].queryset = orgs  # type: ignore[attr-defined]


class PersonSearchForm(forms.Form):
    cnic = forms.CharField(label=_("CNIC"), required=False, max_length=30)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    passport = forms.CharField(label=_("Passport"), required=False, max_length=30)
    name = forms.CharField(label=_("Name"), required=False, max_length=100)


class PartyForm(forms.Form):
    role = forms.ChoiceField(label=_("Role in the case"), choices=PartyRole.choices)
    person = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)
    name_latin = forms.CharField(label=_("Name (Latin script)"), required=False, max_length=150)
    name_urdu = forms.CharField(label=_("Name (Urdu script)"), required=False, max_length=150)
    relative_name = forms.CharField(
        label=_("Father's or husband's name"), required=False, max_length=150
    )
    aliases = forms.CharField(
        label=_("Other names used"),
        required=False,
        max_length=300,
        help_text=_("Separate with commas."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    age_years = forms.IntegerField(
        label=_("Age (years)"), required=False, min_value=0, max_value=120
    )
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    cnic = forms.CharField(
        label=_("CNIC"), required=False, max_length=30, help_text=_("Partial numbers are allowed.")
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    passport = forms.CharField(label=_("Passport number"), required=False, max_length=30)
    organisation_name = forms.CharField(
        label=_("Or: an organisation (e.g. a travel agency)"), required=False, max_length=200
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, roles: list[PartyRole] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if roles is not None:  # e.g. the agency running the proceedings: accused only
            self.fields["role"].choices = [(r.value, r.label) for r in roles]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_person = data.get("person") or data.get("name_latin") or data.get("name_urdu")
        if not has_person and not data.get("organisation_name"):
            raise forms.ValidationError(
                _("Give a name (in either script), choose a person found, or name an organisation.")
            )
        return data


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=EventKind.choices)
    date = forms.DateField(label=_("Date"), required=False, widget=DATE)
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRIES, initial="PK")
    area = AreaChoiceField(
        label=_("District (in Pakistan)"), queryset=Area.objects.none(), required=False
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    amount_pkr = forms.IntegerField(
        label=_("Money paid (PKR)"), required=False, min_value=0, max_value=10**12
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, districts: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = districts  # type: ignore[attr-defined]


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Move the case to"), choices=Status.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    override_consent = forms.BooleanField(
        label=_("Go ahead without the victim's recorded consent (audited; give the reason)"),
        required=False,
    )

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [  # type: ignore[attr-defined]
            (s, Status(s).label) for s in allowed
        ]


class FirForm(forms.Form):
    """The sections decided at classification come first (and ticked), then the
    rest of the charges in force on the offence date."""

    number = forms.CharField(label=_("FIR number"), max_length=30)
    date = forms.DateField(label=_("FIR date"), widget=DATE)
    police_station = forms.ModelChoiceField(
        label=_("Police station"), queryset=PoliceStation.objects.none()
    )
    provisions = ProvisionsField(label=_("Sections"), queryset=LegalProvision.objects.none())

    def __init__(
        self,
        *args: Any,
        stations: QuerySet[PoliceStation],
        provisions: QuerySet[LegalProvision],
        decided: list[int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["police_station"].queryset = stations  # type: ignore[attr-defined]
        self.fields["police_station"].label_from_instance = lambda s: s.name  # type: ignore[attr-defined]
        first = DbCase(
            When(pk__in=decided or [], then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        field = self.fields["provisions"]
        ordered = provisions.annotate(first=first).order_by("first", "act", "code")
        field.queryset = ordered  # type: ignore[attr-defined]
        mark = " " + str(_("(decided at classification)"))
        plain = field.label_from_instance  # type: ignore[attr-defined]
        chosen = set(decided or [])
        field.label_from_instance = (  # type: ignore[attr-defined]
            lambda p: plain(p) + (mark if p.pk in chosen else "")
        )


class AgencyFirForm(forms.Form):
    """The FIR of the agency running the proceedings (FIA after a transfer)."""

    number = forms.CharField(label=_("FIR number"), max_length=30)
    date = forms.DateField(label=_("FIR date"), widget=DATE)
    station = forms.CharField(
        label=_("The agency's police station"),
        max_length=200,
        help_text=_(
            "As the agency writes it, e.g. FIA Anti-Human Trafficking Circle police station."
        ),
    )
    provisions = ProvisionsField(
        label=_("Sections (PTPA, PSMA or the Emigration Ordinance)"),
        queryset=LegalProvision.objects.none(),
    )

    def __init__(
        self, *args: Any, provisions: QuerySet[LegalProvision], circle: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provisions"].queryset = provisions  # type: ignore[attr-defined]
        self.fields["station"].help_text = _(
            "Circle: %(circle)s. Name the police station as the agency writes it."
        ) % {"circle": circle}


class PartyChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.pseudonym} ({obj.get_role_display()})"


class ArrestForm(forms.Form):
    party = PartyChoiceField(label=_("Accused"), queryset=Party.objects.none())
    date = forms.DateField(label=_("Date of arrest"), widget=DATE)
    bail_granted = forms.BooleanField(label=_("Bail granted"), required=False)

    def __init__(self, *args: Any, parties: QuerySet[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties  # type: ignore[attr-defined]


class HearingForm(forms.Form):
    court = forms.CharField(label=_("Court"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=DATE)
    purpose = forms.CharField(label=_("Purpose"), required=False, max_length=200)
    outcome = forms.CharField(label=_("What happened"), required=False, max_length=500)


class VerdictForm(forms.Form):
    party = PartyChoiceField(label=_("Accused"), queryset=Party.objects.none())
    provision = forms.ModelChoiceField(label=_("Section"), queryset=LegalProvision.objects.none())
    date = forms.DateField(label=_("Date of judgment"), widget=DATE)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=VerdictOutcome.choices)
    prison_months = forms.IntegerField(
        label=_("Prison (months)"), required=False, min_value=0, max_value=1200
    )
    fine_pkr = forms.IntegerField(label=_("Fine (PKR)"), required=False, min_value=0)
    compensation_ordered_pkr = forms.IntegerField(
        label=_("Compensation ordered (PKR)"), required=False, min_value=0
    )
    compensation_paid_pkr = forms.IntegerField(
        label=_("Compensation paid so far (PKR)"), required=False, min_value=0
    )

    def __init__(
        self,
        *args: Any,
        parties: QuerySet[Party],
        provisions: QuerySet[LegalProvision],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties  # type: ignore[attr-defined]
        self.fields["provision"].queryset = provisions  # type: ignore[attr-defined]
        self.fields["provision"].label_from_instance = lambda p: p.label  # type: ignore[attr-defined]


class CompensationForm(forms.Form):
    amount_pkr = forms.IntegerField(
        label=_("Compensation paid so far (PKR)"), min_value=0, max_value=10**12
    )


class ConsentForm(forms.Form):
    party = PartyChoiceField(label=_("Victim"), queryset=Party.objects.none())
    purpose = forms.ChoiceField(label=_("Consents to"), choices=ConsentPurpose.choices)
    organisation = OrganisationChoiceField(
        label=_("Shared with (sharing or identity only; empty = any partner agency)"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    method = forms.ChoiceField(label=_("How given"), choices=ConsentMethod.choices)
    given_on = forms.DateField(label=_("Date given"), widget=DATE)

    def __init__(
        self, *args: Any, parties: QuerySet[Party], orgs: QuerySet[Organisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = orgs  # type: ignore[attr-defined]


class ShareForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Partner agency"), queryset=Organisation.objects.none()
    )
    reason = forms.CharField(label=_("Why they need it"), max_length=300)
    override_consent = forms.BooleanField(
        label=_("Go ahead without the victim's consent to share (audited)"), required=False
    )

    def __init__(self, *args: Any, orgs: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = orgs  # type: ignore[attr-defined]


class HandoverForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=HandoverKind.choices)
    to_user = UserChoiceField(
        label=_("Officer (to assign)"), queryset=User.objects.none(), required=False
    )
    to_organisation = OrganisationChoiceField(
        label=_("Cell or agency (to transfer or refer)"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=500, help_text=_("The receiver reads this: no names.")
    )
    override_consent = forms.BooleanField(
        label=_("Refer without the victim's consent to share (audited)"), required=False
    )

    def __init__(
        self,
        *args: Any,
        officers: QuerySet[User],
        orgs: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = officers  # type: ignore[attr-defined]
        self.fields["to_organisation"].queryset = orgs  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Your answer"),
        choices=[("1", _("Accept")), ("0", _("Reject"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason (required to reject)"), required=False, max_length=500)


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    holder = forms.CharField(label=_("Held by"), max_length=200)
    # Last in the form, so every field typed above it has arrived when a file
    # that is too large is refused (core/uploads.py).
    file = forms.FileField(
        required=False,
        help_text=_(
            "A photo (JPEG, PNG, WebP), PDF, voice note or video, checked for viruses. "
            "Stored encrypted, byte for byte; its SHA-256 is recorded."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = filesizeformat(settings.AHTC_MAX_EVIDENCE_BYTES)
        field = self.fields["file"]
        field.label = _("File (optional, up to %(limit)s)") % {"limit": limit}
        # static/ahtc/files.js checks the size before anything is sent.
        field.widget = forms.ClearableFileInput(
            attrs={
                "accept": "image/*,application/pdf,audio/*,video/*",
                "data-max-bytes": settings.AHTC_MAX_EVIDENCE_BYTES,
                "data-max-files": 1,
                "data-msg-too-large": self._too_large(),
            }
        )

    def _too_large(self) -> str:
        limit = filesizeformat(settings.AHTC_MAX_EVIDENCE_BYTES)
        return str(
            _(
                "The file is larger than %(limit)s, so it was not kept. Choose a smaller "
                "file, or save without it; nothing you typed is lost."
            )
            % {"limit": limit}
        )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and getattr(upload, "complete", True) is False:
            raise forms.ValidationError(self._too_large())
        return upload


class CustodyForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=CustodyAction.choices)
    holder = forms.CharField(label=_("Now held by"), max_length=200)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200, help_text=_("No names."))
    assignee = UserChoiceField(label=_("Assigned to"), queryset=User.objects.none())
    due = forms.DateField(label=_("Due"), widget=DATE)

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = people  # type: ignore[attr-defined]


class ChallanActionForm(forms.Form):
    ACTIONS = [("io_done", _("IO: done")), ("accept", _("Accept")), ("return", _("Return"))]
    kind = forms.ChoiceField(choices=ChallanItemKind.choices)
    action = forms.ChoiceField(choices=ACTIONS)
    objection = forms.CharField(required=False, max_length=500)
    answer = forms.CharField(required=False, max_length=500)
    override_consent = forms.BooleanField(required=False)
    reason = forms.CharField(required=False, max_length=500)


class ChallanAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer to the objection"),
        help_text=_("Say what was done, e.g. which document is now attached."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    override_consent = forms.BooleanField(
        label=_("Go ahead without the victim's consent (audited; give the reason below)"),
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def __init__(self, *args: Any, may_override: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_override:
            del self.fields["override_consent"]
            del self.fields["reason"]


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("Save this search as"), max_length=80)
