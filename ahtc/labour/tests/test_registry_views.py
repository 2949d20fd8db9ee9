"""Registry pages up the ladder: the Labour Department sees kilns and
workshops but not cases it is not shared on; the education authority sees
enrolment only; cell roles per district; another district is a 404, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ahtc.accounts.models import User
from ahtc.core.models import AuditEvent, AuditOutcome
from ahtc.geography.models import Area
from ahtc.labour import services as s
from ahtc.labour.models import BrickKiln, ChildLabourFinding, Inspection

pytestmark = pytest.mark.django_db
LoginAs = Callable[[User], Client]
KILNS = reverse("cell:labour:kilns")
D = dt.date


def page(kiln: BrickKiln, name: str = "kiln") -> str:
    return reverse(f"cell:labour:{name}", args=[kiln.reference])


@pytest.fixture
def bonded(make_worker: Callable[..., Any], officer_mbdin: User) -> Any:
    worker = make_worker()
    s.advance_record(worker=worker, by=officer_mbdin, amount=70000, given_on=D(2025, 1, 10))
    return worker


def test_anonymous_goes_to_sign_in(client: Client, kiln: BrickKiln) -> None:
    response = client.get(page(kiln))
    assert response.status_code == 302
    assert "/login" in response["Location"] or "sign" in response["Location"]


def test_officer_sees_the_kiln_with_workers_by_number_and_the_advance_flag(
    login_as: LoginAs, officer_mbdin: User, kiln: BrickKiln, bonded: Any
) -> None:
    html = login_as(officer_mbdin).get(page(kiln)).content.decode()
    assert "MBD-BK-0001" in html
    assert f"#{bonded.pk}" in html
    assert "Synthetic Worker" not in html
    assert "an advance above the legal limit" in html
    assert "Hand over as bonded labour" in html


def test_labour_liaison_reads_and_records_but_opens_no_case(
    login_as: LoginAs, labour_liaison: User, kiln: BrickKiln, bonded: Any
) -> None:
    client = login_as(labour_liaison)
    assert client.get(KILNS).status_code == 200
    html = client.get(page(kiln)).content.decode()
    assert "Hand over as bonded labour" not in html
    response = client.post(
        page(kiln, "kiln_inspection"),
        {"kind": "inspection", "inspected_on": "2025-02-01", "with_labour": "on"},
    )
    assert response.status_code == 302
    assert Inspection.objects.get().recorded_by == labour_liaison
    url = reverse("cell:labour:worker_handover", args=[kiln.reference, bonded.pk])
    assert client.post(url, {"handed_over_on": "2025-02-01"}).status_code == 403
    assert AuditEvent.objects.filter(actor=labour_liaison, outcome=AuditOutcome.REFUSED).exists()


def test_handover_opens_a_case_the_liaison_cannot_see(
    login_as: LoginAs,
    officer_mbdin: User,
    labour_liaison: User,
    kiln: BrickKiln,
    bonded: Any,
) -> None:
    client = login_as(officer_mbdin)
    url = reverse("cell:labour:worker_handover", args=[kiln.reference, bonded.pk])
    response = client.post(
        url, {"handed_over_on": "2025-02-01", "works_to_repay": "on", "threats": "on"}
    )
    handover = bonded.handovers.get()
    case = handover.case
    assert response.status_code == 302
    assert response["Location"] == reverse("cell:case", args=[case.reference])
    assert handover.works_to_repay
    assert handover.threats
    assert handover.peshgi
    assert case.reference in client.get(page(kiln)).content.decode()
    again = client.post(url, {"handed_over_on": "2025-02-02"})
    assert again.status_code == 200
    assert "already with case management" in again.content.decode()
    liaison = login_as(labour_liaison)
    assert case.reference not in liaison.get(page(kiln)).content.decode()
    assert liaison.get(reverse("cell:case", args=[case.reference])).status_code == 404


def test_officer_of_other_district_gets_404_audited(
    login_as: LoginAs, officer_gujrat: User, kiln: BrickKiln
) -> None:
    client = login_as(officer_gujrat)
    assert client.get(page(kiln)).status_code == 404
    assert client.get(page(kiln, "kiln_wage")).status_code == 404
    refused = AuditEvent.objects.filter(
        actor=officer_gujrat,
        outcome=AuditOutcome.REFUSED,
        object_type="labour.brickkiln",
        object_id=str(kiln.pk),
    )
    assert refused.count() == 2
    assert "MBD-BK-0001" not in client.get(KILNS).content.decode()


def test_education_sees_enrolment_only(
    login_as: LoginAs, school_mbdin: User, kiln: BrickKiln
) -> None:
    client = login_as(school_mbdin)
    assert client.get(KILNS).status_code == 403
    assert client.get(reverse("cell:labour:survey")).status_code == 403
    assert client.get(page(kiln)).status_code == 404


def test_investigating_officer_reads_but_does_not_record(
    login_as: LoginAs, io_mbdin: User, kiln: BrickKiln
) -> None:
    client = login_as(io_mbdin)
    assert client.get(page(kiln)).status_code == 200
    assert client.get(page(kiln, "kiln_wage")).status_code == 403


def test_a_future_wage_day_is_refused_and_what_was_typed_is_kept(
    login_as: LoginAs, officer_mbdin: User, kiln: BrickKiln
) -> None:
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    data = {
        "observed_on": tomorrow,
        "basis": "monthly",
        "amount": "31234",
        "evidence": "statements",
    }
    response = login_as(officer_mbdin).post(page(kiln, "kiln_wage"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "The date is in the future." in html
    assert 'value="31234' in html
    assert not kiln.wages.exists()


def test_wage_below_the_rate_is_said_so(
    login_as: LoginAs, officer_mbdin: User, kiln: BrickKiln
) -> None:
    data = {
        "observed_on": "2025-01-15",
        "basis": "monthly",
        "amount": "32000",
        "evidence": "statements",
    }
    response = login_as(officer_mbdin).post(page(kiln, "kiln_wage"), data, follow=True)
    assert "below the notified rate" in response.content.decode()


def test_officer_registers_a_kiln_and_a_bad_tehsil_is_refused(
    login_as: LoginAs, officer_mbdin: User, mbdin: Area
) -> None:
    client = login_as(officer_mbdin)
    data = {
        "district": mbdin.pk,
        "owner_name": "Synthetic Owner",
        "location": "Phalia road",
        "season": "dry_season",
        "labour_registration": "",
    }
    response = client.post(reverse("cell:labour:kiln_create"), data)
    kiln = BrickKiln.objects.get()
    assert response["Location"] == page(kiln)
    wrong = Area.objects.filter(parent__code="PK610").first()
    response = client.post(reverse("cell:labour:kiln_create"), {**data, "tehsil": wrong.pk})  # type: ignore[union-attr]
    assert response.status_code == 200
    assert "Phalia road" in response.content.decode()


def test_survey_page_computes_the_figures(
    login_as: LoginAs,
    officer_mbdin: User,
    kiln: BrickKiln,
    bonded: Any,
    make_worker: Callable[..., Any],
) -> None:
    s.inspection_record(by=officer_mbdin, kiln=kiln, kind="survey", inspected_on=D(2025, 1, 5))
    make_worker("Other", literate=True, knows_minimum_wage=True)
    html = login_as(officer_mbdin).get(reverse("cell:labour:survey")).content.decode()
    assert "1 of 1" in html
    assert "50% (1)" in html


def test_kiln_list_queries_do_not_grow_with_rows(
    login_as: LoginAs, officer_mbdin: User, mbdin: Area, kiln: BrickKiln
) -> None:
    client = login_as(officer_mbdin)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(KILNS).status_code == 200
        return len(queries)

    small = count()
    for n in range(5):
        s.kiln_create(
            district=mbdin, by=officer_mbdin, owner_name=f"O{n}", location="L", season="winter"
        )
    assert count() == small


class TestSchooling:
    def test_school_records_attendance_and_sees_it(
        self, login_as: LoginAs, school_mbdin: User, referred: ChildLabourFinding
    ) -> None:
        s.finding_enrol(
            finding=referred,
            by=school_mbdin,
            school_name="GPS (synthetic)",
            school_grade="3",
            enrolled_on=D(2025, 3, 10),
        )
        client = login_as(school_mbdin)
        url = reverse("cell:labour:schooling_attendance", args=[referred.reference])
        bad = client.post(
            url, {"term": "2025-T1", "checked_on": "2025-03-01", "status": "attending"}
        )
        assert "before the enrolment" in bad.content.decode()
        assert 'value="2025-T1"' in bad.content.decode()
        ok = client.post(
            url, {"term": "2025-T2", "checked_on": "2025-09-20", "status": "dropped_out"}
        )
        assert ok.status_code == 302
        html = client.get(reverse("cell:labour:schooling")).content.decode()
        assert "dropped out" in html
        assert "Synthetic Child" not in html
        assert "Kiln near the canal road" not in html
        finding_url = reverse("cell:labour:attendance", args=[referred.reference])
        assert client.get(finding_url).status_code == 404

    def test_officer_sees_the_dropout_filter_from_the_alert(
        self, login_as: LoginAs, officer_mbdin: User, referred: ChildLabourFinding
    ) -> None:
        s.finding_enrol(
            finding=referred,
            by=officer_mbdin,
            school_name="GPS",
            school_grade="3",
            enrolled_on=D(2025, 3, 10),
        )
        client = login_as(officer_mbdin)
        listed = client.get(reverse("cell:labour:list") + "?stage=dropped_out").content.decode()
        assert referred.reference not in listed
        url = reverse("cell:labour:attendance", args=[referred.reference])
        client.post(url, {"term": "2025-T2", "checked_on": "2025-09-20", "status": "dropped_out"})
        listed = client.get(reverse("cell:labour:list") + "?stage=dropped_out").content.decode()
        assert referred.reference in listed
        detail = client.get(reverse("cell:labour:finding", args=[referred.reference]))
        assert "2025-T2" in detail.content.decode()


def test_nav_shows_the_registry_to_cell_and_labour_not_to_the_school(
    login_as: LoginAs, labour_liaison: User, school_mbdin: User, officer_mbdin: User
) -> None:
    def nav(user: User) -> str:
        html = login_as(user).get(reverse("cell:home")).content.decode()
        return html[html.index("<nav") : html.index("</nav>")]

    assert f'href="{KILNS}"' in nav(labour_liaison)
    assert f'href="{KILNS}"' in nav(officer_mbdin)
    assert f'href="{KILNS}"' not in nav(school_mbdin)


def test_registry_pages_render_in_urdu(
    login_as: LoginAs, officer_mbdin: User, kiln: BrickKiln, bonded: Any
) -> None:
    client = login_as(officer_mbdin)
    client.cookies["ahtc_lang"] = "ur"
    for url in (KILNS, page(kiln), reverse("cell:labour:survey"), reverse("cell:labour:workshops")):
        response = client.get(url)
        assert response.status_code == 200
        assert 'dir="rtl"' in response.content.decode()
