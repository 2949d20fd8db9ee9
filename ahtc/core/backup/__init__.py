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

import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from cryptography.fernet import Fernet
from django.db import connections

from ahtc.core.backup.archive import (
    CHUNK_BYTES,
    MANIFEST_MEMBER,
    PG_PART_PREFIX,
    REPORTS_PREFIX,
    SQLITE_MEMBER,
    STORED_NAME,
    BackupError,
    DecryptingReader,
    EncryptingWriter,
    Manifest,
    Progress,
    _add_bytes,
    _add_file,
    _member_data,
    _open_archive,
    _tar_errors,
    backup_fernet,
)
from ahtc.core.backup.engines import (
    PgRestore,
    _engine,
    _pg_connect,
    _pg_counts,
    _pg_dump,
    _sqlite_counts,
    _sqlite_dump,
    _sqlite_has_tables,
    _sqlite_restore,
)

__all__ = [
    "BackupError",
    "DecryptingReader",
    "Manifest",
    "backup_create",
    "backup_fernet",
    "backup_restore",
    "backup_verify",
]


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
