from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ahtc.portal.duplicates import normalise_phone, possible_duplicates
from ahtc.portal.models import Tip

from .test_intake import make_tip


@pytest.mark.parametrize(
    "raw", ["0300-1234567", "+92 300 1234567", "0092-300-1234567", "3001234567", "0300 123 4567"]
)
def test_pakistani_mobile_formats_normalise_alike(raw):
    assert normalise_phone(raw) == "03001234567"


@pytest.mark.django_db
class TestPossibleDuplicates:
    def test_same_phone_in_another_format_is_found(self, officer_mbdin):
        first = make_tip(category="fake_agent", involved="agent Kashif, 0300-1234567")
        second = make_tip(category="missing_abroad", involved="+92 300 1234567 took money")
        make_tip(category="missing_abroad", involved="0311-7654321")
        found = possible_duplicates(second, officer_mbdin)
        assert found[0].tip == first
        assert "same phone number" in found[0].reasons

    def test_same_agency_name_is_found(self, officer_mbdin):
        first = make_tip(category="fake_agent", involved="Sky Wings Travels")
        second = make_tip(category="other", involved="sky wings")
        found = possible_duplicates(second, officer_mbdin)
        assert [c.tip for c in found] == [first]

    def test_same_kind_same_district_nearby_in_time(self, officer_mbdin):
        first = make_tip(category="child_labour")
        later = make_tip(category="child_labour")
        Tip.objects.filter(pk=first.pk).update(created_at=later.created_at - dt.timedelta(days=30))
        assert possible_duplicates(later, officer_mbdin) == []

    def test_duplicates_outside_scope_stay_hidden(self, officer_mbdin, login_as):
        theirs = make_tip(district="PK610", involved="0300-1234567")
        mine = make_tip(involved="0300-1234567")
        page = login_as(officer_mbdin).get(reverse("cell:intake_detail", args=[mine.pk]))
        assert theirs.reference.encode() not in page.content

    def test_no_plain_phone_is_stored_for_searching(self):
        from django.db import connection

        make_tip(involved="0300-1234567")
        with connection.cursor() as cursor:
            cursor.execute("SELECT value_hash FROM portal_tipindicator")
            assert "1234567" not in repr(cursor.fetchall())
