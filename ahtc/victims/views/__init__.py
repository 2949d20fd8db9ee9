"""Victim protection pages: caseload, protection record, referrals (cell and
provider sides), service directory, families of missing migrants.

One module per stage; every name is re-exported here, so callers import
`ahtc.victims.views` as before."""

from __future__ import annotations

from ahtc.victims.views.base import (
    RECORD_WORKERS,
    _in_record,
    _post,
    _providers,
    _record_action,
    _record_url,
    _works_records,
)
from ahtc.victims.views.caseload import _caseload, _names_on_list, _release_decide, victim_list
from ahtc.victims.views.compensation import compensation_add
from ahtc.victims.views.consent import consent_add, consent_withdraw
from ahtc.victims.views.exports import (
    _export_file,
    _export_refusal,
    _export_refused,
    _identity_cells,
)
from ahtc.victims.views.missing_migrants import families, family_support, migrant_fate
from ahtc.victims.views.plans import follow_up_done, needs_add, plan_add, plan_status
from ahtc.victims.views.providers import directory, may_edit_provider, provider_profile_edit
from ahtc.victims.views.records import (
    _identity,
    photo_download,
    photo_upload,
    record_detail,
    record_edit,
    record_open,
)
from ahtc.victims.views.referrals import (
    _record_referral,
    provider_referral,
    referral_add,
    referral_close,
    referral_inbox,
    referral_send,
)
from ahtc.victims.views.risk import alert_seen, risk_add

__all__ = [
    "RECORD_WORKERS",
    "_caseload",
    "_export_file",
    "_export_refusal",
    "_export_refused",
    "_identity",
    "_identity_cells",
    "_in_record",
    "_names_on_list",
    "_post",
    "_providers",
    "_record_action",
    "_record_referral",
    "_record_url",
    "_release_decide",
    "_works_records",
    "alert_seen",
    "compensation_add",
    "consent_add",
    "consent_withdraw",
    "directory",
    "families",
    "family_support",
    "follow_up_done",
    "may_edit_provider",
    "migrant_fate",
    "needs_add",
    "photo_download",
    "photo_upload",
    "plan_add",
    "plan_status",
    "provider_profile_edit",
    "provider_referral",
    "record_detail",
    "record_edit",
    "record_open",
    "referral_add",
    "referral_close",
    "referral_inbox",
    "referral_send",
    "risk_add",
    "victim_list",
]
