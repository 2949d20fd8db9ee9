"""The victim's consent to be referred: recorded, checked, withdrawn."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import Organisation
from ahtc.victims.models import (
    OPEN_REFERRAL,
    ProtectionRecord,
    Referral,
    ReferralStatus,
    ServiceConsent,
)
from ahtc.victims.services.base import VictimError, _audit


@transaction.atomic
def consent_record(
    *,
    record: ProtectionRecord,
    by: Any,
    service: str,
    method: str,
    given_on: dt.date,
    organisation: Organisation | None = None,
    identity: bool = False,
) -> ServiceConsent:
    if given_on > timezone.localdate():
        raise VictimError(_("The date is in the future."))
    consent = ServiceConsent.objects.create(
        record=record,
        service=service,
        organisation=organisation,
        identity=identity,
        method=method,
        given_on=given_on,
        recorded_by=by,
    )
    _audit(by, record, f"consent recorded ({service})")
    return consent


def _consent_covers(referral: Referral) -> bool:
    consents = ServiceConsent.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id=referral.provider_id),
        record_id=referral.record_id,
        service=referral.service,
        withdrawn_at__isnull=True,
    )
    if referral.identity_needed:
        consents = consents.filter(identity=True)
    return consents.exists()


@transaction.atomic
def consent_withdraw(*, consent: ServiceConsent, by: Any) -> list[Referral]:
    """Takes effect at once: open referrals that relied on it are closed, and
    the provider loses access on its next request."""
    if consent.withdrawn_at is not None:
        raise VictimError(_("This consent was already withdrawn."))
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = by
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    record = consent.record
    _audit(by, record, f"consent withdrawn ({consent.service})")
    closed = []
    for referral in record.referrals.filter(
        status__in=[*OPEN_REFERRAL, ReferralStatus.DELIVERED],
        service=consent.service,
        consent_overridden=False,
    ):
        if not _consent_covers(referral):
            referral.status = ReferralStatus.CLOSED
            referral.outcome = str(_("Closed: the victim withdrew consent."))
            referral.save(update_fields=["status", "outcome", "updated_at"])
            _audit(by, record, f"referral {referral.pk} closed: consent withdrawn")
            closed.append(referral)
    return closed
