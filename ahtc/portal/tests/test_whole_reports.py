"""A report is stored whole or refused whole: files never cut it short, and
nothing a reporter sends is written to disk in plaintext."""

from __future__ import annotations

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ahtc.portal.models import Tip, TipAttachment

from .test_reporting import report_data

MB = 1024 * 1024


def pdf(size: int, fill: bytes = b"a") -> SimpleUploadedFile:
    head = b"%PDF-1.4\n"
    return SimpleUploadedFile("scan.pdf", head + fill * (size - len(head)), "application/pdf")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    os.mkdir(settings.FILE_UPLOAD_TEMP_DIR)


@pytest.fixture(autouse=True)
def temp_files(monkeypatch) -> list[str]:
    """Names of the temporary files Django's upload handling creates (they
    are deleted when the request ends, so they must be caught as they open)."""
    from django.core.files import temp

    made: list[str] = []
    original = temp.NamedTemporaryFile

    def recording(*args, **kwargs):
        handle = original(*args, **kwargs)
        made.append(handle.name)
        return handle

    monkeypatch.setattr("django.core.files.uploadedfile.tempfile.NamedTemporaryFile", recording)
    return made


def post_report(client, files, **changes):
    data = report_data(**changes)
    # Files first, the contact last: the order a browser sends them in.
    ordered = {k: v for k, v in data.items() if k != "contact"}
    ordered["attachments"] = files
    ordered["contact"] = data["contact"]
    return client.post(reverse("portal:report"), ordered)


@pytest.mark.django_db
class TestWholeReports:
    def test_two_large_files_and_the_contact_after_them_are_all_stored(self, client):
        response = post_report(
            client, [pdf(5_600_000, b"a"), pdf(5_600_000, b"b")], contact="0300-1112223"
        )
        assert response.status_code == 200
        assert b"receipt-code" in response.content
        tip = Tip.objects.get()
        assert tip.contact == "0300-1112223"
        assert sorted(a.size for a in TipAttachment.objects.all()) == [5_600_000, 5_600_000]

    def test_one_file_over_the_limit_refuses_the_report_and_keeps_what_was_typed(self, client):
        client.cookies["ahtc_lang"] = "en"
        response = post_report(client, [pdf(9 * MB)], contact="call me after dark: 0300-7654321")
        assert response.status_code == 200
        assert not Tip.objects.exists()
        page = response.content.decode()
        assert "Each file must be smaller than 8 MB." in page
        assert "call me after dark: 0300-7654321" in page
        assert "An agent took 3 million rupees" in page
        assert b"receipt-code" not in response.content

    def test_file_too_large_after_a_good_one_refuses_the_whole_report(self, client):
        response = post_report(client, [pdf(MB), pdf(9 * MB)], contact="0300-1112223")
        assert not Tip.objects.exists()
        assert "0300-1112223" in response.content.decode()

    def test_uploads_never_touch_the_disk_unencrypted(self, client, tmp_path, temp_files):
        # Django's own handlers would spill anything over 2.5 MB to a temp file.
        post_report(client, [pdf(6 * MB, b"q")])
        assert temp_files == []
        assert TipAttachment.objects.count() == 1
        for path in (tmp_path / "media").rglob("*"):
            if path.is_file():
                assert b"qqqqqqqq" not in path.read_bytes()


@pytest.mark.django_db
class TestBodyLimitsOnEveryRoute:
    def test_sign_in_refuses_an_oversize_body_unread(self, client, temp_files):
        response = client.generic(
            "POST",
            reverse("accounts:login"),
            data=b"",
            content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=str(100 * MB),
        )
        assert response.status_code == 413
        assert temp_files == []

    def test_sign_in_with_a_file_writes_no_temp_file(self, client, settings, temp_files):
        settings.AHTC_MAX_PLAIN_BODY_BYTES = 8 * MB
        client.post(
            reverse("accounts:login"),
            {"username": "x", "password": "y", "junk": pdf(7 * MB)},
        )
        assert temp_files == []

    def test_a_body_within_the_limit_is_answered_normally(self, client):
        response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
        assert response.status_code == 200
