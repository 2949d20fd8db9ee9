from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ahtc.geography.models import Area
from ahtc.surveys.models import ReviewStatus, Sensitivity


class InstrumentImportForm(forms.Form):
    file = forms.FileField(
        label=_("XLSForm file"),
        help_text=_("A .xlsx, .xls, .csv or .md XLSForm, up to 5 MB."),
    )
    sensitivity = forms.ChoiceField(
        label=_("Sensitivity of the answers"),
        choices=Sensitivity.choices,
        initial=Sensitivity.ORDINARY,
        help_text=_(
            "Sensitive and highest: answers are encrypted and fewer people may read them "
            "(docs/surveys.md)."
        ),
    )


class ExportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Export file"),
        help_text=_(
            "KoboToolbox XLSX, JSON or CSV export, or an ODK Central ZIP (CSV files), up to 50 MB."
        ),
    )
    district = forms.ModelChoiceField(label=_("District"), queryset=Area.objects.none())

    def __init__(self, *args: Any, districts: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["district"]
        field.queryset = districts  # type: ignore[attr-defined]
        if districts.count() == 1:
            field.initial = districts.first()


class ReviewForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ReviewStatus.APPROVED, ReviewStatus.APPROVED.label),
            (ReviewStatus.ON_HOLD, ReviewStatus.ON_HOLD.label),
            (ReviewStatus.REJECTED, ReviewStatus.REJECTED.label),
            (ReviewStatus.RECEIVED, _("back to received")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Why (needed to hold or reject)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StatusFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Review"),
        choices=[("", _("all")), *ReviewStatus.choices],
        required=False,
    )
