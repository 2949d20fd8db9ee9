"""The file rules: size before reading, type by content, metadata stripped,
stored encrypted under generated names, downloaded only as attachments."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from ahtc.portal.files import MAX_BODY_BYTES, read_decrypted, storage_dir
from ahtc.portal.models import Tip, TipAttachment

from .test_reporting import report_data


def photo_with_exif() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "UniqueCameraMake"
    exif[0x0110] = "UniqueCameraModel"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    data = buffer.getvalue()
    assert b"UniqueCameraMake" in data
    return data


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def send(client, *files: SimpleUploadedFile):
    data = report_data()
    data["attachments"] = list(files)
    return client.post(reverse("portal:report"), data)


@pytest.mark.django_db
class TestUploads:
    def test_photo_is_reencoded_without_exif_and_encrypted_on_disk(self, client):
        response = send(
            client, SimpleUploadedFile("IMG_2024_home.jpg", photo_with_exif(), "image/jpeg")
        )
        assert response.status_code == 200
        attachment = TipAttachment.objects.get()
        on_disk = (storage_dir() / attachment.stored_name).read_bytes()
        assert b"\xff\xd8\xff" not in on_disk[:3]
        assert "IMG_2024" not in attachment.stored_name
        clean = read_decrypted(attachment.stored_name)
        assert clean.startswith(b"\xff\xd8\xff")
        assert b"UniqueCameraMake" not in clean
        assert b"Exif\x00\x00" not in clean

    def test_type_is_decided_by_content_not_name(self, client):
        client.cookies["ahtc_lang"] = "en"
        fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 this is a program", "image/jpeg")
        response = send(client, fake)
        assert b"Only photos (JPEG, PNG, WebP), PDF and voice notes" in response.content
        assert not Tip.objects.exists()

    def test_pdf_named_as_text_is_accepted_as_pdf(self, client):
        send(client, SimpleUploadedFile("notes.txt", b"%PDF-1.4\n% test\n", "text/plain"))
        assert TipAttachment.objects.get().kind == "pdf"

    def test_broken_image_is_refused(self, client):
        send(client, SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/png"))
        assert not Tip.objects.exists()

    def test_more_than_three_files_refused(self, client):
        pdf = b"%PDF-1.4\n"
        files = [SimpleUploadedFile(f"{n}.pdf", pdf, "application/pdf") for n in range(4)]
        send(client, *files)
        assert not Tip.objects.exists()

    def test_announced_oversize_body_is_refused_before_reading(self, client):
        response = client.generic(
            "POST",
            reverse("portal:report"),
            data=b"",
            content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=str(MAX_BODY_BYTES + 1),
        )
        assert response.status_code == 413

    def test_retry_with_files_stores_them_once(self, client):
        token = uuid.uuid4().hex
        for _ in range(2):
            data = report_data(client_token=token)
            data["attachments"] = [SimpleUploadedFile("a.pdf", b"%PDF-1.4\n", "application/pdf")]
            client.post(reverse("portal:report"), data)
        assert TipAttachment.objects.count() == 1
        assert len(list(storage_dir().iterdir())) == 1


@pytest.mark.django_db
class TestStaffDownload:
    def test_download_is_an_attachment_with_a_neutral_name_and_audited(
        self, client, officer_mbdin, login_as
    ):
        send(client, SimpleUploadedFile("IMG_9.jpg", photo_with_exif(), "image/jpeg"))
        tip, attachment = Tip.objects.get(), TipAttachment.objects.get()
        staff = login_as(officer_mbdin)
        response = staff.get(reverse("cell:intake_file", args=[tip.pk, attachment.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert tip.reference in response["Content-Disposition"]
        assert response["Content-Type"] == "application/octet-stream"
        assert response.content.startswith(b"\xff\xd8\xff")
        from ahtc.core.models import AuditEvent

        assert AuditEvent.objects.filter(actor=officer_mbdin, action="export").exists()

    def test_other_district_cannot_download(self, client, officer_gujrat, login_as):
        send(client, SimpleUploadedFile("a.pdf", b"%PDF-1.4\n", "application/pdf"))
        tip, attachment = Tip.objects.get(), TipAttachment.objects.get()
        staff = login_as(officer_gujrat)
        assert (
            staff.get(reverse("cell:intake_file", args=[tip.pk, attachment.pk])).status_code == 404
        )

    def test_file_of_another_report_is_404(self, client, officer_mbdin, login_as):
        send(client, SimpleUploadedFile("a.pdf", b"%PDF-1.4\n", "application/pdf"))
        other = Tip.objects.create(
            idempotency_hash="x" * 64,
            receipt_hash="y" * 64,
            channel="web",
            category="other",
            district=Tip.objects.get().district,
            description="z" * 20,
            child_involved="no",
        )
        attachment = TipAttachment.objects.get()
        staff = login_as(officer_mbdin)
        assert (
            staff.get(reverse("cell:intake_file", args=[other.pk, attachment.pk])).status_code
            == 404
        )


@pytest.mark.django_db
class TestFilesInTheThread:
    def test_reporter_and_cell_exchange_files_without_the_code_in_a_url(
        self, client, officer_mbdin, login_as, settings
    ):
        from django.test import Client

        from ahtc.portal.files import clean_upload
        from ahtc.portal.services import tip_staff_reply

        from .test_reporting import receipt_in

        settings.AHTC_RECEIPT_MIN_SECONDS = 0
        reporter = Client()
        code = receipt_in(reporter.post(reverse("portal:report"), report_data()))
        photo = SimpleUploadedFile("x.jpg", photo_with_exif(), "image/jpeg")
        reporter.post(
            reverse("portal:follow_up"),
            {"code": code, "body": "Here is the kiln.", "attachments": [photo]},
        )
        tip = Tip.objects.get()
        sent = TipAttachment.objects.get()
        assert sent.message is not None
        assert sent.message.from_reporter

        pdf = SimpleUploadedFile("advice.pdf", b"%PDF-1.4\n", "application/pdf")
        tip_staff_reply(
            tip=tip, body="Please read this.", by=officer_mbdin, files=[clean_upload(pdf)]
        )
        from_cell = TipAttachment.objects.get(message__from_reporter=False)
        response = reporter.post(
            reverse("portal:follow_up_file"), {"code": code, "file_id": from_cell.pk}
        )
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")
        assert response["Content-Disposition"].startswith("attachment;")
        # The reporter cannot fetch files by id with a wrong code, nor their own upload this way.
        wrong = f"{(int(code) + 1) % 10**16:016d}"
        assert (
            reporter.post(
                reverse("portal:follow_up_file"), {"code": wrong, "file_id": from_cell.pk}
            ).status_code
            == 404
        )
        assert (
            reporter.post(
                reverse("portal:follow_up_file"), {"code": code, "file_id": sent.pk}
            ).status_code
            == 404
        )
