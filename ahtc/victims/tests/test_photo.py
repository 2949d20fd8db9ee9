"""The victim's photograph: re-encoded, stored encrypted, shown only with identity."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from ahtc.accounts.models import User
from ahtc.core.models import AuditAction, AuditEvent
from ahtc.portal.files import storage_dir
from ahtc.victims.models import ProtectionRecord

pytestmark = pytest.mark.django_db


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(out, format="PNG")
    return out.getvalue()


def test_photo_is_stored_encrypted_and_downloaded_as_jpeg(
    login_as: Callable[[User], Client], record: ProtectionRecord, officer_mbdin: User
) -> None:
    client = login_as(officer_mbdin)
    upload = SimpleUploadedFile("face.png", png(), content_type="image/png")
    response = client.post(reverse("cell:victim_photo", args=[record.number]), {"photo": upload})
    assert response.status_code == 302
    record.refresh_from_db()
    raw = (storage_dir() / record.photo_name).read_bytes()
    assert not raw.startswith(b"\xff\xd8")  # encrypted at rest, not a JPEG on disk
    download = client.get(reverse("cell:victim_photo_file", args=[record.number]))
    assert download.content.startswith(b"\xff\xd8")
    assert "attachment" in download["Content-Disposition"]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, reason="photo downloaded").exists()


def test_a_pdf_is_not_a_photograph(
    login_as: Callable[[User], Client], record: ProtectionRecord, officer_mbdin: User
) -> None:
    upload = SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%...", content_type="application/pdf")
    response = login_as(officer_mbdin).post(
        reverse("cell:victim_photo", args=[record.number]), {"photo": upload}
    )
    assert response.status_code == 200
    assert "Only a photograph" in response.content.decode()
    record.refresh_from_db()
    assert record.photo_name == ""


def test_providers_and_other_districts_never_get_the_photo(
    login_as: Callable[[User], Client],
    record: ProtectionRecord,
    officer_gujrat: User,
    health_user: User,
) -> None:
    for user in (officer_gujrat, health_user):
        client = login_as(user)
        assert (
            client.get(reverse("cell:victim_photo_file", args=[record.number])).status_code == 404
        )
        client.logout()


def test_photo_found_infected_at_download_is_held_not_delivered(
    login_as: Callable[[User], Client],
    record: ProtectionRecord,
    officer_mbdin: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ahtc.core.models import AuditOutcome
    from ahtc.core.scan import ScanResult

    client = login_as(officer_mbdin)
    upload = SimpleUploadedFile("face.png", png(), content_type="image/png")
    client.post(reverse("cell:victim_photo", args=[record.number]), {"photo": upload})
    # A signature published after the upload now matches the stored photo.
    monkeypatch.setattr(
        "ahtc.portal.files.scan_bytes", lambda data: ScanResult.infected("Test.Sig")
    )
    download = client.get(reverse("cell:victim_photo_file", args=[record.number]))
    assert download.status_code == 403
    assert not download.content.startswith(b"\xff\xd8")
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, outcome=AuditOutcome.REFUSED, object_id=str(record.pk)
    ).exists()
