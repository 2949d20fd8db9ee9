"""Reads from a PostgreSQL read replica, only where the code asks for it.

With `DATABASE_REPLICA_URL` set, settings add a second database alias,
`replica` (a streaming standby of the primary; docs/scale-out.md). Nothing
reads from it by default: a replica lags the primary by a moment, and a page
that shows what its user has just saved must not read an older copy. Code
that reads many rows and can live with a few seconds' lag (dashboards,
aggregates, large exports) opts in, either for a block::

    with read_replica():
        rows = list(Case.objects.values("status").annotate(n=Count("id")))

or for one queryset::

    rows = using_replica(Case.objects.filter(...))

Writes always go to the primary, and so do reads that lock (`select_for_update`
and `get_or_create` count as writes in Django), reads of the shared cache and of
sessions even inside `read_replica()`, and migrations. Without a replica both
helpers read from the primary, so code can opt in before a province has one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings

if TYPE_CHECKING:  # settings.py imports this module: no models at import time
    from dj_database_url import DBConfig
    from django.db import models

PRIMARY = "default"
REPLICA = "replica"
# State that must be current whatever the caller asked for: budgets and used
# proofs of work (the database cache) and sign-ins (sessions).
PRIMARY_ONLY_APPS = frozenset({"django_cache", "sessions"})

_reading_replica: ContextVar[bool] = ContextVar("ahtc_reading_replica", default=False)

M = TypeVar("M", bound="models.Model")


def replica_alias() -> str:
    """The alias opted-in reads use: the replica if configured, else the primary."""
    return REPLICA if REPLICA in settings.DATABASES else PRIMARY


def replica_database(url: str, *, conn_max_age: int | None) -> DBConfig:
    """Settings for the `replica` alias (called from settings.py).

    On PostgreSQL every transaction on it is read-only, so a write routed there
    by mistake fails at once (a hot standby refuses it too). In tests the alias
    mirrors the test database instead of getting one of its own.
    """
    import dj_database_url

    database = dj_database_url.parse(url, conn_max_age=conn_max_age or 0)
    if database["ENGINE"] == "django.db.backends.postgresql":
        database["OPTIONS"] = {"options": "-c default_transaction_read_only=on"}
    database["TEST"] = {"MIRROR": PRIMARY}
    return database


@contextmanager
def read_replica() -> Iterator[str]:
    """Route the reads inside the block to the replica; yields the alias used."""
    token = _reading_replica.set(True)
    try:
        yield replica_alias()
    finally:
        _reading_replica.reset(token)


def using_replica(queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """The same queryset, read from the replica (or the primary without one)."""
    return queryset.using(replica_alias())


class PrimaryReplicaRouter:
    """Installed always (settings.DATABASE_ROUTERS); inert without a replica."""

    def db_for_read(self, model: type[models.Model], **hints: Any) -> str | None:
        if _reading_replica.get() and model._meta.app_label not in PRIMARY_ONLY_APPS:
            return replica_alias()
        # None: Django's default, which is the primary, or, for an object
        # reached from one read off the replica, the replica it came from.
        return None

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool:
        # Both aliases hold the same data: relations across them are the same rows.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY
