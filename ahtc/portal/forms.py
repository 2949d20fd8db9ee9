from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ahtc.geography.choices import tehsil_optgroups, tehsils_by_district
from ahtc.geography.models import Area, AreaLevel
from ahtc.portal.antispam import challenge_bits, challenge_new
from ahtc.portal.files import MAX_FILE_BYTES, MAX_FILES, CleanFile, FileRejectedError, clean_upload
from ahtc.portal.models import ChildInvolved, TipCategory
from ahtc.portal.receipts import CODE_DIGITS, normalise_code

MAX_TEXT = 4000


CHOICES_SECONDS = 300


_CHOICES: dict[str, tuple[float, Any]] = {}


def area_caches_clear() -> None:
    """Forget cached areas now (after an import; tests that recreate areas)."""
    _CHOICES.clear()


def _cached(name: str, build: Callable[[], Any]) -> Any:
    """Area choices change rarely; build them once per process and language
    every few minutes. Kept in process memory: a shared cache would pickle
    184 choices on every request, which cost more than building them."""
    key = f"{name}:{get_language()}"
    now = time.monotonic()
    hit = _CHOICES.get(key)
    if hit is None or now - hit[0] > CHOICES_SECONDS:
        hit = (now, build())
        _CHOICES[key] = hit
    return hit[1]


def district_choices() -> list[tuple[Any, Any]]:
    choices: list[tuple[Any, Any]] = _cached("district", _district_choices)
    return choices


def tehsil_choices() -> list[tuple[Any, Any]]:
    choices: list[tuple[Any, Any]] = _cached("tehsil", _tehsil_choices)
    return choices


def reportable_areas() -> dict[str, Area]:
    """Current districts and tehsils by code (process memory, like the choices)."""
    areas: dict[str, Area] = _cached("areas", _reportable_areas)
    return areas


def _reportable_areas() -> Any:
    levels = [AreaLevel.DISTRICT, AreaLevel.TEHSIL]
    return {a.code: a for a in Area.objects.current().filter(level__in=levels)}


def _district_choices() -> list[tuple[Any, Any]]:
    districts = Area.objects.current().of_level(AreaLevel.DISTRICT).order_by("name_en")
    return [("", str(_("Choose the district"))), *((d.code, d.name) for d in districts)]


def _tehsil_choices() -> list[tuple[Any, Any]]:
    return [("", str(_("Not sure"))), *tehsil_optgroups(tehsil_groups())]


def tehsil_groups() -> dict[str, tuple[str, list[tuple[str, str]]]]:
    groups: dict[str, tuple[str, list[tuple[str, str]]]] = _cached("groups", tehsils_by_district)
    return groups


def tehsil_choices_for(district_code: str | None) -> list[tuple[Any, Any]]:
    """The tehsils of the chosen district only, once one is chosen (a form
    shown again keeps them narrowed without JavaScript); all, grouped, before."""
    if not district_code or district_code not in tehsil_groups():
        return tehsil_choices()
    return [("", str(_("Not sure"))), *tehsil_optgroups(tehsil_groups(), district_code)]


# Every message a public field can show is our own msgid: Django's catalogue
# words some only in English ("Ensure this value has at least ...") and
# misspells others in Urdu, and copying its msgids into ours does not last
# (makemessages drops them). ahtc/portal/tests/test_urdu_forms.py checks that
# no field of a public form falls back to a Django message.
TOO_LONG = _("This is too long: at most %(limit_value)d characters.")
CHOOSE_LISTED = _("Choose one of the answers shown.")
RELOAD = _("Please reload the page and try again.")


def public_messages(required: Any, **more: Any) -> dict[str, Any]:
    """Messages of one public field: what to do when it is empty, and our own
    wording for everything else it can say."""
    return {
        "required": required,
        "max_length": TOO_LONG,
        "invalid": RELOAD,
        "invalid_choice": CHOOSE_LISTED,
        "null_characters_not_allowed": _(
            "This box holds a character that cannot be kept. Remove it and try again."
        ),
        **more,
    }


HIDDEN = public_messages(RELOAD)


