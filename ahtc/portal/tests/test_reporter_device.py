"""Nothing is left on a reporter's phone that they did not choose to keep."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["portal:home", "portal:report", "portal:follow_up"])
def test_every_portal_page_is_no_store(client, name):
    response = client.get(reverse(name))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_help_pages_are_no_store(client):
    response = client.get("/help/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_leave_and_clear_tells_the_browser_to_delete_everything(client):
    client.cookies["ahtc_lang"] = "en"
    page = client.get(reverse("portal:home")).content.decode()
    assert 'action="/leave/"' in page
    assert "Leave and clear this site from this phone" in page
    response = client.post(reverse("portal:leave"))
    assert response.status_code == 200
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_leave_is_not_a_get(client):
    assert client.get(reverse("portal:leave")).status_code == 405


@pytest.mark.django_db
def test_csrf_cookie_lasts_hours_not_a_year(client):
    client.get(reverse("portal:report"))
    cookie = client.cookies["csrftoken"]
    assert 0 < int(cookie["max-age"]) <= 24 * 60 * 60
