"""The case list export counts each kind of row once per case (issue 19: the
counts are subqueries, not a join of every party, arrest, verdict and FIR)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from ahtc.accounts.models import User
from ahtc.cases.exports import COLUMNS, export_rows
from ahtc.cases.models import Arrest, Case, Fir, LegalProvision, PartyRole, Verdict, VerdictOutcome
from ahtc.geography.models import PoliceStation

if TYPE_CHECKING:
    from .conftest import Flow

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 5, 1)


def test_counts_per_case(
    flow: Flow, case: Case, make_case: Callable[..., Case], officer_mbdin: User
) -> None:
    flow.victim(case)
    flow.victim(case)
    suspects = [flow.suspect(case), flow.suspect(case, PartyRole.FACILITATOR), flow.suspect(case)]
    for suspect in suspects[:2]:
        Arrest.objects.create(party=suspect, date=DAY, added_by=officer_mbdin)
    station = PoliceStation.objects.filter(tehsil__path__startswith=case.district.path).first()
    assert station is not None
    Fir.objects.create(
        case=case, number="1/2024", date=DAY, added_by=officer_mbdin, police_station=station
    )
    Fir.objects.create(
        case=case, number="2/2024", date=DAY, added_by=officer_mbdin, police_station=station
    )
    provision = LegalProvision.objects.first()
    assert provision is not None
    outcomes = [VerdictOutcome.CONVICTED, VerdictOutcome.CONVICTED, VerdictOutcome.ACQUITTED]
    for suspect, outcome in zip(suspects, outcomes, strict=True):
        Verdict.objects.create(
            party=suspect, provision=provision, date=DAY, outcome=outcome, added_by=officer_mbdin
        )
    empty = make_case()

    rows = {r[0]: r for r in export_rows(Case.objects.filter(pk__in=[case.pk, empty.pk]))}
    names = [name for name, _key in COLUMNS]
    counted = names[names.index("victims") :]

    def counts(c: Case) -> dict[str, int]:
        row = rows[c.reference]
        return dict(zip(counted, row[names.index("victims") :], strict=True))

    assert counts(case) == {"victims": 2, "accused": 3, "arrests": 2, "FIRs": 2, "convictions": 2}
    assert counts(empty) == dict.fromkeys(counted, 0)
