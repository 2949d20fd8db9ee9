"""Tasks on a case, and saved searches."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.cases.models import Case, SavedSearch, Task
from ahtc.cases.services._common import CaseError, _audit
from ahtc.notifications.services import notify_task_assigned


@transaction.atomic
def task_add(*, case: Case, by: Any, title: str, assignee: Any, due: dt.date) -> Task:
    scope = user_scope(assignee)
    if not any(
        scope.permits(p, case.district)
        for p in (Perm.MANAGE_CASES, Perm.INVESTIGATE, Perm.VIEW_SHARED, Perm.PROSECUTE)
    ):
        raise CaseError(_("Choose someone who works on cases in this district."))
    task = Task.objects.create(case=case, title=title, assignee=assignee, due=due, added_by=by)
    _audit(by, case, "task added")
    notify_task_assigned(task=task, by=by)
    return task


@transaction.atomic
def task_done(*, task: Task, by: Any) -> Task:
    if task.done_at is None:
        task.done_at = timezone.now()
        task.done_by = by
        task.save(update_fields=["done_at", "done_by", "updated_at"])
        _audit(by, task.case, "task done")
    return task


@transaction.atomic
def saved_search_save(*, user: Any, name: str, query: str) -> SavedSearch:
    name = name.strip()[:80]
    if not name:
        raise CaseError(_("Give the search a name."))
    search, _created = SavedSearch.objects.update_or_create(
        user=user, name=name, defaults={"query": query[:500]}
    )
    return search
