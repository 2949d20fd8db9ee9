"""`GET /api/v1/people/search/?q=`: the person search of the party page, as JSON.

The same search and the same hit / no-hit rule as the page
(cases/views/parties.py): names are matched through the keyed name tokens
(people/search.py) among the people the caller may see by name
(people/selectors.py `people_for_user`), and people known only in other
districts (linked as one identity) are answered as "known in <district>"
and nothing more (people/matches.py `known_elsewhere`, audited on both
sides). Like the page, a person in the caller's reach is shown with the
name the page shows; nobody else is. Only those who manage cases may search.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import districts_for_user, user_scope
from ahtc.api.params import refuse, single
from ahtc.cases.models import Party
from ahtc.cases.selectors import cases_for_user, managed_cases_q
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction, AuditOutcome
from ahtc.people.matches import known_elsewhere
from ahtc.people.models import Person, Sex
from ahtc.people.search import people_named
from ahtc.people.selectors import people_for_user

MIN_QUERY = 2
MAX_QUERY = 100
MAX_RESULTS = 25  # as on the page


class PersonRoleSerializer(serializers.Serializer[Any]):
    case = serializers.CharField(help_text="Case reference.")
    role = serializers.CharField(help_text="Role in that case (victim, suspect, witness ...).")


class PersonFoundSerializer(serializers.Serializer[Any]):
    id = serializers.CharField(help_text="Pseudonymous id, P-<number>, as on the page.")
    name_latin = serializers.CharField(help_text="As the party page shows it; may be empty.")
    name_urdu = serializers.CharField(help_text="As the party page shows it; may be empty.")
    sex = serializers.ChoiceField(choices=Sex.choices)
    age_years = serializers.IntegerField(allow_null=True)
    cases = PersonRoleSerializer(many=True, help_text="Cases the caller runs with this person.")


class KnownElsewhereSerializer(serializers.Serializer[Any]):
    district = serializers.CharField(help_text="Area code of the other district.")
    district_name = serializers.CharField()
    contact = serializers.CharField(help_text="Whom to ask: that district's cell.")


class PersonSearchSerializer(serializers.Serializer[Any]):
    query = serializers.CharField()
    results = PersonFoundSerializer(many=True)
    truncated = serializers.BooleanField(
        help_text=f"More than {MAX_RESULTS} people matched: type more of the name."
    )
    known_elsewhere = KnownElsewhereSerializer(
        many=True, help_text="Hit / no hit: districts holding a record you may not see."
    )


EXAMPLE = {
    "query": "bilal",
    "results": [
        {
            "id": "P-4182",
            "name_latin": "Bilal Synthetic",
            "name_urdu": "",
            "sex": "male",
            "age_years": 17,
            "cases": [{"case": "MBD-2025-0007", "role": "victim"}],
        }
    ],
    "truncated": False,
    "known_elsewhere": [
        {"district": "PK610", "district_name": "Gujrat", "contact": "the Gujrat cell"}
    ],
}


def _query(request: Request) -> str:
    raw = single(request.query_params, "q") or ""
    query = raw.strip()
    if len(query) < MIN_QUERY or len(raw) > MAX_QUERY:
        raise refuse("q", _("Type 2 to 100 characters."))
    return query


class PersonSearch(APIView):
    """Find people by name, as the party page does; hit / no hit for other districts.

    Names match word by word from their start (3 letters or more, Latin or
    Urdu script). At most 25 people are answered (`truncated` says there were
    more). People recorded only in districts you may not see are never shown:
    `known_elsewhere` names their district, whose cell to contact. Every search
    is audited, in your district and in each district that was hit.
    Only roles that manage cases may search (403 otherwise).
    """

    @extend_schema(
        operation_id="people_search",
        parameters=[
            OpenApiParameter(
                "q",
                {
                    "type": "string",
                    "minLength": MIN_QUERY,
                    "maxLength": MAX_QUERY,
                    "pattern": r"\S[\s\S]*\S",
                },
                required=True,
                description="Name or part of it: 2 to 100 characters.",
            )
        ],
        responses=PersonSearchSerializer,
        examples=[OpenApiExample("A hit here and one in Gujrat", value=EXAMPLE)],
    )
    def get(self, request: Request) -> Response:
        user: Any = request.user
        scope = user_scope(user)
        if not (
            scope.has_perm_anywhere(Perm.MANAGE_CASES)
            and scope.has_perm_anywhere(Perm.VIEW_IDENTITY)
        ):
            audit_record(
                actor=user,
                action=AuditAction.VIEW,
                outcome=AuditOutcome.REFUSED,
                object_type="people.person",
                reason="person search via API: does not manage cases",
            )
            raise PermissionDenied(_("Only those who manage cases may search for people."))
        query = _query(request)
        visible = people_for_user(user)
        matches = list(people_named(query, visible).order_by("-pk")[: MAX_RESULTS + 1])
        shown = matches[:MAX_RESULTS]
        district = districts_for_user(user, Perm.MANAGE_CASES).order_by("code").first()
        audit_record(
            actor=user,
            action=AuditAction.VIEW,
            object_type="people.person",
            area_code=district.code if district else "",
            reason="search via API",
        )
        elsewhere = (
            known_elsewhere(
                user=user, district=district, found={p.pk for p in matches}, visible=visible
            )
            if district is not None and matches
            else []
        )
        body = {
            "query": query,
            "results": [self._found(person, roles) for person, roles in _roles(user, shown)],
            "truncated": len(matches) > MAX_RESULTS,
            "known_elsewhere": [
                {
                    "district": area.code,
                    "district_name": str(area),
                    "contact": _("the %(district)s cell") % {"district": area},
                }
                for area in elsewhere
            ],
        }
        return Response(PersonSearchSerializer(body).data)

    @staticmethod
    def _found(person: Person, roles: list[Party]) -> dict[str, Any]:
        return {
            "id": f"P-{person.pk}",
            "name_latin": person.name_latin,
            "name_urdu": person.name_urdu,
            "sex": person.sex,
            "age_years": person.age_years,
            "cases": [{"case": p.case.reference, "role": p.role} for p in roles],
        }


def _roles(user: Any, shown: list[Person]) -> list[tuple[Person, list[Party]]]:
    """Each person with their parts in the cases the user runs (as the page lists them)."""
    roles: dict[int, list[Party]] = {}
    managed = cases_for_user(user).filter(managed_cases_q(user))
    for party in (
        Party.objects.filter(person__in=shown, case__in=managed)
        .select_related("case")
        .order_by("case__year", "case__number", "pk")
    ):
        roles.setdefault(party.person_id or 0, []).append(party)
    return [(person, roles.get(person.pk, [])) for person in shown]
