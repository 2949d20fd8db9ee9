"""Files that reporters send: the rules that keep them from hurting anyone.

- size: a body over MAX_BODY_BYTES is refused unread; files are held in
  memory only up to their limit while the body streams in
  (`core/uploads.py`), so a file that is too large never ends a report early;
- type: decided by the first bytes, never by the name or the browser's claim;
  a file that is also something else (HTML or script, a program) is refused;
- viruses: scanned when received and again before every delivery (core/scan.py);
- images: refused by pixel count from the header alone, then decoded and
  re-encoded as JPEG, which drops EXIF (GPS position, phone model, time) and
  anything hidden after the image; the hash of the bytes as received is kept;
- storage: encrypted under the field keys before they are stored, under a
  random name, on the filesystem outside the web root or in an object store
  (core/storage.py); staff download them as attachments;
- evidence: up to AHTC_MAX_EVIDENCE_BYTES (2 GiB), encrypted to storage as it
  arrives (core/uploads.py), checked by its first and last bytes and scanned
  by streaming it back to the scanner; downloads stream too.
"""

from __future__ import annotations

import hashlib
import io
import logging
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction, AuditOutcome
from ahtc.core.scan import ScanResult, ScanStatus, scan_bytes, scan_stream
from ahtc.core.storage import file_store

logger = logging.getLogger(__name__)
Download = TypeVar("Download", HttpResponse, StreamingHttpResponse)

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_FILES = 3
# A body past this is refused unread (413). Below it, files over their limits
# are dropped while the body streams in and the form comes back with every
# field filled in (core/uploads.py). The reverse proxy allows a little more
# (docs/operations.md: client_max_body_size 50m).
MAX_BODY_BYTES = 48 * 1024 * 1024

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
# Evidence may also be video (phones record MP4, which the "mp4" kind covers,
# and WebM; older cameras AVI).
EVIDENCE_SIGNATURES: list[tuple[str, str, bytes, int]] = [
    *SIGNATURES,
    ("webm", "webm", b"\x1a\x45\xdf\xa3", 0),
    ("avi", "avi", b"AVI ", 8),
]
IMAGE_KINDS = {"jpeg", "png", "webp"}
EXTENSIONS = {kind: ext for kind, ext, _sig, _off in EVIDENCE_SIGNATURES} | {"jpeg": "jpg"}
EVIDENCE_EXTENSIONS = EXTENSIONS | {"mp4": "mp4"}  # a video more often than a voice note
# The first bytes kept of a streamed file for the checks (type, programs).
HEAD_BYTES = 64 * 1024

# A polyglot is a file that is two kinds at once: a PDF or picture that a
# browser would also run as HTML, or that carries a program. Markers are looked
# for in the first and last bytes only: that is where such files put them, and
# short markers would match by chance somewhere in megabytes of image data.
EDGE_BYTES = 1024
HTML_MARKERS = (
    b"<!doctype",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<iframe",
    b"<svg",
    b"<img",
    b"<object",
    b"<embed",
    b"<?php",
    b"javascript:",
)
PROGRAM_MARKERS = (b"\x7fELF", b"PK\x03\x04")  # Linux program; ZIP (jar, apk)


