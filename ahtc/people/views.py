"""A person's page in the workspace: edit with history (under /cell/people/)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ahtc.accounts.decorators import staff_view
from ahtc.accounts.roles import Perm
from ahtc.core.confirm import confirmed, unconfirmed
from ahtc.people.forms import AliasAddForm, IdentifierAddForm, PersonForm
from ahtc.people.models import IdentifierKind, Person, Sex
from ahtc.people.normalise import IdentifierError
from ahtc.people.selectors import person_for_user
from ahtc.people.services import (
    EDITABLE,
    person_alias_add,
    person_alias_remove,
    person_identifier_add,
    person_identifier_remove,
    person_update,
    version_values,
)


@staff_view(Perm.VIEW_WORKSPACE)
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for_user(request.user, pk)
    initial = {name: getattr(person, name) for name in EDITABLE}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in EDITABLE}
        if person_update(person=person, by=request.user, changes=changes, reason=data["reason"]):
            messages.success(request, _("Saved. The earlier values are kept in the history."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("cell:person", pk=person.pk)
    return _page(request, person, form=form)


def _page(
    request: HttpRequest,
    person: Person,
    *,
    form: PersonForm | None = None,
    identifier_form: IdentifierAddForm | None = None,
    alias_form: AliasAddForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if form is None:
        form = PersonForm(initial={name: getattr(person, name) for name in EDITABLE})
    context = {
        "person": person,
        "form": form,
        "identifier_form": identifier_form or IdentifierAddForm(),
        "alias_form": alias_form or AliasAddForm(),
        "identifiers": person.identifiers.order_by("kind", "pk"),
        "aliases": person.aliases.order_by("pk"),
        "history": _history(person),
        "cases": person.parties.select_related("case"),
    }
    return render(request, "people/edit.html", context, status=status)


@require_POST
@staff_view(Perm.VIEW_WORKSPACE)
def person_lists(request: HttpRequest, pk: int) -> HttpResponse:
    """Add or remove an identifier or alias. Refusals come back on the page
    with what was typed; removals need the box ticked (core/confirm.py)."""
    person = person_for_user(request.user, pk)
    back = reverse("cell:person", args=[person.pk]) + "#identifiers"
    action = request.POST.get("action", "")
    if action == "add_identifier":
        identifier_form = IdentifierAddForm(request.POST)
        if identifier_form.is_valid():
            data = identifier_form.cleaned_data
            try:
                added = person_identifier_add(
                    person=person,
                    kind=IdentifierKind(data["kind"]),
                    raw=data["value"],
                    by=request.user,
                    reason=data["reason"],
                )
            except IdentifierError as exc:
                identifier_form.add_error("value", str(exc))
            else:
                _said(request, added is not None)
                return redirect(back)
        return _page(request, person, identifier_form=identifier_form, status=400)
    if action == "add_alias":
        alias_form = AliasAddForm(request.POST)
        if alias_form.is_valid():
            data = alias_form.cleaned_data
            added_alias = person_alias_add(
                person=person, name=data["name"], by=request.user, reason=data["reason"]
            )
            _said(request, added_alias is not None)
            return redirect(back)
        return _page(request, person, alias_form=alias_form, status=400)
    if action in ("remove_identifier", "remove_alias"):
        if not confirmed(request):
            return unconfirmed(request, back)
        row = request.POST.get("row") or 0
        reason = request.POST.get("reason", "")[:300]
        if action == "remove_identifier":
            identifier = get_object_or_404(person.identifiers.all(), pk=row)
            person_identifier_remove(identifier=identifier, by=request.user, reason=reason)
        else:
            alias = get_object_or_404(person.aliases.all(), pk=row)
            person_alias_remove(alias=alias, by=request.user, reason=reason)
        messages.success(request, _("Removed. The earlier list is kept in the history."))
        return redirect(back)
    messages.error(request, _("Nothing was changed: that action is not known."))
    return redirect(back)


def _said(request: HttpRequest, added: bool) -> None:
    if added:
        messages.success(request, _("Added. The earlier list is kept in the history."))
    else:
        messages.info(request, _("Nothing was changed: the person already has it."))


def _history(person: Person) -> list[dict[str, Any]]:
    """Each version with the values it replaced, labelled for the page."""
    labels = {name: PersonForm.base_fields[name].label for name in EDITABLE}
    labels.update({"identifiers": _("Identifiers"), "aliases": _("Other names used")})
    rows = []
    for version in person.versions.select_related("changed_by"):
        values = version_values(version)
        rows.append(
            {
                "version": version,
                "before": [
                    (labels[name], _shown(name, values.get(name)))
                    for name in version.changed_fields.split(",")
                    if name in labels
                ],
            }
        )
    return rows


def _shown(name: str, value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if name == "sex":
        return str(Sex(value).label)
    return str(value)
