"""`ahtc rotate-keys` re-encrypts stored rows: after it, the old key can go."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from ahtc.portal.tests.test_intake import make_tip

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.mark.django_db
def test_rotation_rewrites_rows_so_the_old_key_can_be_dropped():
    from ahtc.portal.models import Tip

    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD]):
        tip = make_tip(description="A family kept at a kiln near Phalia.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT description FROM portal_tip WHERE id = %s", [tip.pk])
        before = cursor.fetchone()[0]
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW, OLD]):
        call_command("rotate_keys")
    with connection.cursor() as cursor:
        cursor.execute("SELECT description FROM portal_tip WHERE id = %s", [tip.pk])
        after = cursor.fetchone()[0]
    assert after != before
    assert "Phalia" not in after
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]):
        assert Tip.objects.get(pk=tip.pk).description == "A family kept at a kiln near Phalia."
