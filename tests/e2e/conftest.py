"""End-to-end fixtures: one headless Debian Chromium per session, a fresh page per test.

Playwright's browsers are never downloaded: the tests drive the system
Chromium at /usr/bin/chromium. The demo data is loaded into the test
database before each test (the transactional database is flushed between
tests, so the load cannot be session-scoped).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an asyncio event loop in this thread; Django
# would otherwise refuse ORM calls made from it (SynchronousOnlyOperation).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("AHTC_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "ahtc-demo-2025"  # public demo password (ahtc/demo/personas.py)


def totp_now(username: str) -> str:
    """The current six-digit code of a demo persona's fixed TOTP key."""
    from django_otp.oath import totp

    from ahtc.accounts.services import demo_totp_key

    return f"{totp(bytes.fromhex(demo_totp_key(username)), t0=0, step=30, digits=6):06d}"


def submit(page, button) -> object:
    """Click a form's submit button and wait for the page that follows the POST.

    A 403 here is worth a clear message: it is what CSRF middleware answers
    when it refuses the browser's Origin header.
    """
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        button.click()
    page.wait_for_load_state()
    response = posted.value
    origin = response.request.header_value("origin")
    assert response.status != 403, (
        f"POST {response.url} was refused with 403 (browser sent Origin: {origin!r}): "
        + page.locator("body").inner_text()[:200]
    )
    return response


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists() and not shutil.which(str(CHROMIUM)):
        pytest.fail(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# The demo built once per test process, as a copy of the whole SQLite
# database and the builder's context (see `demo`).
_DEMO_SNAPSHOT: dict[str, Any] = {}


def _sqlite_connection() -> sqlite3.Connection | None:
    """The raw connection of the test database, when it is SQLite."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return None
    connection.ensure_connection()
    raw = connection.connection
    return raw if isinstance(raw, sqlite3.Connection) else None


@pytest.fixture
def demo(transactional_db: None) -> object:
    """The demo data, fresh for every test.

    Building the demo goes through every service and takes seconds; on SQLite
    (the browser suite's database) it is built once per test process and
    copied back before each later test with SQLite's online backup, which
    restores the very same rows, ids and cache entries the build left. The
    files the build stored stay where it put them. On another database it
    is built for every test.
    """
    from ahtc.demo.build import demo_build
    from ahtc.portal.forms import area_caches_clear

    # Each transactional test recreates the areas with new ids.
    area_caches_clear()
    raw = _sqlite_connection()
    if raw is None:
        return demo_build()
    if not _DEMO_SNAPSHOT:
        context = demo_build()
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        raw.backup(copy)
        _DEMO_SNAPSHOT.update(database=copy, context=context)
        return context
    _DEMO_SNAPSHOT["database"].backup(raw)
    area_caches_clear()
    return _DEMO_SNAPSHOT["context"]


@pytest.fixture
def browser_context_args() -> dict[str, object]:
    """Overridden by tests that need another context (e.g. JavaScript off)."""
    return {}


@pytest.fixture
def page(browser, browser_context_args, live_server, demo) -> Iterator[object]:
    options: dict[str, object] = {"viewport": {"width": 1280, "height": 900}}
    options.update(browser_context_args)
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
