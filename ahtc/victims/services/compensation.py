"""Compensation ordered and paid to a victim."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ahtc.victims.models import Compensation, ProtectionRecord
from ahtc.victims.services.base import VictimError, _audit


@transaction.atomic
def compensation_record(
    *,
    record: ProtectionRecord,
    by: Any,
    source: str,
    ordered_pkr: int | None = None,
    applied_on: dt.date | None = None,
    paid_pkr: int = 0,
    paid_on: dt.date | None = None,
) -> Compensation:
    if ordered_pkr is not None and paid_pkr > ordered_pkr:
        raise VictimError(_("More is paid than was ordered."))
    if paid_pkr and paid_on is None:
        raise VictimError(_("Give the date of the payment."))
    item = Compensation.objects.create(
        record=record,
        source=source,
        ordered_pkr=ordered_pkr,
        applied_on=applied_on,
        paid_pkr=paid_pkr,
        paid_on=paid_on,
        added_by=by,
    )
    _audit(by, record, f"compensation recorded ({source})")
    return item
