from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ahtc.geography.models import Area
from ahtc.monitoring.indicators import CATALOGUE, DIMENSIONS, indicator_def
from ahtc.monitoring.periods import Period, PeriodError, period_parse


def _area_label(area: Area) -> str:
    label = f"{'  ' * max(area.depth - 1, 0)}{area.name} ({area.code})"
    if area.valid_to:
        label += " – " + str(_("until %(day)s") % {"day": area.valid_to.isoformat()})
    return label


class ExploreForm(forms.Form):
    """What to show: read from the query string, so a view can be bookmarked."""

    indicator = forms.ChoiceField(label=_("Indicator"))
    area = forms.ChoiceField(label=_("Area"))
    period = forms.CharField(
        label=_("Period"),
        max_length=12,
        help_text=_("A month (2025-07), two months (2025B4), a quarter (2025Q3) or FY2025-26."),
    )
    by = forms.ChoiceField(label=_("Break down by"), required=False)

    def __init__(self, *args: Any, areas: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["indicator"]).choices = [
            (i.code, i.name if i.is_active else f"{i.name} ({_('pending')})") for i in CATALOGUE
        ]
        cast(forms.ChoiceField, self.fields["area"]).choices = [
            (a.code, _area_label(a)) for a in areas
        ]
        cast(forms.ChoiceField, self.fields["by"]).choices = [("", _("no breakdown"))] + [
            (d.code, d.label) for d in DIMENSIONS.values()
        ]

    def clean_period(self) -> Period:
        try:
            return period_parse(self.cleaned_data["period"])
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code, by = data.get("indicator"), data.get("by")
        if code and by and by not in indicator_def(code).disaggregations:
            self.add_error("by", _("This indicator cannot be broken down that way."))
        period = data.get("period")
        kinds = indicator_def(code).period_kinds if code else ()
        if isinstance(period, Period) and kinds and period.kind not in kinds:
            self.add_error("period", _("This indicator is not reported for that period."))
        return data


class TargetForm(forms.Form):
    """A target for one indicator in one area and period, with its baseline."""

    indicator = forms.ChoiceField(label=_("Indicator"))
    area = forms.ChoiceField(label=_("Area"))
    period = forms.CharField(
        label=_("Period"),
        max_length=12,
        help_text=_("A month (2025-07), two months (2025B4), a quarter (2025Q3) or FY2025-26."),
    )
    value = forms.DecimalField(
        label=_("Target"), min_value=Decimal(0), max_digits=14, decimal_places=2
    )
    baseline_value = forms.DecimalField(
        label=_("Baseline"),
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        help_text=_("The value measured before, to compare against."),
    )
    baseline_date = forms.DateField(
        label=_("Baseline measured on"),
        required=False,
        help_text=_("For example 2025-06-30."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    baseline_period = forms.CharField(
        label=_("Period the baseline describes"),
        max_length=12,
        required=False,
        help_text=_("For example FY2024-25."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, areas: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["indicator"]).choices = [
            (i.code, i.name) for i in CATALOGUE if i.is_active
        ]
        cast(forms.ChoiceField, self.fields["area"]).choices = [
            (a.code, _area_label(a)) for a in areas
        ]
        for name in ("period", "baseline_period"):
            self.fields[name].widget.attrs["dir"] = "ltr"

    def clean_period(self) -> str:
        return _period_code(self.cleaned_data["period"])

    def clean_baseline_period(self) -> str:
        raw = self.cleaned_data["baseline_period"]
        return _period_code(raw) if raw else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code, period = data.get("indicator"), data.get("period")
        if code and period and period_parse(period).kind not in indicator_def(code).period_kinds:
            self.add_error("period", _("This indicator is not reported for that period."))
        return data


def _period_code(raw: str) -> str:
    try:
        return period_parse(raw).code
    except PeriodError as exc:
        raise forms.ValidationError(str(exc)) from exc
