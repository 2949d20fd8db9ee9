"""The API speaks English unless `Accept-Language` asks for Urdu; the
portal's language cookie never changes it."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from ahtc.api.middleware import api_language
from ahtc.cases.models import Status

pytestmark = pytest.mark.django_db


def status_labels(**headers: Any) -> str:
    client = APIClient()
    client.cookies["ahtc_lang"] = "ur"  # the portal's choice: ignored here
    response = client.get("/api/v1/schema/", **headers)
    assert response.status_code == 200
    return str(response.content.decode())


def label(language: str) -> str:
    with translation.override(language):
        return str(Status.REPORTED.label)


def test_english_by_default_even_with_the_portal_cookie() -> None:
    assert label("ur") != label("en")  # the test would prove nothing otherwise
    schema = status_labels()
    assert label("en") in schema
    assert label("ur") not in schema


def test_accept_language_urdu_is_honoured() -> None:
    schema = status_labels(HTTP_ACCEPT_LANGUAGE="ur-PK,ur;q=0.9,en;q=0.5")
    assert label("ur") in schema


def test_the_answer_says_its_language_and_varies_on_it() -> None:
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT_LANGUAGE="ur")
    assert response["Content-Language"] == "ur"
    assert "Accept-Language" in response["Vary"]
    assert APIClient().get("/api/v1/me/")["Content-Language"] == "en"


def test_errors_follow_the_language_too() -> None:
    client = APIClient()
    client.cookies["ahtc_lang"] = "ur"
    body = client.get("/api/v1/nothing/").json()
    assert body["message"] == "Not found."


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("", "en"),
        ("ur", "ur"),
        ("UR-pk", "ur"),
        ("fr, ur;q=0.3", "ur"),
        ("en-GB, ur;q=0.8", "en"),
        ("de, *", "en"),
        ("ur;q=0.0", "en"),
        ("ur;q=nonsense", "en"),
        ("x" * 10_000, "en"),
    ],
)
def test_the_header_is_read_by_quality(header: str, language: str) -> None:
    assert api_language(header) == language


def test_pages_outside_the_api_keep_urdu_first(client: Any) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "ur"
