"""The case list without joins (issue 19): "mine" and "shared" are EXISTS
filters, so a case is listed once however many tasks or shares it has, with
no DISTINCT over every case in scope, and the queries do not grow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ahtc.accounts.models import User
from ahtc.cases import services
from ahtc.cases.models import Case

pytestmark = pytest.mark.django_db

LoginAs = Callable[[User], Client]
MakeCase = Callable[..., Case]


def _task(case: Case, by: User, to: User) -> None:
    due = timezone.localdate() + dt.timedelta(days=3)
    services.task_add(case=case, by=by, title="Record the statement", assignee=to, due=due)


def _mine(client: Client) -> Any:
    response = client.get(reverse("cell:cases") + "?view=mine")
    assert response.status_code == 200
    return response


def test_case_with_two_open_tasks_is_listed_once(
    make_case: MakeCase, officer_mbdin: User, io_mbdin: User, login_as: LoginAs
) -> None:
    case = make_case()
    _task(case, officer_mbdin, io_mbdin)
    _task(case, officer_mbdin, io_mbdin)
    page = _mine(login_as(io_mbdin)).context["page"]
    assert [c.pk for c in page] == [case.pk]
    assert page.paginator.count == 1


def test_mine_excludes_cases_without_the_users_open_task(
    make_case: MakeCase, officer_mbdin: User, io_mbdin: User, login_as: LoginAs
) -> None:
    tasked, other = make_case(), make_case()
    _task(tasked, officer_mbdin, io_mbdin)
    shown = {c.pk for c in _mine(login_as(io_mbdin)).context["page"]}
    assert tasked.pk in shown
    assert other.pk not in shown


def test_other_district_sees_none_of_them(
    make_case: MakeCase, officer_gujrat: User, login_as: LoginAs
) -> None:
    case = make_case()
    page = login_as(officer_gujrat).get(reverse("cell:cases") + "?view=district")
    assert case.reference.encode() not in page.content


def test_mine_queries_do_not_grow_with_cases_and_tasks(
    make_case: MakeCase, officer_mbdin: User, io_mbdin: User, login_as: LoginAs
) -> None:
    client = login_as(io_mbdin)
    _task(make_case(), officer_mbdin, io_mbdin)
    _mine(client)
    with CaptureQueriesContext(connection) as small:
        _mine(client)
    for _ in range(8):
        case = make_case()
        _task(case, officer_mbdin, io_mbdin)
        _task(case, officer_mbdin, io_mbdin)
    with CaptureQueriesContext(connection) as large:
        page = _mine(client).context["page"]
    assert len(large) == len(small)
    assert page.paginator.count == 9
    # Neither the page nor its count sorts out repeated rows.
    assert not [q for q in large.captured_queries if "DISTINCT" in q["sql"].upper()]
