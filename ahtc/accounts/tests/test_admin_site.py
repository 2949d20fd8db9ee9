"""Django admin (issue 9): second factor required, no TOTP seeds, no API tokens,
every add/change/delete audited."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ahtc.accounts.services import totp_base32
from ahtc.core.models import AuditAction, AuditEvent

ADMIN = "/django-admin/"


@pytest.fixture
def superuser(make_user):
    user = make_user("root", role=None)
    user.is_staff = True
    user.is_superuser = True
    user.save()
    return user


@pytest.mark.django_db
class TestSecondFactor:
    def test_admin_refuses_a_session_without_second_factor(self, client, superuser):
        client.force_login(superuser, backend="ahtc.accounts.backends.ActiveOrganisationBackend")
        response = client.get(ADMIN)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))

    def test_admin_sign_in_is_the_workspace_sign_in(self, client):
        response = client.get(reverse("admin:login") + "?next=/django-admin/")
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
        assert "next=/django-admin/" in response.url

    def test_verified_superuser_reaches_admin(self, superuser, login_as):
        assert login_as(superuser).get(ADMIN).status_code == 200

    def test_verified_staff_without_admin_right_is_not_sent_round_in_circles(
        self, officer_mbdin, login_as
    ):
        response = login_as(officer_mbdin).get(reverse("admin:login"))
        assert response.status_code == 403


@pytest.mark.django_db
class TestSecrets:
    def test_admin_never_shows_totp_seeds(self, superuser, officer_mbdin, login_as):
        device = TOTPDevice.objects.get(user=officer_mbdin)
        seeds = [device.key.encode(), totp_base32(device).encode()]
        client = login_as(superuser)
        pages = [
            ADMIN + "otp_totp/totpdevice/",
            ADMIN + f"otp_totp/totpdevice/{device.pk}/change/",
        ]
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, page
            assert not any(seed in response.content for seed in seeds), page
            assert b'name="key"' not in response.content
        for view in ("config", "qrcode"):  # django-otp's QR code pages
            response = client.get(ADMIN + f"otp_totp/totpdevice/{device.pk}/{view}/", follow=True)
            assert response["Content-Type"].startswith("text/html")
            assert not any(seed in response.content for seed in seeds)
            assert b"otpauth" not in response.content

    def test_admin_cannot_add_or_change_an_authenticator(self, superuser, officer_mbdin, login_as):
        device = TOTPDevice.objects.get(user=officer_mbdin)
        client = login_as(superuser)
        assert client.get(ADMIN + "otp_totp/totpdevice/add/").status_code == 403
        client.post(ADMIN + f"otp_totp/totpdevice/{device.pk}/change/", {"key": "00" * 20})
        device.refresh_from_db()
        assert device.key != "00" * 20

    def test_admin_offers_no_api_tokens(self, superuser, login_as):
        client = login_as(superuser)
        assert client.get(ADMIN + "authtoken/tokenproxy/add/").status_code == 404
        assert client.get(ADMIN + "authtoken/token/add/").status_code == 404
        assert client.get(ADMIN + "api/apitoken/").status_code == 404
        assert b"authtoken" not in client.get(ADMIN).content


@pytest.mark.django_db
class TestAudit:
    def test_admin_add_change_delete_are_audited_without_values(self, superuser, login_as):
        client = login_as(superuser)
        client.post(ADMIN + "auth/group/add/", {"name": "secret-group-name"})
        group = Group.objects.get(name="secret-group-name")
        client.post(ADMIN + f"auth/group/{group.pk}/change/", {"name": "renamed-group"})
        client.post(ADMIN + f"auth/group/{group.pk}/delete/", {"post": "yes"})
        assert not Group.objects.filter(pk=group.pk).exists()
        rows = AuditEvent.objects.filter(object_type="auth.group", object_id=str(group.pk))
        assert sorted(rows.values_list("action", flat=True)) == sorted(
            [AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE]
        )
        assert all(row.actor == superuser for row in rows)
        assert {row.reason for row in rows} == {"django admin"}

    def test_admin_bulk_delete_is_audited(self, superuser, login_as):
        groups = [Group.objects.create(name=f"g{n}") for n in range(2)]
        selected = [g.pk for g in groups]
        login_as(superuser).post(
            ADMIN + "auth/group/",
            {"action": "delete_selected", "_selected_action": selected, "post": "yes"},
        )
        assert not Group.objects.filter(pk__in=[g.pk for g in groups]).exists()
        deleted = AuditEvent.objects.filter(action=AuditAction.DELETE, object_type="auth.group")
        assert set(deleted.values_list("object_id", flat=True)) == {str(g.pk) for g in groups}
