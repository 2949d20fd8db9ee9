"""Virus scanning of files: on arrival (an infected file is refused, the rest of
what was typed is kept) and before every delivery (an infected file is held:
a page saying so and an audit row, never the file). A scanner that cannot
answer never loses a report: the file is kept, marked not scanned, and
scanned again when it is delivered."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ahtc.core.models import AuditEvent, AuditOutcome
from ahtc.core.scan import ScanResult, ScanStatus
from ahtc.portal.files import clean_upload
from ahtc.portal.models import Tip, TipAttachment, TipMessage
from ahtc.portal.services import tip_staff_reply

from .test_reporting import receipt_in, report_data

PDF = b"%PDF-1.4\n% a scanned letter\n"


class FakeScanner:
    """Answers what the test sets; records what it was shown."""

    def __init__(self) -> None:
        self.result = ScanResult.clean()
        self.seen: list[bytes] = []

    def scan(self, data: bytes) -> ScanResult:
        self.seen.append(data)
        return self.result


def use_fake_scanner(monkeypatch) -> FakeScanner:
    fake = FakeScanner()
    monkeypatch.setattr("ahtc.core.scan.configured_scanner", lambda: fake)
    return fake


@pytest.fixture
def scanner(monkeypatch) -> FakeScanner:
    return use_fake_scanner(monkeypatch)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AHTC_RECEIPT_MIN_SECONDS = 0


def pdf_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("letter.pdf", PDF, "application/pdf")


def report_with_pdf(client) -> str:
    data = report_data()
    data["attachments"] = [pdf_upload()]
    return receipt_in(client.post(reverse("portal:report"), data))


@pytest.mark.django_db
class TestOnArrival:
    def test_infected_file_refuses_the_upload_and_the_form_keeps_what_was_typed(
        self, client, scanner
    ):
        client.cookies["ahtc_lang"] = "en"
        scanner.result = ScanResult.infected("Win.Test.EICAR_HDB-1")
        data = report_data(description="The agent kept our passports at his office.")
        data["attachments"] = [pdf_upload()]
        response = client.post(reverse("portal:report"), data)
        page = response.content.decode()
        assert "The virus scanner found something dangerous in this file" in page
        assert "The agent kept our passports at his office." in page
        assert not Tip.objects.exists()
        assert scanner.seen == [PDF]

    def test_infected_file_in_a_reply_is_refused_and_the_message_is_kept(self, client, scanner):
        code = report_with_pdf(client)
        client.cookies["ahtc_lang"] = "en"
        scanner.result = ScanResult.infected("Win.Test.EICAR_HDB-1")
        response = client.post(
            reverse("portal:follow_up"),
            {
                "code": code,
                "body": "They moved the children to Gujrat.",
                "attachments": [pdf_upload()],
            },
        )
        page = response.content.decode()
        assert "The virus scanner found something dangerous in this file" in page
        assert "They moved the children to Gujrat." in page
        assert not TipMessage.objects.exists()
        assert TipAttachment.objects.count() == 1

    def test_clean_file_is_marked_scanned(self, client, scanner):
        report_with_pdf(client)
        assert TipAttachment.objects.get().scan_status == ScanStatus.CLEAN

    def test_unreachable_scanner_keeps_the_report_and_marks_the_file_not_scanned(
        self, client, scanner
    ):
        scanner.result = ScanResult.unavailable()
        report_with_pdf(client)
        attachment = TipAttachment.objects.get()
        assert attachment.scan_status == ScanStatus.NOT_SCANNED
        assert attachment.original_sha256 == hashlib.sha256(PDF).hexdigest()

    def test_the_original_photo_is_scanned_before_it_is_decoded(self, client, scanner):
        from .test_files import photo_with_exif

        photo = photo_with_exif()
        data = report_data()
        data["attachments"] = [SimpleUploadedFile("p.jpg", photo, "image/jpeg")]
        client.post(reverse("portal:report"), data)
        assert scanner.seen == [photo]


@pytest.mark.django_db
class TestBeforeDelivery:
    def download(self, staff: Client) -> Any:
        tip, attachment = Tip.objects.get(), TipAttachment.objects.get()
        return staff.get(reverse("cell:intake_file", args=[tip.pk, attachment.pk]))

    def test_file_found_infected_at_download_is_held_with_a_page_and_an_audit_row(
        self, client, scanner, officer_mbdin, login_as
    ):
        report_with_pdf(client)
        staff = login_as(officer_mbdin)
        staff.cookies["ahtc_lang"] = "en"
        scanner.result = ScanResult.infected("Pdf.Exploit.Test-1")
        response = self.download(staff)
        assert response.status_code == 403
        assert "Content-Disposition" not in response
        assert PDF not in response.content
        assert "This file was held as dangerous" in response.content.decode()
        held = AuditEvent.objects.get(outcome=AuditOutcome.REFUSED, actor=officer_mbdin)
        assert held.object_type == "portal.tipattachment"
        assert "Pdf.Exploit.Test-1" in held.reason
        assert TipAttachment.objects.get().scan_status == ScanStatus.INFECTED

    def test_file_not_scanned_on_arrival_is_scanned_at_download(
        self, client, scanner, officer_mbdin, login_as
    ):
        scanner.result = ScanResult.unavailable()
        report_with_pdf(client)
        scanner.result = ScanResult.clean()
        response = self.download(login_as(officer_mbdin))
        assert response.status_code == 200
        assert response.content == PDF
        assert scanner.seen == [PDF, PDF]
        assert TipAttachment.objects.get().scan_status == ScanStatus.CLEAN

    def test_file_found_infected_stays_held_while_the_scanner_is_down(
        self, client, scanner, officer_mbdin, login_as
    ):
        report_with_pdf(client)
        staff = login_as(officer_mbdin)
        scanner.result = ScanResult.infected("Pdf.Exploit.Test-1")
        self.download(staff)
        scanner.result = ScanResult.unavailable()
        assert self.download(staff).status_code == 403

    def test_unreachable_scanner_at_download_still_delivers_a_clean_file(
        self, client, scanner, officer_mbdin, login_as
    ):
        report_with_pdf(client)
        scanner.result = ScanResult.unavailable()
        response = self.download(login_as(officer_mbdin))
        assert response.status_code == 200
        assert response.content == PDF

    def test_reporter_never_receives_an_infected_file_from_the_cell(
        self, client, scanner, officer_mbdin
    ):
        code = receipt_in(client.post(reverse("portal:report"), report_data()))
        tip = Tip.objects.get()
        tip_staff_reply(
            tip=tip, body="See this.", by=officer_mbdin, files=[clean_upload(pdf_upload())]
        )
        scanner.result = ScanResult.infected("Pdf.Exploit.Test-1")
        sent = TipAttachment.objects.get()
        response = client.post(reverse("portal:follow_up_file"), {"code": code, "file_id": sent.pk})
        assert response.status_code == 403
        assert PDF not in response.content
        assert AuditEvent.objects.filter(outcome=AuditOutcome.REFUSED, actor=None).exists()