class MultipleFileInput(forms.ClearableFileInput):
    """Carries the limits and their messages for static/ahtc/files.js, which
    checks chosen files before anything is sent."""

    allow_multiple_selected = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        limits = {
            "data-max-files": MAX_FILES,
            "data-max-bytes": MAX_FILE_BYTES,
            "data-msg-too-many": _("Send at most 3 files."),
            "data-msg-too-large": _(
                "Each file must be smaller than 8 MB. Choose a smaller file, or send "
                "the report without it; nothing you typed is lost."
            ),
        }
        super().__init__({**limits, **(attrs or {})})


class BoundedEcho:
    """A value longer than its field allows is cut to one character past the
    limit before it is checked or shown back: the person is told it is too
    long, and the page never grows with what was sent (a 1 MB receipt code
    used to come back in a 1 MB page)."""

    fields: dict[str, forms.Field]
    data: Any
    is_bound: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if getattr(field, "max_length", None):
                field.error_messages["max_length"] = TOO_LONG
        if not self.is_bound:
            return
        data = self.data.copy()
        for name, field in self.fields.items():
            limit = getattr(field, "max_length", None)
            value = data.get(name)
            if limit and isinstance(value, str) and len(value) > limit:
                data[name] = value[: limit + 1]
        self.data = data


CHOOSE_AGAIN = _("Everything else you wrote is kept below; choose the files again.")


class MultipleFileField(forms.FileField):
    default_error_messages = {
        "required": _("Choose a file."),
        "invalid": _("The file could not be read. Choose it again."),
        "missing": _("The file could not be read. Choose it again."),
        "empty": _("This file is empty. Choose another file."),
        "max_length": _("The file name is too long. Rename the file and choose it again."),
        "contradiction": _("Choose a file, or leave the box empty."),
    }

    def clean(self, data: Any, initial: Any = None) -> list[CleanFile]:
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        if len(uploads) > MAX_FILES:
            raise forms.ValidationError(_("Send at most 3 files."))
        cleaned = []
        for upload in uploads:
            try:
                cleaned.append(clean_upload(upload))
            except FileRejectedError as exc:
                raise forms.ValidationError(f"{exc} {CHOOSE_AGAIN}") from exc
        return cleaned


