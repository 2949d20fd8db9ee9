"""The victims CSV at province scale (issue 19): a fixed number of queries
whatever the number of rows, and addresses are never read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ahtc.accounts.models import OrganisationKind, User
from ahtc.people.models import IdentifierKind, Person
from ahtc.people.services import identifier_add
from ahtc.victims.views import _caseload, _export_file

pytestmark = pytest.mark.django_db


def _queries(user: User) -> int:
    with CaptureQueriesContext(connection) as ctx:
        export = _export_file(user, _caseload(user, "all"), identity=True, reason="court order")
    assert export.content
    return len(ctx.captured_queries)


def test_names_export_queries_do_not_grow_with_rows(
    dpo_mbdin: User,
    officer_mbdin: User,
    make_record: Callable[..., Any],
    make_person: Callable[..., Person],
) -> None:
    def add(n: int) -> None:
        for k in range(n):
            person = make_person(f"Synthetic Export {k}")
            identifier_add(
                person=person, kind=IdentifierKind.PHONE, raw=f"0300 10{k:05d}", by=officer_mbdin
            )
            make_record(person)

    add(2)
    _queries(dpo_mbdin)  # the user's scope is read once and cached
    small = _queries(dpo_mbdin)
    add(8)
    assert _queries(dpo_mbdin) == small


def test_addresses_are_not_read_for_the_csv(
    dpo_mbdin: User, make_record: Callable[..., Any]
) -> None:
    make_record(address="Synthetic street 9, Mandi Bahauddin")
    with CaptureQueriesContext(connection) as ctx:
        _export_file(dpo_mbdin, _caseload(dpo_mbdin, "all"), identity=False)
    selects = [q["sql"] for q in ctx.captured_queries if "protectionrecord" in q["sql"]]
    assert selects
    assert not any('"address"' in sql for sql in selects)


def test_open_referrals_are_counted_per_record(
    officer_mbdin: User,
    make_record: Callable[..., Any],
    make_org: Callable[..., Any],
) -> None:
    from ahtc.victims.models import Referral, ReferralStatus

    busy, idle = make_record(), make_record()
    org = make_org(kind=OrganisationKind.NGO)
    for status in (
        ReferralStatus.SENT,
        ReferralStatus.SENT,
        ReferralStatus.ACCEPTED,
        ReferralStatus.CLOSED,
        ReferralStatus.DRAFT,
    ):
        Referral.objects.create(
            record=busy,
            provider=org,
            service="Shelter",
            needs="x",
            status=status,
            referred_by=officer_mbdin,
        )
    counts = {r.pk: getattr(r, "open_referrals", None) for r in _caseload(officer_mbdin, "all")}
    assert counts[busy.pk] == 3
    assert counts[idle.pk] == 0
