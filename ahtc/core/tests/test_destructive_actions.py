"""Destructive actions look destructive, need a ticked box, and say whether they can be undone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.api.services import api_token_create
from ahtc.cases import services as case_services
from ahtc.cases.models import Case, Consent, ConsentMethod, ConsentPurpose, Origin, PartyRole
from ahtc.geography.models import Area
from ahtc.people.services import person_create

LoginAs = Callable[[User], Client]
REFUSAL = "Nothing was changed: tick the box to confirm"


def said(response: object) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))  # type: ignore[attr-defined]


@pytest.fixture
def consent(officer_mbdin: User) -> Consent:
    mbdin = Area.objects.get(code="PK620")
    case: Case = case_services.case_open(
        district=mbdin,
        by=officer_mbdin,
        title="Kiln family held for an advance",
        origin=Origin.WALK_IN,
        offence_date=dt.date(2024, 3, 1),
    )
    person = person_create(source_district=mbdin, by=officer_mbdin, name_latin="Test Victim")
    party = case_services.party_add(
        case=case, by=officer_mbdin, role=PartyRole.VICTIM, person=person
    )
    return case_services.consent_record(
        case=case,
        party=party,
        by=officer_mbdin,
        purpose=ConsentPurpose.STATEMENT,
        method=ConsentMethod.THUMBPRINT,
        given_on=dt.date(2024, 3, 4),
    )


@pytest.mark.django_db
class TestCaseConsent:
    def url(self, consent: Consent) -> str:
        return reverse("cell:case_consent_withdraw", args=[consent.case.reference, consent.pk])

    def test_the_case_page_offers_a_confirmation_step_not_a_one_click_button(
        self, consent: Consent, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        page = login_as(officer_mbdin).get(reverse("cell:case", args=[consent.case.reference]))
        html = page.content.decode()
        start = html.index(self.url(consent))
        form = html[start : html.index("</form>", start)]
        assert '<details class="danger-step">' in form
        assert 'name="confirm" value="yes" required' in form
        assert 'class="button-danger"' in form
        assert "This cannot be undone" in form

    def test_withdrawal_without_the_box_changes_nothing_and_says_why(
        self, consent: Consent, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        response = login_as(officer_mbdin).post(self.url(consent))
        assert response.status_code == 302
        assert REFUSAL in said(response)
        consent.refresh_from_db()
        assert consent.withdrawn_at is None

    def test_withdrawal_with_the_box_ticked_is_recorded(
        self, consent: Consent, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        response = login_as(officer_mbdin).post(self.url(consent), {"confirm": "yes"})
        assert response.status_code == 302
        consent.refresh_from_db()
        assert consent.withdrawn_at is not None

    def test_officer_of_other_district_gets_404_even_with_the_box(
        self, consent: Consent, officer_gujrat: User, login_as: LoginAs
    ) -> None:
        response = login_as(officer_gujrat).post(self.url(consent), {"confirm": "yes"})
        assert response.status_code == 404
        consent.refresh_from_db()
        assert consent.withdrawn_at is None


@pytest.mark.django_db
class TestTokens:
    def test_revoking_needs_the_box(self, fia_liaison: User, login_as: LoginAs) -> None:
        token, _key = api_token_create(user=fia_liaison, name="FIA system", by=None)
        client = login_as(fia_liaison)
        page = client.get(reverse("cell:tokens")).content.decode()
        assert "stops at once and needs a new token" in page
        url = reverse("cell:token_revoke", args=[token.pk])
        response = client.post(url, {"confirm": "no"})
        assert response.url == reverse("cell:tokens")  # type: ignore[attr-defined]
        assert REFUSAL in said(response)
        token.refresh_from_db()
        assert token.revoked_at is None
        client.post(url, {"confirm": "yes"})
        token.refresh_from_db()
        assert token.revoked_at is not None


@pytest.mark.django_db
class TestUsers:
    def test_ending_sessions_needs_the_box(
        self, dpo_mbdin: User, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        url = reverse("cell:user_sessions", args=[officer_mbdin.pk])
        response = login_as(dpo_mbdin).post(url)
        assert response.status_code == 302
        assert REFUSAL in said(response)

    def test_ending_sessions_is_refused_to_a_plain_officer(
        self, officer_mbdin: User, make_user: Callable[..., User], login_as: LoginAs
    ) -> None:
        colleague = make_user("colleague_mbdin")
        url = reverse("cell:user_sessions", args=[colleague.pk])
        assert login_as(officer_mbdin).post(url, {"confirm": "yes"}).status_code == 403

    def test_disabling_has_its_own_page_styled_as_destructive_and_says_it_can_be_undone(
        self, dpo_mbdin: User, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        page = login_as(dpo_mbdin).get(reverse("cell:user_disable", args=[officer_mbdin.pk]))
        html = page.content.decode()
        assert 'class="button-danger"' in html
        assert "until re-enabled" in html
