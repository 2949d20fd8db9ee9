from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import Organisation
from ahtc.cases.classification import AgeEvidence
from ahtc.cases.forms import DATE, OrganisationChoiceField
from ahtc.cases.models import Case, ConsentMethod
from ahtc.victims import models as m


def _multi(label: Any, choices: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class RecordForm(forms.Form):
    trafficking_status = forms.ChoiceField(
        label=_("Trafficking status"), choices=m.TraffickingStatus.choices
    )
    status_decided_by = forms.ChoiceField(
        label=_("Status decided by"), choices=m.DecidingOrganisation.choices
    )
    exploitation = _multi(_("Types of exploitation"), m.Exploitation.choices)
    control_methods = _multi(_("Means of control"), m.ControlMethod.choices)
    recruitment_method = forms.ChoiceField(
        label=_("How recruited"),
        choices=[("", _("not known")), *m.RecruitmentMethod.choices],
        required=False,
    )
    recruitment_place = forms.CharField(label=_("Where recruited"), required=False, max_length=200)
    relationship = forms.ChoiceField(
        label=_("Relationship to the trafficker"),
        choices=[("", _("not known")), *m.Relationship.choices],
        required=False,
    )
    child = forms.BooleanField(label=_("A child (under 18)"), required=False)
    age_evidence = forms.ChoiceField(
        label=_("Evidence of age"), choices=AgeEvidence.choices, required=False
    )
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    identity_withheld = forms.BooleanField(
        label=_("Identity withheld (media-sensitive): never shown outside the cell"),
        required=False,
    )


class RecordEditForm(RecordForm):
    release_reason = forms.CharField(
        label=_("If you untick “identity withheld”: why"),
        help_text=_(
            "The identity stays withheld until a cell head approves lifting it; "
            "unticking sends them this request."
        ),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReleaseDecisionForm(forms.Form):
    release = forms.IntegerField(min_value=1)
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])


class ProviderProfileForm(forms.Form):
    services = forms.MultipleChoiceField(
        label=_("Services given"),
        choices=m.ServiceType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    contact_person = forms.CharField(label=_("Contact person"), required=False, max_length=150)
    hours = forms.CharField(label=_("Opening hours"), required=False, max_length=150)
    accepts_children = forms.BooleanField(label=_("Accepts children"), required=False)


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photograph"),
        help_text=_("JPEG, PNG or WebP up to 8 MB. Location and camera data are removed."),
    )


