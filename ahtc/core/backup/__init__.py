"""Encrypted backups of the database and the stored files (issue 11).

An archive is a tar stream encrypted under BACKUP_KEY in the chunked format
that stored files use too (core/streaming.py, format 2, magic `AHTC-BACKUP`):
chunks of up to 1 MiB, each authenticated and bound to its archive and its
place, and an end marker that proves nothing was cut off.

The tar stream holds, in this order:

    database.sqlite3          SQLite: a copy made with the online backup API
    database/pgdump.000000 …  PostgreSQL: `pg_dump -Fc` in 4 MiB parts
    media/reports/<name>      stored files as stored (already encrypted under
                              the field keys), read through core/storage.py,
                              so from the filesystem or the object store
    manifest.json             engine, row counts per table, file count

No key is ever written: FIELD_ENCRYPTION_KEYS, RECEIPT_KEY, SECRET_KEY and
BACKUP_KEY live in the environment, never in the database or MEDIA_ROOT.
"""

from __future__ import annotations

import os
import shutil
import tarfile
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from django.db import connections

from ahtc.core.backup.archive import (
    MANIFEST_MEMBER,
    PG_PART_PREFIX,
    REPORTS_PREFIX,
    SQLITE_MEMBER,
    STORED_NAME,
    ArchiveReader,
    BackupError,
    Manifest,
    Progress,
    _add_bytes,
    _member_data,
    _open_archive,
    _tar_errors,
    _tar_info,
    archive_writer,
    backup_key,
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
from ahtc.core.storage import FileStore, file_store
from ahtc.core.streaming import CHUNK_BYTES, StreamKey

__all__ = [
    "ArchiveReader",
    "BackupError",
    "Manifest",
    "backup_create",
    "backup_key",
    "backup_restore",
    "backup_verify",
]


def backup_create(
    *,
    output: Path,
    key: str,
    progress: Progress,
    files: FileStore | None = None,
    using: str = "default",
) -> Manifest:
    """Write an encrypted archive of the database and the stored files (mode 600)
    of `files` (default: the configured storage).

    Written under a temporary name and moved into place when complete, so an
    archive at `output` is always whole.
    """
    stream_key = backup_key(key=key)
    files = files or file_store()
    if output.exists():
        raise BackupError(f"{output} exists already: choose another --output")
    if not output.parent.is_dir():
        raise BackupError(f"{output.parent} is not a folder")
    partial = output.with_name(output.name + ".partial")
    workdir = Path(tempfile.mkdtemp(prefix="ahtc-backup-", dir=output.parent))
    try:
        manifest = _write_archive(
            partial, key=stream_key, using=using, files=files, workdir=workdir
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
    path: Path, *, key: StreamKey, using: str, files: FileStore, workdir: Path
) -> Manifest:
    engine = _engine(connections[using].settings_dict)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        writer = archive_writer(out, key)
        with tarfile.open(fileobj=writer, mode="w|") as tar:
            if engine == "sqlite":
                tables = _sqlite_dump(tar, using=using, workdir=workdir)
            else:
                tables = _pg_dump(tar, using=using)
            count, size = _add_reports(tar, files=files)
            manifest = Manifest(engine=engine, tables=tables, files=count, file_bytes=size)
            _add_bytes(tar, name=MANIFEST_MEMBER, data=manifest.to_json())
        writer.finish()
        out.flush()
        os.fsync(out.fileno())
    return manifest


def _add_reports(tar: tarfile.TarFile, *, files: FileStore) -> tuple[int, int]:
    """Each stored file as stored: its bytes are already sealed by the field keys."""
    count = total = 0
    for entry in files.entries():
        size = files.raw_size(entry.name)
        source = files.open_raw(entry.name)
        try:
            tar.addfile(_tar_info(REPORTS_PREFIX + entry.name, size), source)
        finally:
            source.close()
        count, total = count + 1, total + size
    return count, total


# --- restore ---


def backup_verify(*, archive: Path, key: str) -> Manifest:
    """Read the whole archive once, writing nothing: every chunk must
    authenticate, in order, up to the end marker."""
    stream_key = backup_key(key=key)
    manifest: Manifest | None = None
    with _open_archive(archive) as source:
        reader = ArchiveReader(source, stream_key)
        with _tar_errors(), tarfile.open(fileobj=reader, mode="r|") as tar:
            for member in tar:
                if member.name == MANIFEST_MEMBER:
                    manifest = Manifest.from_json(_member_data(tar, member).read())
        reader.drain()
    if manifest is None:
        raise BackupError("the archive has no manifest")
    return manifest


def backup_restore(
    *,
    archive: Path,
    key: str,
    database: Mapping[str, Any],
    progress: Progress,
    files: FileStore | None = None,
) -> Manifest:
    """Load an archive into an empty database and an empty file storage
    (`files`, default: the configured storage)."""
    files = files or file_store()
    manifest = backup_verify(archive=archive, key=key)
    progress(f"archive checked: made {manifest.created}, {manifest.rows} rows")
    engine = _engine(database)
    if manifest.engine != engine:
        raise BackupError(f"this archive holds a {manifest.engine} database, not {engine}")
    _refuse_non_empty(engine=engine, database=database, files=files)
    workdir = Path(tempfile.mkdtemp(prefix="ahtc-restore-"))
    try:
        _restore_all(
            archive,
            key=backup_key(key=key),
            engine=engine,
            database=database,
            files=files,
            workdir=workdir,
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    _check_restored(manifest, engine=engine, database=database, files=files)
    progress(f"database: {len(manifest.tables)} tables, {manifest.rows} rows restored")
    progress(f"files: {manifest.files} restored, {manifest.file_bytes} bytes")
    return manifest


def _refuse_non_empty(*, engine: str, database: Mapping[str, Any], files: FileStore) -> None:
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
    if next(files.entries(), None) is not None:
        raise BackupError(
            "the file storage is not empty: restore only into an empty MEDIA_ROOT or bucket"
        )


def _restore_all(
    archive: Path,
    *,
    key: StreamKey,
    engine: str,
    database: Mapping[str, Any],
    files: FileStore,
    workdir: Path,
) -> None:
    pg = PgRestore(database) if engine == "postgresql" else None
    try:
        with _open_archive(archive) as source:
            reader = ArchiveReader(source, key)
            with _tar_errors(), tarfile.open(fileobj=reader, mode="r|") as tar:
                for member in tar:
                    data = _member_data(tar, member)
                    if member.name.startswith(PG_PART_PREFIX) and pg is not None:
                        pg.feed(data)
                    elif member.name == SQLITE_MEMBER and pg is None:
                        _sqlite_restore(data, database=database, workdir=workdir)
                    elif member.name.startswith(REPORTS_PREFIX):
                        _restore_file(data, files=files, name=member.name)
                    elif member.name != MANIFEST_MEMBER:
                        raise BackupError(f"the archive holds an unexpected entry {member.name!r}")
            reader.drain()
        if pg is not None:
            pg.finish()
    finally:
        if pg is not None:
            pg.abort()


def _restore_file(data: IO[bytes], *, files: FileStore, name: str) -> None:
    stored = name.removeprefix(REPORTS_PREFIX)
    if not STORED_NAME.fullmatch(stored):
        raise BackupError(f"the archive holds a file with an unsafe name {name!r}")
    sink = files.raw_sink(stored)
    try:
        while chunk := data.read(CHUNK_BYTES):
            sink.write(chunk)
        sink.commit()
    except BaseException:
        sink.abort()
        raise


def _check_restored(
    manifest: Manifest, *, engine: str, database: Mapping[str, Any], files: FileStore
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
    count = sum(1 for _entry in files.entries())
    if wrong or count != manifest.files:
        raise BackupError(
            "the restored data differs from the archive's manifest "
            f"(tables: {', '.join(wrong[:5]) or 'none'}; files {count} of {manifest.files})"
        )