class ReportForm(BoundedEcho, forms.Form):
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=64, error_messages=HIDDEN)
    pow_challenge = forms.CharField(
        widget=forms.HiddenInput, max_length=100, required=False, error_messages=HIDDEN
    )
    pow_nonce = forms.CharField(
        widget=forms.HiddenInput, max_length=12, required=False, error_messages=HIDDEN
    )
    category = forms.ChoiceField(
        label=_("What happened?"),
        choices=TipCategory.choices,
        widget=forms.RadioSelect,
        error_messages=public_messages(_("Choose what happened.")),
    )
    # Plain fields with select widgets: the codes are checked in clean() against
    # cached areas, which is much cheaper than ChoiceField re-normalising 184
    # choices on every request.
    district = forms.CharField(
        label=_("District where it happened"),
        widget=forms.Select,
        error_messages=public_messages(_("Choose the district where it happened.")),
    )
    tehsil = forms.CharField(
        label=_("Tehsil (if you know)"),
        required=False,
        widget=forms.Select,
        error_messages=public_messages(_("Choose a tehsil from the list.")),
    )
    place = forms.CharField(
        label=_("Place: village, street, kiln or shop (if you know)"),
        required=False,
        max_length=300,
        error_messages=public_messages(_("Write the place, or leave the box empty.")),
    )
    when = forms.CharField(
        label=_("When did it happen?"),
        required=False,
        max_length=100,
        error_messages=public_messages(_("Write when it happened, or leave the box empty.")),
    )
    description = forms.CharField(
        label=_("Tell us what happened"),
        widget=forms.Textarea(attrs={"rows": 5}),
        min_length=10,
        max_length=MAX_TEXT,
        error_messages=public_messages(
            _("Tell us in a few words what happened."),
            min_length=_(
                "Please write a little more: at least %(limit_value)d characters "
                "(you wrote %(show_value)d)."
            ),
        ),
    )
    involved = forms.CharField(
        label=_("Who is involved? Names, phone numbers, agency names (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_TEXT,
        error_messages=public_messages(_("Write who is involved, or leave the box empty.")),
    )
    child_involved = forms.ChoiceField(
        label=_("Is a child (under 18) involved?"),
        choices=ChildInvolved.choices,
        widget=forms.RadioSelect,
        error_messages=public_messages(_("Choose yes, no or don't know.")),
    )
    danger_now = forms.BooleanField(
        label=_("Someone is in danger right now"),
        required=False,
        error_messages=public_messages(_("Tick the box if someone is in danger right now.")),
    )
    attachments = MultipleFileField(
        label=_("Photos, documents or voice notes (optional, up to 3, 8 MB each)"),
        help_text=_("Location and camera details are removed from photos."),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*,application/pdf,audio/*"}),
    )
    contact = forms.CharField(
        label=_("Your phone or how to reach you (only if you want us to contact you)"),
        required=False,
        max_length=200,
        error_messages=public_messages(_("Write how to reach you, or leave the box empty.")),
    )

    error_messages = {"tehsil": _("That tehsil is not in the district you chose.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = self.data.get("district") if self.is_bound else self.initial.get("district")
        tehsils = tehsil_choices_for(str(chosen or ""))
        for name, choices in (("district", district_choices()), ("tehsil", tehsils)):
            widget = self.fields[name].widget
            assert isinstance(widget, forms.Select)  # noqa: S101 - narrows the type
            widget.choices = choices
        if not self.is_bound:
            self.initial.setdefault("client_token", uuid.uuid4().hex)
            self.initial.setdefault("pow_challenge", challenge_new())

    @property
    def pow_bits(self) -> int:
        """The difficulty of the challenge in this form (for static/ahtc/pow.js)."""
        if self.is_bound:
            return challenge_bits(str(self.data.get("pow_challenge") or ""))
        return challenge_bits(str(self.initial.get("pow_challenge") or ""))

    def submission(self) -> dict[str, Any]:
        """The cleaned report as keyword arguments for `tip_submit`."""
        data = self.cleaned_data
        names = ["client_token", "category", "description", "child_involved", "danger_now"]
        names += ["place", "when", "involved", "contact"]
        kwargs = {name: data[name] for name in names}
        kwargs.update(district=data["district_area"], tehsil=data["tehsil_area"])
        if data.get("attachments"):
            kwargs["files"] = data["attachments"]
        return kwargs

    def clean_client_token(self) -> str:
        token = str(self.cleaned_data["client_token"])
        if not token.isalnum() or not 16 <= len(token) <= 64:
            raise forms.ValidationError(RELOAD)
        return token

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        areas = reportable_areas()
        district = areas.get(data.get("district") or "")
        tehsil = areas.get(data.get("tehsil") or "")
        if data.get("district") and (district is None or district.level != AreaLevel.DISTRICT):
            self.add_error("district", _("Choose a district from the list."))
        if data.get("tehsil") and (tehsil is None or tehsil.level != AreaLevel.TEHSIL):
            self.add_error("tehsil", _("Choose a tehsil from the list."))
        elif tehsil is not None and district is not None and tehsil.parent_id != district.pk:
            self.add_error("tehsil", self.error_messages["tehsil"])
        data["district_area"], data["tehsil_area"] = district, tehsil
        return data


class ReceiptForm(BoundedEcho, forms.Form):
    code = forms.CharField(
        label=_("Your 16-digit receipt code"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "dir": "ltr"}),
        error_messages=public_messages(_("Type the 16-digit receipt code you were given.")),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if len(code) != CODE_DIGITS:
            raise forms.ValidationError(_("The receipt code has 16 digits."))
        return code


def attachments_field(label: Any) -> MultipleFileField:
    return MultipleFileField(
        label=label,
        help_text=_(
            "Up to 3 files, 8 MB each. Location and camera details are removed from photos."
        ),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*,application/pdf,audio/*"}),
    )


class ReporterReplyForm(ReceiptForm):
    body = forms.CharField(
        label=_("Your message to the cell"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
        error_messages=public_messages(_("Write your message before sending it.")),
    )
    attachments = attachments_field(_("Add photos, documents or voice notes (optional)"))


class ReceiptFileForm(ReceiptForm):
    file_id = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages=public_messages(RELOAD, max_value=RELOAD, min_value=RELOAD),
    )
