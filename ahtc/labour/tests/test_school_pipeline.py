"""From work to school and after: termly attendance, dropout alerts to the
district's officers (by the scheduled job, once, by count and link), and the
share still attending six months after enrolment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from ahtc.accounts.models import User
from ahtc.geography.models import Area
from ahtc.jobs.schedule import SCHEDULE
from ahtc.labour import indicators as ind
from ahtc.labour import services as s
from ahtc.labour.models import ChildLabourFinding
from ahtc.notifications.models import Notification, NotificationKind

from .conftest import MakeFinding

pytestmark = pytest.mark.django_db
D = dt.date
ENROLLED = D(2025, 3, 10)


def enrolled(finding: ChildLabourFinding, by: User, on: dt.date = ENROLLED) -> ChildLabourFinding:
    return s.finding_enrol(
        finding=finding, by=by, school_name="GPS (synthetic)", school_grade="2", enrolled_on=on
    )


def test_attendance_needs_an_enrolment_and_one_check_per_term(
    make_finding: MakeFinding, referred: ChildLabourFinding, officer_mbdin: User
) -> None:
    with pytest.raises(s.LabourError, match="enrolment first"):
        s.attendance_record(
            finding=referred,
            by=officer_mbdin,
            term="2025-T1",
            checked_on=D(2025, 4, 1),
            status="attending",
        )
    child = enrolled(referred, officer_mbdin)
    s.attendance_record(
        finding=child,
        by=officer_mbdin,
        term="2025-T1",
        checked_on=D(2025, 6, 1),
        status="attending",
    )
    with pytest.raises(s.LabourError, match="already recorded"):
        s.attendance_record(
            finding=child,
            by=officer_mbdin,
            term="2025-T1",
            checked_on=D(2025, 6, 2),
            status="irregular",
        )
    with pytest.raises(s.LabourError, match="before the enrolment"):
        s.attendance_record(
            finding=child,
            by=officer_mbdin,
            term="2025-T0",
            checked_on=D(2025, 3, 1),
            status="attending",
        )


def test_a_dropout_is_told_to_the_districts_officers_once(
    referred: ChildLabourFinding,
    officer_mbdin: User,
    officer_gujrat: User,
    dpo_mbdin: User,
    school_mbdin: User,
) -> None:
    child = enrolled(referred, school_mbdin)
    s.attendance_record(
        finding=child,
        by=school_mbdin,
        term="2025-T2",
        checked_on=D(2025, 9, 20),
        status="dropped_out",
    )
    assert s.dropouts_alert() == 1
    told = Notification.objects.filter(kind=NotificationKind.SCHOOL_DROPOUTS)
    assert set(told.values_list("recipient__username", flat=True)) == {"officer_mbdin", "dpo_mbdin"}
    assert told.first().link == "/cell/labour/?stage=dropped_out"  # type: ignore[union-attr]
    assert "dropped out of school" in told.first().text  # type: ignore[union-attr]
    assert s.dropouts_alert() == 0
    assert told.get(recipient=officer_mbdin).count == 1


def test_the_alert_runs_daily_from_the_schedule() -> None:
    entry = next(e for e in SCHEDULE if e.name == "labour_school_alerts")
    assert entry.every == dt.timedelta(days=1)
    assert entry.task == "ahtc.labour.tasks.labour_school_alerts_job"


def test_still_attending_after_six_months(
    make_finding: MakeFinding,
    referred: ChildLabourFinding,
    officer_mbdin: User,
    cpb_mbdin: Any,
    mbdin: Area,
) -> None:
    first = enrolled(referred, officer_mbdin)
    second = make_finding("Second Synthetic Child")
    second = s.finding_withdraw(finding=second, by=officer_mbdin, withdrawn_on=D(2025, 3, 5))
    second = s.finding_refer(
        finding=second, by=officer_mbdin, referred_on=D(2025, 3, 6), child_protection=cpb_mbdin
    )
    second = enrolled(second, officer_mbdin)
    late = make_finding("Third Synthetic Child", found_on=D(2025, 6, 1))
    late = s.finding_withdraw(finding=late, by=officer_mbdin, withdrawn_on=D(2025, 6, 1))
    late = s.finding_refer(
        finding=late, by=officer_mbdin, referred_on=D(2025, 6, 2), child_protection=cpb_mbdin
    )
    enrolled(late, officer_mbdin, D(2025, 6, 3))  # not yet six months by 1 Oct
    record: Callable[..., Any] = s.attendance_record
    record(
        finding=first, by=officer_mbdin, term="T1", checked_on=D(2025, 6, 1), status="dropped_out"
    )
    record(
        finding=first, by=officer_mbdin, term="T2", checked_on=D(2025, 9, 15), status="attending"
    )
    record(
        finding=second, by=officer_mbdin, term="T2", checked_on=D(2025, 9, 15), status="dropped_out"
    )
    share = ind.still_attending_after_six_months(area_path=mbdin.path, on=D(2025, 10, 1))
    # Enrolled 10 March: six months is 8 September. First back at school, second gone.
    assert (share.numerator, share.denominator, share.percent) == (1, 2, 50)
    early = ind.still_attending_after_six_months(area_path=mbdin.path, on=D(2025, 9, 10))
    assert (early.numerator, early.denominator) == (0, 2)  # no check six months on yet


def test_parents_counselled_and_support_recorded(
    referred: ChildLabourFinding, officer_mbdin: User
) -> None:
    support = s.family_support_record(
        finding=referred,
        by=officer_mbdin,
        kind="counselling",
        given_on=D(2025, 3, 7),
        given_by="CPB",
    )
    assert support.get_kind_display() == "parents counselled"
    with pytest.raises(s.LabourError):
        s.family_support_record(
            finding=referred, by=officer_mbdin, kind="cash", given_on=D(2025, 3, 7), given_by=" "
        )
