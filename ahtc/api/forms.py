"""Issuing an API token from the workspace (cell/views.py: user_tokens)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ahtc.api.models import ApiScope

LIFETIMES = (30, 90, 180, 365)


def lifetime_choices() -> list[tuple[int, str]]:
    days = sorted({*LIFETIMES, settings.AHTC_API_TOKEN_DAYS})
    label = ngettext_lazy("%(days)d day", "%(days)d days", "days")
    return [(n, label % {"days": n}) for n in days]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Used by (the partner system)"),
        max_length=100,
        help_text=_("For example: SMS gateway of the helpline, FIA case system."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the token may do"),
        choices=ApiScope.choices,
        initial=[ApiScope.READ],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing the token may do.")},
        help_text=_(
            "Within these, the user's roles decide what the system may read or change, "
            "as for the user themselves."
        ),
    )
    days = forms.TypedChoiceField(
        label=_("Expires after"), coerce=int, choices=lifetime_choices, initial=90
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = settings.AHTC_API_TOKEN_DAYS

    def clean_scopes(self) -> list[str]:
        scopes: list[str] = self.cleaned_data["scopes"]
        if ApiScope.REPORTS_SUBMIT in scopes and len(scopes) > 1:
            # A gateway's token is handed to a system outside the cell: it
            # should open nothing but the report intake.
            raise forms.ValidationError(
                _("A token that sends reports may do nothing else: choose it alone.")
            )
        return scopes
