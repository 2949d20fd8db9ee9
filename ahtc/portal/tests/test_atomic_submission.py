"""A receipt means the whole report was stored: a report and its files are kept
together or not at all, a retry completes a report that lost its files, and
`reconcile_files` finds what is out of step."""

from __future__ import annotations

import os
import time
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from ahtc.portal import files as portal_files
from ahtc.portal.files import storage_dir
from ahtc.portal.models import Tip, TipAttachment
from ahtc.portal.tests.test_intake import make_tip

from .test_reporting import report_data


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def two_pdfs() -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(f"{n}.pdf", b"%PDF-1.4\n" + bytes([65 + n]) * 100, "application/pdf")
        for n in range(2)
    ]


def stored_files() -> list[str]:
    return sorted(p.name for p in storage_dir().iterdir())


@pytest.mark.django_db
class TestAllOrNothing:
    def test_storage_failure_keeps_nothing_and_says_so(self, client, monkeypatch):
        import ahtc.portal.services as services

        real = services.store_encrypted  # type: ignore[attr-defined]
        calls: list[int] = []

        def second_write_fails(clean):
            calls.append(1)
            if len(calls) == 2:
                raise OSError("disk full")
            return real(clean)

        monkeypatch.setattr("ahtc.portal.services.store_encrypted", second_write_fails)
        client.cookies["ahtc_lang"] = "en"
        token = uuid.uuid4().hex
        data = {**report_data(client_token=token), "attachments": two_pdfs()}
        response = client.post(reverse("portal:report"), data)
        assert response.status_code == 503
        assert b"could not be stored just now" in response.content
        assert b"An agent took 3 million rupees" in response.content
        assert not Tip.objects.exists()
        assert stored_files() == []

        monkeypatch.setattr("ahtc.portal.services.store_encrypted", real)
        data = {**report_data(client_token=token), "attachments": two_pdfs()}
        assert client.post(reverse("portal:report"), data).status_code == 200
        assert Tip.objects.get().attachments.count() == 2
        assert len(stored_files()) == 2

    def test_retry_completes_a_report_whose_files_were_lost(self, client):
        token = uuid.uuid4().hex
        tip = make_tip(client_token=token)  # stored earlier without its files
        data = {**report_data(client_token=token), "attachments": two_pdfs()}
        assert client.post(reverse("portal:report"), data).status_code == 200
        assert Tip.objects.count() == 1
        assert tip.attachments.count() == 2
        # A second retry adds nothing more.
        data = {**report_data(client_token=token), "attachments": two_pdfs()}
        client.post(reverse("portal:report"), data)
        assert tip.attachments.count() == 2


@pytest.mark.django_db
class TestReconcile:
    def test_missing_file_is_reported_and_fails_the_command(self, client, capsys):
        data = {**report_data(), "attachments": two_pdfs()[:1]}
        client.post(reverse("portal:report"), data)
        attachment = TipAttachment.objects.get()
        portal_files.delete_stored(attachment.stored_name)
        with pytest.raises(CommandError):
            call_command("reconcile_files")
        assert f"missing file: portal.tipattachment {attachment.pk}" in capsys.readouterr().out

    def test_old_unnamed_files_are_deleted_on_request_recent_ones_kept(self, capsys):
        old = storage_dir() / ("0" * 32)
        recent = storage_dir() / ("1" * 32)
        old.write_bytes(b"x")
        recent.write_bytes(b"y")
        two_hours_ago = time.time() - 7200
        os.utime(old, (two_hours_ago, two_hours_ago))
        call_command("reconcile_files")
        assert old.exists()  # listed only
        call_command("reconcile_files", "--delete-orphans")
        assert not old.exists()
        assert recent.exists()
        assert "0 missing, 2 unnamed, 1 deleted" in capsys.readouterr().out.splitlines()[-1]
