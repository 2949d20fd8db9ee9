"""The demo keeps the data-integrity rules of issue 10: reports linked to real
cases, ordered past dates, one fate per missing migrant, and every action dated
by its story rather than by the day the demo is built."""

from __future__ import annotations

import pytest
from django.db.models import Min
from django.utils import timezone

from ahtc.cases.models import Arrest, Case, ChallanItem, Fir, Handover, Hearing, Party, Verdict
from ahtc.demo.build import demo_build
from ahtc.demo.dates import STAMPED
from ahtc.portal.models import Tip, TipStatus
from ahtc.victims.models import MissingMigrant, MissingMigrantFamily


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: object) -> object:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        from django.db import transaction

        with transaction.atomic():
            demo_build()
            yield
            transaction.set_rollback(True)


@pytest.mark.django_db
def test_every_linked_report_has_its_case(demo: object) -> None:
    linked = Tip.objects.filter(status=TipStatus.LINKED)
    assert linked.exists()
    assert not linked.filter(case__isnull=True).exists()
    for tip in linked.select_related("case"):
        assert tip.case is not None
        assert tip.case.district_id == tip.district_id


@pytest.mark.django_db
def test_proceedings_are_in_order_and_in_the_past(demo: object) -> None:
    today = timezone.localdate()
    assert not Fir.objects.filter(date__gt=today).exists()
    assert not Arrest.objects.filter(date__gt=today).exists()
    assert not Verdict.objects.filter(date__gt=today).exists()
    assert not Hearing.objects.filter(date__gt=today).exclude(outcome="").exists()
    for case in Case.objects.annotate(first_fir=Min("firs__date")).exclude(first_fir=None):
        if case.offence_date:
            assert case.first_fir >= case.offence_date, case.reference
        assert not Arrest.objects.filter(party__case=case, date__lt=case.first_fir).exists()
        assert not Verdict.objects.filter(party__case=case, date__lt=case.first_fir).exists()


@pytest.mark.django_db
def test_relatives_of_one_migrant_share_one_fate(demo: object) -> None:
    assert MissingMigrant.objects.filter(fate="deceased").exists()
    assert not MissingMigrantFamily.objects.filter(migrant=None).exists()
    for migrant in MissingMigrant.objects.all():
        assert migrant.families.count() == 2


@pytest.mark.django_db
def test_story_actions_are_not_dated_on_the_build_day(demo: object) -> None:
    today = timezone.localdate()
    stories = Case.objects.filter(year__lt=today.year)
    assert stories.exists()
    for model, to_case, fields in STAMPED:
        for name in fields:
            rows = model.objects.filter(**{f"{to_case}__in": stories, f"{name}__date": today})
            assert not rows.exists(), f"{model.__name__}.{name} dated today"
    assert not ChallanItem.objects.filter(case__in=stories, io_done_at__date=today).exists()
    assert not Handover.objects.filter(case__in=stories, answered_at__date=today).exists()
    assert not Party.objects.filter(case__in=stories, created_at__date=today).exists()


@pytest.mark.django_db
def test_the_match_review_queue_is_one_an_analyst_can_work_through(demo: object) -> None:
    """Synthetic names that differ only by a number ("Kiln owner 001") are one
    name to the matching run, which proposed 13,000 pairs for 515 people: every
    person of the demo now has a name of their own, and the queue holds the
    recurring agents' pairs, not a pair for every two owners."""
    from ahtc.people.models import MatchCandidate, Person

    people = Person.objects.count()
    assert people > 300
    assert 8 <= MatchCandidate.objects.count() < people // 2
