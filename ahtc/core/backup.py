"""Encrypted backups of the database and the stored files (issue 11).

An archive, format version 1, is a header line and then chunks:

    AHTC-BACKUP 1 <archive id: 32 hex digits>\\n
    chunk: a 4-byte big-endian length N, then N bytes: a Fernet token under
           BACKUP_KEY, in binary form (the token's base64url decoded)

Each token's plaintext is the 16-byte archive id, an 8-byte big-endian chunk
number (0, 1, 2 ...), a 1-byte kind (0 data, 1 end) and up to 1 MiB of a tar
stream. Fernet is not a streaming cipher, so the stream is cut into chunks
that are each authenticated; the id and number bind a chunk to its archive and
its place, and the last chunk (kind 1, no data) proves nothing was cut off.

The tar stream holds, in this order:

    database.sqlite3          SQLite: a copy made with the online backup API
    database/pgdump.000000 …  PostgreSQL: `pg_dump -Fc` in 4 MiB parts
    media/reports/<name>      stored files as they are (encrypted at rest)
    manifest.json             engine, row counts per table, file count

No key is ever written: FIELD_ENCRYPTION_KEYS, RECEIPT_KEY, SECRET_KEY and
BACKUP_KEY live in the environment, never in the database or MEDIA_ROOT.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import secrets
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing, contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO

import psycopg
from cryptography.fernet import Fernet, InvalidToken
from django.db import connections
from django.utils import timezone
from psycopg import sql

FORMAT = 1
MAGIC = b"AHTC-BACKUP"
CHUNK_BYTES = 1024 * 1024
PART_BYTES = 4 * 1024 * 1024
# A binary Fernet token adds 57 to 73 bytes to its plaintext; anything much
# longer is damage, and must not make us allocate whatever the length says.
MAX_TOKEN_BYTES = CHUNK_BYTES + 1024
KIND_DATA, KIND_END = 0, 1
_CHUNK_HEAD = struct.Struct(">16sQB")
_LENGTH = struct.Struct(">I")

SQLITE_MEMBER = "database.sqlite3"
PG_PART_PREFIX = "database/pgdump."
REPORTS_PREFIX = "media/reports/"
MANIFEST_MEMBER = "manifest.json"
STORED_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}")

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is safe to show."""


@dataclass(frozen=True)
class Manifest:
    engine: str
    tables: dict[str, int]
    files: int
    file_bytes: int
    created: str = field(default_factory=lambda: timezone.now().isoformat())
    format: int = FORMAT

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=1, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        try:
            raw = json.loads(data)
            manifest = cls(**raw)
        except (ValueError, TypeError) as exc:
            raise BackupError("the archive's manifest is not readable") from exc
        if manifest.format != FORMAT or not all(
            isinstance(n, int) for n in manifest.tables.values()
        ):
            raise BackupError("the archive's manifest is not of format 1")
        return manifest

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def backup_fernet(*, key: str) -> Fernet:
    if not key:
        raise BackupError("BACKUP_KEY is not set (make one with `ahtc genkey`)")
    try:
        return Fernet(key.encode())
    except ValueError as exc:
        raise BackupError("BACKUP_KEY is not a Fernet key (make one with `ahtc genkey`)") from exc


# --- the chunked, encrypted stream ---


class EncryptingWriter(io.RawIOBase):
    """Cuts what is written into chunks and writes each as a Fernet token."""

    def __init__(self, out: BinaryIO, fernet: Fernet) -> None:
        self._out, self._fernet = out, fernet
        self._id = secrets.token_bytes(16)
        self._number = 0
        self._buffer = bytearray()
        out.write(b"%s %d %s\n" % (MAGIC, FORMAT, self._id.hex().encode()))

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._buffer += data
        while len(self._buffer) >= CHUNK_BYTES:
            self._emit(KIND_DATA, bytes(self._buffer[:CHUNK_BYTES]))
            del self._buffer[:CHUNK_BYTES]
        return len(data)

    def finish(self) -> None:
        if self._buffer:
            self._emit(KIND_DATA, bytes(self._buffer))
            self._buffer.clear()
        self._emit(KIND_END, b"")

    def _emit(self, kind: int, data: bytes) -> None:
        plain = _CHUNK_HEAD.pack(self._id, self._number, kind) + data
        token = base64.urlsafe_b64decode(self._fernet.encrypt(plain))
        self._out.write(_LENGTH.pack(len(token)) + token)
        self._number += 1


