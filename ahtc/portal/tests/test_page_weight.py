"""The public report form stays light on slow 3G: its first load, stylesheets,
scripts and the Urdu web font together, keeps within a stated budget
(docs/urdu.md "Fonts"). Sizes are the files as stored, before compression:
an upper bound on what a phone downloads."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

STATIC_PREFIX = "/static/"
# CSS + JS + the Urdu web font for one first visit to the report form.
FIRST_LOAD_BUDGET = 120_000


def static_file(url: str) -> Path:
    assert url.startswith(STATIC_PREFIX), url
    found = finders.find(url.removeprefix(STATIC_PREFIX))
    assert found, url
    return Path(str(found))


def font_urls(stylesheet_url: str) -> list[str]:
    """Fonts the stylesheet may download (url() inside @font-face), as static URLs."""
    css = static_file(stylesheet_url).read_text(encoding="utf-8")
    folder = PurePosixPath(stylesheet_url).parent
    return [
        str(folder / url)
        for face in re.findall(r"@font-face\s*\{[^}]*\}", css)
        for url in re.findall(r'url\("?([^")]+)"?\)', face)
    ]


def first_load(client: Client) -> dict[str, int]:
    html = client.get(reverse("portal:report")).content.decode()
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    scripts = re.findall(r'<script src="([^"]+)"', html)
    fonts = [url for sheet in stylesheets for url in font_urls(sheet)]
    return {url: static_file(url).stat().st_size for url in [*stylesheets, *scripts, *fonts]}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ur", "en"])
def test_report_form_first_load_fits_the_budget(client: Client, language: str) -> None:
    client.cookies["ahtc_lang"] = language
    files = first_load(client)
    assert any(url.endswith(".css") for url in files), files
    assert any(url.endswith(".woff2") for url in files), files  # the font is counted
    assert sum(files.values()) <= FIRST_LOAD_BUDGET, files


@pytest.mark.django_db
def test_the_web_font_is_kept_offline_once_used_but_never_fetched_ahead(client: Client) -> None:
    worker = client.get("/sw.js").content.decode()
    fonts = [url for url in first_load(client) if url.endswith(".woff2")]
    assets = re.search(r"const ASSETS = (\[.*?\]);", worker)
    when_used = re.search(r"const WHEN_USED = (\[.*?\]);", worker)
    assert assets
    assert when_used
    for url in fonts:
        assert f'"{url}"' in when_used.group(1), url
        assert url not in assets.group(1), url
