"""Classification: the questions, the explained suggestion and the decision."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ahtc.accounts.decorators import refused, staff_view
from ahtc.cases import forms as f
from ahtc.cases import services as s
from ahtc.cases.classification import (
    Agency,
    AgencyReason,
    Answers,
    Classification,
    Flag,
    Review,
    Suggestion,
    Tri,
    reason_label,
)
from ahtc.cases.models import PROTECTED_ROLES, Case, LegalProvision, Party
from ahtc.cases.services.classification import case_suggestion
from ahtc.cases.views._common import CASE_WORK, _detail_url, _load


def _victims(case: Case) -> list[Party]:
    return list(
        case.parties.filter(role__in=[str(r) for r in PROTECTED_ROLES])
        .select_related("person", "case")
        .order_by("number")
    )


def _chosen_victim(request: HttpRequest, victims: list[Party]) -> tuple[bool, Party | None]:
    """The victim this decision is for (`victim` in the query or the form), None
    for the case as a whole; False first if the number names no victim here."""
    raw = (request.POST.get("victim") or request.GET.get("victim") or "").strip()
    if not raw:
        return True, None
    victim = next((v for v in victims if str(v.number) == raw), None)
    return victim is not None, victim


def _from_case(case: Case, victim: Party | None) -> dict[str, Any]:
    """What the case already holds (route, the victim's age and sex, money
    paid), offered as answers for the officer to confirm. For the case as a
    whole the first victim's age and sex are offered."""
    route = s.case_route(case)
    initial: dict[str, Any] = {"route": ",".join(route)}
    if any(c != "PK" for c in route):
        initial |= {"crossed_border": Tri.YES, "travel_happened": Tri.YES}
        if route and route[0] == "PK":
            initial["direction"] = ["source"]
    paid = sum(e.amount_pkr or 0 for e in case.events.all())
    if paid:
        initial["money_paid_pkr"] = paid
    if victim is None:
        victim = (
            case.parties.filter(role__in=[str(r) for r in PROTECTED_ROLES], person__isnull=False)
            .select_related("person")
            .order_by("number")
            .first()
        )
    if victim is not None and victim.person is not None:
        initial["age_years"] = victim.person.age_years
        initial["sex"] = victim.person.sex
    return initial


def explain(suggestion: Suggestion, provisions: dict[str, LegalProvision]) -> dict[str, Any]:
    """The suggestion in words: each section with the facts that triggered it."""
    charges = [
        {"provision": provisions[c], "because": [reason_label(r) for r in reasons]}
        for c, reasons in suggestion.because.items()
        if c in provisions
    ]
    return {
        "label": Classification(suggestion.classification).label,
        "agency": Agency(suggestion.agency).label,
        "charges": charges,
        "notes": [provisions[c] for c in suggestion.notes if c in provisions],
        "review": [Review(r).label for r in suggestion.review if r in Review.values],
        "flags": [Flag(x).label for x in suggestion.flags if x in Flag.values],
        "agency_reason": AgencyReason(suggestion.agency_reason).label
        if suggestion.agency_reason in AgencyReason.values
        else "",
    }


def _decide(
    request: HttpRequest, case: Case, answers: Answers, decision_form: Any, victim: Party | None
) -> HttpResponse | None:
    data = decision_form.cleaned_data
    try:
        s.classification_decide(
            case=case,
            by=request.user,
            answers=answers,
            classification=data["classification"],
            agency=data["agency"],
            provision_codes=[p.code for p in data["provisions"]],
            override_reason=data["override_reason"],
            victim=victim,
        )
    except s.CaseError as exc:
        decision_form.add_error(None, exc.message)
        return None
    messages.success(request, _("Classification recorded."))
    return redirect(_detail_url(case, "classification"))


@staff_view(CASE_WORK)
def classify(request: HttpRequest, reference: str) -> HttpResponse:
    case, access = _load(request, reference)
    if not access.manage:
        return refused(request, case, "lacks case access: manage")
    victims = _victims(case)
    known, victim = _chosen_victim(request, victims)
    if not known and request.method != "POST":
        messages.error(request, _("That victim is not in this case: choose one from the list."))
        return redirect("cell:case_classify", case.reference)
    offered = s.offered_provisions(case)
    answers_form = f.ClassificationForm(request.POST or None)
    context: dict[str, Any] = {
        "case": case,
        "suggestion": None,
        "decision_form": None,
        "victims": victims,
        "victim": victim,
    }
    if request.method == "POST" and answers_form.is_valid():
        answers, suggestion = case_suggestion(case, answers_form.answers())
        codes = [*suggestion.provisions, *suggestion.notes]
        provisions = {p.code: p for p in LegalProvision.objects.filter(code__in=codes)}
        provisions |= {p.code: p for p in offered.filter(code__in=codes)}
        decision_form = f.DecisionForm(
            request.POST if "decide" in request.POST else None,
            provisions=offered,
            initial={
                "classification": suggestion.classification,
                "agency": suggestion.agency,
                "provisions": offered.filter(code__in=suggestion.provisions),
            },
        )
        if not known:
            # What was typed stays on the page; nothing is decided for nobody.
            messages.error(request, _("That victim is not in this case: choose one from the list."))
        elif "decide" in request.POST and decision_form.is_valid():
            done = _decide(request, case, answers, decision_form, victim)
            if done is not None:
                return done
        context |= {
            "suggestion": suggestion,
            "words": explain(suggestion, provisions),
            "decision_form": decision_form,
        }
    elif request.method == "GET":
        last = case.decisions.filter(victim=victim).first()
        if last is not None:
            answers_form = f.ClassificationForm(
                initial=f.ClassificationForm.initial_from(Answers.from_json(last.answers))
            )
        else:
            answers_form = f.ClassificationForm(initial=_from_case(case, victim))
            context["prefilled"] = True
    context["form"] = answers_form
    return render(request, "cases/classify.html", context)
