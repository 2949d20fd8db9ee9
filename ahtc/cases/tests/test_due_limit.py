"""Due and overdue stays a page a person can read at province scale (issue 19)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ahtc.accounts.models import User
from ahtc.cases.models import Case, Task
from ahtc.cases.views.lists import DUE_LIMIT

pytestmark = pytest.mark.django_db


def overdue_tasks(case: Case, user: User, count: int) -> None:
    today = timezone.localdate()
    Task.objects.bulk_create(
        Task(
            case=case,
            title=f"Task {n}",
            assignee=user,
            due=today - dt.timedelta(days=1 + n),
            added_by=user,
        )
        for n in range(count)
    )


def rows(html: str, section: str) -> int:
    part = html.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]
    return len(re.findall(r"<tr\b", part)) - 1  # minus the header row


def test_a_long_backlog_is_cut_and_counted(
    case: Case, dpo_mbdin: User, login_as: Callable[[User], Client]
) -> None:
    overdue_tasks(case, dpo_mbdin, DUE_LIMIT + 5)
    html = login_as(dpo_mbdin).get(reverse("cell:cases_due")).content.decode()
    assert rows(html, "overdue-h") == DUE_LIMIT
    assert "5 more are not" in html
    assert "Task 104" in html  # the longest overdue first
    assert "Task 4<" not in html


def test_a_short_list_is_whole_and_says_nothing_more(
    case: Case, dpo_mbdin: User, login_as: Callable[[User], Client]
) -> None:
    overdue_tasks(case, dpo_mbdin, 3)
    html = login_as(dpo_mbdin).get(reverse("cell:cases_due")).content.decode()
    assert rows(html, "overdue-h") == 3
    assert "more are not" not in html


def test_queries_do_not_grow_with_the_backlog(
    case: Case, dpo_mbdin: User, login_as: Callable[[User], Client]
) -> None:
    client = login_as(dpo_mbdin)
    overdue_tasks(case, dpo_mbdin, 3)
    client.get(reverse("cell:cases_due"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("cell:cases_due"))
    overdue_tasks(case, dpo_mbdin, DUE_LIMIT + 20)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("cell:cases_due"))
    assert len(large.captured_queries) <= len(small.captured_queries) + 1  # the one COUNT