class ServiceConsentForm(forms.Form):
    service = forms.ChoiceField(
        label=_("Consents to be referred for"), choices=m.ServiceType.choices
    )
    organisation = OrganisationChoiceField(
        label=_("Provider (empty = any provider of this service)"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    identity = forms.BooleanField(
        label=_("The provider may know who they are (name and phone)"), required=False
    )
    method = forms.ChoiceField(label=_("How given"), choices=ConsentMethod.choices)
    given_on = forms.DateField(label=_("Date given"), widget=DATE)

    def __init__(self, *args: Any, providers: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = providers  # type: ignore[attr-defined]


class ReferralForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=m.ServiceType.choices)
    provider = OrganisationChoiceField(label=_("Provider"), queryset=Organisation.objects.none())
    needs = forms.CharField(
        label=_("What the victim needs"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("No names: the provider sees this text."),
    )
    identity_needed = forms.BooleanField(
        label=_("The provider needs to know who the victim is"), required=False
    )
    override_consent = forms.BooleanField(
        label=_("Refer without the victim's consent (audited; give the reason)"), required=False
    )
    reason = forms.CharField(label=_("Reason for going ahead without consent"), required=False)

    def __init__(self, *args: Any, providers: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]


class SendForm(forms.Form):
    override_consent = forms.BooleanField(
        label=_("Send without the victim's consent (audited; give the reason)"), required=False
    )
    reason = forms.CharField(label=_("Reason for going ahead without consent"), required=False)


class AnswerForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Your answer"),
        choices=[("1", _("Accept")), ("0", _("Reject"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason (required to reject)"), required=False, max_length=500)


class DeliverForm(forms.Form):
    delivered_on = forms.DateField(label=_("Service given on"), widget=DATE)
    outcome = forms.CharField(
        label=_("What was done"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), max_length=500, required=False)


class NeedsForm(forms.Form):
    needs = _multi(_("What the victim needs"), m.ServiceType.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PlanItemForm(forms.Form):
    service = forms.ChoiceField(label=_("Type of support"), choices=m.ServiceType.choices)
    objective = forms.CharField(label=_("Objective"), max_length=300)
    planned_end = forms.DateField(label=_("Planned end"), widget=DATE)


class FollowUpForm(forms.Form):
    done_on = forms.DateField(label=_("Date of the follow-up"), widget=DATE)
    outcome = forms.CharField(
        label=_("How the person is doing"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class RiskForm(forms.Form):
    factors = _multi(_("Risk factors present"), m.RiskFactor.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class CompensationForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=m.CompensationSource.choices)
    ordered_pkr = forms.IntegerField(
        label=_("Ordered (PKR)"), required=False, min_value=0, max_value=10**12
    )
    applied_on = forms.DateField(label=_("Applied for on"), required=False, widget=DATE)
    paid_pkr = forms.IntegerField(
        label=_("Paid so far (PKR)"), min_value=0, max_value=10**12, initial=0
    )
    paid_on = forms.DateField(label=_("Last paid on"), required=False, widget=DATE)


class CaseChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference} — {obj.title}"


class MigrantChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        label = f" — {obj.label}" if obj.label else ""
        return f"{obj.pseudonym}{label} ({obj.get_fate_display()})"


class FamilyForm(forms.Form):
    case = CaseChoiceField(label=_("Case"), queryset=Case.objects.none())
    migrant = MigrantChoiceField(
        label=_("Relative of a migrant already recorded"),
        help_text=_("Leave empty for a migrant not yet recorded."),
        queryset=m.MissingMigrant.objects.none(),
        required=False,
    )
    migrant_label = forms.CharField(
        label=_("New migrant: how the cell tells them apart (no name)"),
        required=False,
        max_length=100,
    )
    migrant_fate = forms.ChoiceField(
        label=_("New migrant: the migrant is"), choices=m.MigrantFate.choices
    )
    contact_name = forms.CharField(label=_("Family contact"), max_length=150)
    relation = forms.CharField(label=_("Relation to the migrant"), max_length=100)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)

    def __init__(self, *args: Any, cases: QuerySet[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases  # type: ignore[attr-defined]
        migrants = m.MissingMigrant.objects.filter(case__in=cases).select_related("case")
        self.fields["migrant"].queryset = migrants  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        migrant, case = data.get("migrant"), data.get("case")
        if migrant is not None and case is not None and migrant.case_id != case.pk:
            self.add_error("migrant", _("That migrant belongs to another case."))
        return data


class MigrantFateForm(forms.Form):
    to = forms.ChoiceField(label=_("The migrant is now"), choices=[])
    on = forms.DateField(label=_("Since"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason (needed to undo a death)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, fate: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = m.FATE_TRANSITIONS[m.MigrantFate(fate)]
        field = self.fields["to"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - narrows the type
        field.choices = [(v, label) for v, label in m.MigrantFate.choices if v in allowed]


class FamilySupportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Support"), choices=m.FamilySupportKind.choices)
    date = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class VictimFilter(forms.Form):
    SHOW = [
        ("all", _("All")),
        ("follow_up", _("Follow-up due")),
        ("overdue", _("Referrals overdue")),
        ("alerts", _("Seen again (alerts)")),
        ("children", _("Children")),
    ]
    show = forms.ChoiceField(label=_("Show"), choices=SHOW, required=False)