class DecryptingReader(io.RawIOBase):
    """Reads an archive back as its tar stream, checking every chunk on the way."""

    def __init__(self, source: BinaryIO, fernet: Fernet) -> None:
        self._source, self._fernet = source, fernet
        self._id = _read_header(source)
        self._number = 0
        self._pending = memoryview(b"")
        self.ended = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending and not self.ended:
            self._pending = memoryview(self._next_chunk())
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def drain(self) -> None:
        """Read to the end marker: tar stops reading before its padding ends."""
        while not self.ended:
            self._next_chunk()
        self._pending = memoryview(b"")

    def _next_chunk(self) -> bytes:
        plain = self._decrypt(self._read_token())
        archive_id, number, kind = _CHUNK_HEAD.unpack_from(plain)
        if archive_id != self._id or number != self._number:
            raise BackupError(f"the archive is damaged: chunk {self._number} is out of place")
        self._number += 1
        if kind == KIND_END:
            self.ended = True
            if self._source.read(1):
                raise BackupError("the archive is damaged: data after its end marker")
        return plain[_CHUNK_HEAD.size :]

    def _read_token(self) -> bytes:
        head = self._source.read(_LENGTH.size)
        (length,) = _LENGTH.unpack(head) if len(head) == _LENGTH.size else (-1,)
        if length > MAX_TOKEN_BYTES:
            raise BackupError(f"the archive is damaged: chunk {self._number} has a wrong length")
        token = self._source.read(length) if length >= 0 else b""
        if length < 0 or len(token) < length:
            raise BackupError(
                f"the archive is incomplete (cut off after {self._number} chunks, no end marker)"
            )
        return token

    def _decrypt(self, token: bytes) -> bytes:
        try:
            plain = self._fernet.decrypt(base64.urlsafe_b64encode(token))
        except InvalidToken:
            if self._number == 0:
                raise BackupError(
                    "BACKUP_KEY does not open this archive (a wrong key, or a damaged archive)"
                ) from None
            raise BackupError(
                f"the archive is damaged: chunk {self._number} does not authenticate"
            ) from None
        if len(plain) < _CHUNK_HEAD.size:
            raise BackupError(f"the archive is damaged: chunk {self._number} is too short")
        return plain


def _read_header(source: BinaryIO) -> bytes:
    parts = source.readline(100).split()
    if len(parts) != 3 or parts[0] != MAGIC:
        raise BackupError("this file is not an AHTC backup archive")
    if parts[1] != str(FORMAT).encode():
        raise BackupError(f"archive format {parts[1].decode(errors='replace')} is not supported")
    try:
        return bytes.fromhex(parts[2].decode())
    except ValueError:
        raise BackupError("this file is not an AHTC backup archive") from None


# --- tar members ---


def _tar_info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode = size, 0o600
    return info


def _add_bytes(tar: tarfile.TarFile, *, name: str, data: bytes) -> None:
    tar.addfile(_tar_info(name, len(data)), io.BytesIO(data))


def _add_file(tar: tarfile.TarFile, *, name: str, path: Path) -> int:
    size = path.stat().st_size
    with path.open("rb") as data:
        tar.addfile(_tar_info(name, size), data)
    return size


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