class FileRejectedError(ValueError):
    """`str()` is the message for the sender; `reason` (English, never any of
    the file's content) is for the audit log when the sender is staff."""

    def __init__(self, message: str, *, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


def sniff(head: bytes, signatures: list[tuple[str, str, bytes, int]] = SIGNATURES) -> str | None:
    for kind, _ext, signature, offset in signatures:
        if head[offset : offset + len(signature)] == signature:
            return kind
    return None


def _has_windows_program(data: bytes) -> bool:
    """An MZ header whose pointer leads to a PE signature (a Windows program)."""
    start = data.find(b"MZ")
    while 0 <= start < EDGE_BYTES:
        pointer = data[start + 0x3C : start + 0x40]
        if len(pointer) == 4:
            pe_at = start + struct.unpack("<I", pointer)[0]
            if data[pe_at : pe_at + 4] == b"PE\x00\x00":
                return True
        start = data.find(b"MZ", start + 1)
    return False


def is_polyglot(data: bytes) -> bool:
    return edges_are_polyglot(data, data[-EDGE_BYTES:])


def edges_are_polyglot(head: bytes, tail: bytes) -> bool:
    """`head`: the first bytes (a whole file, or its first HEAD_BYTES when it
    is streamed), `tail`: its last EDGE_BYTES."""
    edges = head[:EDGE_BYTES] + b"\n" + tail[-EDGE_BYTES:]
    lowered = edges.lower()
    if any(marker in lowered for marker in HTML_MARKERS):
        return True
    return any(marker in edges for marker in PROGRAM_MARKERS) or _has_windows_program(head)


def check_content(data: bytes) -> str:
    """The kind of an acceptable file, decided by its bytes alone."""
    if len(data) > MAX_FILE_BYTES:
        raise FileRejectedError(_("Each file must be smaller than 8 MB."))
    kind = sniff(data[:16])
    if kind is None:
        raise FileRejectedError(
            _("Only photos (JPEG, PNG, WebP), PDF and voice notes can be sent."),
            reason="type not accepted",
        )
    if is_polyglot(data):
        raise _polyglot()
    return kind


def check_evidence_edges(head: bytes, tail: bytes) -> str:
    """The kind of a streamed evidence file, from its first and last bytes
    (where the markers of other kinds of file are looked for anyway)."""
    kind = sniff(head[:16], EVIDENCE_SIGNATURES)
    if kind is None:
        raise FileRejectedError(
            _("Only photos (JPEG, PNG, WebP), PDF, voice notes and videos can be kept."),
            reason="type not accepted",
        )
    if edges_are_polyglot(head, tail):
        raise _polyglot()
    return kind


def _polyglot() -> FileRejectedError:
    return FileRejectedError(
        _(
            "This file is not a plain photo, PDF or voice note: it also contains web "
            "page code or a program, so it was refused."
        ),
        reason="two kinds of file at once (polyglot)",
    )


def _opened(data: bytes) -> Image.Image:
    """The picture with only its header read; nothing is decoded yet."""
    limit = settings.AHTC_MAX_IMAGE_PIXELS
    # Pillow's own guard warns above this and refuses above twice this.
    Image.MAX_IMAGE_PIXELS = limit
    try:
        image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(limit) from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise FileRejectedError(_("The picture could not be read.")) from exc
    width, height = image.size
    if width * height > limit:
        image.close()
        raise _too_many_pixels(limit)
    return image


def _too_many_pixels(limit: int) -> FileRejectedError:
    return FileRejectedError(
        _(
            "This picture has too many pixels (more than %(megapixels)d megapixels). "
            "Send a smaller photo or a screenshot of it."
        )
        % {"megapixels": limit // 1_000_000}
    )


def _reencode(data: bytes) -> bytes:
    """Decode and save as a new JPEG, refusing by pixel count before decoding."""
    try:
        with _opened(data) as image:
            image.load()
            clean = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError) as exc:
        raise FileRejectedError(_("The picture could not be read.")) from exc
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


@dataclass(frozen=True)
class CleanFile:
    kind: str
    data: bytes
    # SHA-256 of the bytes as received: for a re-encoded photo, of the original.
    original_sha256: str = ""
    scan: ScanStatus = ScanStatus.NOT_SCANNED


def scan_received(data: bytes) -> ScanStatus:
    """Refuse an infected file; a scanner that cannot answer refuses nothing."""
    return _refuse_infected(scan_bytes(data))


def scan_stored(stored_name: str) -> ScanStatus:
    """`scan_received` for a file already in storage: its plaintext is streamed
    to the scanner, never held whole."""
    with file_store().open(stored_name) as plain:
        return _refuse_infected(scan_stream(plain))


def _refuse_infected(result: ScanResult) -> ScanStatus:
    if result.is_infected:
        logger.warning("file refused on arrival: virus scanner found %s", result.name)
        raise FileRejectedError(
            _("The virus scanner found something dangerous in this file, so it was refused."),
            reason=f"virus scanner found {result.name}",
        )
    return result.recorded


def receive(data: bytes, *, keep_bytes: bool = False) -> CleanFile:
    """Check a received file: type by content, no polyglot, no virus; pictures
    re-encoded unless `keep_bytes` (evidence, which must stay byte for byte and
    is then never decoded here, so needs no pixel limit)."""
    kind = check_content(data)
    scan = scan_received(data)
    original = hashlib.sha256(data).hexdigest()
    if kind in IMAGE_KINDS and not keep_bytes:
        kind, data = "jpeg", _reencode(data)
    return CleanFile(kind, data, original_sha256=original, scan=scan)


def clean_upload(upload: UploadedFile[Any]) -> CleanFile:
    if upload.size is None or upload.size > MAX_FILE_BYTES:
        raise FileRejectedError(_("Each file must be smaller than 8 MB."))
    return receive(upload.read())


def storage_dir() -> Path:
    """Where the filesystem storage keeps stored files (MEDIA_ROOT/reports)."""
    path = Path(settings.MEDIA_ROOT) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_encrypted(clean: CleanFile) -> tuple[str, str]:
    stored = file_store().save_bytes(clean.data)
    return stored.name, stored.sha256


def read_decrypted(stored_name: str) -> bytes:
    return file_store().read_bytes(stored_name)


def delete_stored(stored_name: str) -> None:
    file_store().delete(stored_name)


def download_response(stored_name: str, *, kind: str, name: str) -> HttpResponse:
    """An encrypted stored file, always as a download under a neutral name, never
    shown inline or cached. `kind` is the sniffed file kind (jpeg, pdf ...)."""
    return _as_download(read_decrypted(stored_name), kind=kind, name=name)


def deliver(
    request: HttpRequest,
    *,
    target: models.Model,
    stored_name: str,
    kind: str,
    name: str,
    area_code: str = "",
    reason: str = "",
    audit_delivery: bool = True,
) -> HttpResponse:
    """A stored file for download, scanned again first: an infected file is
    held (a page saying so, an audit row), never delivered. A file found
    infected before stays held while the scanner cannot answer."""
    data = read_decrypted(stored_name)
    held = _held(request, target=target, result=scan_bytes(data), area_code=area_code)
    if held is not None:
        return held
    if audit_delivery:
        _audit_delivery(request, target=target, area_code=area_code, reason=reason)
    return _as_download(data, kind=kind, name=name)


def deliver_stream(
    request: HttpRequest,
    *,
    target: models.Model,
    stored_name: str,
    kind: str,
    name: str,
    size: int | None,
    area_code: str = "",
    reason: str = "",
) -> HttpResponse | StreamingHttpResponse:
    """`deliver` for files of any size (evidence): the plaintext is streamed to
    the scanner first (with no scanner configured, nothing is read for it),
    then streamed to the browser chunk by chunk; never held whole."""
    with file_store().open(stored_name) as plain:
        result = scan_stream(plain)
    held = _held(request, target=target, result=result, area_code=area_code)
    if held is not None:
        return held
    _audit_delivery(request, target=target, area_code=area_code, reason=reason)
    response = StreamingHttpResponse(_chunks(stored_name), content_type="application/octet-stream")
    if size is not None:
        response["Content-Length"] = str(size)
    ext = EVIDENCE_EXTENSIONS.get(kind, "bin")
    return _download_headers(response, filename=f"{name}.{ext}")


def _chunks(stored_name: str) -> Iterator[bytes]:
    yield from file_store().chunks(stored_name)


def _held(
    request: HttpRequest, *, target: models.Model, result: ScanResult, area_code: str
) -> HttpResponse | None:
    held = result.is_infected or (
        result.status is None and getattr(target, "scan_status", "") == ScanStatus.INFECTED
    )
    _scan_status_record(target, result)
    if not held:
        return None
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        outcome=AuditOutcome.REFUSED,
        target=target,
        area_code=area_code,
        reason=f"file held: virus scanner found {result.name or 'it earlier'}",
    )
    staff = request.path.startswith("/cell/")
    base = "cell/base_cell.html" if staff else "portal/base_public.html"
    return render(request, "portal/file_held.html", {"base": base, "staff": staff}, status=403)


def _audit_delivery(
    request: HttpRequest, *, target: models.Model, area_code: str, reason: str
) -> None:
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        target=target,
        area_code=area_code,
        reason=reason,
    )


def _scan_status_record(target: models.Model, result: ScanResult) -> None:
    """Keep the stored file's mark up to date with the latest answer."""
    if result.status is not None and getattr(target, "scan_status", None) not in (
        None,
        result.status,
    ):
        type(target)._default_manager.filter(pk=target.pk).update(scan_status=result.status)
        setattr(target, "scan_status", result.status)  # noqa: B010 - any model with the field


def _as_download(data: bytes, *, kind: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/octet-stream")
    return _download_headers(response, filename=f"{name}.{EXTENSIONS.get(kind, 'bin')}")


def _download_headers(response: Download, *, filename: str) -> Download:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
