from __future__ import annotations

import pytest
from django.urls import reverse

from ahtc.geography.models import Area
from ahtc.portal.models import ContentPage, Helpline


def page(area="PK6", slug="safe-migration", published=True) -> ContentPage:
    return ContentPage.objects.create(
        slug=slug,
        kind="safe_migration",
        area=Area.objects.get(code=area),
        title_en="Check before you pay",
        title_ur="پیسے دینے سے پہلے تصدیق کریں",
        body_en="Ask for the licence.",
        body_ur="لائسنس مانگیں۔",
        published=published,
    )


def helpline(area: str, number: str) -> Helpline:
    return Helpline.objects.create(
        area=Area.objects.get(code=area), kind="cell", name_en="Cell", name_ur="سیل", number=number
    )


@pytest.mark.django_db
class TestPublic:
    def test_helplines_for_a_district_include_province_wide_ones(self, client):
        helpline("PK6", "15")
        helpline("PK620", "0546-1")
        helpline("PK610", "053-1")
        content = client.get(reverse("help:index") + "?district=PK620").content
        assert b"0546-1" in content
        assert b">15<" in content
        assert b"053-1" not in content

    def test_page_in_urdu_by_default_and_english_on_request(self, client):
        page()
        url = reverse("help:page", args=["safe-migration"])
        assert "لائسنس مانگیں".encode() in client.get(url).content
        client.cookies["ahtc_lang"] = "en"
        assert b"Ask for the licence." in client.get(url).content

    def test_draft_is_not_public(self, client):
        page(published=False)
        assert client.get(reverse("help:page", args=["safe-migration"])).status_code == 404


@pytest.mark.django_db
class TestStaffEditing:
    def form(self, area="PK620", **changes):
        data = {
            "kind": "advisory",
            "area": Area.objects.get(code=area).pk,
            "slug": "fake-visa-advisory",
            "title_ur": "جعلی ویزا سے خبردار",
            "title_en": "Beware of fake visas",
            "body_ur": "کسی کو پاسپورٹ نہ دیں۔",
            "body_en": "Do not hand over your passport.",
            "published": "on",
        }
        data.update(changes)
        return data

    def test_officer_publishes_a_district_advisory(self, client, officer_mbdin, login_as):
        response = login_as(officer_mbdin).post(reverse("cell:page_new"), self.form())
        assert response.status_code == 302
        saved = ContentPage.objects.get()
        assert saved.updated_by == officer_mbdin
        public = client.get(reverse("help:index") + "?district=PK620")
        assert b"Beware of fake visas" in public.content

    def test_officer_cannot_publish_for_another_district(self, officer_mbdin, login_as):
        response = login_as(officer_mbdin).post(reverse("cell:page_new"), self.form(area="PK610"))
        assert response.status_code == 200
        assert not ContentPage.objects.exists()

    def test_officer_cannot_edit_a_province_page(self, officer_mbdin, login_as):
        existing = page()
        client = login_as(officer_mbdin)
        assert client.get(reverse("cell:page_edit", args=[existing.pk])).status_code == 404

    @pytest.mark.parametrize("persona", ["labour_liaison", "provincial_monitor"])
    def test_roles_without_publishing_are_refused(self, request, login_as, persona):
        client = login_as(request.getfixturevalue(persona))
        assert client.get(reverse("cell:content")).status_code == 403
        assert client.post(reverse("cell:page_new"), self.form()).status_code == 403
        assert not ContentPage.objects.exists()

    def test_admin_edits_province_helpline(self, admin_user, login_as):
        line = helpline("PK6", "15")
        data = {
            "kind": "police",
            "area": line.area.pk,
            "name_ur": "پولیس",
            "name_en": "Police",
            "number": "15",
            "note_ur": "",
            "note_en": "free from any phone",
            "position": 1,
            "is_active": "on",
        }
        response = login_as(admin_user).post(reverse("cell:helpline_edit", args=[line.pk]), data)
        assert response.status_code == 302
        line.refresh_from_db()
        assert line.note_en == "free from any phone"
