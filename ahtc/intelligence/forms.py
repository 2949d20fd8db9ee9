from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ahtc.intelligence.graph import LinkKind

MAX_EXPANDED = 20


class NetworkFilter(forms.Form):
    depth = forms.TypedChoiceField(
        label=_("Steps from the person"),
        choices=[(1, _("1 (direct links)")), (2, _("2 (links of links)"))],
        coerce=int,
        initial=2,
        required=False,
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of link"),
        choices=LinkKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expand = forms.CharField(required=False, widget=forms.HiddenInput, max_length=400)

    def clean_expand(self) -> list[int]:
        raw = self.cleaned_data.get("expand") or ""
        parts = [p for p in raw.split(",") if p.strip()]
        if not all(p.strip().isdigit() for p in parts):
            raise forms.ValidationError(_("The people to expand are not valid."))
        ids = sorted({int(p) for p in parts})
        if len(ids) > MAX_EXPANDED:
            raise forms.ValidationError(
                _("Expand at most %(max)d people at once.") % {"max": MAX_EXPANDED}
            )
        return ids

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end date is before the start date."))
        return data

    def values(self) -> dict[str, Any]:
        """The filter as given, or the defaults where a value is missing or bad."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "depth": data.get("depth") or 2,
            "kinds": data.get("kinds") or None,
            "start": data.get("start"),
            "end": data.get("end"),
            "expand": data.get("expand") or [],
        }


class PathForm(forms.Form):
    to = forms.TypedChoiceField(label=_("Shortest path to"), coerce=int)


class WatchAddForm(forms.Form):
    reason = forms.CharField(
        label=_("Why this person is watched"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    undertakings = forms.CharField(
        label=_("Warnings given and undertakings made when questioned"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    owner = forms.TypedChoiceField(label=_("Owning officer"), coerce=int)


class WatchRemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why this person is taken off the watchlist"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
