"""Reviewing possible matches across districts (/cell/people/matches/).

Who: cell staff who run cases and see identities (*manage cases* and *view
identity*) in a district of the pair. A reviewer whose scope covers both
records sees both, the evidence, and decides. A reviewer whose scope covers
one record sees that record and only "known in <district>, contact that
cell" for the other (hit / no hit, DESIGN.md): no name, no evidence, no
decision. Anyone else gets 404 (audited), like every record kind.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ahtc.accounts.decorators import refused, staff_view
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import Scope, user_scope
from ahtc.core.access import get_scoped_or_404
from ahtc.core.audit import audit_records
from ahtc.core.models import AuditAction
from ahtc.geography.models import Area
from ahtc.people.matches import DECISIONS, MatchError, candidate_decide, candidate_undo
from ahtc.people.models import MatchCandidate, MatchStatus, Person

PAGE = 25
EVIDENCE_FIELDS = {
    "name": gettext_lazy("Name"),
    "relative": gettext_lazy("Father's or husband's name"),
    "cnic": gettext_lazy("CNIC"),
    "phone": gettext_lazy("Phone"),
    "district": gettext_lazy("District"),
    "age": gettext_lazy("Age"),
}
EVIDENCE_LEVELS = {
    "exact": gettext_lazy("agrees"),
    "alias": gettext_lazy("agrees with another name used"),
    "sounds_same": gettext_lazy("spelt differently, sounds the same"),
    "close": gettext_lazy("nearly the same"),
    "similar": gettext_lazy("similar"),
    "first_agrees": gettext_lazy("first name agrees"),
    "partial_fits": gettext_lazy("a partial number fits"),
    "same_area": gettext_lazy("same first five digits"),
    "within_1": gettext_lazy("within a year"),
    "within_3": gettext_lazy("within three years"),
    "within_8": gettext_lazy("within eight years"),
    "differs": gettext_lazy("differs"),
    "null": gettext_lazy("missing on one side"),
}


def _reviews(scope: Scope, field: str) -> Q:
    return scope.q(Perm.MANAGE_CASES, field) & scope.q(Perm.VIEW_IDENTITY, field)


def reviews_matches(user: Any) -> bool:
    scope = user_scope(user)
    return scope.has_perm_anywhere(Perm.MANAGE_CASES) and scope.has_perm_anywhere(
        Perm.VIEW_IDENTITY
    )


def candidates_for_user(user: Any, *, both: bool = False) -> QuerySet[MatchCandidate]:
    """Candidates with one record (or, `both`, both records) in the user's
    review scope. Fails closed: no grant, no rows."""
    scope = user_scope(user)
    # The areas first (a few dozen rows), then the candidates by district id:
    # the same rule as the paths on both records' districts, but PostgreSQL
    # planned that four-way join to the area table as a nested loop that took
    # minutes over 14,000 candidates.
    areas = list(Area.objects.filter(_reviews(scope, "path")).values_list("pk", flat=True))
    a = Q(person_a__source_district_id__in=areas)
    b = Q(person_b__source_district_id__in=areas)
    return MatchCandidate.objects.filter((a & b) if both else (a | b))


def candidate_for_user(user: Any, pk: Any) -> MatchCandidate:
    """A candidate the user may decide (both records in scope), or 404 + audit."""
    scoped = candidates_for_user(user, both=True).select_related(
        "person_a__source_district", "person_b__source_district"
    )
    return get_scoped_or_404(user=user, scoped=scoped, pk=pk, action=AuditAction.UPDATE)


class DecideForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[(s.value, s.label) for s in DECISIONS],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=gettext_lazy("Why (optional)"), required=False, max_length=500)


def _form(pk: int, data: Any = None) -> DecideForm:
    return DecideForm(data, auto_id=f"id_c{pk}_%s")  # one form per pair on the page


def _side(person: Person, scope: Any) -> dict[str, Any]:
    shown = any(
        person.source_district.path.startswith(p) for p in scope.paths(Perm.MANAGE_CASES)
    ) and any(person.source_district.path.startswith(p) for p in scope.paths(Perm.VIEW_IDENTITY))
    return {"person": person if shown else None, "district": person.source_district}


def _rows(page: Any, scope: Any, failed: dict[int, DecideForm]) -> list[dict[str, Any]]:
    rows = []
    for candidate in page:
        a, b = _side(candidate.person_a, scope), _side(candidate.person_b, scope)
        both = a["person"] is not None and b["person"] is not None
        rows.append(
            {
                "candidate": candidate,
                "sides": [a, b],
                "both": both,
                "evidence": [
                    (EVIDENCE_FIELDS[k], EVIDENCE_LEVELS.get(v, v), v)
                    for k, v in candidate.evidence.items()
                    if k in EVIDENCE_FIELDS
                ]
                if both
                else [],
                "form": failed.get(candidate.pk) or _form(candidate.pk),
            }
        )
    return rows


@staff_view(Perm.VIEW_IDENTITY)
def match_list(request: HttpRequest) -> HttpResponse:
    if not reviews_matches(request.user):
        return refused(request, None, "lacks match review")
    status = request.GET.get("status") or MatchStatus.PENDING
    return _list_page(request, status if status in MatchStatus.values else MatchStatus.PENDING)


def _list_page(
    request: HttpRequest, status: str, failed: dict[int, DecideForm] | None = None
) -> HttpResponse:
    user: Any = request.user
    listed = candidates_for_user(user).filter(status=status)
    listed = listed.select_related("person_a__source_district", "person_b__source_district")
    page = Paginator(listed.order_by("-match_weight", "pk"), PAGE).get_page(request.GET.get("page"))
    scope = user_scope(user)
    rows = _rows(page, scope, failed or {})
    shown = [(s["person"], s["district"].code) for r in rows for s in r["sides"] if s["person"]]
    audit_records(actor=user, action=AuditAction.VIEW, targets=shown, reason="match review")
    context = {"rows": rows, "page": page, "status": status, "statuses": MatchStatus.choices}
    return render(request, "people/matches.html", context, status=400 if failed else 200)


@require_POST
@staff_view(Perm.VIEW_IDENTITY)
def match_decide(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = candidate_for_user(request.user, pk)
    form = _form(candidate.pk, request.POST)
    if form.is_valid():
        try:
            candidate_decide(
                candidate=candidate,
                status=form.cleaned_data["status"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except MatchError as exc:
            form.add_error("status", str(exc))
        else:
            messages.success(request, _("Decision saved. You can undo it from the list."))
            return redirect(f"{reverse('cell:people_matches')}?status={candidate.status}")
    return _list_page(request, candidate.status, failed={candidate.pk: form})


@require_POST
@staff_view(Perm.VIEW_IDENTITY)
def match_undo(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = candidate_for_user(request.user, pk)
    try:
        candidate_undo(
            candidate=candidate, by=request.user, note=request.POST.get("note", "")[:500]
        )
    except MatchError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Undone: the pair is back in the list to review."))
    return redirect("cell:people_matches")
