"""Forms of the child-labour pages. Each refusal re-shows what was typed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import Organisation, OrganisationKind
from ahtc.geography.models import Area, AreaLevel
from ahtc.labour.models import (
    CHILD_UNDER,
    MAX_HOURS,
    AgeEvidence,
    Attendance,
    ChildLabourFinding,
    EvidenceKind,
    Hazard,
    InspectionKind,
    KilnSeason,
    PlaceKind,
    Schooling,
    Violation,
    WageBasis,
)
from ahtc.people.models import Sex
from ahtc.victims.models import ControlMethod

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
FUTURE = _("The date is in the future.")


def _not_future(day: dt.date | None) -> dt.date | None:
    if day is not None and day > timezone.localdate():
        raise forms.ValidationError(FUTURE)
    return day


class TehsilChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        parent = obj.parent
        return f"{obj.name} ({parent.name})" if parent is not None else str(obj.name)


def _tehsils(districts: list[Area]) -> QuerySet[Area]:
    return (
        Area.objects.current()
        .of_level(AreaLevel.TEHSIL)
        .filter(parent__in=districts)
        .select_related("parent")
        .order_by("parent__name_en", "name_en")
    )


class FactsForm(forms.Form):
    """What was seen where the child was working (shared by create and edit)."""

    tehsil = TehsilChoice(label=_("Tehsil"), queryset=Area.objects.none(), required=False)
    place_kind = forms.ChoiceField(label=_("Place of work"), choices=PlaceKind.choices)
    place_description = forms.CharField(
        label=_("Description of the place"),
        max_length=300,
        help_text=_("For example: kiln near the canal road, Phalia. No names of children."),
    )
    age_years = forms.IntegerField(label=_("Age (years)"), min_value=0, max_value=CHILD_UNDER - 1)
    age_evidence = forms.ChoiceField(
        label=_("Evidence of age"), choices=AgeEvidence.choices, widget=forms.RadioSelect
    )
    hours_per_day = forms.IntegerField(
        label=_("Hours of work per day"), min_value=1, max_value=MAX_HOURS
    )
    hazards = forms.MultipleChoiceField(
        label=_("Hazards"),
        choices=Hazard.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    schooling = forms.ChoiceField(
        label=_("Schooling when found"), choices=Schooling.choices, widget=forms.RadioSelect
    )
    found_on = forms.DateField(label=_("Found on"), widget=DATE)

    def __init__(self, *args: Any, districts: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = self.data.get("district") if self.is_bound else None
        narrowed = [d for d in districts if str(d.pk) == str(chosen)] or districts
        tehsil = self.fields["tehsil"]
        assert isinstance(tehsil, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        tehsil.queryset = _tehsils(narrowed)

    def clean_found_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("found_on"))


class FindingForm(FactsForm):
    district = forms.ModelChoiceField(label=_("District"), queryset=Area.objects.none())
    name_latin = forms.CharField(label=_("Child's name (Latin script)"), max_length=150)
    name_urdu = forms.CharField(
        label=_("Child's name (Urdu script)"), max_length=150, required=False
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)

    field_order = ["district", "tehsil", "name_latin", "name_urdu", "sex", "age_years"]

    def __init__(self, *args: Any, districts: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, districts=districts, **kwargs)
        district = self.fields["district"]
        assert isinstance(district, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        district.queryset = Area.objects.filter(pk__in=[d.pk for d in districts])
        if len(districts) == 1:
            self.initial.setdefault("district", districts[0].pk)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        district, tehsil = data.get("district"), data.get("tehsil")
        if district is not None and tehsil is not None and tehsil.parent_id != district.pk:
            self.add_error("tehsil", _("That tehsil is not in the district you chose."))
        return data


class EditForm(FactsForm):
    pass


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn from work on"), widget=DATE)

    def clean_withdrawn_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("withdrawn_on"))


def serving(finding: ChildLabourFinding, kind: str) -> QuerySet[Organisation]:
    """Organisations of this kind whose area covers the finding's district."""
    path = finding.district.path
    prefixes = ["/".join(path.split("/")[:n]) + "/" for n in range(1, path.count("/") + 1)]
    return Organisation.objects.filter(kind=kind, area__path__in=prefixes, is_active=True)


class OrganisationChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ReferForm(forms.Form):
    referred_on = forms.DateField(label=_("Referred on"), widget=DATE)
    child_protection = OrganisationChoice(
        label=_("Child Protection office"), queryset=Organisation.objects.none(), required=False
    )
    child_protection_text = forms.CharField(
        label=_("Or another office (name it)"), max_length=200, required=False
    )
    education = OrganisationChoice(
        label=_("Education authority to place the child in school"),
        queryset=Organisation.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, finding: ChildLabourFinding, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, kind in (
            ("child_protection", OrganisationKind.CHILD_PROTECTION),
            ("education", OrganisationKind.EDUCATION),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
            field.queryset = serving(finding, kind)
            only = list(field.queryset[:2])
            if len(only) == 1:
                self.initial.setdefault(name, only[0].pk)

    def clean_referred_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("referred_on"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("child_protection") and not data.get("child_protection_text", "").strip():
            self.add_error(
                "child_protection", _("Choose the Child Protection office or name another.")
            )
        return data


class EnrolForm(forms.Form):
    school_name = forms.CharField(label=_("School"), max_length=200)
    school_grade = forms.CharField(label=_("Class"), max_length=20)
    enrolled_on = forms.DateField(label=_("Enrolled on"), widget=DATE)

    def clean_enrolled_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("enrolled_on"))


class VictimForm(forms.Form):
    classified = forms.BooleanField(
        label=_(
            "The classification says trafficking (for example bonded child labour), "
            "not child labour alone"
        ),
    )
    control_methods = forms.MultipleChoiceField(
        label=_("Means of control found"),
        choices=ControlMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ListFilter(forms.Form):
    district = forms.ModelChoiceField(
        label=_("District"), queryset=Area.objects.none(), required=False
    )
    schooling = forms.ChoiceField(
        label=_("Schooling when found"),
        choices=[("", _("any")), *Schooling.choices],
        required=False,
    )
    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=[
            ("", _("any")),
            ("at_work", _("not yet withdrawn")),
            ("withdrawn", _("withdrawn")),
            ("not_enrolled", _("withdrawn, not yet enrolled")),
            ("enrolled", _("enrolled in school")),
            ("dropped_out", _("dropped out of school since")),
        ],
        required=False,
    )

    def __init__(self, *args: Any, districts: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["district"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = districts


# --- the registry (issue 16) ---------------------------------------------------------------


class KilnForm(forms.Form):
    district = forms.ModelChoiceField(label=_("District"), queryset=Area.objects.none())
    tehsil = TehsilChoice(label=_("Tehsil"), queryset=Area.objects.none(), required=False)
    name = forms.CharField(label=_("Trade name"), max_length=200, required=False)
    owner_name = forms.CharField(label=_("Owner's name"), max_length=150)
    location = forms.CharField(label=_("Location"), max_length=300)
    capacity = forms.IntegerField(label=_("Capacity (bricks per day)"), min_value=1, required=False)
    season = forms.ChoiceField(label=_("Season"), choices=KilnSeason.choices)
    labour_registration = forms.CharField(
        label=_("Registration number with the Labour Department"), max_length=60, required=False
    )
    registered_on = forms.DateField(label=_("Registered on"), widget=DATE, required=False)

    def __init__(self, *args: Any, districts: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district = self.fields["district"]
        tehsil = self.fields["tehsil"]
        assert isinstance(district, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        assert isinstance(tehsil, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        district.queryset = Area.objects.filter(pk__in=[d.pk for d in districts])
        tehsil.queryset = _tehsils(districts)
        if len(districts) == 1:
            self.initial.setdefault("district", districts[0].pk)

    def clean_registered_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("registered_on"))


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=InspectionKind.choices, widget=forms.RadioSelect
    )
    inspected_on = forms.DateField(label=_("Inspected on"), widget=DATE)
    with_labour = forms.BooleanField(label=_("Joint with the Labour Department"), required=False)
    with_child_protection = forms.BooleanField(
        label=_("Joint with Child Protection"), required=False
    )
    violations = forms.MultipleChoiceField(
        label=_("Findings"),
        choices=Violation.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes (no names)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean_inspected_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("inspected_on"))


class WageForm(forms.Form):
    observed_on = forms.DateField(label=_("Seen on"), widget=DATE)
    basis = forms.ChoiceField(label=_("Basis"), choices=WageBasis.choices)
    amount = forms.DecimalField(
        label=_("Paid (rupees)"), min_value=Decimal("1"), max_digits=10, decimal_places=2
    )
    evidence = forms.ChoiceField(label=_("Evidence"), choices=EvidenceKind.choices)

    def clean_observed_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("observed_on"))


class HandoverForm(forms.Form):
    """The facts for the classification; the officer confirms it on the case."""

    handed_over_on = forms.DateField(label=_("Handed over on"), widget=DATE)
    peshgi = forms.BooleanField(label=_("An advance (peshgi) is owed"), required=False)
    works_to_repay = forms.BooleanField(label=_("Works to repay the advance"), required=False)
    restricted_movement = forms.BooleanField(label=_("Not free to leave or move"), required=False)
    threats = forms.BooleanField(label=_("Threats against the worker or family"), required=False)
    violence = forms.BooleanField(label=_("Violence"), required=False)
    documents_withheld = forms.BooleanField(label=_("Identity documents withheld"), required=False)
    nominal_wages = forms.BooleanField(
        label=_("Nil or nominal wages (below the notified rate)"), required=False
    )
    children_involved = forms.BooleanField(
        label=_("Children of the family work too"), required=False
    )

    def clean_handed_over_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("handed_over_on"))


class AttendanceForm(forms.Form):
    term = forms.CharField(label=_("Term"), max_length=20, help_text=_("For example 2025-T2."))
    checked_on = forms.DateField(label=_("Checked on"), widget=DATE)
    status = forms.ChoiceField(
        label=_("Attendance"), choices=Attendance.choices, widget=forms.RadioSelect
    )

    def clean_checked_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("checked_on"))


class RegistryFilter(forms.Form):
    district = forms.ModelChoiceField(
        label=_("District"), queryset=Area.objects.none(), required=False
    )
    surveyed = forms.BooleanField(label=_("Surveyed only"), required=False)

    def __init__(self, *args: Any, districts: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["district"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = districts
