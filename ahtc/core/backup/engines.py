"""The database engines: SQLite's online backup API, PostgreSQL's pg_dump and
pg_restore, and the row counts that the manifest compares."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from contextlib import closing, suppress
from pathlib import Path
from typing import IO, Any

import psycopg
from django.db import connections
from psycopg import sql

from ahtc.core.backup.archive import (
    PART_BYTES,
    PG_PART_PREFIX,
    SQLITE_MEMBER,
    BackupError,
    _add_bytes,
    _add_file,
)
from ahtc.core.streaming import CHUNK_BYTES


def _engine(database: Mapping[str, Any]) -> str:
    engine = str(database["ENGINE"])
    for name in ("sqlite", "postgresql"):
        if name in engine:
            return name
    raise BackupError(f"backups support SQLite and PostgreSQL, not {engine}")


# --- SQLite ---


def _sqlite_connect(name: str | Path) -> sqlite3.Connection:
    # Django names an in-memory test database with a file: URI.
    return sqlite3.connect(name, uri=str(name).startswith("file:"))


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    return sorted(row[0] for row in db.execute(query))


def _sqlite_counts(name: str | Path) -> dict[str, int]:
    with closing(_sqlite_connect(name)) as db:
        names = _sqlite_tables(db)
        quoted = {name: '"' + name.replace('"', '""') + '"' for name in names}
        # Table names come from the database's own catalogue, quoted.
        sql_count = "SELECT count(*) FROM {}"
        return {n: db.execute(sql_count.format(q)).fetchone()[0] for n, q in quoted.items()}


def _sqlite_dump(tar: tarfile.TarFile, *, using: str, workdir: Path) -> dict[str, int]:
    copy = workdir / "database.sqlite3"
    connection = connections[using]
    if connection.in_atomic_block:
        # The online backup API would wait forever for this transaction to end.
        raise BackupError("cannot back up SQLite from inside a transaction")
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    counts = _sqlite_counts(copy)
    _add_file(tar, name=SQLITE_MEMBER, path=copy)
    copy.unlink()
    return counts


def _sqlite_restore(data: IO[bytes], *, database: Mapping[str, Any], workdir: Path) -> None:
    copy = workdir / "database.sqlite3"
    with copy.open("xb") as out:
        shutil.copyfileobj(data, out, CHUNK_BYTES)
    source, target = sqlite3.connect(copy), _sqlite_connect(database["NAME"])
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    copy.unlink()


def _sqlite_has_tables(database: Mapping[str, Any]) -> bool:
    name = str(database["NAME"])
    if not name.startswith("file:") and not Path(name).exists():
        return False
    with closing(_sqlite_connect(name)) as db:
        return bool(_sqlite_tables(db))


# --- PostgreSQL ---


def _pg_params(database: Mapping[str, Any]) -> dict[str, Any]:
    params = {
        "dbname": database.get("NAME"),
        "user": database.get("USER"),
        "password": database.get("PASSWORD"),
        "host": database.get("HOST"),
        "port": database.get("PORT"),
    }
    params["sslmode"] = (database.get("OPTIONS") or {}).get("sslmode")
    return {key: value for key, value in params.items() if value}


def _pg_env(database: Mapping[str, Any]) -> dict[str, str]:
    """libpq reads these: the password never appears on a command line."""
    names = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD"}
    names |= {"host": "PGHOST", "port": "PGPORT", "sslmode": "PGSSLMODE"}
    env = dict(os.environ)
    env |= {names[key]: str(value) for key, value in _pg_params(database).items()}
    return env


def _pg_connect(database: Mapping[str, Any]) -> psycopg.Connection[Any]:
    try:
        return psycopg.connect(**_pg_params(database))
    except psycopg.Error as exc:
        raise BackupError(f"cannot connect to the database: {exc}") from None


def _pg_counts(db: psycopg.Connection[Any]) -> dict[str, int]:
    tables = db.execute(
        "SELECT schemaname, tablename FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
    ).fetchall()
    counts: dict[str, int] = {}
    for schema, table in tables:
        query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, table))
        row = db.execute(query).fetchone()
        counts[table if schema == "public" else f"{schema}.{table}"] = row[0] if row else 0
    return counts


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found: install the PostgreSQL client tools")
    return path


def _tool_failed(name: str, errors: IO[bytes]) -> BackupError:
    errors.seek(0)
    lines = errors.read().decode(errors="replace").strip().splitlines()
    return BackupError(f"{name} failed: " + (" / ".join(lines[-3:]) or "no message"))


def _pg_dump(tar: tarfile.TarFile, *, using: str) -> dict[str, int]:
    """pg_dump reads the snapshot in which the rows were counted, so the
    manifest counts exactly what the dump holds."""
    database = connections[using].settings_dict
    pg_dump = _tool("pg_dump")
    with _pg_connect(database) as db, tempfile.TemporaryFile() as errors:
        db.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        snapshot = db.execute("SELECT pg_export_snapshot()").fetchone()
        counts = _pg_counts(db)
        command = [pg_dump, "-Fc", f"--snapshot={snapshot[0] if snapshot else ''}"]
        process = subprocess.Popen(  # noqa: S603 - our arguments, no shell
            command, stdout=subprocess.PIPE, stderr=errors, env=_pg_env(database)
        )
        try:
            _add_parts(tar, process.stdout)
        except BaseException:
            process.kill()
            process.wait()
            raise
        if process.wait() != 0:
            raise _tool_failed("pg_dump", errors)
    return counts


def _add_parts(tar: tarfile.TarFile, stream: IO[bytes] | None) -> None:
    assert stream is not None  # noqa: S101 - Popen with stdout=PIPE
    number = 0
    while data := stream.read(PART_BYTES):
        _add_bytes(tar, name=f"{PG_PART_PREFIX}{number:06d}", data=data)
        number += 1


class PgRestore:
    """pg_restore reading the dump from a pipe, in one transaction: a restore
    that stops part way leaves the target database as it was."""

    def __init__(self, database: Mapping[str, Any]) -> None:
        command = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
        command += ["--single-transaction", f"--dbname={database['NAME']}"]
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed by finish or abort
        self._process = subprocess.Popen(  # noqa: S603 - our arguments, no shell
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=self._errors,
            env=_pg_env(database),
        )

    def feed(self, data: IO[bytes]) -> None:
        assert self._process.stdin is not None  # noqa: S101 - Popen with stdin=PIPE
        try:
            shutil.copyfileobj(data, self._process.stdin, CHUNK_BYTES)
        except BrokenPipeError:
            self.finish()

    def finish(self) -> None:
        assert self._process.stdin is not None  # noqa: S101 - Popen with stdin=PIPE
        with suppress(BrokenPipeError):
            self._process.stdin.close()
        if self._process.wait() != 0:
            raise _tool_failed("pg_restore", self._errors)
        self._errors.close()

    def abort(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._errors.close()


# --- backup ---
