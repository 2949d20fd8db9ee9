"""At most MAX_ATTACHMENTS_PER_REPORT files in one report's whole thread: the
report, the reporter's replies and the cell's replies all count. A reply that
would pass the limit is refused whole, says why, and keeps what was typed."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ahtc.portal.files import FileRejectedError, clean_upload, storage_dir
from ahtc.portal.models import Tip, TipAttachment, TipMessage
from ahtc.portal.services import tip_reporter_reply, tip_staff_reply

from .test_reporting import receipt_in, report_data


def pdf(name: str = "a.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% page\n", "application/pdf")


@pytest.fixture(autouse=True)
def limit(settings, tmp_path) -> int:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AHTC_RECEIPT_MIN_SECONDS = 0
    settings.AHTC_MAX_ATTACHMENTS_PER_REPORT = 3
    return 3


@pytest.fixture
def reported(client, officer_mbdin) -> str:
    """A report with one file, and a cell reply with another: one place left."""
    data = report_data()
    data["attachments"] = [pdf()]
    code = receipt_in(client.post(reverse("portal:report"), data))
    tip_staff_reply(
        tip=Tip.objects.get(), body="Thank you.", by=officer_mbdin, files=[clean_upload(pdf())]
    )
    return code


def reply(client, code: str, count: int):
    client.cookies["ahtc_lang"] = "en"
    return client.post(
        reverse("portal:follow_up"),
        {
            "code": code,
            "body": "Here are the receipts.",
            "attachments": [pdf() for _ in range(count)],
        },
    )


@pytest.mark.django_db
class TestReporterReply:
    def test_reply_that_fits_the_thread_is_sent(self, client, reported):
        response = reply(client, reported, 1)
        assert "Your message has been sent to the cell." in response.content.decode()
        assert TipAttachment.objects.count() == 3

    def test_reply_past_the_limit_is_refused_and_keeps_the_message(self, client, reported):
        response = reply(client, reported, 2)
        page = response.content.decode()
        assert "A report can have at most 3 files and this one already has 2." in page
        assert "Here are the receipts." in page
        assert "Your message has been sent" not in page
        assert TipMessage.objects.filter(from_reporter=True).count() == 0
        assert TipAttachment.objects.count() == 2

    def test_a_refused_reply_leaves_no_file_on_disk(self, reported):
        before = set(storage_dir().iterdir())
        tip = Tip.objects.get()
        with pytest.raises(FileRejectedError):
            tip_reporter_reply(tip=tip, body="x", files=[clean_upload(pdf()), clean_upload(pdf())])
        assert set(storage_dir().iterdir()) == before


@pytest.mark.django_db
class TestCellReply:
    def post(self, staff, count: int):
        staff.cookies["ahtc_lang"] = "en"
        tip = Tip.objects.get()
        return staff.post(
            reverse("cell:intake_detail", args=[tip.pk]),
            {
                "body": "Please send the agent's number.",
                "attachments": [pdf() for _ in range(count)],
            },
        )

    def test_cell_reply_that_fits_is_sent(self, reported, officer_mbdin, login_as):
        response = self.post(login_as(officer_mbdin), 1)
        assert response.status_code == 302
        assert TipAttachment.objects.count() == 3

    def test_cell_reply_past_the_limit_is_refused_on_the_form(
        self, reported, officer_mbdin, login_as
    ):
        response = self.post(login_as(officer_mbdin), 2)
        assert response.status_code == 200
        page = response.content.decode()
        assert "A report can have at most 3 files and this one already has 2." in page
        assert "Please send the agent&#x27;s number." in page
        assert TipMessage.objects.filter(from_reporter=False).count() == 1
        assert TipAttachment.objects.count() == 2
