"""Forms of the agency pages. A refusal re-shows what was typed, with the reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ahtc.agencies.enforcement import ComplianceOutcome
from ahtc.agencies.models import (
    AgencyKind,
    AgencyStatus,
    Authority,
    NoticeKind,
    StaffRole,
)
from ahtc.geography.models import Area, AreaLevel

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
ORDERS = (("risk", _("highest risk first")), ("name", _("name")))
START_STATUSES = [
    (AgencyStatus.LICENSED.value, AgencyStatus.LICENSED.label),
    (AgencyStatus.UNREGISTERED.value, AgencyStatus.UNREGISTERED.label),
]


class TehsilChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        parent = obj.parent
        return f"{obj.name} ({parent.name})" if parent is not None else str(obj.name)


def tehsils(districts: list[Area]) -> QuerySet[Area]:
    return (
        Area.objects.current()
        .of_level(AreaLevel.TEHSIL)
        .filter(parent__in=districts)
        .select_related("parent")
        .order_by("parent__name_en", "name_en")
    )


def _lines(text: str) -> list[str]:
    return [part.strip() for part in text.replace(",", "\n").splitlines() if part.strip()]


class ListFilter(forms.Form):
    q = forms.CharField(label=_("Name or licence number"), required=False, max_length=100)
    district = forms.ModelChoiceField(
        label=_("District"), queryset=Area.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("any")), *AgencyStatus.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("any")), *AgencyKind.choices], required=False
    )
    order = forms.ChoiceField(label=_("Order"), choices=ORDERS, required=False)

    def __init__(self, *args: Any, districts: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts  # type: ignore[attr-defined]


class EditForm(forms.Form):
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_ur = forms.CharField(label=_("Name (Urdu)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgencyKind.choices)
    tehsil = TehsilChoice(label=_("Tehsil"), queryset=Area.objects.none(), required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)

    def __init__(self, *args: Any, districts: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tehsil"].queryset = tehsils(districts)  # type: ignore[attr-defined]


class AgencyForm(EditForm):
    district = forms.ModelChoiceField(label=_("District"), queryset=Area.objects.none())
    status = forms.ChoiceField(label=_("Status"), choices=START_STATUSES, widget=forms.RadioSelect)
    status_since = forms.DateField(label=_("Status since"), widget=DATE)
    phones = forms.CharField(
        label=_("Office phones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, in any form: 0300-1234567, +92 300 1234567."),
    )
    former_names = forms.CharField(
        label=_("Former names"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    field_order = ["district", "name_en", "name_ur", "kind", "status", "status_since"]

    def __init__(self, *args: Any, districts: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, districts=districts, **kwargs)
        field = self.fields["district"]
        field.queryset = Area.objects.filter(pk__in=[d.pk for d in districts])  # type: ignore[attr-defined]
        if len(districts) == 1:
            field.initial = districts[0].pk

    def clean_phones(self) -> list[str]:
        return _lines(self.cleaned_data["phones"])

    def clean_former_names(self) -> list[str]:
        return [n for n in self.cleaned_data["former_names"].splitlines() if n.strip()]


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=AgencyStatus.choices)
    on = forms.DateField(label=_("Date"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class LicenceForm(forms.Form):
    number = forms.CharField(label=_("Licence number"), max_length=60)
    authority = forms.ChoiceField(label=_("Issued by"), choices=Authority.choices)
    holder_name = forms.CharField(
        label=_("Licence holder (as printed on the licence)"),
        max_length=200,
        required=False,
        help_text=_("Shown to the public on the verification page."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_to = forms.DateField(label=_("Valid until"), widget=DATE)


class PersonForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.choices)
    name_latin = forms.CharField(label=_("Name (Latin script)"), max_length=200, required=False)
    name_urdu = forms.CharField(label=_("Name (Urdu script)"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    cnic = forms.CharField(label=_("CNIC"), max_length=20, required=False)
    since = forms.DateField(label=_("Since"), widget=DATE, required=False)


class PhoneForm(forms.Form):
    raw = forms.CharField(label=_("Office phone"), max_length=30)


class BranchForm(forms.Form):
    address = forms.CharField(label=_("Address"), max_length=300)
    tehsil = TehsilChoice(label=_("Tehsil"), queryset=Area.objects.none(), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    def __init__(self, *args: Any, districts: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tehsil"].queryset = tehsils(districts)  # type: ignore[attr-defined]


class InspectionForm(forms.Form):
    on = forms.DateField(label=_("Inspected on"), widget=DATE)
    employee_list_displayed = forms.BooleanField(
        label=_("List of employees displayed"), required=False
    )
    licence_displayed = forms.BooleanField(label=_("Licence displayed"), required=False)
    fraud_advisory_displayed = forms.BooleanField(
        label=_("Advisory against fraud displayed"), required=False
    )
    fee_schedule_displayed = forms.BooleanField(
        label=_("Schedule of fees displayed"), required=False
    )
    records_kept = forms.BooleanField(label=_("Records of clients kept"), required=False)
    findings = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reinspect_on = forms.DateField(
        label=_("Re-inspect on"),
        widget=DATE,
        required=False,
        help_text=_("Left empty after a failed inspection: 30 days later."),
    )


class PhotoFindingForm(forms.Form):
    finding = forms.CharField(
        label=_("Finding"),
        max_length=300,
        help_text=_("What the photograph shows, e.g. no licence on the wall."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    photo = forms.FileField(
        label=_("Photograph"),
        help_text=_("JPEG, PNG or WebP up to 8 MB. Location and camera data are removed."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Notice"), choices=NoticeKind.choices)
    served_on = forms.DateField(label=_("Served on"), widget=DATE)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    requirement = forms.CharField(label=_("What is required"), max_length=300, required=False)


OUTCOMES = (
    (ComplianceOutcome.REGISTERED, _("registered (licence recorded)")),
    (ComplianceOutcome.STOPPED, _("stopped business")),
    (ComplianceOutcome.COMPLIED, _("complied with the notice")),
)


class ComplyForm(forms.Form):
    complied_on = forms.DateField(label=_("Complied on"), widget=DATE)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOMES, widget=forms.RadioSelect)
    note = forms.CharField(label=_("How it complied"), max_length=300, required=False)


class LinkPartyForm(forms.Form):
    reference = forms.CharField(label=_("Case reference"), max_length=30)
    party = forms.TypedChoiceField(
        label=_("Broker or agent in the case"), coerce=int, required=False, choices=()
    )
    staff = forms.TypedChoiceField(
        label=_("Member of staff (if known)"), coerce=int, required=False, choices=()
    )


class AgencyChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name_en} ({obj.district.name})"


class RecruiterForm(forms.Form):
    """The agency that recruited a victim, and the member of its staff if known.
    Staff are shown by pseudonym and role (names are identities)."""

    agency = AgencyChoice(
        label=_("Agency that recruited the victim"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("none from the registry / not known"),
    )
    staff = forms.TypedChoiceField(
        label=_("Member of its staff (if known)"), coerce=int, required=False, choices=()
    )

    def __init__(self, *args: Any, agencies: Any, staff: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["staff"].choices = [("", _("not known"))] + [  # type: ignore[attr-defined]
            (row.pk, f"P-{row.person_id} ({row.get_role_display()}) — {row.agency.name_en}")
            for row in staff
        ]


class LinkReportForm(forms.Form):
    number = forms.IntegerField(label=_("Report number"), min_value=1)


class ImportForm(forms.Form):
    district = forms.ModelChoiceField(label=_("District"), queryset=Area.objects.none())
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "Columns: name_en, name_ur, kind, status, status_since, tehsil, address, phones, "
            "licence_number, licence_authority, licence_holder, licence_valid_from, "
            "licence_valid_to."
        ),
    )

    def __init__(self, *args: Any, districts: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts  # type: ignore[attr-defined]
