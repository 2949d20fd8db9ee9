"""Forms of the committee pages: members, meetings, action items, the report."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import Organisation
from ahtc.monitoring.models import ActionStatus, CommitteeMember, MemberRole
from ahtc.monitoring.reports import CHECKS

DATE = forms.DateInput(attrs={"type": "date"})


class MemberForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Agency"))
    post = forms.CharField(label=_("Post (e.g. Deputy Commissioner)"), max_length=150)
    name = forms.CharField(label=_("Name of the post holder"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role on the committee"), choices=MemberRole.choices)

    def __init__(self, *args: Any, agencies: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            "forms.ModelChoiceField[Organisation]", self.fields["organisation"]
        ).queryset = agencies


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the meeting"), widget=DATE)
    agenda = forms.CharField(label=_("Agenda"), max_length=4000, widget=forms.Textarea)
    minutes = forms.CharField(
        label=_("Minutes"), max_length=20000, widget=forms.Textarea, required=False
    )
    attendees = forms.ModelMultipleChoiceField(
        queryset=CommitteeMember.objects.none(),
        label=_("Present"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, members: QuerySet[CommitteeMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            "forms.ModelMultipleChoiceField[CommitteeMember]", self.fields["attendees"]
        ).queryset = members


class ActionForm(forms.Form):
    decision = forms.CharField(label=_("Decision"), max_length=2000, widget=forms.Textarea)
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Agency responsible")
    )
    assignee = forms.CharField(label=_("Person responsible (post)"), max_length=150)
    due = forms.DateField(label=_("Due"), widget=DATE)

    def __init__(self, *args: Any, agencies: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            "forms.ModelChoiceField[Organisation]", self.fields["organisation"]
        ).queryset = agencies


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    evidence = forms.CharField(
        label=_("Evidence of what was done"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    due = forms.DateField(label=_("Due"), widget=DATE, required=False)


class NarrativeForm(forms.Form):
    challenges = forms.CharField(
        label=_("Challenges"), max_length=8000, widget=forms.Textarea, required=False
    )
    decisions = forms.CharField(
        label=_("Decisions taken"), max_length=8000, widget=forms.Textarea, required=False
    )
    requests = forms.CharField(
        label=_("Requests to the province"), max_length=8000, widget=forms.Textarea, required=False
    )

    def __init__(self, *args: Any, failing: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for check in CHECKS:
            if check.code in (failing or []):
                self.fields[f"explain_{check.code}"] = forms.CharField(
                    label=_("Why: %(check)s") % {"check": check.text},
                    max_length=1000,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def explanations(self) -> dict[str, str]:
        return {
            name.removeprefix("explain_"): str(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("explain_")
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportOpenForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        max_length=12,
        help_text=_("A month (2025-07) or two months (2025B4 for July and August)."),
    )
