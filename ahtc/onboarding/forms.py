from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ahtc.geography.models import Area
from ahtc.onboarding.models import DistrictRollout


class OnboardForm(forms.Form):
    districts = forms.ModelMultipleChoiceField(
        label=_("Districts to onboard"),
        queryset=Area.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one district."),
            "invalid_choice": _("One of the districts chosen is not yours to onboard."),
            "invalid_pk_value": _("One of the districts chosen is not yours to onboard."),
        },
    )
    head_username = forms.SlugField(
        label=_("Cell head's username (one district only)"),
        required=False,
        max_length=150,
        help_text=_("Leave empty for head_ and the district code, e.g. head_pk620."),
        error_messages={"invalid": _("Use letters, digits, dashes and underscores only.")},
    )
    head_name = forms.CharField(
        label=_("Cell head's name shown to colleagues (one district only)"),
        required=False,
        max_length=150,
    )
    cell_phone = forms.CharField(
        label=_("Cell's public phone number (one district only)"),
        required=False,
        max_length=30,
        help_text=_("Shown to citizens of the district on the help page."),
    )
    established_on = forms.DateField(
        label=_("Cell established on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for today."),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )

    def __init__(self, *args: Any, districts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["districts"]
        field.queryset = districts
        field.label_from_instance = lambda area: f"{area.name} ({area.code})"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("districts") or []
        singles = [name for name in ("head_username", "head_name", "cell_phone") if data.get(name)]
        if len(chosen) > 1 and singles:
            for name in singles:
                self.add_error(name, _("Only when one district is chosen."))
        return data


class RolloutForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = DistrictRollout
        fields = ["established_on", "live_on", "sla_urgent_hours", "sla_normal_hours"]
        widgets = {
            "established_on": forms.DateInput(attrs={"type": "date"}),
            "live_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "live_on": _("The day the cell started working in the system; empty: not live yet."),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        established, live = data.get("established_on"), data.get("live_on")
        if established and live and live < established:
            self.add_error("live_on", _("A cell cannot go live before it is established."))
        urgent, normal = data.get("sla_urgent_hours"), data.get("sla_normal_hours")
        if urgent and normal and urgent > normal:
            self.add_error(
                "sla_urgent_hours", _("Urgent reports cannot have longer than the others.")
            )
        return data
