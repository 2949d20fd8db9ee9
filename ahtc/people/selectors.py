"""Who may see (and so edit) a person: the people of the cases a user runs,
where they may see identities, and people recorded in their district who are
in no case yet (the same people the party search names, cases.views)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.core.access import get_scoped_or_404
from ahtc.people.models import Person


def people_for_user(user: Any) -> QuerySet[Person]:
    if not getattr(user, "is_authenticated", False):
        return Person.objects.none()
    # Cases sit above people in the layers; their access rule is reused, not copied.
    from ahtc.cases.models import Party
    from ahtc.cases.selectors import cases_for_user, managed_cases_q

    scope = user_scope(user)
    run = (
        cases_for_user(user)
        .filter(managed_cases_q(user))
        .filter(scope.ids_q(Perm.VIEW_IDENTITY, "district_id"))
    )
    # EXISTS per person, so the callers' own filters (a page's few ids, a
    # name's search tokens) come first: the list of every person of every case
    # a cell head runs took 120 ms per page at province scale (issue 19).
    in_a_run_case = Exists(Party.objects.filter(person=OuterRef("pk"), case__in=run))
    unlinked = (
        scope.ids_q(Perm.MANAGE_CASES, "source_district_id")
        & scope.ids_q(Perm.VIEW_IDENTITY, "source_district_id")
        & ~Exists(Party.objects.filter(person=OuterRef("pk")))
    )
    return Person.objects.filter(in_a_run_case | unlinked)


def person_for_user(user: Any, pk: Any) -> Person:
    """One person; 404 (and an audit row when they exist) outside the user's
    reach. Opening a person is an audited read."""
    scoped = people_for_user(user).select_related("source_district")
    return get_scoped_or_404(user=user, scoped=scoped, pk=pk, audit_allowed=True)
