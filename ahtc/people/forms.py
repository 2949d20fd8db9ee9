from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ahtc.people.models import IdentifierKind, Sex

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonForm(forms.Form):
    name_latin = forms.CharField(label=_("Name (Latin script)"), required=False, max_length=150)
    name_urdu = forms.CharField(label=_("Name (Urdu script)"), required=False, max_length=150)
    relative_name = forms.CharField(
        label=_("Father's or husband's name"), required=False, max_length=150
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    age_years = forms.IntegerField(
        label=_("Age (years, if no date of birth)"), required=False, min_value=0, max_value=120
    )
    reason = forms.CharField(
        label=_("Why the change"),
        help_text=_("E.g. 'spelling corrected from the CNIC'. The earlier values are kept."),
        max_length=300,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("name_latin") or data.get("name_urdu")):
            raise forms.ValidationError(_("Give the name in either script."))
        return data


REASON_HELP = _("E.g. 'second phone number given in the statement'. The earlier list is kept.")


class IdentifierAddForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IdentifierKind.choices)
    value = forms.CharField(label=_("Number"), max_length=40)
    reason = forms.CharField(label=_("Why"), help_text=REASON_HELP, max_length=300)


class AliasAddForm(forms.Form):
    name = forms.CharField(label=_("Other name used"), max_length=150)
    reason = forms.CharField(label=_("Why"), help_text=REASON_HELP, max_length=300)
