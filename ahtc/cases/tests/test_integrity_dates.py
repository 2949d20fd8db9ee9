"""Dates of proceedings are ordered (offence, FIR, arrest, hearing, verdict) and
never in the future; the FIR form starts from the decided sections (issue 10)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ahtc.accounts.models import User
from ahtc.cases import services
from ahtc.cases.models import Case, Party, Status, VerdictOutcome
from ahtc.cases.services import CaseError
from ahtc.cases.tests.conftest import FIR_DATE, OFFENCE_DATE, Flow
from ahtc.geography.models import PoliceStation

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


def fir(case: Case, flow: Flow, date: dt.date) -> None:
    services.fir_add(
        case=case,
        by=flow.officer,
        number="7/2024",
        date=date,
        police_station=flow.station,
        provision_codes=["PTPA-3-1"],
    )


@pytest.mark.django_db
class TestFirDate:
    def test_fir_before_the_offence_is_refused(self, flow: Flow, case: Case) -> None:
        with pytest.raises(CaseError, match="before the offence"):
            fir(case, flow, OFFENCE_DATE - dt.timedelta(days=1))
        assert not case.firs.exists()

    def test_fir_in_the_future_is_refused(self, flow: Flow, case: Case) -> None:
        with pytest.raises(CaseError, match="in the future"):
            fir(case, flow, TOMORROW)

    def test_fir_on_the_offence_day_is_accepted(self, flow: Flow, case: Case) -> None:
        fir(case, flow, OFFENCE_DATE)
        assert case.firs.count() == 1


@pytest.mark.django_db
class TestArrestDate:
    def test_arrest_before_the_first_fir_is_refused(self, flow: Flow, case: Case) -> None:
        fir(case, flow, FIR_DATE)
        suspect = flow.suspect(case)
        with pytest.raises(CaseError, match="before the first FIR"):
            services.arrest_add(party=suspect, by=flow.officer, date=FIR_DATE - dt.timedelta(1))
        assert not suspect.arrests.exists()

    def test_arrest_in_the_future_is_refused(self, flow: Flow, case: Case) -> None:
        suspect = flow.suspect(case)
        with pytest.raises(CaseError, match="in the future"):
            services.arrest_add(party=suspect, by=flow.officer, date=TOMORROW)

    def test_arrest_after_the_fir_is_accepted(self, flow: Flow, case: Case) -> None:
        fir(case, flow, FIR_DATE)
        suspect = flow.suspect(case)
        services.arrest_add(party=suspect, by=flow.officer, date=FIR_DATE)
        assert suspect.arrests.count() == 1


@pytest.mark.django_db
class TestHearingDate:
    @pytest.fixture
    def in_court(self, flow: Flow, case: Case) -> Case:
        return flow.reach(case, Status.CHALLAN_SUBMITTED)

    def test_hearing_before_the_fir_is_refused(self, flow: Flow, in_court: Case) -> None:
        with pytest.raises(CaseError, match="before the first FIR"):
            services.hearing_add(
                case=in_court, by=flow.prosecutor, court="ATC", date=dt.date(2024, 3, 4)
            )

    def test_a_hearing_can_be_scheduled_ahead(self, flow: Flow, in_court: Case) -> None:
        hearing = services.hearing_add(
            case=in_court, by=flow.prosecutor, court="ATC", date=TOMORROW, purpose="framing"
        )
        assert hearing.date == TOMORROW

    def test_what_happened_cannot_be_in_the_future(self, flow: Flow, in_court: Case) -> None:
        with pytest.raises(CaseError, match="in the future"):
            services.hearing_add(
                case=in_court, by=flow.prosecutor, court="ATC", date=TOMORROW, outcome="adjourned"
            )
        assert not in_court.hearings.exists()


@pytest.mark.django_db
class TestVerdictDate:
    @pytest.fixture
    def on_trial(self, flow: Flow, case: Case) -> Case:
        return flow.reach(case, Status.TRIAL)

    def add(self, flow: Flow, case: Case, date: dt.date) -> None:
        accused = next(p for p in case.parties.all() if p.is_suspect)
        services.verdict_add(
            party=accused,
            by=flow.prosecutor,
            provision=flow.fir_provision(case),
            date=date,
            outcome=VerdictOutcome.ACQUITTED,
        )

    def test_verdict_in_the_future_is_refused(self, flow: Flow, on_trial: Case) -> None:
        with pytest.raises(CaseError, match="in the future"):
            self.add(flow, on_trial, TOMORROW)
        assert not Party.objects.filter(case=on_trial, verdicts__isnull=False).exists()

    def test_verdict_before_the_fir_is_refused(self, flow: Flow, on_trial: Case) -> None:
        with pytest.raises(CaseError, match="before the first FIR"):
            self.add(flow, on_trial, FIR_DATE - dt.timedelta(days=1))

    def test_verdict_before_the_arrest_is_refused(self, flow: Flow, on_trial: Case) -> None:
        accused = next(p for p in on_trial.parties.all() if p.is_suspect)
        services.arrest_add(party=accused, by=flow.officer, date=dt.date(2024, 6, 1))
        with pytest.raises(CaseError, match="before the arrest"):
            self.add(flow, on_trial, dt.date(2024, 5, 1))

    def test_verdict_before_the_first_hearing_is_refused(self, flow: Flow, on_trial: Case) -> None:
        services.hearing_add(
            case=on_trial, by=flow.prosecutor, court="ATC", date=dt.date(2024, 8, 1)
        )
        with pytest.raises(CaseError, match="before the first hearing"):
            self.add(flow, on_trial, dt.date(2024, 7, 1))
        self.add(flow, on_trial, dt.date(2024, 8, 1))


@pytest.mark.django_db
def test_verdict_page_keeps_a_future_date_and_says_why(
    login_as: Callable[[User], Client], flow: Flow, case: Case
) -> None:
    flow.reach(case, Status.TRIAL)
    accused = next(p for p in case.parties.all() if p.is_suspect)
    page = login_as(flow.officer).post(
        reverse("cell:case_verdict", args=[case.reference]),
        {
            "party": accused.pk,
            "provision": flow.fir_provision(case).pk,
            "date": TOMORROW.isoformat(),
            "outcome": VerdictOutcome.ACQUITTED,
        },
    )
    assert page.status_code == 200
    content = page.content.decode()
    assert "The date is in the future." in content
    assert TOMORROW.isoformat() in content  # what was typed is kept


@pytest.mark.django_db
def test_fir_form_starts_from_the_decided_sections(
    login_as: Callable[[User], Client], flow: Flow, case: Case, station: PoliceStation
) -> None:
    url = reverse("cell:case_fir", args=[case.reference])
    client = login_as(flow.officer)
    before = client.get(url).content.decode()
    assert 'value="PTPA-3-1"' not in before  # nothing decided, nothing ticked
    flow.classify(case)  # decides PTPA-3-1
    page = client.get(url).content.decode()
    decided = case.decisions.get().provisions.get()
    checked = [
        line for line in page.split("<input") if f'value="{decided.pk}"' in line.split(">")[0]
    ]
    assert checked
    assert "checked" in checked[0].split(">")[0]
    others = [line.split(">")[0] for line in page.split("<input") if 'name="provisions"' in line]
    assert sum("checked" in tag for tag in others) == 1


@pytest.mark.django_db
def test_user_without_the_case_cannot_open_the_fir_form(
    login_as: Callable[[User], Client], case: Case, officer_gujrat: User
) -> None:
    response = login_as(officer_gujrat).get(reverse("cell:case_fir", args=[case.reference]))
    assert response.status_code == 404
