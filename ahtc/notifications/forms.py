from __future__ import annotations

from typing import Any

import phonenumbers
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ahtc.notifications.models import Timing


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=_("Email me"), required=False)
    sms = forms.BooleanField(label=_("Send me an SMS"), required=False)
    sms_number = forms.CharField(
        label=_("Mobile number for SMS"),
        required=False,
        max_length=20,
        help_text=_("For example 0300 1234567."),
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel", "autocomplete": "tel"}),
    )
    timing = forms.ChoiceField(
        label=_("When"), choices=Timing.choices, widget=forms.RadioSelect, initial=Timing.IMMEDIATE
    )
    language = forms.ChoiceField(label=_("Language of emails and SMS"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, has_email: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_email = has_email

    def clean_sms_number(self) -> str:
        raw = str(self.cleaned_data.get("sms_number") or "").strip()
        if not raw:
            return ""
        try:
            number = phonenumbers.parse(raw, "PK")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(_("This is not a valid mobile number."))
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("sms") and not data.get("sms_number") and "sms_number" not in self.errors:
            self.add_error("sms_number", _("Give the number to send SMS to."))
        if data.get("email") and not self.has_email:
            self.add_error(
                "email",
                _("Your account has no email address; ask your administrator to add one."),
            )
        return data
