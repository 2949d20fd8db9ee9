"""Recording and withdrawing a victim's consent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import Organisation
from ahtc.cases.models import Case, CaseShare, Consent, ConsentPurpose, Party
from ahtc.cases.services._common import CaseError, _audit
from ahtc.cases.services.gates import missing_consent
from ahtc.cases.services.sharing import share_revoke


@transaction.atomic
def consent_record(
    *,
    case: Case,
    party: Party,
    by: Any,
    purpose: str,
    method: str,
    given_on: dt.date,
    organisation: Organisation | None = None,
) -> Consent:
    if party.case_id != case.pk or not party.is_protected:
        raise CaseError(_("Consent is recorded for a victim or smuggled migrant of this case."))
    if given_on > timezone.localdate():
        raise CaseError(_("The date is in the future."))
    with_whom = {ConsentPurpose.SHARING, ConsentPurpose.IDENTITY}
    if organisation is not None and purpose not in with_whom:
        organisation = None
    consent = Consent.objects.create(
        case=case,
        party=party,
        purpose=purpose,
        method=method,
        given_on=given_on,
        organisation=organisation,
        recorded_by=by,
    )
    _audit(by, case, f"consent recorded ({purpose})")
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, by: Any) -> list[CaseShare]:
    """Withdrawal takes effect at once: shares that relied on it are revoked."""
    if consent.withdrawn_at is not None:
        raise CaseError(_("This consent was already withdrawn."))
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = by
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    case = consent.case
    _audit(by, case, f"consent withdrawn ({consent.purpose})")
    revoked: list[CaseShare] = []
    if consent.purpose == ConsentPurpose.SHARING:
        for share in case.shares.filter(revoked_at__isnull=True).select_related("organisation"):
            if missing_consent(case, ConsentPurpose.SHARING, share.organisation):
                revoked.append(share_revoke(share=share, by=by, why="consent withdrawn"))
    return revoked
