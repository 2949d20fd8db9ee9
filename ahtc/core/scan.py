"""Malware scanning of files: when they are received and again before delivery.

One call, `scan_bytes(data)`, answers clean, infected (with the signature
name) or unavailable. The real scanner is a ClamAV daemon (`clamd`) reached by
a unix socket (`CLAMD_SOCKET`) or TCP (`CLAMD_HOST`, `CLAMD_PORT`); with neither
set, scanning is off and every answer is "unavailable" (not scanned).

"Unavailable" never loses a report: the file is accepted, marked not scanned,
and scanned again each time it is delivered. Only "infected" refuses a file.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from typing import Any, Protocol

from clamd import ClamdError, ClamdNetworkSocket, ClamdUnixSocket
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class ScanStatus(models.TextChoices):
    """What is recorded on a stored file."""

    NOT_SCANNED = "not_scanned", _("not scanned")
    CLEAN = "clean", _("scanned, nothing found")
    INFECTED = "infected", _("held as dangerous")


def scan_status_field() -> models.CharField[str, str]:
    """The scan mark on a model that stores files (the same on every such model)."""
    return models.CharField(
        _("virus scan"),
        max_length=12,
        choices=ScanStatus.choices,
        default=ScanStatus.NOT_SCANNED,
        editable=False,
    )


def original_sha256_field() -> models.CharField[str, str]:
    """The SHA-256 of a file's bytes as received (before any re-encoding)."""
    return models.CharField(_("SHA-256 as received"), max_length=64, blank=True, editable=False)


@dataclass(frozen=True)
class ScanResult:
    status: ScanStatus | None  # None: the scanner could not answer
    name: str = ""  # the signature found, when infected

    @classmethod
    def clean(cls) -> ScanResult:
        return cls(ScanStatus.CLEAN)

    @classmethod
    def infected(cls, name: str) -> ScanResult:
        return cls(ScanStatus.INFECTED, name)

    @classmethod
    def unavailable(cls) -> ScanResult:
        return cls(None)

    @property
    def is_infected(self) -> bool:
        return self.status == ScanStatus.INFECTED

    @property
    def recorded(self) -> ScanStatus:
        return self.status or ScanStatus.NOT_SCANNED


class Scanner(Protocol):
    def scan(self, data: bytes) -> ScanResult: ...


class NoScanner:
    """Scanning is off (no daemon configured): nothing is ever scanned."""

    def scan(self, data: bytes) -> ScanResult:
        return ScanResult.unavailable()

    def scan_stream(self, source: Any) -> ScanResult:
        return ScanResult.unavailable()  # and nothing is read


class ClamdScanner:
    def __init__(self, client: ClamdNetworkSocket) -> None:
        self.client = client

    def scan(self, data: bytes) -> ScanResult:
        return self.scan_stream(io.BytesIO(data))

    def scan_stream(self, source: Any) -> ScanResult:
        """clamd's INSTREAM, fed from `source` in its own chunk size: a file of
        any size is scanned without being held (clamd refuses streams over its
        StreamMaxLength, 25 MB by default: raise it for evidence video)."""
        try:
            answer = self.client.instream(source)
        except (ClamdError, OSError) as exc:
            # The reason only: never the file, its name or anything from the report.
            logger.warning("virus scanner unavailable: %s", type(exc).__name__)
            return ScanResult.unavailable()
        status, name = answer.get("stream", ("ERROR", "no answer"))
        if status == "FOUND":
            return ScanResult.infected(name or "unknown")
        if status == "OK":
            return ScanResult.clean()
        logger.warning("virus scanner error: %s", name)
        return ScanResult.unavailable()


def configured_scanner() -> Scanner:
    timeout = settings.AHTC_CLAMD_TIMEOUT
    if settings.AHTC_CLAMD_SOCKET:
        return ClamdScanner(ClamdUnixSocket(settings.AHTC_CLAMD_SOCKET, timeout=timeout))
    if settings.AHTC_CLAMD_HOST:
        client = ClamdNetworkSocket(
            settings.AHTC_CLAMD_HOST, settings.AHTC_CLAMD_PORT, timeout=timeout
        )
        return ClamdScanner(client)
    return NoScanner()


def scan_bytes(data: bytes) -> ScanResult:
    return configured_scanner().scan(data)


def scan_stream(source: Any) -> ScanResult:
    """The plaintext of a file read from `source` (anything with `read(size)`)."""
    scanner = configured_scanner()
    if hasattr(scanner, "scan_stream"):
        return scanner.scan_stream(source)  # type: ignore[no-any-return]
    return scanner.scan(source.read())  # a scanner that takes whole files only
