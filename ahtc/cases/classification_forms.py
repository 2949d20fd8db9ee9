"""The classification assistant's forms: the facts (yes / no / not known) and
the decision with its reasons (cases/classification)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ahtc.cases import classification as c
from ahtc.cases.countries import COUNTRIES
from ahtc.cases.fields import ProvisionsField
from ahtc.cases.models import LegalProvision
from ahtc.people.models import Sex


def _multi(label: Any, choices: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class ClassificationForm(forms.Form):
    """The officer's answers for one victim: every fact yes, no or not known
    (ahtc/cases/classification/facts.py), and the victim's age, sex (HTCDS),
    nationality and Pakistan's place on the route. What the case already holds
    (route, ages, money paid) comes in as initial values for the officer to confirm."""

    age_years = forms.IntegerField(
        label=_("Age of the victim (years)"), required=False, min_value=0, max_value=120
    )
    age_evidence = forms.ChoiceField(
        label=_("Evidence of age"), choices=c.AgeEvidence.choices, initial=c.AgeEvidence.NONE
    )
    sex = forms.ChoiceField(label=_("Sex or gender"), choices=Sex.choices, initial=Sex.UNKNOWN)
    nationality = forms.ChoiceField(
        label=_("Nationality"), choices=[("", _("not known")), *COUNTRIES], required=False
    )
    direction = forms.MultipleChoiceField(
        label=_("Pakistan's place on the route"),
        choices=c.Direction.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    money_paid_pkr = forms.IntegerField(
        label=_("Money paid (PKR)"), required=False, min_value=0, max_value=10**12
    )
    route = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)

    VICTIM_FIELDS = (
        "age_years",
        "age_evidence",
        "sex",
        "nationality",
        "direction",
        "money_paid_pkr",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for fact in c.FACTS:
            self.fields[fact.key] = forms.ChoiceField(
                label=fact.label,
                choices=c.Tri.choices,
                initial=c.Tri.UNKNOWN,
                required=False,
            )

    def fieldsets(self) -> list[tuple[Any, list[Any]]]:
        """The form in groups, for <fieldset> and <legend>."""
        sets: list[tuple[Any, list[Any]]] = [
            (_("The victim"), [self[name] for name in self.VICTIM_FIELDS])
        ]
        for group, legend in c.GROUPS.items():
            sets.append((legend, [self[f.key] for f in c.FACTS if f.group == group]))
        return sets

    def answers(self, *, offence_date: Any = None) -> c.Answers:
        data = self.cleaned_data
        facts = {
            f.key: data.get(f.key) or c.Tri.UNKNOWN
            for f in c.FACTS
            if (data.get(f.key) or c.Tri.UNKNOWN) != c.Tri.UNKNOWN
        }
        route = [x for x in (data.get("route") or "").split(",") if x]
        return c.Answers(
            facts=facts,
            age_years=data.get("age_years"),
            age_evidence=data.get("age_evidence") or c.AgeEvidence.NONE,
            sex=data.get("sex") or Sex.UNKNOWN,
            nationality=data.get("nationality") or "",
            direction=set(data.get("direction") or []),
            route=route,
            offence_date=offence_date,
            money_paid_pkr=data.get("money_paid_pkr"),
        )

    @staticmethod
    def initial_from(answers: c.Answers) -> dict[str, Any]:
        return {
            **answers.facts,
            "age_years": answers.age_years,
            "age_evidence": answers.age_evidence,
            "sex": answers.sex,
            "nationality": answers.nationality,
            "direction": sorted(answers.direction),
            "money_paid_pkr": answers.money_paid_pkr,
            "route": ",".join(answers.route),
        }


class DecisionForm(forms.Form):
    """Only charges in force are offered; a different choice needs a reason
    (`services.classification_decide` says which departure it was)."""

    classification = forms.ChoiceField(
        label=_("Your classification"),
        choices=[x for x in c.Classification.choices if x[0] != c.Classification.OTHER],
    )
    agency = forms.ChoiceField(label=_("Competent agency"), choices=c.Agency.choices)
    provisions = ProvisionsField(label=_("Sections"), queryset=LegalProvision.objects.none())
    override_reason = forms.CharField(
        label=_("Reason, if you depart from the suggestion"),
        help_text=_(
            "Needed when you change the classification or the agency, leave out a "
            "suggested section, or go back on an earlier reasoned decision."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, provisions: QuerySet[LegalProvision], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provisions"].queryset = provisions  # type: ignore[attr-defined]
        self.fields["provisions"].required = False
