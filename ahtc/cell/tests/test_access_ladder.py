"""Every workspace view, up the ladder: anonymous -> sign-in; unverified ->
enrolment; wrong role -> 403; other district -> 404; right role -> 200."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ahtc.accounts.models import Organisation
from ahtc.core.models import AuditEvent, AuditOutcome

PAGES = [
    ("cell:home", {}),
    ("cell:organisations", {}),
    ("cell:users", {}),
    ("cell:audit", {}),
    ("cell:area_import", {}),
    ("cell:area", {"code": "PK620"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_anonymous_is_sent_to_sign_in(client, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_password_only_session_is_sent_to_enrolment(client, make_user, name, kwargs):
    user = make_user("half_signed", enrolled=False)
    client.force_login(user, backend="ahtc.accounts.backends.ActiveOrganisationBackend")
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response.url == reverse("accounts:enrol")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "name", "status"),
    [
        ("officer_mbdin", "cell:home", 200),
        ("officer_mbdin", "cell:organisations", 200),
        ("officer_mbdin", "cell:users", 403),
        ("officer_mbdin", "cell:audit", 403),
        ("officer_mbdin", "cell:area_import", 403),
        ("fia_liaison", "cell:users", 403),
        ("labour_liaison", "cell:audit", 403),
        ("provincial_monitor", "cell:users", 403),
        ("provincial_monitor", "cell:area_import", 403),
        ("dpo_mbdin", "cell:users", 200),
        ("dpo_mbdin", "cell:audit", 200),
        ("dpo_mbdin", "cell:area_import", 403),
        ("admin_user", "cell:users", 200),
        ("admin_user", "cell:audit", 200),
        ("admin_user", "cell:area_import", 200),
    ],
)
def test_role_gates_pages(request, login_as, persona, name, status):
    client = login_as(request.getfixturevalue(persona))
    assert client.get(reverse(name)).status_code == status


@pytest.mark.django_db
def test_wrong_role_is_audited(officer_mbdin, login_as):
    login_as(officer_mbdin).get(reverse("cell:audit"))
    event = AuditEvent.objects.get(outcome=AuditOutcome.REFUSED)
    assert event.actor == officer_mbdin
    assert event.object_id == "cell:audit"


@pytest.mark.django_db
class TestAreaScope:
    def test_officer_sees_own_district_and_its_tehsils(self, officer_mbdin, login_as):
        client = login_as(officer_mbdin)
        assert client.get(reverse("cell:area", args=["PK620"])).status_code == 200
        assert client.get(reverse("cell:area", args=["PK62003"])).status_code == 200

    def test_officer_of_other_district_gets_404_and_audit_row(self, officer_gujrat, login_as):
        client = login_as(officer_gujrat)
        assert client.get(reverse("cell:area", args=["PK620"])).status_code == 404
        event = AuditEvent.objects.get(outcome=AuditOutcome.REFUSED)
        assert (event.actor, event.object_type) == (officer_gujrat, "geography.area")

    def test_unknown_area_is_404_without_audit(self, officer_gujrat, login_as):
        client = login_as(officer_gujrat)
        assert client.get(reverse("cell:area", args=["NOPE"])).status_code == 404
        assert not AuditEvent.objects.filter(outcome=AuditOutcome.REFUSED).exists()

    def test_division_liaison_sees_every_district_of_the_division(self, fia_liaison, login_as):
        client = login_as(fia_liaison)
        for code in ("PK620", "PK610", "PK611", "PK637"):
            assert client.get(reverse("cell:area", args=[code])).status_code == 200
        assert client.get(reverse("cell:area", args=["PK617"])).status_code == 404

    def test_provincial_monitor_sees_any_district(self, provincial_monitor, login_as):
        client = login_as(provincial_monitor)
        assert client.get(reverse("cell:area", args=["PK617"])).status_code == 200


@pytest.mark.django_db
class TestOrganisationScope:
    def test_other_districts_organisation_is_404(self, officer_gujrat, labour_liaison, login_as):
        labour = labour_liaison.organisation
        client = login_as(officer_gujrat)
        assert client.get(reverse("cell:organisation", args=[labour.pk])).status_code == 404

    def test_division_agency_is_visible_to_district_officer(
        self, officer_mbdin, fia_liaison, login_as
    ):
        fia = fia_liaison.organisation
        client = login_as(officer_mbdin)
        assert client.get(reverse("cell:organisation", args=[fia.pk])).status_code == 200
        listing = client.get(reverse("cell:organisations"))
        assert fia.name_en.encode() in listing.content

    def test_organisation_list_query_count_is_flat(
        self, officer_mbdin, make_org, login_as, django_assert_max_num_queries
    ):
        for n in range(10):
            make_org(kind="ngo", area="PK620", name=f"NGO {n}")
        client = login_as(officer_mbdin)
        with django_assert_max_num_queries(14):
            response = client.get(reverse("cell:organisations"))
        assert response.status_code == 200
        assert Organisation.objects.count() >= 11


@pytest.mark.django_db
def test_users_page_lists_only_users_in_scope(dpo_mbdin, officer_mbdin, officer_gujrat, login_as):
    response = login_as(dpo_mbdin).get(reverse("cell:users"))
    assert b"officer_mbdin" in response.content
    assert b"officer_gujrat" not in response.content


@pytest.mark.django_db
def test_audit_page_query_count_is_flat(
    admin_user, officer_gujrat, login_as, django_assert_max_num_queries
):
    client = login_as(officer_gujrat)
    for _ in range(20):
        client.get(reverse("cell:area", args=["PK620"]))
    client = login_as(admin_user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("cell:audit") + "?outcome=refused")
    assert response.content.count(b"row-alert") == 20


@pytest.mark.django_db
def test_area_switcher_refuses_district_outside_scope(fia_liaison, login_as):
    client = login_as(fia_liaison)
    client.post(reverse("cell:switch_area"), {"area": "PK611"})
    assert client.session["ahtc_area"] == "PK611"
    client.post(reverse("cell:switch_area"), {"area": "PK617"})
    assert client.session["ahtc_area"] == "PK611"


@pytest.mark.django_db
class TestUserDisable:
    def test_cell_head_disables_officer_whose_session_ends(
        self, client, dpo_mbdin, officer_mbdin, login_as
    ):
        from django.test import Client

        officer_client = Client()
        officer_client.force_login(
            officer_mbdin, backend="ahtc.accounts.backends.ActiveOrganisationBackend"
        )
        login_as(dpo_mbdin)
        response = client.post(reverse("cell:user_disable", args=[officer_mbdin.pk]))
        assert response.status_code == 302
        officer_mbdin.refresh_from_db()
        assert not officer_mbdin.is_active
        assert officer_client.get("/cell/").status_code == 302

    def test_cannot_disable_user_of_other_district(self, dpo_mbdin, officer_gujrat, login_as):
        client = login_as(dpo_mbdin)
        response = client.post(reverse("cell:user_disable", args=[officer_gujrat.pk]))
        assert response.status_code == 404
        officer_gujrat.refresh_from_db()
        assert officer_gujrat.is_active

    def test_officer_cannot_disable_anyone(self, officer_mbdin, make_user, login_as):
        colleague = make_user("colleague")
        client = login_as(officer_mbdin)
        assert client.post(reverse("cell:user_disable", args=[colleague.pk])).status_code == 403

    def test_get_only_asks_for_confirmation(self, dpo_mbdin, officer_mbdin, login_as):
        client = login_as(dpo_mbdin)
        page = client.get(reverse("cell:user_disable", args=[officer_mbdin.pk]))
        assert page.status_code == 200
        assert b"Disable officer_mbdin?" in page.content
        officer_mbdin.refresh_from_db()
        assert officer_mbdin.is_active
