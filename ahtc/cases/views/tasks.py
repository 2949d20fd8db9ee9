"""Tasks on a case: add one, mark one done."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ahtc.accounts.decorators import refused, staff_view
from ahtc.accounts.roles import Perm
from ahtc.cases import forms as f
from ahtc.cases import services as s
from ahtc.cases.models import Task
from ahtc.cases.views._common import (
    CASE_WORK,
    _action,
    _detail_url,
    _in_case,
    _load,
    _post,
    _staff_in,
)


@staff_view(CASE_WORK)
def task_add(request: HttpRequest, reference: str) -> HttpResponse:
    return _action(
        request,
        reference,
        need="manage",
        build=lambda c, a, r: f.TaskForm(
            _post(r)[0],
            people=_staff_in(c, (Perm.INVESTIGATE, Perm.MANAGE_CASES)),
            initial={"due": timezone.localdate() + dt.timedelta(days=7)},
        ),
        handle=lambda case, d, a, r: s.task_add(case=case, by=r.user, **d),
        title=_("Add a task"),
        anchor="tasks",
        done=_("Task added."),
    )


@require_POST
@staff_view(CASE_WORK)
def task_done(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case, access = _load(request, reference)
    task = _in_case(request, Task, pk, case=case)
    if not (access.manage or task.assignee_id == request.user.pk):
        return refused(request, case, "task not the user's")
    s.task_done(task=task, by=request.user)
    messages.success(request, _("Task done."))
    return redirect(_detail_url(case, "tasks"))
