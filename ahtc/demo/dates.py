"""Demo actions are dated by their story, not by the day the demo is built.

Services stamp "now" on what they record (who answered a handover, when a
challan item was done, when a party was added); a demo story set in 2025 is
built today. After a story is built, every such stamp inside its case is moved
to the day the story says it happened: a dated step (FIR, arrest, hearing held,
verdict, consent, route event) is recorded on its own day, and anything else
stamped after the story's last day is moved back to that day. The audit log is
never touched (it is append-only and says when the demo was built).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max, Q
from django.utils import timezone

from ahtc.cases.models import (
    Arrest,
    Case,
    CaseEvent,
    CaseShare,
    ChallanItem,
    Consent,
    CustodyEntry,
    Evidence,
    Fir,
    Handover,
    Hearing,
    Party,
    StatusChange,
    Task,
    Verdict,
)

# (model, the lookup to the case, the fields stamped with "now")
STAMPED: list[tuple[Any, str, tuple[str, ...]]] = [
    (Party, "case", ("created_at", "updated_at")),
    (Fir, "case", ("created_at", "updated_at")),
    (Arrest, "party__case", ("created_at", "updated_at")),
    (Hearing, "case", ("created_at", "updated_at")),
    (Verdict, "party__case", ("created_at", "updated_at")),
    (Handover, "case", ("created_at", "updated_at", "answered_at")),
    (ChallanItem, "case", ("io_done_at", "prosecutor_ok_at")),
    (Consent, "case", ("recorded_at",)),
    (CaseShare, "case", ("shared_at",)),
    (Evidence, "case", ("created_at", "updated_at")),
    (CustodyEntry, "evidence__case", ("at",)),
    (Task, "case", ("created_at", "updated_at", "done_at")),
    (CaseEvent, "case", ("created_at", "updated_at")),
]

# Steps with a date of their own: recorded on that day.
DATED: list[tuple[Any, str, str]] = [
    (Fir, "case", "date"),
    (Arrest, "party__case", "date"),
    (Verdict, "party__case", "date"),
    (Consent, "case", "given_on"),
]


def _moment(day: dt.date, hour: int = 11) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def story_last_day(case: Case) -> dt.date:
    """The latest day the story reaches: its last status change, or a dated
    step after it (hearings only once held)."""
    days = [timezone.localtime(case.created_at).date()]
    changed = StatusChange.objects.filter(case=case).aggregate(m=Max("at"))["m"]
    if changed is not None:
        days.append(timezone.localtime(changed).date())
    for model, to_case, field in [*DATED, (Hearing, "case", "date")]:
        rows = model.objects.filter(**{to_case: case})
        if model is Hearing:
            rows = rows.exclude(outcome="")
        last = rows.aggregate(m=Max(field))["m"]
        if last is not None:
            days.append(last)
    return min(max(days), timezone.localdate())


def story_dates_settle(case: Case) -> None:
    case = Case.objects.get(pk=case.pk)  # the opening day is set by an update
    end = _moment(story_last_day(case), 17)
    for model, to_case, field in DATED:
        for row in model.objects.filter(**{to_case: case}):
            stamp = "recorded_at" if model is Consent else "created_at"
            changes = {stamp: _moment(getattr(row, field))}
            if stamp == "created_at":
                changes["updated_at"] = changes[stamp]
            model.objects.filter(pk=row.pk).update(**changes)
    for model, to_case, fields in STAMPED:
        for name in fields:
            late = Q(**{f"{name}__gt": end})
            model.objects.filter(late, **{to_case: case}).update(**{name: end})
    Case.objects.filter(pk=case.pk, updated_at__gt=end).update(updated_at=end)
