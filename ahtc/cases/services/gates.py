"""Consent gates: which victims have not consented to a step, and going ahead
without it (by override, with permission and a written reason)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import Organisation
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.cases.models import Case, Consent, Party
from ahtc.cases.services._common import CaseError, _audit


def victims(case: Case) -> list[Party]:
    return [p for p in case.parties.all() if p.is_protected]


def active_consents(case: Case) -> Any:
    return Consent.objects.filter(case=case, withdrawn_at__isnull=True)


def missing_consent(
    case: Case, purpose: str, organisation: Organisation | None = None
) -> list[Party]:
    """Victims without active consent for `purpose` (for sharing: with this organisation
    or with any partner)."""
    consents = active_consents(case).filter(purpose=purpose)
    if organisation is not None:
        consents = consents.filter(Q(organisation__isnull=True) | Q(organisation=organisation))
    consented = set(consents.values_list("party_id", flat=True))
    return [p for p in victims(case) if p.pk not in consented]


def _consent_gate(
    *,
    case: Case,
    by: Any,
    purpose: str,
    organisation: Organisation | None,
    override: bool,
    reason: str,
) -> bool:
    """True when the step went ahead by override. Raises when consent is missing."""
    missing = missing_consent(case, purpose, organisation)
    if not missing:
        return False
    if not override:
        raise CaseError(
            _("The victim's consent is not recorded for this step: %(who)s")
            % {"who": ", ".join(p.pseudonym for p in missing)}
        )
    if not user_scope(by).permits(Perm.CONSENT_OVERRIDE, case.district):
        raise CaseError(
            _("Only a user allowed to override consent may go ahead without it."),
            refusal=f"consent override refused ({purpose}): lacks permission",
        )
    if not reason.strip():
        raise CaseError(_("Going ahead without consent needs a written reason."))
    _audit(by, case, f"consent override ({purpose}): {reason.strip()[:300]}")
    return True
