from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction, AuditEvent


@pytest.mark.django_db
class TestAppendOnly:
    def test_orm_refuses_update_and_delete(self):
        event = audit_record(actor=None, action=AuditAction.VIEW, object_type="x", object_id=1)
        event.reason = "changed"
        with pytest.raises(PermissionError):
            event.save()
        with pytest.raises(PermissionError):
            event.delete()
        with pytest.raises(PermissionError):
            AuditEvent.objects.filter(pk=event.pk).update(reason="changed")
        with pytest.raises(PermissionError):
            AuditEvent.objects.all().delete()

    def test_database_refuses_raw_update_and_delete(self):
        event = audit_record(actor=None, action=AuditAction.VIEW, object_type="x", object_id=1)
        for sql in (
            "UPDATE core_auditevent SET reason = 'x' WHERE id = %s",
            "DELETE FROM core_auditevent WHERE id = %s",
        ):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
        assert AuditEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.django_db
def test_audit_row_holds_ids_not_values(officer_mbdin):
    event = audit_record(actor=officer_mbdin, action=AuditAction.VIEW, target=officer_mbdin)
    assert (event.object_type, event.object_id) == ("accounts.user", str(officer_mbdin.pk))
    assert event.actor_label == "officer_mbdin"
    assert officer_mbdin.password not in str(vars(event))
