"""No field of a public form falls back to a message of Django's own catalogue
(issue 18): those come out in English or misspelt in Urdu, and copying
Django's msgids into our catalogue does not last (makemessages drops them)."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.utils import translation

from ahtc.portal.forms import (
    MultipleFileField,
    ReceiptFileForm,
    ReceiptForm,
    ReporterReplyForm,
    ReportForm,
)

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
PUBLIC_FORMS = [ReportForm, ReceiptForm, ReporterReplyForm, ReceiptFileForm]


def django_default(field: forms.Field, key: str) -> str | None:
    """Django's English message for `key` on a field of this kind, if it has one."""
    for kind in type(field).__mro__:
        if kind.__module__.startswith("django.") and issubclass(kind, forms.Field):
            plain = kind()
            if key in plain.error_messages:
                return str(plain.error_messages[key])
    codes = {getattr(v, "code", ""): v for v in field.validators}
    return str(getattr(codes[key], "message", "")) if key in codes else None


def messages_of(form_class: type[forms.Form]) -> list[tuple[str, str, str]]:
    form = form_class()
    rows = []
    for name, field in form.fields.items():
        keys = set(field.error_messages) | {getattr(v, "code", "") for v in field.validators}
        for key in sorted(keys - {""}):
            rows.append((name, key, str(field.error_messages.get(key, ""))))
    return rows


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", PUBLIC_FORMS, ids=lambda c: c.__name__)
def test_every_message_of_a_public_form_is_our_own(form_class: type[forms.Form]) -> None:
    with translation.override("en"):
        form = form_class()
        borrowed = [
            (name, key)
            for name, key, text in messages_of(form_class)
            if not text or text == django_default(form.fields[name], key)
        ]
    assert borrowed == []


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", PUBLIC_FORMS, ids=lambda c: c.__name__)
def test_every_message_of_a_public_form_is_in_urdu(form_class: type[forms.Form]) -> None:
    with translation.override("ur"):
        english = [
            (name, key, text)
            for name, key, text in messages_of(form_class)
            if re.search("[A-Za-z]", PLACEHOLDER.sub("", text))
        ]
    assert english == []


def test_the_shared_file_field_has_its_own_messages() -> None:
    with translation.override("en"):
        ours = MultipleFileField().error_messages
        django = forms.FileField().error_messages
        assert {key for key in django if str(ours[key]) == str(django[key])} == set()


@pytest.mark.django_db
def test_a_short_description_is_explained_with_the_counts() -> None:
    with translation.override("ur"):
        form = ReportForm({"description": "پانچ حرف"})
        form.is_valid()
        assert form.errors["description"] == [
            "براہِ کرم تھوڑا اور لکھیں: کم از کم 10 حروف (آپ نے 8 لکھے ہیں)۔"
        ]
