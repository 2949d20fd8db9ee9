"""One chunked, authenticated encryption format for everything large that we
keep: stored files (core/storage.py) and backup archives (core/backup/).

A stream, format 2, is a header line and then chunks:

    <magic> 2 <stream id: 32 hex digits> <key id: 16 hex digits>\\n
    chunk: a 4-byte big-endian length N, then N bytes of AES-256-GCM
           ciphertext with its 16-byte tag

Chunks hold up to 1 MiB of plaintext, and the last chunk holds none: it is the
end marker. The key of a stream is derived from a Fernet key (the field keys
for files, BACKUP_KEY for archives) with HKDF-SHA256 salted with the stream id,
so every stream has a key of its own. The nonce of a chunk is its number (8
bytes, big-endian), three zero bytes and a kind (0 data, 1 end); the header
line is authenticated with every chunk. So no chunk can be changed, moved,
dropped or taken from another stream, and a stream cut off anywhere lacks its
end marker and is refused. The key id (a hash of the key, never the key)
names the key that wrote the stream, for rotation.

Memory stays bounded by the chunk size whatever the stream's length: this is
what lets a 2 GB evidence video be encrypted while it arrives.
"""

from __future__ import annotations

import base64
import hashlib
import io
import secrets
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

FORMAT = 2
CHUNK_BYTES = 1024 * 1024
TAG_BYTES = 16
KIND_DATA, KIND_END = 0, 1
_LENGTH = struct.Struct(">I")
_NONCE = struct.Struct(">Q3xB")


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


class Writable(Protocol):
    def write(self, data: bytes, /) -> Any: ...


class StreamError(Exception):
    """A stream that cannot be read; the message is safe to show."""


@dataclass(frozen=True)
class StreamKey:
    """A Fernet key as used here: its id and its 32 bytes."""

    key_id: str
    secret: bytes = b""

    @classmethod
    def from_fernet_key(cls, key: str) -> StreamKey:
        secret = base64.urlsafe_b64decode(key.encode())
        if len(secret) != 32:
            raise ValueError("not a Fernet key")
        key_id = hashlib.sha256(b"ahtc-key-id:" + secret).hexdigest()[:16]
        return cls(key_id=key_id, secret=secret)

    def cipher(self, stream_id: bytes) -> AESGCM:
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=stream_id, info=b"ahtc-stream-2")
        return AESGCM(hkdf.derive(self.secret))


def _nonce(number: int, kind: int) -> bytes:
    return _NONCE.pack(number, kind)


class EncryptingWriter(io.RawIOBase):
    """Encrypts what is written, chunk by chunk, into `out`; `finish()` writes
    the end marker (without it the stream does not read back)."""

    def __init__(self, out: Writable, key: StreamKey, *, magic: bytes) -> None:
        self._out = out
        stream_id = secrets.token_bytes(16)
        self._header = b"%s %d %s %s\n" % (
            magic,
            FORMAT,
            stream_id.hex().encode(),
            key.key_id.encode(),
        )
        self._cipher = key.cipher(stream_id)
        self._number = 0
        self._buffer = bytearray()
        out.write(self._header)

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
        sealed = self._cipher.encrypt(_nonce(self._number, kind), data, self._header)
        self._out.write(_LENGTH.pack(len(sealed)) + sealed)
        self._number += 1


class DecryptingReader(io.RawIOBase):
    """Reads a stream back as its plaintext, checking every chunk on the way.

    `keys` maps key ids to keys. Subclasses name what they read (`noun`), say
    what a wrong key means (`wrong_key`) and raise their own `error`.
    """

    noun = "file"
    what = "an AHTC encrypted file"
    wrong_key = "no configured key opens this file (key id {key_id})"
    error: type[Exception] = StreamError

    def __init__(
        self, source: Readable, keys: Mapping[str, StreamKey], *, magic: bytes, head: bytes = b""
    ) -> None:
        """`head`: bytes of the stream already read from `source` (to sniff it)."""
        self._source = source
        self._unread = head
        self._magic = magic
        self._header, stream_id, key_id = self._read_header()
        key = keys.get(key_id)
        if key is None:
            raise self.error(self.wrong_key.format(key_id=key_id))
        self._cipher = key.cipher(stream_id)
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
        """Read to the end marker (tar, for one, stops before it)."""
        while not self.ended:
            self._next_chunk()
        self._pending = memoryview(b"")

    def _read(self, size: int) -> bytes:
        """Exactly `size` bytes unless the source ends (network bodies may
        answer a read with fewer bytes than asked for)."""
        parts, wanted = [self._unread[:size]], size
        self._unread = self._unread[size:]
        wanted -= len(parts[0])
        while wanted > 0:
            data = self._source.read(wanted)
            if not data:
                break
            parts.append(data)
            wanted -= len(data)
        return b"".join(parts)

    def _read_header(self) -> tuple[bytes, bytes, str]:
        line = bytearray()
        while len(line) < 100 and not line.endswith(b"\n"):
            byte = self._read(1)
            if not byte:
                break
            line += byte
        parts = bytes(line).split()
        if len(parts) < 2 or parts[0] != self._magic:
            raise self.error(f"this is not {self.what}")
        if parts[1] != str(FORMAT).encode():
            version = parts[1].decode(errors="replace")
            raise self.error(f"{self.noun} format {version} is not supported")
        try:
            stream_id, key_id = bytes.fromhex(parts[2].decode()), parts[3].decode()
        except (ValueError, IndexError):
            raise self.error(f"this is not {self.what}") from None
        return bytes(line), stream_id, key_id

    def _next_chunk(self) -> bytes:
        head = self._read(_LENGTH.size)
        (length,) = _LENGTH.unpack(head) if len(head) == _LENGTH.size else (-1,)
        if length > CHUNK_BYTES + TAG_BYTES:
            raise self.error(f"the {self.noun} is damaged: chunk {self._number} has a wrong length")
        sealed = self._read(length) if length >= 0 else b""
        if length < 0 or len(sealed) < length:
            raise self.error(
                f"the {self.noun} is incomplete "
                f"(cut off after {self._number} chunks, no end marker)"
            )
        data, kind = self._open(sealed)
        self._number += 1
        if kind == KIND_END:
            self.ended = True
            if self._read(1):
                raise self.error(f"the {self.noun} is damaged: data after its end marker")
        return data

    def _open(self, sealed: bytes) -> tuple[bytes, int]:
        # The kind is in the nonce: try data first, then the end marker.
        for kind in (KIND_DATA, KIND_END):
            try:
                return self._cipher.decrypt(_nonce(self._number, kind), sealed, self._header), kind
            except InvalidTag:
                continue
        raise self.error(f"the {self.noun} is damaged: chunk {self._number} does not authenticate")
