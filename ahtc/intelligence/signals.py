"""Watchlist alerts, raised at once when the records are written.

Signals, as the victims app's re-trafficking alerts do (victims/signals.py),
so the services that write case parties, agency staff, protection records
and citizen reports need no change: each receiver is one call into
intelligence.watch, inside the writer's transaction.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from ahtc.agencies.models import AgencyPerson
from ahtc.cases.models import Party
from ahtc.intelligence.models import AlertSource
from ahtc.intelligence.watch import watch_person_seen, watch_report_seen
from ahtc.portal.duplicates import indicators_recorded
from ahtc.portal.models import Tip
from ahtc.victims.models import ProtectionRecord


def _new(created: bool, kwargs: dict[str, Any]) -> bool:
    return created and not kwargs.get("raw")


@receiver(post_save, sender=Party, dispatch_uid="intelligence_watch_party")
def watch_party(sender: Any, instance: Party, created: bool, **kwargs: Any) -> None:
    if _new(created, kwargs) and instance.person_id is not None:
        watch_person_seen(
            person_id=instance.person_id,
            source=AlertSource.CASE_PARTY,
            record_id=instance.pk,
            district=instance.case.district,
        )


@receiver(post_save, sender=AgencyPerson, dispatch_uid="intelligence_watch_staff")
def watch_staff(sender: Any, instance: AgencyPerson, created: bool, **kwargs: Any) -> None:
    if _new(created, kwargs):
        watch_person_seen(
            person_id=instance.person_id,
            source=AlertSource.AGENCY_STAFF,
            record_id=instance.pk,
            district=instance.agency.district,
        )


@receiver(post_save, sender=ProtectionRecord, dispatch_uid="intelligence_watch_victim")
def watch_victim(sender: Any, instance: ProtectionRecord, created: bool, **kwargs: Any) -> None:
    if _new(created, kwargs):
        watch_person_seen(
            person_id=instance.person_id,
            source=AlertSource.VICTIM_RECORD,
            record_id=instance.pk,
            district=instance.district,
        )


@receiver(indicators_recorded, dispatch_uid="intelligence_watch_report")
def watch_report(sender: Any, tip: Tip, hashes: set[str], **kwargs: Any) -> None:
    watch_report_seen(tip_id=tip.pk, hashes=hashes, district=tip.district)
