"""Referrals to service providers: sent (within the victim's consent or an
audited override), answered, delivered, closed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import Organisation
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.notifications.services import notify_referral_sent
from ahtc.victims.models import OPEN_REFERRAL, ProtectionRecord, Referral, ReferralStatus
from ahtc.victims.services.base import VictimError, _audit
from ahtc.victims.services.consent import _consent_covers

RESPOND_WITHIN = dt.timedelta(days=3)


RESPOND_WITHIN_CHILD = dt.timedelta(days=1)


def _check_provider(provider: Organisation, service: str, record: ProtectionRecord) -> None:
    profile = getattr(provider, "provider", None)
    if profile is None or service not in profile.services:
        raise VictimError(_("This provider does not offer that service."))
    if record.child and not profile.accepts_children:
        raise VictimError(_("This provider does not take children."))
    if not provider.is_active:
        raise VictimError(_("This provider is not active."))


def _send(referral: Referral, by: Any, *, override_consent: bool, reason: str) -> None:
    record = referral.record
    if not _consent_covers(referral):
        if not override_consent:
            raise VictimError(
                _(
                    "The victim's consent does not cover this referral (service, provider "
                    "or sharing their identity). Record the consent first."
                )
            )
        if not user_scope(by).permits(Perm.CONSENT_OVERRIDE, record.district):
            raise VictimError(
                _("Only a user allowed to override consent may go ahead without it."),
                refusal=f"consent override refused (referral {referral.service}): lacks permission",
            )
        if not reason.strip():
            raise VictimError(_("Going ahead without consent needs a written reason."))
        referral.consent_overridden = True
        _audit(
            by, record, f"consent override (referral {referral.service}): {reason.strip()[:300]}"
        )
    now = timezone.now()
    referral.status = ReferralStatus.SENT
    referral.sent_at = now
    referral.respond_by = now + (RESPOND_WITHIN_CHILD if record.child else RESPOND_WITHIN)
    referral.save()
    _audit(by, record, f"referral {referral.pk} sent to organisation {referral.provider_id}")
    notify_referral_sent(referral=referral, by=by)


@transaction.atomic
def referral_create(
    *,
    record: ProtectionRecord,
    by: Any,
    provider: Organisation,
    service: str,
    needs: str,
    identity_needed: bool = False,
    override_consent: bool = False,
    reason: str = "",
) -> Referral:
    _check_provider(provider, service, record)
    if not needs.strip():
        raise VictimError(_("Say what the victim needs."))
    if record.referrals.filter(
        provider=provider, service=service, status__in=OPEN_REFERRAL
    ).exists():
        raise VictimError(_("An open referral for this service to this provider already exists."))
    referral = Referral.objects.create(
        record=record,
        provider=provider,
        service=service,
        needs=needs.strip()[:500],
        identity_needed=identity_needed and not record.identity_withheld,
        referred_by=by,
    )
    _send(referral, by, override_consent=override_consent, reason=reason)
    return referral


@transaction.atomic
def referral_send(
    *, referral: Referral, by: Any, override_consent: bool = False, reason: str = ""
) -> Referral:
    if referral.status != ReferralStatus.DRAFT:
        raise VictimError(_("Only a draft referral can be sent."))
    _check_provider(referral.provider, referral.service, referral.record)
    _send(referral, by, override_consent=override_consent, reason=reason)
    return referral


@transaction.atomic
def referral_answer(*, referral: Referral, by: Any, accept: bool, reason: str = "") -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.SENT:
        raise VictimError(_("This referral is not waiting for an answer."))
    if by.organisation_id != referral.provider_id:
        raise VictimError(_("Only the provider can answer this referral."))
    if not accept and not reason.strip():
        raise VictimError(_("Say why you reject it."))
    referral.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.REJECTED
    referral.reject_reason = "" if accept else reason.strip()[:500]
    referral.answered_at = timezone.now()
    referral.answered_by = by
    referral.save()
    _audit(by, referral.record, f"referral {referral.pk} {referral.status}")
    return referral


@transaction.atomic
def referral_deliver(
    *, referral: Referral, by: Any, delivered_on: dt.date, outcome: str
) -> Referral:
    if referral.status != ReferralStatus.ACCEPTED:
        raise VictimError(_("Accept the referral before recording the service."))
    if by.organisation_id != referral.provider_id:
        raise VictimError(_("Only the provider records the service it gave."))
    if delivered_on > timezone.localdate():
        raise VictimError(_("The date is in the future."))
    if not outcome.strip():
        raise VictimError(_("Describe what was done."))
    referral.status = ReferralStatus.DELIVERED
    referral.delivered_on = delivered_on
    referral.outcome = outcome.strip()[:500]
    referral.save()
    _audit(by, referral.record, f"referral {referral.pk} delivered")
    return referral


@transaction.atomic
def referral_close(*, referral: Referral, by: Any, outcome: str = "") -> Referral:
    if referral.status in {ReferralStatus.CLOSED, ReferralStatus.DRAFT}:
        raise VictimError(_("This referral is not open."))
    referral.status = ReferralStatus.CLOSED
    if outcome.strip():
        referral.outcome = outcome.strip()[:500]
    referral.save()
    _audit(by, referral.record, f"referral {referral.pk} closed")
    return referral
