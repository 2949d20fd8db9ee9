"""One set of file checks for citizens' files and the cell's evidence: type by
content, no polyglots (a PDF or picture that is also a web page or carries a
program). Evidence is kept byte for byte; a citizen's photo is re-encoded, and
the hash of the bytes as received is kept beside the hash of the stored copy."""

from __future__ import annotations

import hashlib
import random
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ahtc.cases import services as case_services
from ahtc.cases.models import Case, Evidence, Origin
from ahtc.core.models import AuditEvent, AuditOutcome
from ahtc.core.scan import ScanResult
from ahtc.geography.models import Area
from ahtc.portal.files import FileRejectedError, clean_upload, read_decrypted
from ahtc.portal.models import Tip, TipAttachment

from .test_files import photo_with_exif
from .test_files_scan import use_fake_scanner
from .test_reporting import report_data

WINDOWS_PROGRAM = b"MZ" + b"\x00" * (0x3C - 2) + struct.pack("<I", 0x40) + b"PE\x00\x00"

POLYGLOTS = {
    "pdf and html": b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n%%EOF",
    "pdf with a page at its end": b"%PDF-1.4\n" + b"1 0 obj\n" * 2000 + b"<!DOCTYPE html><p>hi",
    "jpeg and svg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00<svg onload=alert(1)>",
    "png and php": b"\x89PNG\r\n\x1a\n<?php system($_GET['c']); ?>",
    "ogg and linux program": b"OggS\x00\x02" + b"\x00" * 20 + b"\x7fELF\x02\x01\x01\x00",
    "pdf and windows program": b"%PDF-1.4\n" + WINDOWS_PROGRAM + b"\x00" * 64,
    "pdf and zip": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\nPK\x03\x04\x14\x00\x00\x00",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("file", data, "application/octet-stream")


@pytest.mark.parametrize("data", POLYGLOTS.values(), ids=POLYGLOTS.keys())
def test_polyglot_is_refused(data):
    with pytest.raises(FileRejectedError, match="also contains web page code or a program"):
        clean_upload(upload(data))


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n% The MZ road, Mandi Bahauddin\n%%EOF",
        b"%PDF-1.5\n" + random.Random(9).randbytes(300_000) + b"\n%%EOF",  # noqa: S311
        photo_with_exif(),
    ],
    ids=["pdf naming MZ", "pdf with binary streams", "photo"],
)
def test_ordinary_files_are_not_taken_for_polyglots(data):
    assert clean_upload(upload(data)).kind in {"pdf", "jpeg"}


@pytest.mark.django_db
class TestCitizensFiles:
    def test_pdf_html_polyglot_is_refused_on_the_report_form(self, client):
        client.cookies["ahtc_lang"] = "en"
        data = report_data()
        data["attachments"] = [
            SimpleUploadedFile("a.pdf", POLYGLOTS["pdf and html"], "application/pdf")
        ]
        response = client.post(reverse("portal:report"), data)
        assert "also contains web page code or a program" in response.content.decode()
        assert not Tip.objects.exists()

    def test_reencoded_photo_keeps_the_hash_of_the_bytes_received(
        self, client, officer_mbdin, login_as
    ):
        photo = photo_with_exif()
        data = report_data()
        data["attachments"] = [SimpleUploadedFile("p.jpg", photo, "image/jpeg")]
        client.post(reverse("portal:report"), data)
        attachment = TipAttachment.objects.get()
        original = hashlib.sha256(photo).hexdigest()
        assert attachment.original_sha256 == original
        stored = read_decrypted(attachment.stored_name)
        assert attachment.sha256 == hashlib.sha256(stored).hexdigest() != original
        page = login_as(officer_mbdin).get(
            reverse("cell:intake_detail", args=[Tip.objects.get().pk])
        )
        assert original in page.content.decode()


@pytest.fixture
def case(officer_mbdin) -> Case:
    return case_services.case_open(
        district=Area.objects.get(code="PK620"),
        by=officer_mbdin,
        title="Kiln family held for an advance",
        origin=Origin.WALK_IN,
    )


def add_evidence(case, by, data: bytes) -> Evidence:
    return case_services.evidence_add(
        case=case, by=by, kind="document", description="Agent's letter", holder="IO", data=data
    )


@pytest.mark.django_db
class TestEvidence:
    @pytest.mark.parametrize(
        "data",
        [
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            b"<!DOCTYPE html><html><script>alert(1)</script></html>",
            POLYGLOTS["pdf and html"],
            POLYGLOTS["ogg and linux program"],
        ],
        ids=["svg", "html", "pdf and html", "ogg and linux program"],
    )
    def test_evidence_files_pass_the_same_checks_as_citizens_files(self, case, officer_mbdin, data):
        with pytest.raises(case_services.CaseError):
            add_evidence(case, officer_mbdin, data)
        assert not Evidence.objects.exists()

    def test_evidence_photo_is_kept_byte_for_byte_with_its_hash_as_received(
        self, case, officer_mbdin
    ):
        photo = photo_with_exif()
        evidence = add_evidence(case, officer_mbdin, photo)
        digest = hashlib.sha256(photo).hexdigest()
        assert evidence.original_sha256 == evidence.sha256 == digest
        assert read_decrypted(evidence.stored_name) == photo

    def test_refused_evidence_file_is_audited_and_the_form_keeps_what_was_typed(
        self, case, officer_mbdin, login_as
    ):
        staff = login_as(officer_mbdin)
        staff.cookies["ahtc_lang"] = "en"
        upload = SimpleUploadedFile("a.html", b"<html><script>x</script></html>", "text/html")
        response = staff.post(
            reverse("cell:case_evidence", args=[case.reference]),
            {
                "kind": "document",
                "description": "Letter from the agent",
                "holder": "IO",
                "file": upload,
            },
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "Only photos (JPEG, PNG, WebP), PDF, voice notes and videos can be kept." in page
        assert "Letter from the agent" in page
        assert not Evidence.objects.exists()
        refused = AuditEvent.objects.get(outcome=AuditOutcome.REFUSED, actor=officer_mbdin)
        assert refused.reason == "evidence file refused: type not accepted"

    def test_infected_evidence_is_refused_on_arrival_and_held_at_download(
        self, case, officer_mbdin, login_as, monkeypatch
    ):
        scanner = use_fake_scanner(monkeypatch)
        staff = login_as(officer_mbdin)
        scanner.result = ScanResult.infected("Pdf.Exploit.Test-1")
        with pytest.raises(case_services.CaseError, match="virus scanner"):
            add_evidence(case, officer_mbdin, b"%PDF-1.4\n")
        scanner.result = ScanResult.clean()
        evidence = add_evidence(case, officer_mbdin, b"%PDF-1.4\n")
        page = staff.get(reverse("cell:case", args=[case.reference])).content.decode()
        assert evidence.original_sha256[:16] in page
        scanner.result = ScanResult.infected("Pdf.Exploit.Test-1")
        url = reverse("cell:case_evidence_file", args=[case.reference, evidence.pk])
        response = staff.get(url)
        assert response.status_code == 403
        assert b"%PDF" not in response.content
        held = AuditEvent.objects.get(outcome=AuditOutcome.REFUSED, object_type="cases.evidence")
        assert held.area_code == "PK620"
        assert "Pdf.Exploit.Test-1" in held.reason
