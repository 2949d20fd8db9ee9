"""Evidence up to AHTC_MAX_EVIDENCE_BYTES streams to storage as it arrives,
sealed, hashed on the way, and streams back out; refused or abandoned uploads
leave nothing behind (core/uploads.py, core/storage.py)."""

from __future__ import annotations

import hashlib
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.cases.models import Case, Evidence
from ahtc.core.models import AuditAction, AuditEvent, AuditOutcome
from ahtc.core.scan import ScanResult
from ahtc.core.storage import file_store
from ahtc.core.tests.storage_helpers import (
    MP4_HEAD,
    MultipartBody,
    moto_endpoint_fixture,  # noqa: F401 - a fixture
    post_streamed,
    raw_objects,
    s3_bucket_fixture,  # noqa: F401 - a fixture
)

FIELDS = {"kind": "other", "description": "Video of the kiln gate, 1 March", "holder": "IO"}
MIB = 1024 * 1024


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def url(case: Case) -> str:
    return reverse("cell:case_evidence", args=[case.reference])


def stored_names() -> list[str]:
    return [entry.name for entry in file_store().entries()]


def streamed(response: Any) -> bytes:
    return b"".join(response)


def download(client: Client, case: Case, evidence: Evidence) -> Any:
    return client.get(reverse("cell:case_evidence_file", args=[case.reference, evidence.pk]))


class TestUpload:
    def test_video_is_sealed_hashed_and_streams_back(
        self, case: Case, officer_mbdin: User, login_as: Callable[[User], Client]
    ) -> None:
        client = login_as(officer_mbdin)
        body = MultipartBody(FIELDS, size=3 * MIB + 5)
        response = post_streamed(client, url(case), body)
        assert response.status_code == 302
        evidence = Evidence.objects.get()
        assert evidence.sha256 == evidence.original_sha256 == body.sha256
        assert evidence.size == body.size
        assert evidence.content_type == "mp4"
        assert stored_names() == [evidence.stored_name]
        got = download(client, case, evidence)
        assert isinstance(got, StreamingHttpResponse)
        assert got["Content-Length"] == str(body.size)
        assert got["Content-Disposition"].endswith('-E1.mp4"')
        assert hashlib.sha256(streamed(got)).hexdigest() == body.sha256
        assert AuditEvent.objects.filter(
            action=AuditAction.EXPORT, reason="evidence file downloaded", actor=officer_mbdin
        ).exists()

    def test_a_file_over_the_limit_is_refused_and_the_form_keeps_what_was_typed(
        self, settings: Any, case: Case, officer_mbdin: User, login_as: Callable[[User], Client]
    ) -> None:
        settings.AHTC_MAX_EVIDENCE_BYTES = 2 * MIB
        client = login_as(officer_mbdin)
        response = post_streamed(client, url(case), MultipartBody(FIELDS, size=2 * MIB + 1))
        assert response.status_code == 200
        page = response.content.decode()
        assert "The file is larger than 2.0\xa0MB, so it was not kept." in page
        assert "Video of the kiln gate, 1 March" in page
        assert not Evidence.objects.exists()
        assert stored_names() == []

    def test_a_body_far_over_the_limit_is_refused_unread(
        self, settings: Any, case: Case, officer_mbdin: User, login_as: Callable[[User], Client]
    ) -> None:
        settings.AHTC_MAX_EVIDENCE_BYTES = 2 * MIB
        client = login_as(officer_mbdin)
        body = MultipartBody(FIELDS, size=1)
        response = post_streamed(client, url(case), body, content_length=8 * MIB)
        assert response.status_code == 413
        assert "evidence files can be up to 2.0\xa0MB" in response.content.decode()
        assert stored_names() == []

    def test_a_refused_type_leaves_nothing_stored(
        self, case: Case, officer_mbdin: User, login_as: Callable[[User], Client]
    ) -> None:
        client = login_as(officer_mbdin)
        body = MultipartBody(FIELDS, size=MIB, head=b"<html><script>x</script>")
        response = post_streamed(client, url(case), body)
        assert response.status_code == 200
        assert "videos can be kept" in response.content.decode()
        assert stored_names() == []
        refused = AuditEvent.objects.get(outcome=AuditOutcome.REFUSED, actor=officer_mbdin)
        assert refused.reason == "evidence file refused: type not accepted"

    def test_an_infected_file_is_refused_and_deleted(
        self,
        case: Case,
        officer_mbdin: User,
        login_as: Callable[[User], Client],
        monkeypatch: Any,
    ) -> None:
        seen: list[int] = []

        class Scanner:
            def scan(self, data: bytes) -> ScanResult:
                raise AssertionError("evidence is scanned as a stream")

            def scan_stream(self, source: Any) -> ScanResult:
                seen.append(sum(len(chunk) for chunk in iter(lambda: source.read(MIB), b"")))
                return ScanResult.infected("Eicar-Test-Signature")

        monkeypatch.setattr("ahtc.core.scan.configured_scanner", Scanner)
        client = login_as(officer_mbdin)
        response = post_streamed(client, url(case), MultipartBody(FIELDS, size=2 * MIB))
        assert response.status_code == 200
        assert "virus scanner found something" in response.content.decode()
        assert seen == [2 * MIB]  # the whole plaintext went to the scanner
        assert stored_names() == []

    def test_a_dropped_connection_leaves_no_partial_file(
        self, case: Case, officer_mbdin: User, login_as: Callable[[User], Client]
    ) -> None:
        client = login_as(officer_mbdin)
        body = MultipartBody(FIELDS, size=4 * MIB, fail_after=3 * MIB)
        with pytest.raises(OSError, match="connection reset"):
            post_streamed(client, url(case), body)
        assert stored_names() == []
        assert list((Path(file_store().storage.path("reports"))).iterdir()) == []

    def test_officer_of_another_district_gets_404_and_nothing_is_kept(
        self, case: Case, officer_gujrat: User, login_as: Callable[[User], Client]
    ) -> None:
        client = login_as(officer_gujrat)
        response = post_streamed(client, url(case), MultipartBody(FIELDS, size=MIB))
        assert response.status_code == 404
        assert not Evidence.objects.exists()
        assert stored_names() == []

    def test_anonymous_gets_the_small_limit_and_goes_to_sign_in(
        self, client: Client, case: Case
    ) -> None:
        response = post_streamed(client, url(case), MultipartBody(FIELDS, size=4 * MIB))
        assert response.status_code == 413  # the plain limit: nothing was read
        assert stored_names() == []
        assert client.get(url(case)).status_code == 302


