"""Duplicate suggestions stay right when the province is large (issue 19)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.portal import duplicates
from ahtc.portal.duplicates import possible_duplicates
from ahtc.portal.models import Tip

from .test_intake import make_tip

# Phone and two words: 5 + 2 + 2, far stronger than one shared word.
STRONG = "agent Kashif Baloch, 0300-1234567"


def _far_in_time(tip: Tip, days: int = 60) -> Tip:
    """Move a report out of the "same kind, nearby" window of the others."""
    Tip.objects.filter(pk=tip.pk).update(created_at=tip.created_at - dt.timedelta(days=days))
    tip.refresh_from_db()
    return tip


def _tips_elsewhere(count: int, involved: str = STRONG, district: str = "PK620") -> list[Tip]:
    """Reports in Mandi Bahauddin: another district for the Gujrat officer."""
    return [make_tip(district=district, involved=involved) for _ in range(count)]


@pytest.mark.django_db
class TestSmallDistrict:
    def test_weak_match_is_not_pushed_out_by_stronger_ones_elsewhere(self, officer_gujrat: User):
        _tips_elsewhere(25)
        mine = _far_in_time(make_tip(district="PK610", category="other", involved="Kashif"))
        probe = make_tip(district="PK610", category="fake_agent", involved=STRONG)
        found = possible_duplicates(probe, officer_gujrat)
        assert [c.tip for c in found] == [mine]
        assert found[0].reasons == ["same name or word"]

    def test_same_phone_duplicate_shows(self, officer_gujrat: User):
        _tips_elsewhere(25)
        same_phone = _far_in_time(
            make_tip(district="PK610", category="other", involved="+92 300 1234567")
        )
        probe = make_tip(district="PK610", category="fake_agent", involved=STRONG)
        found = possible_duplicates(probe, officer_gujrat)
        assert found[0].tip == same_phone
        assert "same phone number" in found[0].reasons

    def test_user_of_one_district_never_gets_another_districts_reports(
        self, officer_gujrat: User, login_as: Any
    ):
        theirs = _tips_elsewhere(3)
        probe = make_tip(district="PK610", involved=STRONG)
        found = possible_duplicates(probe, officer_gujrat)
        assert not {c.tip.pk for c in found} & {t.pk for t in theirs}
        page = login_as(officer_gujrat).get(reverse("cell:intake_detail", args=[probe.pk]))
        assert page.status_code == 200
        for tip in theirs:
            assert tip.reference.encode() not in page.content


@pytest.mark.django_db
class TestCommonValues:
    def test_a_very_common_value_makes_nothing_a_duplicate(
        self, officer_mbdin: User, monkeypatch: Any
    ):
        monkeypatch.setattr(duplicates, "COMMON_VALUE_LIMIT", 3)
        for category in ("other", "child_labour", "forced_marriage", "forced_begging"):
            _far_in_time(make_tip(category=category, involved="Muhammad"))
        probe = make_tip(category="fake_agent", involved="Muhammad")
        assert possible_duplicates(probe, officer_mbdin) == []

    def test_a_value_at_the_limit_still_counts(self, officer_mbdin: User, monkeypatch: Any):
        monkeypatch.setattr(duplicates, "COMMON_VALUE_LIMIT", 3)
        for category in ("other", "child_labour", "forced_marriage"):
            _far_in_time(make_tip(category=category, involved="Muhammad"))
        probe = make_tip(category="fake_agent", involved="Muhammad")
        assert len(possible_duplicates(probe, officer_mbdin)) == 3

    def test_common_elsewhere_still_counts_here(self, officer_gujrat: User, monkeypatch: Any):
        """Common is counted within the user's districts, not the province."""
        monkeypatch.setattr(duplicates, "COMMON_VALUE_LIMIT", 3)
        _tips_elsewhere(5, involved="Muhammad")
        mine = _far_in_time(make_tip(district="PK610", category="other", involved="Muhammad"))
        probe = make_tip(district="PK610", category="fake_agent", involved="Muhammad")
        assert [c.tip for c in possible_duplicates(probe, officer_gujrat)] == [mine]


@pytest.mark.django_db
class TestQueryCount:
    def _probe_queries(self, user: User, probe: Tip, assert_max: Any) -> int:
        # The grants and the ids of their areas, read once per request before this.
        user_scope(user).area_ids(Perm.TRIAGE_TIPS)
        with assert_max(2):
            found = possible_duplicates(probe, user)
            # Reading the results (district names, reasons) costs nothing more.
            assert all(c.tip.district.name_en and c.reasons for c in found)
        return len(found)

    @pytest.mark.parametrize("size", [3, 30])
    def test_queries_do_not_grow_with_data(
        self, officer_mbdin: User, django_assert_max_num_queries: Any, size: int
    ):
        for n in range(size):
            make_tip(category="other" if n % 2 else "fake_agent", involved=STRONG)
        _tips_elsewhere(size // 3, district="PK610")
        probe = make_tip(involved=STRONG)
        assert self._probe_queries(officer_mbdin, probe, django_assert_max_num_queries) == min(
            size, 5
        )
