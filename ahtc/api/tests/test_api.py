from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from ahtc.api.services import api_token_create


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def _with_token(api: APIClient, user) -> APIClient:
    _token, key = api_token_create(user=user, name="tests", by=None)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


@pytest.mark.django_db
class TestSchema:
    def test_schema_is_public_openapi3_json(self, api):
        response = api.get("/api/v1/schema/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
        schema = response.json()
        assert schema["openapi"].startswith("3.")
        assert "/api/v1/organisations/" in schema["paths"]
        schemes = schema["components"]["securitySchemes"]
        assert {"tokenAuth", "verifiedSession"} <= set(schemes)


@pytest.mark.django_db
class TestAuthentication:
    def test_anonymous_is_refused(self, api):
        assert api.get("/api/v1/me/").status_code == 401

    def test_token_for_a_partner_system(self, api, fia_liaison):
        response = _with_token(api, fia_liaison).get("/api/v1/me/")
        assert response.status_code == 200
        assert response.json()["roles"] == [{"role": "agency_liaison", "area": "PK6DV03"}]

    def test_session_without_second_factor_is_refused(self, api, officer_mbdin):
        api.force_login(officer_mbdin, backend="ahtc.accounts.backends.ActiveOrganisationBackend")
        assert api.get("/api/v1/me/").status_code in {401, 403}

    def test_verified_session_is_accepted(self, officer_mbdin, login_as):
        assert login_as(officer_mbdin).get("/api/v1/me/").status_code == 200

    def test_user_without_role_is_refused(self, api, make_user):
        user = make_user("no_role", role=None)
        assert _with_token(api, user).get("/api/v1/me/").status_code == 401

    def test_disabled_user_token_stops_working(self, api, fia_liaison):
        _with_token(api, fia_liaison)
        fia_liaison.is_active = False
        fia_liaison.save()
        assert api.get("/api/v1/me/").status_code == 401


@pytest.mark.django_db
class TestScopedEndpoints:
    def test_areas_filter_within_a_division(self, officer_mbdin, login_as):
        response = login_as(officer_mbdin).get(
            "/api/v1/areas/?level=district&within=PK6DV03&current=1"
        )
        codes = {row["code"] for row in response.json()["results"]}
        assert codes == {"PK610", "PK611", "PK620", "PK637"}

    def test_area_detail_shows_predecessors(self, officer_mbdin, login_as):
        data = login_as(officer_mbdin).get("/api/v1/areas/PK637/").json()
        assert data["predecessors"] == ["PK609"]

    def test_organisation_of_other_district_is_404(self, api, officer_gujrat, labour_liaison):
        _with_token(api, officer_gujrat)
        organisation = labour_liaison.organisation
        assert api.get(f"/api/v1/organisations/{organisation.pk}/").status_code == 404
        listed = {row["id"] for row in api.get("/api/v1/organisations/").json()["results"]}
        assert organisation.pk not in listed
        assert officer_gujrat.organisation.pk in listed
