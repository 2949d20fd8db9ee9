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
        purged, _listed = reports_purge(apply=True)
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
        call_command("purge_reports")
        out = capsys.readouterr().out
        assert "would purge (dry run; --apply deletes) 1 reports" in out
        assert f"{tip.reference}  forced_labour  duplicate  closed" in out
        assert "kept 730 days after closure" in out
        assert Tip.objects.filter(pk=tip.pk).exists()
        call_command("purge_reports", "--apply")
        assert not Tip.objects.filter(pk=tip.pk).exists()


@pytest.mark.django_db
class TestWhatIsKept:
    def test_keeping_period_counts_from_closure_not_arrival(self, officer_mbdin):
        now = timezone.now()
        with time_machine.travel(now - dt.timedelta(days=800), tick=False):
            tip = make_tip(category="fake_agent")
        with time_machine.travel(now - dt.timedelta(days=10), tick=False):
            tip_set_status(tip=tip, status=TipStatus.NOT_ACTIONABLE, by=officer_mbdin)
        purged, _listed = reports_purge(apply=True)
        assert purged == {}
        assert Tip.objects.filter(pk=tip.pk).exists()

    def test_reopened_report_is_not_counted_as_closed(self, officer_mbdin):
        with time_machine.travel(timezone.now() - dt.timedelta(days=800), tick=False):
            tip = make_tip()
            tip_set_status(tip=tip, status=TipStatus.DUPLICATE, by=officer_mbdin)
            tip_set_status(tip=tip, status=TipStatus.TRIAGED, by=officer_mbdin)
        tip.refresh_from_db()
        assert tip.closed_at is None
        reports_purge(apply=True)
        assert Tip.objects.filter(pk=tip.pk).exists()

    def test_source_report_of_a_case_is_never_purged(self, officer_mbdin):
        from ahtc.cases.models import Origin
        from ahtc.cases.services import case_open

        with time_machine.travel(timezone.now() - dt.timedelta(days=800), tick=False):
            tip = make_tip()
            case = case_open(
                district=tip.district,
                by=officer_mbdin,
                title="Kiln family",
                origin=Origin.TIP,
                tip=tip,
            )
        tip.refresh_from_db()
        assert tip.status == TipStatus.LINKED
        _purged, listed = reports_purge(apply=True)
        assert listed == []
        assert Tip.objects.filter(pk=tip.pk).exists()
        case.refresh_from_db()
        assert case.tip_id == tip.pk

    def test_report_that_raised_a_victim_alert_is_never_purged(self, officer_mbdin):
        from ahtc.people.services import person_create
        from ahtc.victims.models import ReappearanceAlert
        from ahtc.victims.services import record_create

        with time_machine.travel(timezone.now() - dt.timedelta(days=800), tick=False):
            tip = make_tip()
            tip_set_status(tip=tip, status=TipStatus.REFERRED, by=officer_mbdin)
        person = person_create(
            source_district=tip.district, by=officer_mbdin, name_latin="Alert Person"
        )
        record = record_create(person=person, by=officer_mbdin, child=False)
        alert = ReappearanceAlert.objects.create(record=record, source="tip", tip=tip)
        reports_purge(apply=True)
        assert Tip.objects.filter(pk=tip.pk).exists()
        assert ReappearanceAlert.objects.filter(pk=alert.pk).exists()
