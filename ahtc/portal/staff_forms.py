from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import User
from ahtc.portal.forms import MAX_TEXT, ReportForm, attachments_field
from ahtc.portal.models import Channel, TipCategory, TipStatus


class IntakeFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open (new or triaged)")), *TipStatus.choices],
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *TipCategory.choices]
    )

    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All")), *Channel.choices]
    )
    urgent = forms.BooleanField(label=_("Urgent only"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    reply_waiting = forms.BooleanField(label=_("Reporter's reply waiting"), required=False)
    area = forms.CharField(
        label=_("District or tehsil code"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"dir": "ltr", "size": 8}),
    )
    received_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class BulkForm(forms.Form):
    """Several reports at once: the same status (and optionally assignee) for all."""

    tips = forms.TypedMultipleChoiceField(coerce=int, choices=[])
    status = forms.ChoiceField(
        label=_("Set status of the selected reports"), choices=TipStatus.choices
    )
    case = forms.CharField(
        label=_('Case reference (for "linked to a case")'),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"dir": "ltr", "size": 18}),
    )

    def __init__(self, *args: Any, allowed_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tips"]
        assert isinstance(field, forms.TypedMultipleChoiceField)  # noqa: S101
        field.choices = [(pk, pk) for pk in allowed_ids]


class TriageForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TipStatus.choices)
    assign_to = forms.ModelChoiceField(
        label=_("Assign to"), queryset=User.objects.none(), required=False
    )
    case = forms.CharField(
        label=_('Case reference (for "linked to a case")'),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"dir": "ltr", "size": 18}),
    )

    def __init__(self, *args: Any, assignable: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if assignable is not None:
            field = self.fields["assign_to"]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
            field.queryset = assignable


class StaffReplyForm(forms.Form):
    attachments = attachments_field(_("Files for the reporter (optional)"))

    body = forms.CharField(
        label=_("Reply to the reporter"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
    )


class RecordCallForm(ReportForm):
    """A call-taker records a report on the caller's behalf."""

    attachments = None  # type: ignore[assignment]  # call-takers attach nothing

    channel = forms.ChoiceField(
        label=_("Received via"),
        choices=[
            (Channel.HELPLINE, Channel.HELPLINE.label),
            (Channel.IN_PERSON, Channel.IN_PERSON.label),
        ],
    )