def backup_create(
    *, output: Path, key: str, media_root: Path, progress: Progress, using: str = "default"
) -> Manifest:
    """Write an encrypted archive of the database and the stored files (mode 600).

    Written under a temporary name and moved into place when complete, so an
    archive at `output` is always whole.
    """
    fernet = backup_fernet(key=key)
    if output.exists():
        raise BackupError(f"{output} exists already: choose another --output")
    if not output.parent.is_dir():
        raise BackupError(f"{output.parent} is not a folder")
    partial = output.with_name(output.name + ".partial")
    workdir = Path(tempfile.mkdtemp(prefix="ahtc-backup-", dir=output.parent))
    try:
        manifest = _write_archive(
            partial, fernet=fernet, using=using, media_root=media_root, workdir=workdir
        )
        os.link(partial, output)
    finally:
        partial.unlink(missing_ok=True)
        shutil.rmtree(workdir, ignore_errors=True)
    progress(f"database: {len(manifest.tables)} tables, {manifest.rows} rows")
    progress(f"files: {manifest.files} copied, {manifest.file_bytes} bytes")
    progress(f"archive: {output}, {output.stat().st_size} bytes")
    return manifest


def _write_archive(
    path: Path, *, fernet: Fernet, using: str, media_root: Path, workdir: Path
) -> Manifest:
    engine = _engine(connections[using].settings_dict)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        writer = EncryptingWriter(out, fernet)
        with tarfile.open(fileobj=writer, mode="w|") as tar:
            if engine == "sqlite":
                tables = _sqlite_dump(tar, using=using, workdir=workdir)
            else:
                tables = _pg_dump(tar, using=using)
            files, size = _add_reports(tar, media_root=media_root)
            manifest = Manifest(engine=engine, tables=tables, files=files, file_bytes=size)
            _add_bytes(tar, name=MANIFEST_MEMBER, data=manifest.to_json())
        writer.finish()
        out.flush()
        os.fsync(out.fileno())
    return manifest


def _stored_files(media_root: Path) -> Iterator[Path]:
    folder = media_root / "reports"
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.is_file() and not path.is_symlink() and STORED_NAME.fullmatch(path.name):
                yield path


def _add_reports(tar: tarfile.TarFile, *, media_root: Path) -> tuple[int, int]:
    files = size = 0
    for path in _stored_files(media_root):
        size += _add_file(tar, name=REPORTS_PREFIX + path.name, path=path)
        files += 1
    return files, size


# --- restore ---


def backup_verify(*, archive: Path, key: str) -> Manifest:
    """Read the whole archive once, writing nothing: every chunk must
    authenticate, in order, up to the end marker."""
    fernet = backup_fernet(key=key)
    manifest: Manifest | None = None
    with _open_archive(archive) as source:
        reader = DecryptingReader(source, fernet)
        with _tar_errors(), tarfile.open(fileobj=reader, mode="r|") as tar:
            for member in tar:
                if member.name == MANIFEST_MEMBER:
                    manifest = Manifest.from_json(_member_data(tar, member).read())
        reader.drain()
    if manifest is None:
        raise BackupError("the archive has no manifest")
    return manifest


