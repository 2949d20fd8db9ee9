from __future__ import annotations

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
