"""Files that reporters send: the rules that keep them from hurting anyone.

- size: refused while the body streams in, before it is held in memory
  (`LimitedUploadHandler`), and again per file;
- type: decided by the first bytes, never by the name or the browser's claim;
- images: decoded and re-encoded as JPEG, which drops EXIF (GPS position,
  phone model, time) and anything hidden after the image;
- storage: encrypted (Fernet, the field keys) under a random name in
  MEDIA_ROOT/reports, outside the web root; staff download them as attachments.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpResponse
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ahtc.core.fields import fernet

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_FILES = 3
MAX_BODY_BYTES = MAX_FILES * MAX_FILE_BYTES + 256 * 1024
MAX_PIXELS = 40_000_000

# (kind, extension, test on the first bytes)
SIGNATURES: list[tuple[str, str, bytes, int]] = [
    ("jpeg", "jpg", b"\xff\xd8\xff", 0),
    ("png", "png", b"\x89PNG\r\n\x1a\n", 0),
    ("webp", "webp", b"WEBP", 8),
    ("pdf", "pdf", b"%PDF-", 0),
    ("ogg", "ogg", b"OggS", 0),
    ("amr", "amr", b"#!AMR", 0),
    ("mp4", "m4a", b"ftyp", 4),
]
IMAGE_KINDS = {"jpeg", "png", "webp"}
EXTENSIONS = {kind: ext for kind, ext, _sig, _off in SIGNATURES} | {"jpeg": "jpg"}


class FileRejectedError(ValueError):
    pass


class LimitedUploadHandler(FileUploadHandler):
    """Stop reading a request body that announces or reaches too many bytes."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):  # type: ignore[no-untyped-def]  # noqa: N803
        if content_length and content_length > MAX_BODY_BYTES:
            raise StopUpload(connection_reset=True)
        self.seen = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.seen += len(raw_data)
        if self.seen > MAX_FILE_BYTES:
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def sniff(head: bytes) -> str | None:
    for kind, _ext, signature, offset in SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            return kind
    return None


def _reencode(data: bytes) -> bytes:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            clean = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise FileRejectedError(_("The picture could not be read.")) from exc
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


@dataclass(frozen=True)
class CleanFile:
    kind: str
    data: bytes


def clean_upload(upload: UploadedFile[Any]) -> CleanFile:
    if upload.size is None or upload.size > MAX_FILE_BYTES:
        raise FileRejectedError(_("Each file must be smaller than 8 MB."))
    data = upload.read()
    kind = sniff(data[:16])
    if kind is None:
        raise FileRejectedError(
            _("Only photos (JPEG, PNG, WebP), PDF and voice notes can be sent.")
        )
    if kind in IMAGE_KINDS:
        return CleanFile("jpeg", _reencode(data))
    return CleanFile(kind, data)


def storage_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_encrypted(clean: CleanFile) -> tuple[str, str]:
    name = uuid.uuid4().hex
    (storage_dir() / name).write_bytes(fernet().encrypt(clean.data))
    return name, hashlib.sha256(clean.data).hexdigest()


def read_decrypted(stored_name: str) -> bytes:
    return fernet().decrypt((storage_dir() / stored_name).read_bytes())


def delete_stored(stored_name: str) -> None:
    (storage_dir() / stored_name).unlink(missing_ok=True)


def download_response(stored_name: str, *, kind: str, name: str) -> HttpResponse:
    """An encrypted stored file, always as a download under a neutral name, never
    shown inline or cached. `kind` is the sniffed file kind (jpeg, pdf ...)."""
    response = HttpResponse(read_decrypted(stored_name), content_type="application/octet-stream")
    ext = EXTENSIONS.get(kind, "bin")
    response["Content-Disposition"] = f'attachment; filename="{name}.{ext}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