def backup_restore(
    *, archive: Path, key: str, database: Mapping[str, Any], media_root: Path, progress: Progress
) -> Manifest:
    """Load an archive into an empty database and an empty MEDIA_ROOT/reports."""
    manifest = backup_verify(archive=archive, key=key)
    progress(f"archive checked: made {manifest.created}, {manifest.rows} rows")
    engine = _engine(database)
    if manifest.engine != engine:
        raise BackupError(f"this archive holds a {manifest.engine} database, not {engine}")
    _refuse_non_empty(engine=engine, database=database, media_root=media_root)
    workdir = Path(tempfile.mkdtemp(prefix="ahtc-restore-"))
    try:
        _restore_all(
            archive,
            fernet=backup_fernet(key=key),
            engine=engine,
            database=database,
            media_root=media_root,
            workdir=workdir,
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    _check_restored(manifest, engine=engine, database=database, media_root=media_root)
    progress(f"database: {len(manifest.tables)} tables, {manifest.rows} rows restored")
    progress(f"files: {manifest.files} restored, {manifest.file_bytes} bytes")
    return manifest


def _refuse_non_empty(*, engine: str, database: Mapping[str, Any], media_root: Path) -> None:
    if engine == "sqlite":
        has_tables = _sqlite_has_tables(database)
    else:
        with _pg_connect(database) as db:
            has_tables = bool(
                db.execute(
                    "SELECT 1 FROM pg_tables WHERE schemaname NOT IN "
                    "('pg_catalog', 'information_schema')"
                ).fetchone()
            )
    if has_tables:
        raise BackupError(
            "the target database is not empty: restore only into a new, empty database "
            "(do not run `ahtc migrate` on it first)"
        )
    reports = media_root / "reports"
    if reports.is_dir() and any(reports.iterdir()):
        raise BackupError(f"{reports} is not empty: restore only into an empty MEDIA_ROOT")


def _restore_all(
    archive: Path,
    *,
    fernet: Fernet,
    engine: str,
    database: Mapping[str, Any],
    media_root: Path,
    workdir: Path,
) -> None:
    reports = media_root / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    pg = PgRestore(database) if engine == "postgresql" else None
    try:
        with _open_archive(archive) as source:
            reader = DecryptingReader(source, fernet)
            with _tar_errors(), tarfile.open(fileobj=reader, mode="r|") as tar:
                for member in tar:
                    data = _member_data(tar, member)
                    if member.name.startswith(PG_PART_PREFIX) and pg is not None:
                        pg.feed(data)
                    elif member.name == SQLITE_MEMBER and pg is None:
                        _sqlite_restore(data, database=database, workdir=workdir)
                    elif member.name.startswith(REPORTS_PREFIX):
                        _restore_file(data, folder=reports, name=member.name)
                    elif member.name != MANIFEST_MEMBER:
                        raise BackupError(f"the archive holds an unexpected entry {member.name!r}")
            reader.drain()
        if pg is not None:
            pg.finish()
    finally:
        if pg is not None:
            pg.abort()


def _restore_file(data: IO[bytes], *, folder: Path, name: str) -> None:
    stored = name.removeprefix(REPORTS_PREFIX)
    if not STORED_NAME.fullmatch(stored):
        raise BackupError(f"the archive holds a file with an unsafe name {name!r}")
    descriptor = os.open(folder / stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        shutil.copyfileobj(data, out, CHUNK_BYTES)


def _check_restored(
    manifest: Manifest, *, engine: str, database: Mapping[str, Any], media_root: Path
) -> None:
    if engine == "sqlite":
        counts = _sqlite_counts(database["NAME"])
    else:
        with _pg_connect(database) as db:
            counts = _pg_counts(db)
    wrong = sorted(
        name
        for name in manifest.tables.keys() | counts.keys()
        if manifest.tables.get(name) != counts.get(name)
    )
    files = sum(1 for _path in _stored_files(media_root))
    if wrong or files != manifest.files:
        raise BackupError(
            "the restored data differs from the archive's manifest "
            f"(tables: {', '.join(wrong[:5]) or 'none'}; files {files} of {manifest.files})"
        )


def _open_archive(archive: Path) -> BinaryIO:
    try:
        return archive.open("rb")
    except OSError as exc:
        raise BackupError(f"cannot read {archive}: {exc.strerror}") from None


def _member_data(tar: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    data = tar.extractfile(member) if member.isfile() else None
    if data is None:
        raise BackupError(f"the archive holds an unexpected entry {member.name!r}")
    return data


@contextmanager
def _tar_errors() -> Iterator[None]:
    """A tar stream that will not parse, though every chunk authenticated."""
    try:
        yield
    except tarfile.TarError:
        raise BackupError("the archive's contents are not a readable tar stream") from None
