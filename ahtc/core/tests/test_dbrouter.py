"""The read replica is read only where code opts in (core/dbrouter.py).

The two-alias tests give the `replica` alias a SQLite file of its own holding
a row the primary does not have, so every assertion shows which database
answered. The PostgreSQL test points the alias at the primary itself (as
TEST MIRROR does) and checks that the replica connection refuses writes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.cache.backends.db import DatabaseCache
from django.db import connection, connections, router

from ahtc.core.dbrouter import (
    PRIMARY,
    REPLICA,
    read_replica,
    replica_alias,
    replica_database,
    using_replica,
)
from ahtc.geography.models import Area, AreaLevel

ONLY_ON_REPLICA = "ZZREPL1"


@pytest.fixture(scope="class")
def replica(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory, django_db_blocker: Any
) -> Iterator[str]:
    """A second alias on its own SQLite file, with one area the primary lacks.

    Added after the test databases exist (so none is made for it), and
    class-scoped so that it exists before pytest-django checks which
    databases a test may use.
    """
    name = tmp_path_factory.mktemp("replica") / "replica.sqlite3"
    config = connections.configure_settings(
        {
            PRIMARY: connections.settings[PRIMARY],
            REPLICA: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(name)},
        }
    )[REPLICA]
    settings.DATABASES[REPLICA] = connections.settings[REPLICA] = config
    try:
        with django_db_blocker.unblock():
            with connections[REPLICA].schema_editor() as editor:
                editor.create_model(Area)
            Area.objects.using(REPLICA).create(
                code=ONLY_ON_REPLICA, name_en="Replica only", level=AreaLevel.DISTRICT
            )
        yield REPLICA
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        settings.DATABASES.pop(REPLICA, None)
        connections.settings.pop(REPLICA, None)


def _on_replica_only() -> bool:
    return Area.objects.filter(code=ONLY_ON_REPLICA).exists()


@pytest.mark.usefixtures("replica")
@pytest.mark.django_db(databases=[PRIMARY, REPLICA])
class TestWithReplica:
    def test_default_reads_come_from_the_primary(self) -> None:
        assert not _on_replica_only()
        assert Area.objects.filter(code="PK620").exists()

    def test_using_replica_reads_that_queryset_from_the_replica(self) -> None:
        assert using_replica(Area.objects.filter(code=ONLY_ON_REPLICA)).exists()
        assert not _on_replica_only()

    def test_read_replica_block_reads_from_the_replica_and_ends_with_it(self) -> None:
        with read_replica() as alias:
            assert alias == REPLICA
            assert _on_replica_only()
        assert not _on_replica_only()

    def test_writes_inside_read_replica_go_to_the_primary(self) -> None:
        with read_replica():
            Area.objects.create(code="ZZPRIM1", name_en="Written", level=AreaLevel.DISTRICT)
        assert Area.objects.filter(code="ZZPRIM1").exists()
        assert not Area.objects.using(REPLICA).filter(code="ZZPRIM1").exists()

    def test_locking_reads_inside_read_replica_stay_on_the_primary(self) -> None:
        with read_replica():
            assert Area.objects.select_for_update().filter(code="PK620").db == PRIMARY
            assert Area.objects.filter(code="PK620").db == REPLICA

    def test_cache_and_sessions_stay_on_the_primary_inside_read_replica(self) -> None:
        cache_model = DatabaseCache("ahtc_cache", {}).cache_model_class
        cache.set("dbrouter-test", 41)
        with read_replica():
            assert router.db_for_read(cache_model) == PRIMARY
            assert router.db_for_read(Session) == PRIMARY
            # The replica file has no cache table: this read would fail there.
            assert cache.get("dbrouter-test") == 41


def test_migrations_run_only_on_the_primary() -> None:
    assert router.allow_migrate(PRIMARY, "geography")
    assert not router.allow_migrate(REPLICA, "geography")


@pytest.mark.django_db
def test_without_a_replica_opted_in_reads_use_the_primary() -> None:
    assert REPLICA not in settings.DATABASES
    assert replica_alias() == PRIMARY
    with read_replica() as alias:
        assert alias == PRIMARY
        assert Area.objects.filter(code="PK620").exists()
    assert using_replica(Area.objects.all()).db == PRIMARY


def test_replica_settings_mirror_the_test_database_and_are_read_only_on_postgresql() -> None:
    database = replica_database("postgres://app@db.internal:5432/ahtc", conn_max_age=60)
    assert database["TEST"]["MIRROR"] == PRIMARY
    assert database["OPTIONS"] == {"options": "-c default_transaction_read_only=on"}
    assert database["CONN_MAX_AGE"] == 60


def test_settings_refuse_a_replica_of_another_kind_of_database(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'router-test.sqlite3'}"}
    env["DATABASE_REPLICA_URL"] = "postgres://app@db.internal:5432/ahtc"
    done = subprocess.run(
        [sys.executable, "-c", "import ahtc.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "DATABASE_REPLICA_URL must be the same kind of database" in done.stderr


CHILD = """
import django
django.setup()
from django.db import connections, transaction, DatabaseError
from ahtc.core.dbrouter import read_replica
from ahtc.geography.models import Area, AreaLevel
with read_replica() as alias:
    seen = Area.objects.filter(code="PK620").exists()
with connections["replica"].cursor() as cursor:
    cursor.execute("SHOW default_transaction_read_only")
    read_only = cursor.fetchone()[0]
try:
    with transaction.atomic(using="replica"):
        Area.objects.using("replica").filter(code="PK620").update(name_en="changed")
    refused = "no"
except DatabaseError:
    refused = "yes"
print(alias, seen, read_only, refused)
"""


@pytest.mark.postgres
def test_postgresql_replica_connection_reads_and_refuses_writes(transactional_db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.fail("run with DATABASE_URL pointing at PostgreSQL (make test-postgres)")
    db = connection.settings_dict
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}"
    url += f":{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DATABASE_REPLICA_URL": url}
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", CHILD],
        env={**env, "DJANGO_SETTINGS_MODULE": "ahtc.settings"},
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.split() == ["replica", "True", "on", "yes"]
