"""Shared test fixtures: the Punjab area tree (loaded once) and personas.

Personas follow STYLE.md §12: officer_mbdin, officer_gujrat, fia_liaison,
labour_liaison, provincial_monitor, plus a cell head and an administrator.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ahtc.accounts.models import Organisation, OrganisationKind, User
from ahtc.accounts.roles import Role
from ahtc.accounts.services import (
    demo_totp_key,
    organisation_create,
    role_grant,
    totp_device_confirm_demo,
    user_create,
)
from ahtc.geography.models import Area
from ahtc.geography.services import area_import_csv

PASSWORD = "correct-horse-battery-42"


def worker_redis_url(url: str, worker: str) -> str:
    """Each pytest-xdist worker (gw0, gw1, …) gets a Redis database of its
    own, base + 2 + its number (the base's neighbour is the smoke test's), so
    one worker's `cache.clear()` and rate-limit budgets cannot touch
    another's."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    number = base + 2 + int(worker.removeprefix("gw"))
    if number > 15:
        raise pytest.UsageError(f"no Redis database {number} for worker {worker}")
    return urlunsplit(parts._replace(path=f"/{number}"))


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    cache = settings.CACHES["default"]
    if worker and str(cache["BACKEND"]).endswith("RedisCache"):
        cache["LOCATION"] = worker_redis_url(str(cache["LOCATION"]), worker)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        if not Area.objects.exists():
            report = area_import_csv(source="punjab")
            assert not report.rejected, report.rejected


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    # Production keeps Django's slow PBKDF2; tests need not pay for it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_kept_graphs() -> None:
    """Each test builds its own link-analysis graphs (intelligence/graph_cache.py)."""
    from ahtc.intelligence.graph_cache import clear

    clear()


@pytest.fixture(autouse=True)
def english_outside_requests() -> Any:
    """Service and command output in English; pages pick their own language."""
    with translation.override("en"):
        yield


def current_code(username: str) -> str:
    return f"{totp(bytes.fromhex(demo_totp_key(username)), t0=0, step=30, digits=6):06d}"


@pytest.fixture
def make_org(db: Any) -> Callable[..., Organisation]:
    def make(
        kind: str = OrganisationKind.POLICE_AHTC, area: str = "PK620", name: str = ""
    ) -> Organisation:
        return organisation_create(
            kind=kind, name_en=name or f"{kind} {area}", area=Area.objects.get(code=area)
        )

    return make


@pytest.fixture
def make_user(make_org: Callable[..., Organisation]) -> Callable[..., User]:
    def make(
        username: str,
        role: Role | None = Role.CELL_OFFICER,
        area: str = "PK620",
        kind: str = OrganisationKind.POLICE_AHTC,
        org_area: str | None = None,
        enrolled: bool = True,
    ) -> User:
        org_area = org_area or area
        org = Organisation.objects.filter(kind=kind, area__code=org_area).first() or make_org(
            kind=kind, area=org_area
        )
        user = user_create(username=username, password=PASSWORD, organisation=org)
        if role is not None:
            role_grant(user=user, role=role, area=Area.objects.get(code=area))
        if enrolled:
            totp_device_confirm_demo(user=user)
        return user

    return make


@pytest.fixture
def officer_mbdin(make_user: Callable[..., User]) -> User:
    return make_user("officer_mbdin", Role.CELL_OFFICER, "PK620")


@pytest.fixture
def officer_gujrat(make_user: Callable[..., User]) -> User:
    return make_user("officer_gujrat", Role.CELL_OFFICER, "PK610")


@pytest.fixture
def dpo_mbdin(make_user: Callable[..., User]) -> User:
    return make_user("dpo_mbdin", Role.CELL_HEAD, "PK620")


@pytest.fixture
def fia_liaison(make_user: Callable[..., User]) -> User:
    return make_user("fia_liaison", Role.AGENCY_LIAISON, "PK6DV03", kind=OrganisationKind.FIA)


@pytest.fixture
def labour_liaison(make_user: Callable[..., User]) -> User:
    return make_user("labour_liaison", Role.AGENCY_LIAISON, "PK620", kind=OrganisationKind.LABOUR)


@pytest.fixture
def provincial_monitor(make_user: Callable[..., User]) -> User:
    return make_user("provincial_monitor", Role.PROVINCIAL_MONITOR, "PK6")


@pytest.fixture
def admin_user(make_user: Callable[..., User]) -> User:
    return make_user("admin", Role.ADMINISTRATOR, "PK6")


@pytest.fixture
def login_as(client: Client) -> Callable[[User], Client]:
    """A client signed in with a verified second factor (as after real sign-in)."""

    def login(user: User) -> Client:
        client.force_login(user, backend="ahtc.accounts.backends.ActiveOrganisationBackend")
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        client.cookies["ahtc_lang"] = "en"
        return client

    return login


def _audit_triggers(action: str) -> None:
    """Drop or (re)create the database triggers that make the audit log append-only.

    The triggers come from migration core/0002. They must be in force while a
    test runs, but they also refuse the flush with which a transactional test
    ends; so they are dropped just before the flush and restored after it.
    """
    import importlib

    from django.db import connection

    migration = importlib.import_module("ahtc.core.migrations.0002_audit_append_only")
    vendor = connection.vendor
    statements = list(migration.DROP.get(vendor, []))
    if action == "create":
        statements += {"sqlite": migration.SQLITE, "postgresql": migration.POSTGRESQL}.get(
            vendor, []
        )
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@pytest.fixture
def _audit_log_restored(django_db_blocker: Any) -> Iterator[None]:
    yield
    with django_db_blocker.unblock():
        _audit_triggers("create")
        # The flush also emptied the reference data every other test expects.
        from ahtc.cases.legal import catalogue_ensure

        if not Area.objects.exists():
            area_import_csv(source="punjab")
        catalogue_ensure()


@pytest.fixture
def transactional_db(_audit_log_restored: None, transactional_db: None) -> Iterator[None]:
    """pytest-django's transactional_db, with the audit triggers out of the flush's way.

    Fixtures tear down in reverse order of setup: this one drops the
    triggers, then the original flushes every table, then
    _audit_log_restored (set up first) puts the triggers back.
    """
    yield
    _audit_triggers("drop")
