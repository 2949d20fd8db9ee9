"""The archive format: chunked, authenticated encryption of a tar stream (see
the package docstring), the manifest, and tar helpers."""

from __future__ import annotations

import base64
import io
import json
import re
import secrets
import struct
import tarfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO

from cryptography.fernet import Fernet, InvalidToken
from django.utils import timezone

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
