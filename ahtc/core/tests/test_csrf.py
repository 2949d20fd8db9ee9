"""Form posts under `Referrer-Policy: no-referrer` (Origin: null)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


def post_language(client: Client, secure: bool = False, **headers: Any):
    client.get("/", secure=secure)
    token = client.cookies["csrftoken"].value
    return client.post(
        "/language/",
        {"language": "en", "next": "/", "csrfmiddlewaretoken": token},
        secure=secure,
        **headers,
    )


@pytest.fixture
def browser() -> Client:
    return Client(enforce_csrf_checks=True)


@pytest.mark.django_db
class TestNullOrigin:
    def test_same_origin_post_with_null_origin_is_accepted(self, browser):
        response = post_language(browser, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin")
        assert response.status_code == 302

    def test_cross_site_post_with_null_origin_is_refused(self, browser):
        response = post_language(browser, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="cross-site")
        assert response.status_code == 403

    def test_https_post_without_referer_from_same_origin_is_accepted(self, browser):
        response = post_language(browser, secure=True, HTTP_SEC_FETCH_SITE="same-origin")
        assert response.status_code == 302

    def test_foreign_origin_is_refused(self, browser):
        response = post_language(browser, HTTP_ORIGIN="https://evil.example")
        assert response.status_code == 403

    def test_missing_token_is_refused_even_from_same_origin(self, browser):
        browser.get("/")
        response = browser.post(
            "/language/",
            {"language": "en"},
            HTTP_ORIGIN="null",
            HTTP_SEC_FETCH_SITE="same-origin",
        )
        assert response.status_code == 403
        assert b"<h1>" in response.content


def test_csrf_middleware_is_installed():
    """security.W003 is silenced because of this subclass: it must stay in place."""
    from django.conf import settings
    from django.middleware.csrf import CsrfViewMiddleware
    from django.utils.module_loading import import_string

    installed = [import_string(path) for path in settings.MIDDLEWARE]
    assert any(issubclass(cls, CsrfViewMiddleware) for cls in installed)


@pytest.mark.django_db
def test_report_form_accepts_null_origin_from_same_origin(browser):
    """The report view re-applies CSRF itself (after its upload limit): same rules."""
    browser.get("/report/")
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        "/report/",
        {"csrfmiddlewaretoken": token},
        HTTP_ORIGIN="null",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert response.status_code == 200
    cross = browser.post(
        "/report/",
        {"csrfmiddlewaretoken": token},
        HTTP_ORIGIN="null",
        HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert cross.status_code == 403
