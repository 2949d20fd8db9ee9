"""A challan item the prosecutor returns reaches the IO (issue 10): it is in
the IO's due list with the objection, and answering it moves no status."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.cases import services
from ahtc.cases.models import Case, ChallanItem, ChallanItemKind, ConsentPurpose, Status
from ahtc.cases.selectors import challan_returned_for_user
from ahtc.cases.services import CaseError
from ahtc.core.models import AuditEvent

if TYPE_CHECKING:
    from .conftest import Flow

pytestmark = pytest.mark.django_db

OBJECTION = "Attach the age certificate from NADRA"


@pytest.fixture
def returned(flow: Flow, case: Case) -> ChallanItem:
    """A case at 'challan submitted' whose documents item the prosecutor returned."""
    flow.victim(
        case,
        consents=(ConsentPurpose.STATEMENT, ConsentPurpose.MEDICAL, ConsentPurpose.SHARING),
    )
    flow.reach(case, Status.CHALLAN_SUBMITTED)
    assert flow.prosecutor.organisation is not None
    services.case_share(
        case=case, organisation=flow.prosecutor.organisation, by=flow.officer, reason="Scrutiny"
    )
    item = case.challan_items.get(kind=ChallanItemKind.DOCUMENTS)
    services.challan_prosecutor_answer(
        item=item, by=flow.prosecutor, accept=False, objection=OBJECTION
    )
    item.refresh_from_db()
    return item


def test_returned_item_is_in_the_io_due_list_with_the_objection(
    returned: ChallanItem, io_mbdin: User, login_as: Callable[[User], Client]
) -> None:
    assert list(challan_returned_for_user(io_mbdin)) == [returned]
    html = login_as(io_mbdin).get(reverse("cell:cases_due")).content.decode()
    assert OBJECTION in html
    assert returned.case.reference in html
    assert reverse("cell:case_challan_answer", args=[returned.case.reference, "documents"]) in html


def test_others_do_not_get_the_item(
    returned: ChallanItem,
    officer_gujrat: User,
    prosecutor: User,
    fia_liaison: User,
    provincial_monitor: User,
) -> None:
    for user in (officer_gujrat, prosecutor, fia_liaison, provincial_monitor):
        assert not challan_returned_for_user(user).exists()


def test_io_answers_without_moving_the_case_back(
    flow: Flow, returned: ChallanItem, io_mbdin: User
) -> None:
    case = returned.case
    with pytest.raises(CaseError, match="Answer the prosecutor's objection"):
        services.challan_io_done(item=returned, by=io_mbdin)
    services.challan_io_done(item=returned, by=io_mbdin, answer="Certificate attached")
    returned.refresh_from_db()
    case.refresh_from_db()
    assert case.status == Status.CHALLAN_SUBMITTED
    assert returned.io_done_at is not None
    assert returned.answer == "Certificate attached"
    assert not challan_returned_for_user(io_mbdin).exists()
    assert AuditEvent.objects.filter(
        reason="challan item documents objection answered by IO"
    ).exists()
    flow.prosecutor_accept_challan(case)
    assert flow.move(case, Status.TRIAL, by=flow.prosecutor, as_prosecutor=True).status == (
        Status.TRIAL
    )


def test_answer_page_keeps_the_answer_on_refusal_and_says_what_next(
    returned: ChallanItem,
    io_mbdin: User,
    prosecutor: User,
    login_as: Callable[[User], Client],
) -> None:
    case = returned.case
    client = login_as(io_mbdin)
    html = client.get(reverse("cell:case", args=[case.reference])).content.decode()
    assert "The prosecutor returned 1 challan item" in html
    url = reverse("cell:case_challan_answer", args=[case.reference, "documents"])
    assert url in html
    form = client.get(url).content.decode()
    assert OBJECTION in form
    refused = client.post(url, {"answer": ""})
    assert refused.status_code == 200
    assert client.post(url, {"answer": "Certificate attached"}).status_code == 302
    returned.refresh_from_db()
    assert returned.io_done_at is not None
    client = login_as(prosecutor)
    html = client.get(reverse("cell:case", args=[case.reference])).content.decode()
    assert "6 challan items wait for your review" in html
    assert "Certificate attached" in html


def test_answer_page_refused_to_the_prosecutor_and_others(
    returned: ChallanItem,
    prosecutor: User,
    officer_gujrat: User,
    login_as: Callable[[User], Client],
) -> None:
    url = reverse("cell:case_challan_answer", args=[returned.case.reference, "documents"])
    assert login_as(prosecutor).post(url, {"answer": "x"}).status_code == 403
    assert login_as(officer_gujrat).post(url, {"answer": "x"}).status_code == 404
    returned.refresh_from_db()
    assert returned.io_done_at is None


def test_mark_done_is_not_refused_for_status(flow: Flow, returned: ChallanItem) -> None:
    # The old rule refused it outside "under investigation"; the case is at
    # "challan submitted" and stays there.
    item = returned.case.challan_items.get(kind=ChallanItemKind.WITNESSES)
    services.challan_prosecutor_answer(
        item=item, by=flow.prosecutor, accept=False, objection="Add the second witness"
    )
    item.refresh_from_db()
    services.challan_io_done(item=item, by=flow.officer, answer="Second witness added")
    item.refresh_from_db()
    assert item.io_done_at is not None
