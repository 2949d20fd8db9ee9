"""People and organisations in a case: the party form with its person search
(names shown only to those who may see them)."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from ahtc.accounts.decorators import refused, staff_view
from ahtc.cases import forms as f
from ahtc.cases import services as s
from ahtc.cases.models import Case, Party, PartyRole
from ahtc.cases.selectors import CaseAccess, cases_for_user, managed_cases_q
from ahtc.cases.views._common import CASE_WORK, _action, _load, _post
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.people.matches import known_elsewhere
from ahtc.people.models import IdentifierKind, Person
from ahtc.people.normalise import IdentifierError
from ahtc.people.search import people_named
from ahtc.people.services import people_with_identifier, person_create


@staff_view(CASE_WORK)
def party_add(request: HttpRequest, reference: str) -> HttpResponse:
    case, access = _load(request, reference)
    if not access.adds_parties:
        return refused(request, case, "lacks case access: manage")
    search = f.PersonSearchForm(request.GET or None)
    found = _people_found(request.user, case, search, access) if search.is_valid() else []
    # The agency running the proceedings (FIA after a transfer) adds the accused
    # it finds; victims and witnesses are the cell's (services.party_add).
    roles = None if access.manage else [r for r in PartyRole if Party(role=r).is_suspect]

    @transaction.atomic  # the person, their identifiers and the party: all or nothing
    def handle(case: Case, data: dict[str, Any], access: CaseAccess, request: HttpRequest) -> Any:
        user: Any = request.user
        person = None
        if data.get("person"):
            person = _picked_person(data["person"], case)
            if person is None:
                raise s.CaseError(_("That person is not available; search again."))
        elif data.get("name_latin") or data.get("name_urdu"):
            raw_aliases = data.get("aliases", "").replace("،", ",")  # Urdu comma too
            person = person_create(
                source_district=case.district,
                by=user,
                name_latin=data["name_latin"],
                name_urdu=data["name_urdu"],
                relative_name=data["relative_name"],
                sex=data["sex"],
                age_years=data["age_years"],
                birth_date=data.get("birth_date"),
                identifiers={k: data[k] for k in IdentifierKind.values if data.get(k)},
                aliases=[a.strip() for a in raw_aliases.split(",") if a.strip()],
            )
        return s.party_add(
            case=case,
            by=user,
            role=data["role"],
            person=person,
            organisation_name="" if person else data["organisation_name"],
            note=data["note"],
        )

    return _action(
        request,
        reference,
        need="adds_parties",
        build=lambda c, a, r: f.PartyForm(
            _post(r)[0],
            initial={"person": r.GET.get("person"), "role": r.GET.get("role")},
            roles=roles,
        ),
        handle=handle,
        title=_("Add a person or organisation"),
        anchor="parties",
        done=_("Added to the case."),
        template="cases/party_add.html",
        extra={"search": search, "found": found, "searched": search.is_bound},
    )


def _people_scoped(user: Any, case: Case) -> QuerySet[Person]:
    """People the user may link: in cases they run, or recorded in the case's
    district and not yet in any case. Names are shown only for these."""
    managed = cases_for_user(user).filter(managed_cases_q(user))
    return Person.objects.filter(
        Q(parties__case__in=managed) | Q(source_district=case.district, parties__isnull=True)
    ).distinct()


MAX_RESULTS = 25
PICK_SALT = "ahtc.cases.person-pick"


def _pick_token(person: Person, case: Case) -> str:
    """A signed, short-lived token for 'use this person': a person can be linked
    only after a search found them for this case, never by guessing an id."""
    return signing.dumps({"p": person.pk, "c": case.pk}, salt=PICK_SALT)


def _picked_person(token: str, case: Case) -> Person | None:
    try:
        data = signing.loads(token, salt=PICK_SALT, max_age=3600)
    except signing.BadSignature:
        return None
    if data.get("c") != case.pk:
        return None
    return Person.objects.filter(pk=data.get("p")).first()


def _people_found(
    user: Any, case: Case, form: f.PersonSearchForm, access: CaseAccess
) -> list[dict[str, Any]]:
    """Exact identifier matches anywhere in the district (shown by number only when
    the person is in a case the user does not run); name matches only among the
    people the user may see by name (none for an agency: it is shown the people of
    the case it runs, not the district's)."""
    data = form.cleaned_data
    visible = _people_scoped(user, case) if access.manage else Person.objects.none()
    matches: dict[int, Person] = {}
    anywhere: set[int] = set()  # identifier matches in any district (hit / no hit)
    for kind in (IdentifierKind.CNIC, IdentifierKind.PHONE, IdentifierKind.PASSPORT):
        if data.get(kind):
            try:
                found = people_with_identifier(kind, data[kind])
            except IdentifierError:
                continue
            anywhere |= set(found.values_list("pk", flat=True))
            in_district = found.filter(source_district=case.district) | found.filter(
                pk__in=visible.values("pk")
            )
            for person in in_district.distinct():
                matches[person.pk] = person
    # Every match among all the people the user may see, through the keyed
    # name tokens (people/search.py): no scan limit, no name read in bulk.
    name = (data.get("name") or "").strip()
    named_matches = people_named(name, visible).order_by("-pk")[: MAX_RESULTS + 1]
    for person in named_matches:
        matches.setdefault(person.pk, person)
    audit_record(actor=user, action=AuditAction.VIEW, object_type="people.person", reason="search")
    named = set(visible.filter(pk__in=list(matches)).values_list("pk", flat=True))
    shown = list(matches.values())[:MAX_RESULTS]
    # Issue 15: records of these people (same identifier, or linked as one
    # identity) in districts the user may not see: "known in X", no details.
    elsewhere = known_elsewhere(
        user=user, district=case.district, found=anywhere | set(matches), visible=visible
    )
    roles: dict[int, list[Party]] = {}
    for party in Party.objects.filter(
        person__in=shown, case__in=cases_for_user(user).filter(managed_cases_q(user))
    ).select_related("case"):
        roles.setdefault(party.person_id or 0, []).append(party)
    return [
        {
            "person": person,
            "roles": roles.get(person.pk, []),
            "named": person.pk in named,
            "token": _pick_token(person, case),
        }
        for person in shown
    ] + [{"elsewhere": area} for area in elsewhere]
