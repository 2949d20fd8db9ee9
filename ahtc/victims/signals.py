"""Re-trafficking alerts: a known victim appears again.

- as a party in another case (any role), or
- by phone number in a new citizen report (keyed hashes compared, never text).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from ahtc.cases.models import Party
from ahtc.people.models import Identifier
from ahtc.portal.duplicates import indicators_recorded
from ahtc.portal.models import Tip
from ahtc.victims.models import AlertSource, ProtectionRecord, ReappearanceAlert, VictimIndicator


@receiver(post_save, sender=Party, dispatch_uid="victims_alert_on_party")
def alert_on_party(sender: Any, instance: Party, created: bool, **kwargs: Any) -> None:
    if not created or instance.person_id is None or kwargs.get("raw"):
        return
    record = ProtectionRecord.objects.filter(person_id=instance.person_id).first()
    if record is None:
        return
    # Seen before in another case: this is a reappearance.
    if (
        Party.objects.filter(person_id=instance.person_id)
        .exclude(case_id=instance.case_id)
        .exists()
    ):
        ReappearanceAlert.objects.get_or_create(
            record=record, source=AlertSource.CASE, case_id=instance.case_id
        )


@receiver(indicators_recorded, dispatch_uid="victims_alert_on_tip")
def alert_on_tip(sender: Any, tip: Tip, hashes: set[str], **kwargs: Any) -> None:
    for record_id in set(
        VictimIndicator.objects.filter(value_hash__in=hashes).values_list("record_id", flat=True)
    ):
        ReappearanceAlert.objects.get_or_create(
            record_id=record_id, source=AlertSource.TIP, tip_id=tip.pk
        )


@receiver(post_save, sender=Identifier, dispatch_uid="victims_refresh_indicators")
def refresh_on_identifier(sender: Any, instance: Identifier, created: bool, **kwargs: Any) -> None:
    """A phone added after the record opened is matched against new reports too."""
    if created and instance.kind == "phone" and not kwargs.get("raw"):
        record = ProtectionRecord.objects.filter(person_id=instance.person_id).first()
        if record is not None:
            from ahtc.victims.services import indicators_refresh

            indicators_refresh(record)
