from __future__ import annotations

import re

import pytest


@pytest.mark.django_db
class TestPublicPages:
    def test_security_headers_without_third_parties(self, client):
        response = client.get("/")
        assert response["Referrer-Policy"] == "no-referrer"
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "http" not in csp
        assert response["X-Frame-Options"] == "DENY"

    def test_urdu_is_the_default_whatever_the_browser_says(self, client):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        assert b'lang="ur" dir="rtl"' in response.content

    def test_language_switch_works_without_javascript(self, client):
        response = client.post("/language/", {"language": "en", "next": "/"})
        assert response.status_code == 302
        page = client.get("/")
        assert b'lang="en" dir="ltr"' in page.content

    def test_unknown_page_is_a_friendly_404(self, client):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert b"<h1>" in response.content

    def test_health(self, client):
        assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_every_urdu_message_is_translated():
    """The compiled catalogue covers the sign-in page's English text."""
    from django.utils import translation

    with translation.override("ur"):
        assert translation.gettext("Staff sign-in") != "Staff sign-in"
        assert translation.gettext("Password") == "پاس ورڈ"


def test_urdu_catalogue_has_no_empty_or_fuzzy_entries():
    from pathlib import Path

    po = Path(__file__).resolve().parents[2] / "locale" / "ur" / "LC_MESSAGES" / "django.po"
    entries = po.read_text(encoding="utf-8").split("\n\n")[1:]
    assert entries
    for entry in entries:
        assert "#, fuzzy" not in entry, entry
        assert not entry.rstrip().endswith('msgstr ""'), entry
        # A long translation is wrapped: its first line is "" and text follows.
        assert not re.search(r'msgstr\[\d\] ""\n(?!")', entry + "\n"), entry
