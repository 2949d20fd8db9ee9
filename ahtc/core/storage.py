"""Stored files: where they live, and how they are sealed before they go there.

Every stored file (reporters' attachments, evidence, victims' photographs)
goes through `file_store()`:

- backend: Django's default storage, the filesystem under MEDIA_ROOT (the
  embedded default) or an S3-compatible object store with `AHTC_STORAGE=s3`
  (django-storages; MinIO, Ceph, AWS). Objects are `reports/<32 hex digits>`:
  random names, no metadata, content type application/octet-stream;
- sealing: encrypted on this server before a byte is written, in the chunked
  format of core/streaming.py (magic `AHTC-FILE`) under the newest of
  FIELD_ENCRYPTION_KEYS; any listed key reads. Files written before issue 11
  are one Fernet token each and are still read;
- streaming: writes go out chunk by chunk (filesystem: a private partial file
  renamed when complete; S3: a multipart upload), reads come back chunk by
  chunk, so a 2 GB video never sits in memory.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol, cast

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, Storage, storages

from ahtc.core.fields import fernet
from ahtc.core.streaming import DecryptingReader, EncryptingWriter, Readable, StreamKey

FILE_MAGIC = b"AHTC-FILE"
FOLDER = "reports"
NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}")
READ_BYTES = 1024 * 1024
S3_PART_BYTES = 8 * 1024 * 1024  # S3 asks at least 5 MiB of every part but the last
# Files from before issue 11 are single Fernet tokens of at most 8 MB.
LEGACY_MAX_BYTES = 64 * 1024 * 1024


class StoredFileError(Exception):
    """A stored file that cannot be read; the message is safe to show."""


class SealedFileReader(DecryptingReader):
    noun = "stored file"
    what = "an AHTC stored file"
    wrong_key = "no key in FIELD_ENCRYPTION_KEYS opens this file (key id {key_id})"
    error = StoredFileError


@functools.cache
def _stream_keys(keys: tuple[str, ...]) -> tuple[StreamKey, ...]:
    try:
        return tuple(StreamKey.from_fernet_key(key) for key in keys)
    except ValueError as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS holds a key that is not a Fernet key"
        ) from exc


def stream_keys() -> tuple[StreamKey, ...]:
    """The field keys, newest first."""
    keys = _stream_keys(tuple(settings.FIELD_ENCRYPTION_KEYS))
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty")
    return keys


class Sink(Protocol):
    """Where ciphertext goes: kept only when committed."""

    def write(self, data: bytes, /) -> Any: ...
    def commit(self) -> None: ...
    def abort(self) -> None: ...


class _FileSink:
    """A private partial file beside the target, renamed into place when whole."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path, self._partial = path, path.with_name(f".{path.name}.partial")
        descriptor = os.open(self._partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._out = os.fdopen(descriptor, "wb")

    def write(self, data: bytes) -> None:
        self._out.write(data)

    def commit(self) -> None:
        self._out.close()
        os.replace(self._partial, self._path)

    def abort(self) -> None:
        self._out.close()
        self._partial.unlink(missing_ok=True)


class _S3Sink:
    """A multipart upload, part by part; aborted, it leaves nothing behind."""

    def __init__(self, storage: Any, key: str) -> None:
        self._object = storage.bucket.Object(storage._normalize_name(key))
        params = dict(storage.get_object_parameters(key))
        self._params = {**params, "ContentType": "application/octet-stream"}
        self._buffer = bytearray()
        self._upload: Any = None
        self._parts: list[dict[str, Any]] = []

    def write(self, data: bytes) -> None:
        self._buffer += data
        if len(self._buffer) >= S3_PART_BYTES:
            self._send_part()

    def _send_part(self) -> None:
        if self._upload is None:
            self._upload = self._object.initiate_multipart_upload(**self._params)
        number = len(self._parts) + 1
        answer = self._upload.Part(number).upload(Body=bytes(self._buffer))
        self._parts.append({"ETag": answer["ETag"], "PartNumber": number})
        self._buffer.clear()

    def commit(self) -> None:
        if self._upload is None:
            self._object.put(Body=bytes(self._buffer), **self._params)
            return
        if self._buffer:
            self._send_part()
        self._upload.complete(MultipartUpload={"Parts": self._parts})

    def abort(self) -> None:
        self._buffer.clear()
        if self._upload is not None:
            self._upload.abort()


@dataclass
class SealedObject:
    """A stored file as written: its name, and the size and SHA-256 of its plaintext.
    `claimed` once a row names it (core/uploads.py deletes what no row claims)."""

    name: str
    size: int
    sha256: str
    claimed: bool = False


class SealedWriter:
    """Encrypts and stores a file written to it piece by piece."""

    def __init__(self, store: FileStore, key: StreamKey) -> None:
        self.name = uuid.uuid4().hex
        self._sink = store.raw_sink(self.name)
        self._writer = EncryptingWriter(self._sink, key, magic=FILE_MAGIC)
        self._hash = hashlib.sha256()
        self.size = 0
        self.result: SealedObject | None = None
        self.aborted = False

    def write(self, data: bytes) -> None:
        self._hash.update(data)
        self.size += len(data)
        self._writer.write(data)

    def commit(self) -> SealedObject:
        self._writer.finish()
        self._sink.commit()
        self.result = SealedObject(self.name, self.size, self._hash.hexdigest())
        return self.result

    def abort(self) -> None:
        if self.result is None and not self.aborted:
            self.aborted = True
            self._sink.abort()


@dataclass(frozen=True)
class StoredEntry:
    name: str
    modified: dt.datetime


class FileStore:
    """Sealed files in one Django storage (the configured one: `file_store()`)."""

    def __init__(self, storage: Storage, folder: str = FOLDER) -> None:
        self.storage = storage
        self.folder = folder

    @property
    def is_s3(self) -> bool:
        return hasattr(self.storage, "bucket")

    def key(self, name: str) -> str:
        if not NAME.fullmatch(name):
            raise StoredFileError("not a stored file's name")
        return f"{self.folder}/{name}"

    # --- sealed (plaintext in, plaintext out) ---

    def writer(self) -> SealedWriter:
        return SealedWriter(self, stream_keys()[0])

    def save_bytes(self, data: bytes) -> SealedObject:
        writer = self.writer()
        try:
            writer.write(data)
            return writer.commit()
        except BaseException:
            writer.abort()
            raise

    def open(self, name: str) -> io.RawIOBase | io.BytesIO:
        """The plaintext of a stored file, as a stream (close it when done)."""
        source = self.open_raw(name)
        try:
            head = source.read(len(FILE_MAGIC))
            if head == FILE_MAGIC:
                keys = {key.key_id: key for key in stream_keys()}
                return _Closing(SealedFileReader(source, keys, magic=FILE_MAGIC, head=head), source)
            data = head + source.read(LEGACY_MAX_BYTES)
        except BaseException:
            source.close()
            raise
        source.close()
        try:
            return io.BytesIO(fernet().decrypt(data))
        except InvalidToken:
            raise StoredFileError("no key in FIELD_ENCRYPTION_KEYS opens this file") from None

    def read_bytes(self, name: str) -> bytes:
        with self.open(name) as plain:
            return plain.read()

    def chunks(self, name: str) -> Iterator[bytes]:
        """The plaintext chunk by chunk; the file is closed when the iteration ends."""
        plain = self.open(name)
        try:
            while data := plain.read(READ_BYTES):
                yield data
        finally:
            plain.close()

    # --- raw (the ciphertext as stored: backups, migration) ---

    def open_raw(self, name: str) -> BinaryIO:
        key = self.key(name)
        if self.is_s3:
            try:
                body = self._s3_object(key).get()["Body"]
            except Exception as exc:  # botocore's errors: one message for all
                raise FileNotFoundError(f"stored file {name} cannot be read") from exc
            return body  # type: ignore[no-any-return]
        return cast(BinaryIO, self.storage.open(key, "rb"))

    def raw_sink(self, name: str) -> Sink:
        key = self.key(name)
        if self.is_s3:
            return _S3Sink(self.storage, key)
        return _FileSink(Path(self.storage.path(key)))

    def raw_size(self, name: str) -> int:
        return self.storage.size(self.key(name))

    def exists(self, name: str) -> bool:
        return self.storage.exists(self.key(name))

    def delete(self, name: str) -> None:
        self.storage.delete(self.key(name))

    def entries(self) -> Iterator[StoredEntry]:
        """Every stored file, in name order (partial files are not listed)."""
        if self.is_s3:
            yield from self._s3_entries()
            return
        folder = Path(self.storage.path(self.folder))
        if not folder.is_dir():
            return
        for path in sorted(folder.iterdir()):
            if NAME.fullmatch(path.name) and path.is_file() and not path.is_symlink():
                modified = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
                yield StoredEntry(path.name, modified)

    def _s3_object(self, key: str) -> Any:
        storage: Any = self.storage
        return storage.bucket.Object(storage._normalize_name(key))

    def _s3_entries(self) -> Iterator[StoredEntry]:
        storage: Any = self.storage
        prefix = storage._normalize_name(self.folder) + "/"
        for summary in storage.bucket.objects.filter(Prefix=prefix):
            name = summary.key[len(prefix) :]
            if NAME.fullmatch(name):
                yield StoredEntry(name, summary.last_modified)


class _Closing(io.RawIOBase):
    """A plaintext reader that closes its source with itself."""

    def __init__(self, reader: io.RawIOBase, source: Readable) -> None:
        self._reader, self._source = reader, source

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        return self._reader.readinto(buffer)

    def close(self) -> None:
        with suppress(Exception):
            self._source.close()  # type: ignore[attr-defined]
        super().close()


def file_store(folder: str = FOLDER) -> FileStore:
    """The configured storage; `folder` "reports" holds every kept file (what
    backups and reconciliation cover), "exports" the short-lived job files."""
    return FileStore(storages["default"], folder)


def filesystem_store(media_root: Path) -> FileStore:
    """Sealed files under another folder (restores, migration, tests)."""
    return FileStore(FileSystemStorage(location=media_root))


@dataclass(frozen=True)
class CopyReport:
    copied: int
    present: int
    bytes: int


def files_copy(*, source: FileStore, target: FileStore) -> CopyReport:
    """Copy every stored file as stored (ciphertext: no key is needed, and
    nothing is decrypted on the way). A file already in the target with the
    same size is left alone, so an interrupted copy can be run again."""
    copied = present = total = 0
    for entry in source.entries():
        size = source.raw_size(entry.name)
        if target.exists(entry.name) and target.raw_size(entry.name) == size:
            present += 1
            continue
        _copy_raw(source, target, entry.name)
        if target.raw_size(entry.name) != size:
            raise StoredFileError(f"stored file {entry.name} did not copy whole")
        copied, total = copied + 1, total + size
    return CopyReport(copied=copied, present=present, bytes=total)


def _copy_raw(source: FileStore, target: FileStore, name: str) -> None:
    sink = target.raw_sink(name)
    try:
        with closing(source.open_raw(name)) as data:
            while chunk := data.read(READ_BYTES):
                sink.write(chunk)
        sink.commit()
    except BaseException:
        sink.abort()
        raise
