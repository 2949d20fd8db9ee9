from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ahtc.geography.models import Area

GOOD = (
    "code,level,parent_code,name_en\nIN32,province,,Kerala\nIN3201,district,IN32,Alappuzha\n"
    "IN3202,district,IN99,Lost\n"
)


def upload(client, content: bytes, dry_run: bool):
    data: dict[str, object] = {
        "file": SimpleUploadedFile("areas.csv", content, content_type="text/csv")
    }
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("cell:area_import"), data)


@pytest.mark.django_db
class TestAreaImportPage:
    def test_check_only_reports_and_saves_nothing(self, admin_user, login_as):
        response = upload(login_as(admin_user), GOOD.encode(), dry_run=True)
        assert response.status_code == 200
        assert b"IN3202" in response.content
        assert b"parent IN99" in response.content
        assert not Area.objects.filter(code="IN32").exists()

    def test_import_saves_good_rows(self, admin_user, login_as):
        upload(login_as(admin_user), GOOD.encode(), dry_run=False)
        assert Area.objects.filter(code__in=["IN32", "IN3201"]).count() == 2
        assert not Area.objects.filter(code="IN3202").exists()

    def test_non_utf8_upload_gets_a_clear_error(self, admin_user, login_as):
        response = upload(login_as(admin_user), GOOD.encode("utf-16"), dry_run=True)
        assert response.status_code == 200
        assert b"UTF-8" in response.content

    def test_officer_cannot_import(self, officer_mbdin, login_as):
        response = upload(login_as(officer_mbdin), GOOD.encode(), dry_run=False)
        assert response.status_code == 403
        assert not Area.objects.filter(code="IN32").exists()
