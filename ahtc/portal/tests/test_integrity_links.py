"""'Linked to a case' is a real relation: one case per report (issue 10)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.cases.models import Case, Origin
from ahtc.cases.services import CaseError, case_link_reports, case_open
from ahtc.core.models import AuditEvent
from ahtc.geography.models import Area
from ahtc.portal.models import Tip, TipStatus
from ahtc.portal.services import TipError, tip_set_status
from ahtc.portal.tests.test_intake import make_tip

pytestmark = pytest.mark.django_db


def open_case(by: User, district: str = "PK620", **changes: Any) -> Case:
    values: dict[str, Any] = {
        "district": Area.objects.get(code=district),
        "by": by,
        "title": "Visit-visa agent, Libya route",
        "origin": Origin.OWN_INITIATIVE,
    }
    values.update(changes)
    return case_open(**values)


def bulk(client: Client, tips: list[Tip], status: str, case: str = "") -> Any:
    data = {"tips": [t.pk for t in tips], "status": status, "case": case}
    return client.post(reverse("cell:intake"), data)


class TestBulkLink:
    def test_linked_without_a_case_is_refused_and_keeps_the_choice(
        self, officer_mbdin: User, login_as: Callable[[User], Client]
    ) -> None:
        tips = [make_tip(), make_tip()]
        response = bulk(login_as(officer_mbdin), tips, TipStatus.LINKED)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Give the reference of the case these reports belong to." in page
        assert page.count(" checked") == 2  # the selection is kept
        assert set(Tip.objects.values_list("status", flat=True)) == {TipStatus.NEW}

    def test_linked_with_a_case_sets_the_relation(
        self, officer_mbdin: User, login_as: Callable[[User], Client]
    ) -> None:
        case = open_case(officer_mbdin)
        tips = [make_tip(), make_tip()]
        response = bulk(login_as(officer_mbdin), tips, TipStatus.LINKED, case.reference.lower())
        assert response.status_code == 302
        for tip in Tip.objects.all():
            assert (tip.status, tip.case_id) == (TipStatus.LINKED, case.pk)
        assert AuditEvent.objects.filter(reason="2 citizen report(s) linked").exists()

    def test_unknown_or_foreign_case_is_refused_and_the_reference_kept(
        self,
        officer_mbdin: User,
        officer_gujrat: User,
        login_as: Callable[[User], Client],
    ) -> None:
        theirs = open_case(officer_gujrat, district="PK610")
        tip = make_tip()
        client = login_as(officer_mbdin)
        for reference in (theirs.reference, "MBD-1999-0001"):
            page = bulk(client, [tip], TipStatus.LINKED, reference).content.decode()
            assert f"No case {reference} that you run." in page
            assert f'value="{reference}"' in page
        tip.refresh_from_db()
        assert (tip.status, tip.case_id) == (TipStatus.NEW, None)

    def test_report_of_another_case_is_not_moved(
        self, officer_mbdin: User, login_as: Callable[[User], Client]
    ) -> None:
        first, second = open_case(officer_mbdin), open_case(officer_mbdin)
        tip, other = make_tip(), make_tip()
        case_link_reports(case=first, tips=[tip], by=officer_mbdin)
        page = bulk(login_as(officer_mbdin), [tip, other], TipStatus.LINKED, second.reference)
        assert "Already part of another case" in page.content.decode()
        tip.refresh_from_db()
        other.refresh_from_db()
        assert tip.case_id == first.pk
        assert other.case_id is None  # all or none

    def test_helpline_user_cannot_link(
        self, make_user: Callable[..., User], officer_mbdin: User, login_as: Any
    ) -> None:
        from ahtc.accounts.roles import Role

        helpline = make_user("helpline_mbdin", Role.HELPLINE, "PK620")
        case = open_case(officer_mbdin)
        tip = make_tip()
        response = bulk(login_as(helpline), [tip], TipStatus.LINKED, case.reference)
        assert response.status_code == 403
        tip.refresh_from_db()
        assert tip.case_id is None


class TestRules:
    def test_status_linked_needs_a_case_in_the_service(self, officer_mbdin: User) -> None:
        tip = make_tip()
        with pytest.raises(TipError, match="which case"):
            tip_set_status(tip=tip, status=TipStatus.LINKED, by=officer_mbdin)

    def test_database_refuses_linked_without_a_case(self) -> None:
        tip = make_tip()
        with pytest.raises(IntegrityError), transaction.atomic():
            Tip.objects.filter(pk=tip.pk).update(status=TipStatus.LINKED)

    def test_case_of_another_district_is_refused(
        self, officer_mbdin: User, officer_gujrat: User
    ) -> None:
        theirs = open_case(officer_gujrat, district="PK610")
        with pytest.raises(CaseError, match="Not in the district"):
            case_link_reports(case=theirs, tips=[make_tip()], by=officer_gujrat)

    def test_opening_a_case_links_the_report(self, officer_mbdin: User) -> None:
        tip = make_tip()
        case = open_case(officer_mbdin, origin=Origin.TIP, tip=tip)
        tip.refresh_from_db()
        assert (tip.status, tip.case_id) == (TipStatus.LINKED, case.pk)

    def test_second_case_from_a_linked_report_needs_a_split_reason(
        self, officer_mbdin: User
    ) -> None:
        tip = make_tip()
        first = open_case(officer_mbdin, origin=Origin.TIP, tip=tip)
        with pytest.raises(CaseError, match=f"already belongs to case {first.reference}"):
            open_case(officer_mbdin, origin=Origin.TIP, tip=tip)
        split = open_case(
            officer_mbdin, origin=Origin.TIP, tip=tip, split_reason="Two unrelated offences"
        )
        tip.refresh_from_db()
        assert split.tip_split
        assert split.split_reason == "Two unrelated offences"
        assert tip.case_id == first.pk  # the report stays with its case
        assert Case.objects.filter(tip=tip).count() == 2

    def test_database_refuses_two_unsplit_cases_per_report(self, officer_mbdin: User) -> None:
        tip = make_tip()
        first = open_case(officer_mbdin, origin=Origin.TIP, tip=tip)
        second = open_case(officer_mbdin)
        with pytest.raises(IntegrityError), transaction.atomic():
            Case.objects.filter(pk=second.pk).update(tip=first.tip)


class TestPages:
    def test_open_case_page_asks_for_the_split_reason_and_keeps_input(
        self, officer_mbdin: User, login_as: Callable[[User], Client]
    ) -> None:
        tip = make_tip()
        first = open_case(officer_mbdin, origin=Origin.TIP, tip=tip)
        client = login_as(officer_mbdin)
        url = reverse("cell:case_open") + f"?tip={tip.pk}"
        page = client.get(url).content.decode()
        assert first.reference in page
        assert 'name="split_reason"' in page
        data = {"district": tip.district.pk, "title": "Second matter", "origin": Origin.TIP}
        refused = client.post(url, {**data, "tip": tip.pk}).content.decode()
        assert "already belongs to case" in refused
        assert 'value="Second matter"' in refused
        done = client.post(url, {**data, "tip": tip.pk, "split_reason": "Different victims"})
        assert done.status_code == 302
        assert Case.objects.filter(tip=tip, tip_split=True).count() == 1

    def test_fresh_report_is_not_asked_for_a_split_reason(
        self, officer_mbdin: User, login_as: Callable[[User], Client]
    ) -> None:
        tip = make_tip()
        page = login_as(officer_mbdin).get(reverse("cell:case_open") + f"?tip={tip.pk}")
        assert 'name="split_reason"' not in page.content.decode()

    def test_triage_linked_without_case_keeps_the_form(
        self, officer_mbdin: User, login_as: Callable[[User], Client]
    ) -> None:
        tip = make_tip()
        url = reverse("cell:intake_detail", args=[tip.pk])
        client = login_as(officer_mbdin)
        page = client.post(url, {"status": TipStatus.LINKED, "case": ""}).content.decode()
        assert "Give the reference of the case" in page
        case = open_case(officer_mbdin)
        assert client.post(url, {"status": TipStatus.LINKED, "case": case.reference}).status_code
        tip.refresh_from_db()
        assert tip.case_id == case.pk
        assert case.reference in client.get(url).content.decode()


class TestLegacyRows:
    def test_linked_rows_without_case_stay_in_the_queue_for_review(
        self, officer_mbdin: User, login_as: Callable[[User], Client]
    ) -> None:
        tip = make_tip()
        Tip.objects.filter(pk=tip.pk).update(status=TipStatus.LINKED, link_review=True)
        page = login_as(officer_mbdin).get(reverse("cell:intake")).content.decode()
        assert tip.reference in page
        assert "linked without a case" in page

    def test_migration_links_reports_to_the_case_opened_from_them(
        self, officer_mbdin: User
    ) -> None:
        tip = make_tip()
        case = open_case(officer_mbdin, origin=Origin.TIP, tip=tip)
        Tip.objects.filter(pk=tip.pk).update(status=TipStatus.TRIAGED, case=None)
        migration = importlib.import_module("ahtc.portal.migrations.0009_tip_case_link")
        migration.link_existing(apps, None)
        tip.refresh_from_db()
        assert tip.case_id == case.pk
        assert not tip.link_review
