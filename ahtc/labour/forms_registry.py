"""Forms of the registry pages: workers, advances and repayments, schemes,
notices, owners' meetings and undertakings, workshops, follow-up inspections.

Each refusal re-shows what was typed; the rules themselves (the advance
limit, dates in order, the next step of a registration) are the services'.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ahtc.geography.models import Area
from ahtc.labour.forms import DATE, InspectionForm, TehsilChoice, _not_future, _tehsils
from ahtc.labour.models import (
    Inspection,
    InspectionKind,
    OwnerMeeting,
    RepaymentMethod,
    Scheme,
    UndertakingKind,
    WageBasis,
    WorkshopKind,
)
from ahtc.people.models import Sex


def _model_field(form: forms.Form, name: str) -> forms.ModelChoiceField:  # type: ignore[type-arg]
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
    return field


class WorkerForm(forms.Form):
    name_latin = forms.CharField(label=_("Worker's name (Latin script)"), max_length=150)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    age_years = forms.IntegerField(
        label=_("Age (years)"), min_value=0, max_value=120, required=False
    )
    family_members = forms.IntegerField(
        label=_("Members of the family working there"), min_value=1, max_value=50, initial=1
    )
    written_contract = forms.BooleanField(label=_("Has a written contract"), required=False)
    literate = forms.BooleanField(label=_("Can read and write"), required=False)
    knows_minimum_wage = forms.BooleanField(
        label=_("Knows the minimum wage and labour rights"), required=False
    )
    recorded_on = forms.DateField(label=_("Recorded on"), widget=DATE)

    def clean_recorded_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("recorded_on"))


class AdvanceForm(forms.Form):
    amount = forms.IntegerField(label=_("Amount (rupees)"), min_value=1)
    given_on = forms.DateField(label=_("Given on"), widget=DATE)
    confirm_above = forms.BooleanField(
        label=_("Record it as an advance above the legal limit (a violation)"), required=False
    )

    def clean_given_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("given_on"))


class RepaymentForm(forms.Form):
    amount = forms.IntegerField(label=_("Amount (rupees)"), min_value=1)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    method = forms.ChoiceField(
        label=_("How"), choices=RepaymentMethod.choices, widget=forms.RadioSelect
    )

    def clean_paid_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("paid_on"))


class SchemeChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name_en)


class SchemeApplyForm(forms.Form):
    scheme = SchemeChoice(label=_("Scheme"), queryset=Scheme.objects.none())
    applied_on = forms.DateField(label=_("Applied on"), widget=DATE)

    def __init__(self, *args: Any, schemes: QuerySet[Scheme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_field(self, "scheme").queryset = schemes

    def clean_applied_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("applied_on"))


class SchemeStepForm(forms.Form):
    on = forms.DateField(label=_("On"), widget=DATE)

    def clean_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("on"))


class InspectionChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.inspected_on.isoformat()} — {obj.get_kind_display()}"


class PlaceInspectionForm(InspectionForm):
    """An inspection of a kiln or workshop; a follow-up names the earlier one."""

    follow_up_of = InspectionChoice(
        label=_("Follows up the inspection of"),
        queryset=Inspection.objects.none(),
        required=False,
        help_text=_("For a follow-up only."),
    )

    def __init__(self, *args: Any, earlier: QuerySet[Inspection], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_field(self, "follow_up_of").queryset = earlier

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        follow = data.get("follow_up_of")
        if data.get("kind") == InspectionKind.FOLLOW_UP and follow is None:
            self.add_error("follow_up_of", _("Choose the inspection this follows up."))
        if follow is not None and data.get("kind") != InspectionKind.FOLLOW_UP:
            self.add_error("kind", _("Only a follow-up follows up an earlier inspection."))
        return data


class NoticeForm(forms.Form):
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE)
    about = forms.CharField(
        label=_("What must be put right"),
        max_length=300,
        help_text=_("For example: pay the notified minimum wage. No names."),
    )
    comply_by = forms.DateField(label=_("Comply by"), widget=DATE)

    def clean_issued_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("issued_on"))


class NoticeCompliedForm(forms.Form):
    complied_on = forms.DateField(label=_("Complied on"), widget=DATE)

    def clean_complied_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("complied_on"))


class MeetingForm(forms.Form):
    district = forms.ModelChoiceField(label=_("District"), queryset=Area.objects.none())
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200)
    owners_present = forms.IntegerField(label=_("Owners present"), min_value=1, max_value=5000)

    def __init__(self, *args: Any, districts: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_field(self, "district").queryset = Area.objects.filter(
            pk__in=[d.pk for d in districts]
        )
        if len(districts) == 1:
            self.initial.setdefault("district", districts[0].pk)

    def clean_held_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("held_on"))


class MeetingChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.held_on.isoformat()} — {obj.place}"


WAGE_TERMS = ("basis", "base_amount", "increase_percent")


class UndertakingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Undertaking"), choices=UndertakingKind.choices, widget=forms.RadioSelect
    )
    given_on = forms.DateField(label=_("Given on"), widget=DATE)
    due_by = forms.DateField(label=_("Due by"), widget=DATE)
    meeting = MeetingChoice(
        label=_("Given at the owners' meeting of"),
        queryset=OwnerMeeting.objects.none(),
        required=False,
    )
    basis = forms.ChoiceField(
        label=_("Wage basis (a wage rise only)"),
        choices=[("", "—"), *WageBasis.choices],
        required=False,
    )
    base_amount = forms.DecimalField(
        label=_("Wage before (rupees; a wage rise only)"),
        min_value=Decimal("1"),
        max_digits=10,
        decimal_places=2,
        required=False,
    )
    increase_percent = forms.IntegerField(
        label=_("Increase (%; a wage rise only)"), min_value=1, max_value=500, required=False
    )

    def __init__(self, *args: Any, meetings: QuerySet[OwnerMeeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_field(self, "meeting").queryset = meetings

    def clean_given_on(self) -> dt.date | None:
        return _not_future(self.cleaned_data.get("given_on"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == UndertakingKind.RAISE_WAGES:
            for name in WAGE_TERMS:
                if data.get(name) in (None, ""):
                    self.add_error(
                        name, _("A wage rise needs the basis, the wage before and the percentage.")
                    )
        else:
            for name in WAGE_TERMS:
                data[name] = None if name != "basis" else ""
        return data


class WorkshopEditForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of workshop"), choices=WorkshopKind.choices)
    tehsil = TehsilChoice(label=_("Tehsil"), queryset=Area.objects.none(), required=False)
    name = forms.CharField(label=_("Trade name"), max_length=200, required=False)
    location = forms.CharField(label=_("Location"), max_length=300)

    def __init__(self, *args: Any, districts: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_field(self, "tehsil").queryset = _tehsils(districts)


class WorkshopForm(WorkshopEditForm):
    district = forms.ModelChoiceField(label=_("District"), queryset=Area.objects.none())
    owner_name = forms.CharField(label=_("Owner's name"), max_length=150)

    field_order = ["district", "tehsil", "kind", "name", "owner_name", "location"]

    def __init__(self, *args: Any, districts: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, districts=districts, **kwargs)
        _model_field(self, "district").queryset = Area.objects.filter(
            pk__in=[d.pk for d in districts]
        )
        if len(districts) == 1:
            self.initial.setdefault("district", districts[0].pk)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        district, tehsil = data.get("district"), data.get("tehsil")
        if district is not None and tehsil is not None and tehsil.parent_id != district.pk:
            self.add_error("tehsil", _("That tehsil is not in the district you chose."))
        return data
