"""Findings with photographs on an inspection: re-encoded, sealed, downloaded
only by those who may read the agency; refusals keep the finding as typed."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from ahtc.accounts.models import User
from ahtc.agencies.enforcement import inspection_record
from ahtc.agencies.models import Agency, Inspection, InspectionPhoto
from ahtc.agencies.tests.conftest import MakeAgency
from ahtc.core.models import AuditAction, AuditEvent, AuditOutcome
from ahtc.portal.files import MAX_FILE_BYTES, storage_dir
from ahtc.portal.reconcile import files_reconcile

Login = Callable[[User], Client]
FINDING = "Synthetic finding: no licence on the wall"


def jpeg_with_gps() -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SyntheticPhoneMaker"  # Make: must not survive re-encoding
    Image.new("RGB", (16, 16), (10, 120, 10)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def inspected(make_agency: MakeAgency, officer_mbdin: User) -> tuple[Agency, Inspection]:
    agency = make_agency("Synthetic Lens Travels")
    inspection = inspection_record(
        agency=agency,
        by=officer_mbdin,
        on=dt.date(2025, 3, 1),
        employee_list_displayed=True,
        licence_displayed=False,
        fraud_advisory_displayed=True,
        fee_schedule_displayed=True,
        records_kept=True,
    )
    return agency, inspection


def _url(agency: Agency, inspection: Inspection) -> str:
    return f"/cell/agencies/{agency.pk}/inspections/{inspection.pk}/photos/"


def _post(client: Client, url: str, name: str, data: bytes) -> object:
    upload = SimpleUploadedFile(name, data, content_type="image/jpeg")
    return client.post(url, {"finding": FINDING, "photo": upload})


def test_photo_is_reencoded_sealed_and_downloaded_by_readers(
    login_as: Login, officer_mbdin: User, fia_liaison: User, inspected: tuple[Agency, Inspection]
) -> None:
    agency, inspection = inspected
    client = login_as(officer_mbdin)
    response = _post(client, _url(agency, inspection), "wall.jpg", jpeg_with_gps())
    assert response.status_code == 302  # type: ignore[attr-defined]
    photo = InspectionPhoto.objects.get()
    assert photo.finding == FINDING
    assert len(photo.original_sha256) == 64
    raw = (storage_dir() / photo.stored_name).read_bytes()
    assert not raw.startswith(b"\xff\xd8")  # sealed at rest, not a JPEG on disk
    page = client.get(f"/cell/agencies/{agency.pk}/").content.decode()
    assert FINDING in page
    download_url = f"{_url(agency, inspection)}{photo.pk}/"
    assert download_url in page
    client.logout()
    reader = login_as(fia_liaison)  # reads the registry: may see the photo
    download = reader.get(download_url)
    assert download.status_code == 200
    assert download.content.startswith(b"\xff\xd8")
    assert b"SyntheticPhoneMaker" not in download.content
    assert "attachment" in download["Content-Disposition"]
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, actor=fia_liaison, object_id=str(photo.pk)
    ).exists()
    # The reconciliation knows whose file it is: never an orphan.
    assert photo.stored_name not in files_reconcile().orphans


def test_a_reader_may_not_add_a_photo(
    login_as: Login, fia_liaison: User, inspected: tuple[Agency, Inspection]
) -> None:
    agency, inspection = inspected
    response = _post(login_as(fia_liaison), _url(agency, inspection), "a.jpg", jpeg_with_gps())
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert not InspectionPhoto.objects.exists()
    assert AuditEvent.objects.filter(outcome=AuditOutcome.REFUSED, actor=fia_liaison).exists()


def test_other_district_and_labour_get_404_audited(
    login_as: Login,
    officer_mbdin: User,
    officer_gujrat: User,
    labour_liaison: User,
    inspected: tuple[Agency, Inspection],
) -> None:
    agency, inspection = inspected
    _post(login_as(officer_mbdin), _url(agency, inspection), "a.jpg", jpeg_with_gps())
    photo = InspectionPhoto.objects.get()
    for user in (officer_gujrat, labour_liaison):
        client = login_as(user)
        assert client.get(f"{_url(agency, inspection)}{photo.pk}/").status_code == 404
        assert _post(client, _url(agency, inspection), "b.jpg", jpeg_with_gps()).status_code == 404  # type: ignore[attr-defined]
        assert AuditEvent.objects.filter(
            actor=user, outcome=AuditOutcome.REFUSED, object_id=str(agency.pk)
        ).exists()
        client.logout()
    assert InspectionPhoto.objects.count() == 1


def test_a_photo_of_another_inspection_is_not_found(
    login_as: Login,
    officer_mbdin: User,
    inspected: tuple[Agency, Inspection],
    make_agency: MakeAgency,
) -> None:
    agency, inspection = inspected
    client = login_as(officer_mbdin)
    _post(client, _url(agency, inspection), "a.jpg", jpeg_with_gps())
    photo = InspectionPhoto.objects.get()
    other = make_agency("Synthetic Other Travels")
    assert (
        client.get(
            f"/cell/agencies/{other.pk}/inspections/{inspection.pk}/photos/{photo.pk}/"
        ).status_code
        == 404
    )


def test_a_pdf_is_refused_and_the_finding_is_kept(
    login_as: Login, officer_mbdin: User, inspected: tuple[Agency, Inspection]
) -> None:
    agency, inspection = inspected
    response = _post(
        login_as(officer_mbdin), _url(agency, inspection), "x.pdf", b"%PDF-1.4\n%synthetic"
    )
    page = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "Only a photograph" in page
    assert FINDING in page
    assert not InspectionPhoto.objects.exists()
    assert AuditEvent.objects.filter(
        outcome=AuditOutcome.REFUSED, reason="inspection photo refused: not a photograph"
    ).exists()


def test_a_program_is_refused_with_the_finding_kept(
    login_as: Login, officer_mbdin: User, inspected: tuple[Agency, Inspection]
) -> None:
    agency, inspection = inspected
    response = _post(login_as(officer_mbdin), _url(agency, inspection), "x.jpg", b"\x7fELF...")
    page = response.content.decode()  # type: ignore[attr-defined]
    assert "Only photos" in page
    assert FINDING in page
    assert not InspectionPhoto.objects.exists()


def test_an_oversize_file_is_refused_with_the_finding_kept(
    login_as: Login, officer_mbdin: User, inspected: tuple[Agency, Inspection]
) -> None:
    agency, inspection = inspected
    big = jpeg_with_gps() + b"\0" * (MAX_FILE_BYTES + 1)
    response = _post(login_as(officer_mbdin), _url(agency, inspection), "big.jpg", big)
    page = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "smaller than 8 MB" in page
    assert FINDING in page
    assert not InspectionPhoto.objects.exists()
    assert AuditEvent.objects.filter(reason="inspection photo refused: too large").exists()


def test_a_finding_is_needed(
    login_as: Login, officer_mbdin: User, inspected: tuple[Agency, Inspection]
) -> None:
    agency, inspection = inspected
    upload = SimpleUploadedFile("a.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = login_as(officer_mbdin).post(
        _url(agency, inspection), {"finding": "  ", "photo": upload}
    )
    assert response.status_code == 200
    assert not InspectionPhoto.objects.exists()
