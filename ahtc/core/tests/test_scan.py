"""The virus-scan hook: off when not configured, clamd when it is, and never a
lost file when the daemon cannot answer."""

from __future__ import annotations

import io
from typing import Any

import pytest
from clamd import ConnectionError as ClamdConnectionError

from ahtc.core.scan import (
    ClamdScanner,
    NoScanner,
    ScanResult,
    ScanStatus,
    configured_scanner,
    scan_bytes,
)

# The EICAR anti-virus test file, in two halves so that no file in the
# repository holds it whole (antivirus on developers' machines would object).
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class FakeClient:
    """Stands in for clamd's socket classes."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer

    def instream(self, buff: io.BytesIO) -> Any:
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def test_scanning_is_off_when_no_daemon_is_configured(settings: Any) -> None:
    settings.AHTC_CLAMD_SOCKET = settings.AHTC_CLAMD_HOST = ""
    assert isinstance(configured_scanner(), NoScanner)
    result = scan_bytes(b"%PDF-1.4\n")
    assert result == ScanResult.unavailable()
    assert result.recorded == ScanStatus.NOT_SCANNED


def test_a_socket_or_a_host_turns_clamd_on(settings: Any) -> None:
    settings.AHTC_CLAMD_HOST = ""
    settings.AHTC_CLAMD_SOCKET = "/run/clamav/clamd.ctl"
    assert isinstance(configured_scanner(), ClamdScanner)
    settings.AHTC_CLAMD_SOCKET, settings.AHTC_CLAMD_HOST = "", "clamav.internal"
    assert isinstance(configured_scanner(), ClamdScanner)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"stream": ("OK", None)}, ScanResult.clean()),
        (
            {"stream": ("FOUND", "Win.Test.EICAR_HDB-1")},
            ScanResult.infected("Win.Test.EICAR_HDB-1"),
        ),
        ({"stream": ("ERROR", "Can't allocate memory")}, ScanResult.unavailable()),
        ({}, ScanResult.unavailable()),
        (
            ClamdConnectionError("Error connecting to /run/clamav/clamd.ctl."),
            ScanResult.unavailable(),
        ),
        (BrokenPipeError(32, "Broken pipe"), ScanResult.unavailable()),
    ],
)
def test_clamd_answers_become_one_of_three_results(answer: Any, expected: ScanResult) -> None:
    assert ClamdScanner(FakeClient(answer)).scan(b"data") == expected


def test_an_unreachable_daemon_is_logged_without_the_file(caplog: Any) -> None:
    scanner = ClamdScanner(FakeClient(ClamdConnectionError("refused")))
    scanner.scan(b"secret report bytes")
    assert "ConnectionError" in caplog.text
    assert "secret" not in caplog.text


def test_real_clamd_finds_the_eicar_test_file(settings: Any) -> None:
    if not settings.AHTC_CLAMD_SOCKET:
        pytest.skip("clamd not configured: set CLAMD_SOCKET (see .ci/clamd.sh)")
    assert scan_bytes(b"%PDF-1.4\n% nothing to see\n") == ScanResult.clean()
    found = scan_bytes(EICAR)
    assert found.is_infected
    assert "Eicar" in found.name
    # Also inside another file, where a renamed or wrapped copy would hide it.
    assert scan_bytes(b"%PDF-1.4\n" + EICAR + b"\n%%EOF").is_infected
