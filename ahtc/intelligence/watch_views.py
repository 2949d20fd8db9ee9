"""Watchlist pages: the list, add (from a person's network), remove, alerts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.accounts.models import User
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.core.audit import audit_record, audit_records
from ahtc.core.models import AuditAction, AuditOutcome
from ahtc.geography.models import Area
from ahtc.intelligence.forms import WatchAddForm, WatchRemoveForm
from ahtc.intelligence.models import WatchlistEntry
from ahtc.intelligence.selectors import (
    alert_links,
    alerts_for_user,
    network_person_for_user,
    watch_entry_for_user,
    watchlist_for_user,
)
from ahtc.intelligence.views import analyst_view
from ahtc.intelligence.watch import WatchError, watchlist_add, watchlist_remove
from ahtc.people.models import Person

PAGE = 100


def _district(user: Any, person: Person) -> Area | None:
    """Where the entry belongs: the person's district if the user runs it,
    else the district of one of the user's cases naming the person."""
    scope = user_scope(user)
    if scope.permits(Perm.MANAGE_CASES, person.source_district):
        return person.source_district
    from ahtc.cases.selectors import cases_for_user

    for case in cases_for_user(user).filter(parties__person=person).select_related("district"):
        if scope.permits(Perm.MANAGE_CASES, case.district):
            return case.district
    return None


def _owners(district: Area) -> QuerySet[User]:
    from ahtc.notifications.services import users_with_perms

    return users_with_perms([Perm.MANAGE_CASES, Perm.INVESTIGATE], area=district).order_by(
        "username"
    )


def _add_form(user: Any, district: Area, data: Any = None) -> WatchAddForm:
    form = WatchAddForm(data, initial={"owner": user.pk})
    form.fields["owner"].choices = [(u.pk, u.username) for u in _owners(district)]  # type: ignore[attr-defined]
    return form


def watch_context(user: Any, person: Person) -> dict[str, Any]:
    """The watchlist part of a person's network page."""
    from ahtc.people.matches import identities_of

    entry = (
        WatchlistEntry.objects.filter(active=True, person__in=identities_of({person.pk}))
        .filter(pk__in=watchlist_for_user(user).values("pk"))
        .first()
    )
    district = _district(user, person) if entry is None else None
    return {
        "watch_entry": entry,
        "watch_form": _add_form(user, district) if district is not None else None,
    }


@analyst_view
def watch_add(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    person = network_person_for_user(user, pk)
    district = _district(user, person)
    if district is None:
        audit_record(
            actor=user,
            action=AuditAction.CREATE,
            outcome=AuditOutcome.REFUSED,
            target=person,
            reason="watchlist: not the user's district",
        )
        return render(request, "cell/forbidden.html", status=403)
    form = _add_form(user, district, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = _owners(district).get(pk=data["owner"])
        try:
            watchlist_add(
                person=person,
                district=district,
                by=user,
                owner=owner,
                reason=data["reason"],
                undertakings=data["undertakings"],
            )
        except WatchError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The person is on the watchlist."))
            return redirect("cell:intelligence:watchlist")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "intelligence/watch_add.html",
        {"person": person, "form": form, "district": district},
        status=status,
    )


@analyst_view
def watchlist(request: HttpRequest) -> HttpResponse:
    entries = list(
        watchlist_for_user(request.user)
        .filter(active=True)
        .select_related("district", "owner", "person__source_district")
        .prefetch_related("warnings__case")[:PAGE]
    )
    return render(request, "intelligence/watchlist.html", {"rows": _labelled(request, entries)})


def _labelled(request: HttpRequest, entries: list[WatchlistEntry]) -> list[dict[str, Any]]:
    """Names where the user may see the person (audited, one row each), else W-<n>."""
    from ahtc.people.selectors import people_for_user

    named = set(
        people_for_user(request.user)
        .filter(pk__in=[e.person_id for e in entries])
        .values_list("pk", flat=True)
    )
    rows = []
    for entry in entries:
        person = entry.person
        name = (person.name_latin or person.name_urdu) if person.pk in named else ""
        rows.append({"entry": entry, "name": name or str(entry), "named": bool(name)})
    audit_records(
        actor=request.user,
        action=AuditAction.VIEW,
        targets=[
            (e.person, e.person.source_district.code) for e in entries if e.person_id in named
        ],
        reason="watchlist",
    )
    return rows


@analyst_view
def watch_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = watch_entry_for_user(request.user, pk)
    form = WatchRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            watchlist_remove(entry=entry, by=request.user, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        except WatchError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The person is off the watchlist."))
            return redirect("cell:intelligence:watchlist")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "intelligence/watch_remove.html", {"entry": entry, "form": form}, status=status
    )


@analyst_view
def alerts(request: HttpRequest) -> HttpResponse:
    """Where watched people appeared: a link to the record if the user may
    open it, otherwise only the district to contact (hit / no hit)."""
    rows = list(alerts_for_user(request.user).select_related("entry", "district")[:PAGE])
    links = alert_links(request.user, rows)
    shown = [{"alert": a, "url": links[a.pk]} for a in rows]
    unseen = [a.pk for a in rows if a.seen_at is None]
    if unseen:
        alerts_for_user(request.user).filter(pk__in=unseen).update(seen_at=timezone.now())
    return render(request, "intelligence/alerts.html", {"rows": shown})
