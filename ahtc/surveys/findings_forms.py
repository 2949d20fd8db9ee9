"""The reviewer's forms for matching a submission to the registries."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ahtc.agencies.models import Agency, AgencyKind, AgencyStatus
from ahtc.labour.models import BrickKiln, KilnSeason


class KilnChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        place = obj.tehsil.name if obj.tehsil else ""
        return " · ".join(p for p in (obj.reference, obj.name, place, obj.location) if p)


class AgencyChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        place = obj.tehsil.name if obj.tehsil else ""
        return " · ".join(p for p in (obj.name_en, place, obj.address) if p)


class ChooseKilnForm(forms.Form):
    kiln = KilnChoice(label=_("Kiln in the registry"), queryset=BrickKiln.objects.none())

    def __init__(self, *args: Any, kilns: QuerySet[BrickKiln], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kiln"].queryset = kilns  # type: ignore[attr-defined]


class ChooseAgencyForm(forms.Form):
    agency = AgencyChoice(label=_("Agency in the registry"), queryset=Agency.objects.none())

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


class NewKilnForm(forms.Form):
    name = forms.CharField(label=_("Trade name"), max_length=200, required=False)
    owner_name = forms.CharField(label=_("Owner's name"), max_length=200)
    location = forms.CharField(label=_("Location"), max_length=300)
    season = forms.ChoiceField(
        label=_("Season"), choices=KilnSeason.choices, initial=KilnSeason.DRY_SEASON
    )
    labour_registration = forms.CharField(
        label=_("Registration with the Labour Department"), max_length=60, required=False
    )


class NewAgencyForm(forms.Form):
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgencyKind.choices)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (AgencyStatus.UNREGISTERED, AgencyStatus.UNREGISTERED.label),
            (AgencyStatus.LICENSED, AgencyStatus.LICENSED.label),
        ],
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
