"""Request bodies and uploaded files: bounded, held in memory, never written to disk.

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
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render


@dataclass(frozen=True)
class UploadLimits:
    max_file_bytes: int
    max_files: int
    max_body_bytes: int
    too_large_template: str = "errors/413.html"


def plain_limits() -> UploadLimits:
    """Views that do not declare limits: small bodies, at most one small file."""
    size = settings.AHTC_MAX_PLAIN_BODY_BYTES
    return UploadLimits(max_file_bytes=size, max_files=1, max_body_bytes=size)


View = Callable[..., HttpResponseBase]


def accepts_files(limits: UploadLimits) -> Callable[[View], View]:
    """Mark a view as taking files within `limits` (read by the middleware)."""

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
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: View, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        limits: UploadLimits = getattr(view, "upload_limits", None) or plain_limits()
        request.upload_limits = limits  # type: ignore[attr-defined]
        if announced_length(request) > limits.max_body_bytes:
            return render(request, limits.too_large_template, status=413)
        return None


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
