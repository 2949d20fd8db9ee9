"""A person's page in the workspace: edit with history (under /cell/people/)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ahtc.accounts.decorators import staff_view
from ahtc.accounts.roles import Perm
from ahtc.people.forms import PersonForm
from ahtc.people.models import Person, Sex
from ahtc.people.selectors import person_for_user
from ahtc.people.services import EDITABLE, person_update, version_values


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
    context = {
        "person": person,
        "form": form,
        "history": _history(person),
        "cases": person.parties.select_related("case"),
    }
    return render(request, "people/edit.html", context)


def _history(person: Person) -> list[dict[str, Any]]:
    """Each version with the values it replaced, labelled for the page."""
    labels = {name: PersonForm.base_fields[name].label for name in EDITABLE}
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
    if value in (None, ""):
        return "—"
    if name == "sex":
        return str(Sex(value).label)
    return str(value)
