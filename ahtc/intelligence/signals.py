"""Watchlist alerts, raised at once when the records are written.

Signals, as the victims app's re-trafficking alerts do (victims/signals.py),
so the services that write case parties, agency staff, protection records
and citizen reports need no change: each receiver is one call into
intelligence.watch, inside the writer's transaction. A new link between
person records, or a new phone or full CNIC on one, may relate a watched
person to records that already exist: those alert too.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from ahtc.agencies.models import AgencyPerson
from ahtc.cases.models import Party
from ahtc.intelligence.models import AlertSource
from ahtc.intelligence.watch import watch_identity_grew, watch_person_seen, watch_report_seen
from ahtc.people.models import Identifier, IdentifierKind, PersonLink
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


@receiver(post_save, sender=PersonLink, dispatch_uid="intelligence_watch_link")
def watch_link(sender: Any, instance: PersonLink, created: bool, **kwargs: Any) -> None:
    if _new(created, kwargs) and instance.undone_at is None:
        watch_identity_grew(
            person_ids={instance.person_a_id, instance.person_b_id}, link_id=instance.pk
        )


@receiver(post_save, sender=Identifier, dispatch_uid="intelligence_watch_identifier")
def watch_identifier(sender: Any, instance: Identifier, created: bool, **kwargs: Any) -> None:
    strong = instance.kind == IdentifierKind.PHONE or (
        instance.kind == IdentifierKind.CNIC and not instance.partial
    )
    if _new(created, kwargs) and strong:
        watch_identity_grew(person_ids={instance.person_id}, identifier_id=instance.pk)
