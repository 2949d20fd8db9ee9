"""Request bodies and uploaded files: bounded, held in memory or sealed as they
arrive, never written to disk in plaintext.

Two pieces, on every route:

- `RequestBodyLimitMiddleware` refuses a body that announces more bytes than the
  view accepts (413) before anything reads it. Views that take files say how
  many and how large with `accepts_files`; every other view takes a small body.
- `BoundedMemoryUploadHandler` (the only upload handler, see settings) keeps each
  file in memory up to the view's per-file limit. Bytes past that limit, or of
  files past the allowed count, are counted and dropped rather than stored, and
  parsing goes on: every field after a file that is too large still arrives, so
  the form can say what was wrong and show back everything the person typed.
  Django's temporary-file handler never runs, so no upload touches the disk in
  plaintext (files are encrypted before they are stored, see portal/files.py).

One route kind is different: evidence, up to AHTC_MAX_EVIDENCE_BYTES (2 GiB),
too large to hold. Its view declares `sealed` limits, and for signed-in staff
with a verified second factor (only they can use the route; anyone else gets
the plain limits) `SealedUploadHandler` encrypts each piece as it arrives and
writes it to storage (core/storage.py), hashing the plaintext on the way. A
stored file that no row claims by the end of the request (a refused form, an
error, a dropped connection) is deleted by the middleware.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

from ahtc.core.storage import SealedObject, SealedWriter, file_store

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class UploadLimits:
    max_file_bytes: int
    max_files: int
    max_body_bytes: int
    too_large_template: str = "errors/413.html"
    # Files are encrypted to storage as they arrive (SealedUploadHandler).
    sealed: bool = False


def plain_limits() -> UploadLimits:
    """Views that do not declare limits: small bodies, at most one small file."""
    size = settings.AHTC_MAX_PLAIN_BODY_BYTES
    return UploadLimits(max_file_bytes=size, max_files=1, max_body_bytes=size)


def evidence_limits() -> UploadLimits:
    """One file up to AHTC_MAX_EVIDENCE_BYTES, sealed as it arrives. The body
    may pass the file limit a little, so that a file slightly too large is read
    and refused with the form filled in; far larger is refused unread."""
    size = settings.AHTC_MAX_EVIDENCE_BYTES
    return UploadLimits(
        max_file_bytes=size,
        max_files=1,
        max_body_bytes=size + size // 16 + 1024 * 1024,
        too_large_template="errors/413_evidence.html",
        sealed=True,
    )


View = Callable[..., HttpResponseBase]


def accepts_files(limits: UploadLimits | Callable[[], UploadLimits]) -> Callable[[View], View]:
    """Mark a view as taking files within `limits` (read by the middleware;
    a function is called on each request, so the limits follow the settings)."""

    def mark(view: View) -> View:
        view.upload_limits = limits  # type: ignore[attr-defined]
        return view

    return mark


def announced_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class RequestBodyLimitMiddleware:
    """Must come before any middleware that reads the body (CSRF does)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            sealed_uploads_discard(request)

    def process_view(
        self, request: HttpRequest, view: View, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        declared = getattr(view, "upload_limits", None)
        limits: UploadLimits = (declared() if callable(declared) else declared) or plain_limits()
        if limits.sealed and not _verified_staff(request):
            limits = plain_limits()
        request.upload_limits = limits  # type: ignore[attr-defined]
        if announced_length(request) > limits.max_body_bytes:
            context = {"limit_bytes": limits.max_file_bytes}
            return render(request, limits.too_large_template, context, status=413)
        if limits.sealed:
            request.upload_handlers = [SealedUploadHandler(request)]
        return None


def _verified_staff(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    is_verified = getattr(user, "is_verified", None)
    return bool(user is not None and user.is_authenticated and is_verified and is_verified())


class IncompleteUploadError(ValueError):
    pass


class _Dropped(io.BytesIO):
    """Stands in for the bytes of a file that was not kept: reading it is an
    error, so no code can mistake an empty file for what was sent."""

    def read(self, size: int | None = -1) -> bytes:
        raise IncompleteUploadError("the file was over its limit and was not kept")


class HeldUpload(InMemoryUploadedFile):
    """An uploaded file kept in memory. `size` is the size that was sent; when
    `complete` is false the bytes were dropped (too large, or too many files)."""

    complete: bool = True


class BoundedMemoryUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.files_seen = 0
        self.buffer = io.BytesIO()
        self.received = 0
        self.keep = False

    def _limits(self) -> UploadLimits:
        limits = getattr(self.request, "upload_limits", None)
        return limits if isinstance(limits, UploadLimits) else plain_limits()

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.files_seen += 1
        self.buffer = io.BytesIO()
        self.received = 0
        self.keep = self.files_seen <= self._limits().max_files
        raise StopFutureHandlers  # no other handler sees the file

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.keep and self.received <= self._limits().max_file_bytes:
            self.buffer.write(raw_data)
        elif self.keep:
            self.keep = False
            self.buffer = io.BytesIO()  # let go of what was held
        return None

    def file_complete(self, file_size: int) -> HeldUpload:
        self.buffer.seek(0)
        upload = HeldUpload(
            file=self.buffer if self.keep else _Dropped(),
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=self.received,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
        upload.complete = self.keep
        return upload


# --- sealed uploads (evidence) ---


class SealedUpload(UploadedFile):  # type: ignore[type-arg]
    """A file that was encrypted to storage as it arrived. `sealed` names the
    stored object (None when the file was over its limit and was dropped);
    `head` and `tail` are its first and last bytes, kept for the type checks.
    The plaintext is read back from storage (core/storage.py), never from here."""

    def __init__(
        self,
        *,
        sealed: SealedObject | None,
        size: int,
        head: bytes,
        tail: bytes,
        **kwargs: Any,
    ) -> None:
        super().__init__(file=_Dropped(), size=size, **kwargs)
        self.sealed, self.head, self.tail = sealed, head, tail

    @property
    def complete(self) -> bool:
        return self.sealed is not None

    def claim(self) -> SealedObject:
        """A row now names the stored object: keep it after the request."""
        if self.sealed is None:
            raise IncompleteUploadError("the file was over its limit and was not kept")
        self.sealed.claimed = True
        return self.sealed


class SealedUploadHandler(FileUploadHandler):
    HEAD_BYTES = 64 * 1024
    TAIL_BYTES = 1024

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.files_seen = 0
        self.writer: SealedWriter | None = None
        self.received = 0
        self.head = bytearray()
        self.tail = b""

    def _limits(self) -> UploadLimits:
        limits = getattr(self.request, "upload_limits", None)
        return limits if isinstance(limits, UploadLimits) else plain_limits()

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.files_seen += 1
        self.received, self.head, self.tail = 0, bytearray(), b""
        self.writer = None
        if self.files_seen <= self._limits().max_files:
            self.writer = file_store().writer()
            _writers(self.request).append(self.writer)
        raise StopFutureHandlers

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.writer is not None and self.received <= self._limits().max_file_bytes:
            self.writer.write(raw_data)
            if len(self.head) < self.HEAD_BYTES:
                self.head += raw_data[: self.HEAD_BYTES - len(self.head)]
            self.tail = (self.tail + raw_data)[-self.TAIL_BYTES :]
        elif self.writer is not None:
            self.writer.abort()  # over the limit: the partial object goes now
            self.writer = None
        return None

    def file_complete(self, file_size: int) -> SealedUpload:
        sealed = self.writer.commit() if self.writer is not None else None
        self.writer = None
        return SealedUpload(
            sealed=sealed,
            size=self.received,
            head=bytes(self.head),
            tail=self.tail,
            name=self.file_name,
            content_type=self.content_type,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )

    def upload_interrupted(self) -> None:
        if self.writer is not None:
            self.writer.abort()
            self.writer = None


def _writers(request: Any) -> list[SealedWriter]:
    if not hasattr(request, "_sealed_writers"):
        request._sealed_writers = []
    return request._sealed_writers  # type: ignore[no-any-return]


def sealed_uploads_discard(request: HttpRequest) -> None:
    """At the end of a request: abort what was still being written and delete
    what was stored but never claimed by a row."""
    for writer in getattr(request, "_sealed_writers", []):
        try:
            if writer.result is None:
                writer.abort()
            elif not writer.result.claimed:
                file_store().delete(writer.result.name)
        except Exception:
            # Storage failed to clean up: reconcile_files lists it as unnamed.
            logger.exception("an unclaimed upload could not be deleted")