def test_memory_stays_far_below_the_file_size(
    case: Case, officer_mbdin: User, login_as: Callable[[User], Client]
) -> None:
    """200 MB in and out with Python's allocations traced: the peak is what a few
    chunks take, not the file (bench/evidence_upload.py measures 2 GB)."""
    client = login_as(officer_mbdin)
    body = MultipartBody(FIELDS, size=200 * MIB)
    tracemalloc.start()
    try:
        response = post_streamed(client, url(case), body)
        _current, upload_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        evidence = Evidence.objects.get()
        got = download(client, case, evidence)
        digest = hashlib.sha256()
        for chunk in got:
            digest.update(chunk)
        _current, download_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 302
    assert evidence.sha256 == digest.hexdigest() == body.sha256
    assert upload_peak < 32 * MIB, upload_peak
    assert download_peak < 32 * MIB, download_peak


@pytest.mark.usefixtures("s3_bucket")
def test_evidence_streams_to_the_object_store_sealed(
    case: Case,
    officer_mbdin: User,
    login_as: Callable[[User], Client],
    moto_endpoint: str,
    s3_bucket: str,
) -> None:
    client = login_as(officer_mbdin)
    body = MultipartBody(FIELDS, size=18 * MIB)
    assert post_streamed(client, url(case), body).status_code == 302
    evidence = Evidence.objects.get()
    objects = raw_objects(moto_endpoint, s3_bucket)
    assert list(objects) == [f"reports/{evidence.stored_name}"]
    assert b"ftypisom" not in objects[f"reports/{evidence.stored_name}"]
    got = download(client, case, evidence)
    assert hashlib.sha256(streamed(got)).hexdigest() == body.sha256


def test_real_clamd_finds_a_virus_in_streamed_evidence(
    settings: Any, case: Case, officer_mbdin: User, login_as: Callable[[User], Client]
) -> None:
    if not settings.AHTC_CLAMD_SOCKET:
        pytest.skip("clamd not configured: set CLAMD_SOCKET (see .ci/clamd.sh)")
    from ahtc.core.tests.test_scan import EICAR

    client = login_as(officer_mbdin)
    clean = MultipartBody(FIELDS, size=3 * MIB)
    assert post_streamed(client, url(case), clean).status_code == 302
    assert Evidence.objects.get().scan_status == "clean"
    infected = MultipartBody(FIELDS, size=3 * MIB, head=MP4_HEAD + EICAR)
    response = post_streamed(client, url(case), infected)
    assert "virus scanner found something" in response.content.decode()
    assert Evidence.objects.count() == 1
    assert stored_names() == [Evidence.objects.get().stored_name]
