"""The archive format: chunked, authenticated encryption of a tar stream (see
the package docstring), the manifest, and tar helpers."""

from __future__ import annotations

import io
import json
import re
import tarfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, BinaryIO

from django.utils import timezone

from ahtc.core.streaming import (
    FORMAT,
    DecryptingReader,
    EncryptingWriter,
    StreamKey,
)

MAGIC = b"AHTC-BACKUP"
PART_BYTES = 4 * 1024 * 1024

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
            raise BackupError(f"the archive's manifest is not of format {FORMAT}")
        return manifest

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def backup_key(*, key: str) -> StreamKey:
    if not key:
        raise BackupError("BACKUP_KEY is not set (make one with `ahtc genkey`)")
    try:
        return StreamKey.from_fernet_key(key)
    except ValueError:
        raise BackupError("BACKUP_KEY is not a Fernet key (make one with `ahtc genkey`)") from None


# --- the chunked, encrypted stream (core/streaming.py) ---


def archive_writer(out: BinaryIO, key: StreamKey) -> EncryptingWriter:
    return EncryptingWriter(out, key, magic=MAGIC)


class ArchiveReader(DecryptingReader):
    """Reads an archive back as its tar stream, checking every chunk on the way."""

    noun = "archive"
    what = "an AHTC backup archive"
    wrong_key = "BACKUP_KEY does not open this archive (a wrong key, or a damaged archive)"
    error = BackupError

    def __init__(self, source: BinaryIO, key: StreamKey) -> None:
        super().__init__(source, {key.key_id: key}, magic=MAGIC)


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
