from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import Organisation, OrganisationKind
from ahtc.accounts.roles import Role
from ahtc.geography.models import Area


class SignInForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    # Bounded, so an oversized password is a form error and never reaches the
    # (deliberately slow) password hasher.
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("Six digits. Leave empty only on your first sign-in, before you enrol."),
        required=False,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )

    def clean_otp_token(self) -> str:
        token = "".join(self.cleaned_data["otp_token"].split())
        if token and not token.isdigit():
            raise forms.ValidationError(_("The code has digits only."))
        return token


class TokenForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Six-digit code"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )

    def clean_otp_token(self) -> str:
        token = "".join(self.cleaned_data["otp_token"].split())
        if not token.isdigit():
            raise forms.ValidationError(_("The code has digits only."))
        return token


class EnrolmentCodeForm(forms.Form):
    enrolment_code = forms.CharField(
        label=_("Enrolment code"),
        help_text=_("From your administrator, for example ABCD-EFGH-JKLM-NPQR."),
        max_length=64,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters", "dir": "ltr"}
        ),
    )


# --- administration (issue 11) ---------------------------------------------------------

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _area_label(area: Any) -> str:
    return f"{area.name} ({area.get_level_display()}, {area.code})"


class AreaChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return _area_label(obj)


class AreasChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return _area_label(obj)


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_ur = forms.CharField(label=_("Name (Urdu)"), max_length=200, required=False)
    area = AreaChoiceField(label=_("Home area"), queryset=Area.objects.none())
    areas_served = AreasChoiceField(
        label=_("Further areas served"),
        help_text=_("Only where it serves beyond its home area, e.g. an FIA circle."),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    contact_person = forms.CharField(
        label=_("Contact person or office"), max_length=150, required=False
    )
    phone = forms.CharField(label=_("Office phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Office email"), required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)

    def __init__(self, *args: Any, areas: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["areas_served"].queryset = areas  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"), max_length=300, required=False
    )


class RequiredReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DatesMixin(forms.Form):
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=DATE_INPUT, help_text=_("Empty: from today.")
    )
    valid_to = forms.DateField(
        label=_("Last day"), required=False, widget=DATE_INPUT, help_text=_("Empty: no end.")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The last day comes before the first day."))
        return data


class GrantForm(DatesMixin):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    area = AreaChoiceField(label=_("Area"), queryset=Area.objects.none())

    field_order = ["role", "area", "valid_from", "valid_to"]

    def __init__(self, *args: Any, areas: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]


class PasswordField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_("Password"),
            help_text=_("Leave empty to generate a strong one, shown once."),
            required=False,
            strip=False,
            max_length=1024,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            **kwargs,
        )


class UserCreateForm(GrantForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        widget=forms.TextInput(attrs={"autocapitalize": "none", "dir": "ltr"}),
    )
    display_name = forms.CharField(label=_("Name shown to colleagues"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    password = PasswordField()

    field_order = [
        "username",
        "display_name",
        "email",
        "organisation",
        "role",
        "area",
        "valid_from",
        "valid_to",
        "password",
    ]

    def __init__(
        self, *args: Any, areas: QuerySet[Area], organisations: QuerySet[Organisation], **kw: Any
    ) -> None:
        super().__init__(*args, areas=areas, **kw)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class UserEditForm(forms.Form):
    display_name = forms.CharField(label=_("Name shown to colleagues"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("Only the provincial administrator moves users between organisations."),
    )

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class PasswordResetForm(forms.Form):
    password = PasswordField()
