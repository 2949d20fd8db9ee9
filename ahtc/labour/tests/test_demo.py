"""The demo's seventy-two children withdrawn from work are child-labour
findings; only the four in bonded labour have victim records."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db.models import F
from django.utils import timezone

from ahtc.accounts.models import User
from ahtc.demo.build import demo_build
from ahtc.labour.models import ChildLabourFinding
from ahtc.labour.selectors import schooling_for_user
from ahtc.victims.models import ProtectionRecord


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: object) -> Iterator[None]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        from django.db import transaction

        with transaction.atomic():
            demo_build()
            yield
            transaction.set_rollback(True)


@pytest.mark.django_db
def test_seventy_two_findings_through_to_school(demo: None) -> None:
    findings = ChildLabourFinding.objects.all()
    assert findings.count() == 72
    assert findings.filter(withdrawn=True, referred_on__isnull=False).count() == 72
    assert findings.filter(enrolled_on__isnull=False).count() == 66
    assert set(findings.values_list("place_kind", flat=True)) >= {
        "brick_kiln",
        "workshop_auto",
        "workshop_electrical",
        "workshop_manufacturing",
    }
    school = User.objects.get(username="school_mbdin")
    assert schooling_for_user(school).count() == 72


@pytest.mark.django_db
def test_only_the_bonded_children_have_victim_records(demo: None) -> None:
    linked = ChildLabourFinding.objects.filter(victim_record__isnull=False)
    assert linked.count() == 4
    assert not linked.exclude(victim_record__person=F("person")).exists()
    children = ChildLabourFinding.objects.values("person")
    assert ProtectionRecord.objects.filter(person__in=children).count() == 4


@pytest.mark.django_db
def test_dates_follow_the_story(demo: None) -> None:
    today = timezone.localdate()
    for finding in ChildLabourFinding.objects.all():
        steps = [finding.withdrawn_on, finding.referred_on, finding.enrolled_on]
        days = [finding.found_on, *(day for day in steps if day is not None)]
        assert len(days) >= 3, finding.reference
        assert days == sorted(days), finding.reference
        assert max(days) < today
        assert timezone.localtime(finding.created_at).date() == finding.found_on


@pytest.mark.django_db
def test_the_survey_figures_come_out_of_the_records(demo: None) -> None:
    from ahtc.labour.indicators import survey_figures
    from ahtc.labour.models import Workshop

    figures = survey_figures(area_path="PK6/PK6DV03/PK620/")
    assert (figures.kilns, figures.kilns_surveyed, figures.workers) == (230, 44, 100)
    assert figures.in_debt.percent == 89
    assert figures.unaware_of_minimum_wage.percent == 98
    assert figures.illiterate.percent == 95
    assert figures.without_contract.percent == 100
    assert Workshop.objects.count() == 116


@pytest.mark.django_db
def test_wage_agreement_eobi_and_school_follow_ups(demo: None) -> None:
    import datetime as dt

    from ahtc.labour import indicators as ind
    from ahtc.labour.models import AttendanceCheck, Undertaking

    path = "PK6/PK6DV03/PK620/"
    fy25 = {"start": dt.date(2024, 7, 1), "end": dt.date(2025, 7, 1)}
    assert Undertaking.objects.filter(fulfilled_on__isnull=False).count() == 38
    assert ind.wage_compliant_share(area_path=path, **fy25).denominator == 44
    assert ind.kilns_inspected(area_path=path, **fy25) == 44
    assert ind.workers_registered_eobi(area_path=path, **fy25) == 60
    assert (
        ind.advances_above_limit(area_path=path, start=dt.date(2024, 7, 1), end=dt.date(2025, 1, 1))
        > 0
    )
    assert AttendanceCheck.objects.filter(status="dropped_out").count() == 4
    six = ind.still_attending_after_six_months(area_path=path, on=timezone.localdate())
    assert six.denominator == 66
    assert 0 < six.numerator < 66
    findings = ChildLabourFinding.objects.all()
    assert (
        findings.filter(kiln__isnull=False).count()
        + findings.filter(workshop__isnull=False).count()
        == 72
    )
