"""Writes for victim protection. Keyword-only, atomic, audited; rule breaks
raise `VictimError` with a message for the user.

One module per stage; every name is re-exported here, so callers import
`ahtc.victims.services` as before."""

from __future__ import annotations

from ahtc.victims.services.base import VictimError, _audit
from ahtc.victims.services.compensation import compensation_record
from ahtc.victims.services.consent import _consent_covers, consent_record, consent_withdraw
from ahtc.victims.services.identity import (
    RELEASE_AUDIT,
    _release_refusal,
    identity_release_decide,
    identity_release_request,
)
from ahtc.victims.services.missing_migrants import (
    _fate_date_check,
    family_add,
    family_support_add,
    migrant_add,
    migrant_fate_set,
)
from ahtc.victims.services.plans import (
    follow_up_done,
    needs_assess,
    plan_item_add,
    plan_item_set_status,
)
from ahtc.victims.services.providers import PROVIDER_KINDS, provider_profile_save
from ahtc.victims.services.records import (
    FOLLOW_UP_MONTHS,
    _child_protection_draft,
    _months_later,
    indicators_refresh,
    photo_set,
    record_create,
    record_update,
)
from ahtc.victims.services.referrals import (
    RESPOND_WITHIN,
    RESPOND_WITHIN_CHILD,
    _check_provider,
    _send,
    referral_answer,
    referral_close,
    referral_create,
    referral_deliver,
    referral_send,
)
from ahtc.victims.services.risk import SERIOUS, risk_assess, risk_level

__all__ = [
    "FOLLOW_UP_MONTHS",
    "PROVIDER_KINDS",
    "RELEASE_AUDIT",
    "RESPOND_WITHIN",
    "RESPOND_WITHIN_CHILD",
    "SERIOUS",
    "VictimError",
    "_audit",
    "_check_provider",
    "_child_protection_draft",
    "_consent_covers",
    "_fate_date_check",
    "_months_later",
    "_release_refusal",
    "_send",
    "compensation_record",
    "consent_record",
    "consent_withdraw",
    "family_add",
    "family_support_add",
    "follow_up_done",
    "identity_release_decide",
    "identity_release_request",
    "indicators_refresh",
    "migrant_add",
    "migrant_fate_set",
    "needs_assess",
    "photo_set",
    "plan_item_add",
    "plan_item_set_status",
    "provider_profile_save",
    "record_create",
    "record_update",
    "referral_answer",
    "referral_close",
    "referral_create",
    "referral_deliver",
    "referral_send",
    "risk_assess",
    "risk_level",
]
