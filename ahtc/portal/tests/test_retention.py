from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from ahtc.core.models import AuditAction, AuditEvent
from ahtc.portal.models import RetentionRule, Tip, TipMessage, TipStatus
from ahtc.portal.retention import reports_purge
from ahtc.portal.services import tip_set_status, tip_staff_reply

from .test_intake import make_tip


@pytest.mark.django_db
class TestPurge:
    def test_closed_reports_past_their_period_go_with_their_messages(self, officer_mbdin):
        RetentionRule.objects.create(category="child_labour", keep_days=90)
        start = timezone.now()
        with time_machine.travel(start - dt.timedelta(days=100), tick=False):
            old_closed = make_tip(category="child_labour")
            tip_staff_reply(tip=old_closed, body="We visited.", by=officer_mbdin)
            tip_set_status(tip=old_closed, status=TipStatus.REFERRED, by=officer_mbdin)
            old_open = make_tip(category="child_labour")
            old_other = make_tip(category="fake_agent")
            tip_set_status(tip=old_other, status=TipStatus.NOT_ACTIONABLE, by=officer_mbdin)
        purged = reports_purge()
        assert purged == {"child_labour": 1}
        remaining = set(Tip.objects.values_list("pk", flat=True))
        assert remaining == {old_open.pk, old_other.pk}
        assert not TipMessage.objects.filter(tip_id=old_closed.pk).exists()
        event = AuditEvent.objects.filter(action=AuditAction.DELETE).get()
        assert "1 reports" in event.reason
        assert "We visited" not in event.reason

    def test_dry_run_deletes_nothing(self, officer_mbdin, capsys):
        with time_machine.travel(timezone.now() - dt.timedelta(days=800), tick=False):
            tip = make_tip()
            tip_set_status(tip=tip, status=TipStatus.DUPLICATE, by=officer_mbdin)
        call_command("purge_reports", "--dry-run")
        assert "would purge 1 reports" in capsys.readouterr().out
        assert Tip.objects.filter(pk=tip.pk).exists()
        call_command("purge_reports")
        assert not Tip.objects.filter(pk=tip.pk).exists()
