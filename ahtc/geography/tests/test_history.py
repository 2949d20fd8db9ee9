"""A district split keeps the old district's history (DOMAIN.md §5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ahtc.geography.models import Area, AreaLevel


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.mark.django_db
class TestWazirabadSplit:
    def test_new_district_links_to_its_predecessor(self):
        wazirabad = Area.objects.get(code="PK637")
        assert [p.code for p in wazirabad.predecessors.all()] == ["PK609"]
        assert wazirabad.valid_from is not None
        assert "PK637" in Area.objects.get(code="PK609").successors.values_list("code", flat=True)

    def test_moved_tehsil_keeps_its_old_row_under_the_old_district(self):
        wazirabad = Area.objects.get(code="PK637")
        split = wazirabad.valid_from
        old_rows = Area.objects.filter(parent__code="PK609", valid_to=split)
        assert old_rows.exists(), "the tehsil that moved must stay under Gujranwala, ended"
        for old in old_rows:
            successors = list(old.successors.all())
            assert successors
            assert all(s.parent == wazirabad and s.valid_from == split for s in successors)

    def test_tree_as_of_a_date_before_and_after_the_split(self):
        split = Area.objects.get(code="PK637").valid_from
        assert split is not None
        before, after = split - dt.timedelta(days=1), split
        gujranwala = Area.objects.get(code="PK609")
        tehsils_before = set(Area.objects.valid_on(before).within(gujranwala).of_level("tehsil"))
        tehsils_after = set(Area.objects.valid_on(after).within(gujranwala).of_level("tehsil"))
        assert tehsils_after < tehsils_before
        districts_before = Area.objects.valid_on(before).of_level(AreaLevel.DISTRICT)
        assert not districts_before.filter(code="PK637").exists()

    def test_records_filed_under_the_old_tehsil_still_count_for_the_old_district(self):
        split = Area.objects.get(code="PK637").valid_from
        assert split is not None
        old_tehsil = Area.objects.filter(parent__code="PK609", valid_to=split).first()
        assert old_tehsil is not None
        gujranwala = Area.objects.get(code="PK609")
        assert gujranwala.contains(old_tehsil)
        assert not old_tehsil.is_valid_on(split)
        assert old_tehsil.is_valid_on(split - dt.timedelta(days=1))


@pytest.mark.django_db
def test_descendants_of_a_division_are_one_query():
    division = Area.objects.get(code="PK6DV03")
    with CaptureQueriesContext(connection) as queries:
        codes = set(
            Area.objects.within(division)
            .current()
            .of_level("district")
            .values_list("code", flat=True)
        )
    assert len(queries) == 1
    assert codes == {"PK610", "PK611", "PK620", "PK637"}
