"""The installable portal: manifest, service worker and the offline report form."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

STATIC_PREFIX = "/static/"


@pytest.fixture
def report_page(client):
    response = client.get(reverse("portal:report"))
    assert response.status_code == 200
    return response


def found(pattern: str, text: str, flags: int = 0) -> re.Match[str]:
    match = re.search(pattern, text, flags)
    assert match, f"{pattern!r} not found"
    return match


def csp_of(response) -> str:
    csp = str(response.headers["Content-Security-Policy"])
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    return csp


@pytest.mark.django_db
class TestManifest:
    def test_served_as_a_web_app_manifest(self, client):
        response = client.get("/manifest.webmanifest")
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("application/manifest+json")
        data = json.loads(response.content)
        assert data["start_url"] == "/"
        assert data["scope"] == "/"
        assert data["display"] == "standalone"
        assert data["theme_color"] == "#0b5d3b"
        assert data["name"]
        csp_of(response)

    def test_names_follow_the_page_language(self, client):
        urdu = json.loads(client.get("/manifest.webmanifest").content)
        assert urdu["lang"] == "ur"
        assert urdu["dir"] == "rtl"
        assert re.search(r"[\u0600-\u06FF]", urdu["name"]), urdu["name"]
        client.cookies["ahtc_lang"] = "en"
        english = json.loads(client.get("/manifest.webmanifest").content)
        assert english["lang"] == "en"
        assert english["dir"] == "ltr"
        assert english["name"] == "Anti-Human Trafficking Cell"

    def test_icons_exist_including_the_installable_sizes(self, client):
        data = json.loads(client.get("/manifest.webmanifest").content)
        sizes = {icon["sizes"] for icon in data["icons"]}
        assert {"192x192", "512x512"} <= sizes
        for icon in data["icons"]:
            assert icon["src"].startswith(STATIC_PREFIX)
            assert finders.find(icon["src"].removeprefix(STATIC_PREFIX)), icon["src"]
            assert client.get(icon["src"]).status_code == 200

    def test_only_read(self, client):
        assert client.post("/manifest.webmanifest").status_code == 405


@pytest.mark.django_db
class TestServiceWorker:
    @pytest.fixture
    def worker(self, client):
        response = client.get("/sw.js")
        assert response.status_code == 200
        return response

    def test_served_as_javascript_for_the_root_scope(self, worker):
        assert worker.headers["Content-Type"].startswith("application/javascript")
        assert worker.headers["Service-Worker-Allowed"] == "/"
        assert "no-cache" in worker.headers["Cache-Control"]
        csp = csp_of(worker)
        assert "worker-src 'self'" in csp

    def test_is_plain_javascript_without_template_leftovers_or_outside_code(self, worker):
        body = worker.content.decode()
        assert "{%" not in body
        assert "{{" not in body
        assert "&quot;" not in body
        assert "importScripts" not in body
        assert not re.search(r"https?://", body)

    def test_stores_the_report_page_and_its_files(self, worker):
        body = worker.content.decode()
        pages = json.loads(found(r"const PAGES = (\[.*?\]);", body).group(1))
        assets = json.loads(found(r"const ASSETS = (\[.*?\]);", body).group(1))
        assert pages == ["/", "/report/"]
        assert "/static/ahtc/offline.js" in assets
        assert "/static/ahtc/base.css" in assets

    def test_never_stores_receipts_follow_up_or_staff_pages(self, worker):
        body = worker.content.decode()
        for secret in ("follow-up", "follow_up", "receipt", "/cell/", "/accounts/", "/api/"):
            assert secret not in body, secret
        # POSTs (which answer with receipt codes) are never intercepted.
        assert 'if (request.method !== "GET") return;' in body

    def test_version_changes_with_the_offline_files(self, worker, client, monkeypatch):
        from ahtc.portal import pwa

        monkeypatch.setattr(pwa, "OFFLINE_ASSETS", (*pwa.OFFLINE_ASSETS, "ahtc/receipt.js"))
        changed = client.get("/sw.js").content.decode()
        name = r'const CACHE = "(ahtc-offline-[0-9a-f]{16})";'
        assert found(name, worker.content.decode()).group(1) != found(name, changed).group(1)


@pytest.mark.django_db
class TestReportPage:
    def test_links_the_manifest_and_loads_offline_js_from_static(self, report_page):
        html = report_page.content.decode()
        assert re.search(r'<link rel="manifest" href="/manifest.webmanifest"', html)
        assert '<meta name="theme-color" content="#0b5d3b">' in html
        script = re.search(r'<script src="([^"]*offline\.js)"', html)
        assert script, "offline.js is not included"
        assert script.group(1).startswith(STATIC_PREFIX)
        assert finders.find(script.group(1).removeprefix(STATIC_PREFIX))

    def test_no_inline_script_and_csp_unchanged(self, report_page):
        html = report_page.content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, f"inline script: {tag}"
        assert not re.search(r"\son[a-z]+=", html), "inline event handler"
        csp = csp_of(report_page)
        assert "script-src 'self'" in csp
        assert "manifest-src 'self'" in csp
        assert "connect-src 'self'" in csp

    def test_status_box_carries_translatable_messages(self, report_page, client):
        html = report_page.content.decode()
        box = found(r'<div id="offline-status"[^>]*>', html, re.S).group(0)
        assert 'role="status"' in box
        assert 'aria-live="polite"' in box
        for name in ("saved", "sending", "sent", "code", "check"):
            assert f'data-msg-{name}="' in box, name
        assert 'data-report-url="/report/"' in box
        assert 'data-sw-url="/sw.js"' in box
        # Existing translations are reused for the receipt texts.
        assert "آپ کی رپورٹ مل گئی ہے" in box

        client.cookies["ahtc_lang"] = "en"
        english = client.get(reverse("portal:report")).content.decode()
        assert (
            'data-msg-saved="Saved on this phone. It will be sent automatically when you '
            'are back online."' in english
        )

    def test_form_still_posts_plainly_and_is_marked_for_offline_js(self, report_page):
        html = report_page.content.decode()
        form = found(r"<form [^>]*data-offline-form[^>]*>", html)
        assert 'method="post"' in form.group(0)
        assert 'action="/report/"' in form.group(0)
        assert 'name="csrfmiddlewaretoken"' in html
        # sw.js blanks this input in its stored copy; offline.js refills it.
        assert re.search(r'<input type="hidden" name="client_token" value="[0-9a-f]{32}"', html)

    def test_every_public_page_can_send_saved_reports(self, client):
        for name in ("portal:home", "portal:follow_up"):
            html = client.get(reverse(name)).content.decode()
            assert 'id="offline-status"' in html, name
            assert "ahtc/offline.js" in html, name
