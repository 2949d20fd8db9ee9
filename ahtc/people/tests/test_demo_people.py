"""The demo's recurring agents form pairs to review and one full-CNIC link."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ahtc.accounts.models import User
from ahtc.demo.people import RECORDS, build_people
from ahtc.people.models import LinkKind, MatchCandidate, Person, PersonLink

pytestmark = pytest.mark.django_db


def test_demo_agents_recur_across_four_districts_as_pairs_to_review(officer_mbdin: User) -> None:
    build_people(SimpleNamespace(users={"officer_mbdin": officer_mbdin}))
    assert Person.objects.count() == len(RECORDS)
    districts = set(Person.objects.values_list("source_district__code", flat=True))
    assert districts == {"PK620", "PK610", "PK634", "PK609"}
    assert PersonLink.objects.filter(kind=LinkKind.FULL_CNIC).count() == 1
    assert MatchCandidate.objects.count() >= 8
