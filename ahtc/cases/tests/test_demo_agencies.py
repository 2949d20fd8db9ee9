"""The demo shows agencies acting on what they receive (issue 10)."""

from __future__ import annotations

import pytest

from ahtc.accounts.models import User
from ahtc.cases.models import Case, Status
from ahtc.cases.selectors import case_access, challan_returned_for_user
from ahtc.demo.build import demo_build


@pytest.mark.django_db
def test_demo_boat_case_has_fia_proceedings_and_a_returned_item_waits_for_the_io() -> None:
    demo_build()
    fia = User.objects.get(username="fia_liaison")
    case = Case.objects.get(
        proceedings_organisation=fia.organisation, firs__organisation__isnull=False
    )
    assert case.title.startswith("Visit visa to Libya")
    assert case.status == Status.FIR_REGISTERED
    assert case.firs.get().added_by == fia
    assert case.parties.filter(arrests__organisation=fia.organisation).exists()
    assert case_access(fia, case).proceedings
    officer = User.objects.get(username="officer_mbdin")
    assert not case_access(officer, case).proceedings
    returned = list(challan_returned_for_user(User.objects.get(username="io_mbdin")))
    assert returned
    assert returned[0].objection
