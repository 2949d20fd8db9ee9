"""What every stage shares: the rule error, the audit line, numbering and date order."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ahtc.cases.models import Case, Status
from ahtc.core.audit import audit_record
from ahtc.core.errors import RuleError
from ahtc.core.models import AuditAction


class CaseError(RuleError):
    """A rule of the case was broken; the message is for the user."""


def _audit(by: Any, case: Case, reason: str, action: AuditAction = AuditAction.UPDATE) -> None:
    audit_record(actor=by, action=action, target=case, area_code=case.district.code, reason=reason)


def _next_number(queryset: Any) -> int:
    from django.db.models import Max

    return int(queryset.aggregate(m=Max("number"))["m"] or 0) + 1


S = Status


def _check_date(
    date: dt.date,
    *,
    not_before: dt.date | None = None,
    before_what: Promise | str = "",
    future_ok: bool = False,
) -> None:
    """Proceedings are recorded after they happen, in order (offence, FIR,
    arrest, hearing, verdict): a date in the future or before the step it
    follows is a typing error, refused with the date it may not precede."""
    if not future_ok and date > timezone.localdate():
        raise CaseError(_("The date is in the future."))
    if not_before is not None and date < not_before:
        raise CaseError(
            _("The date is before %(what)s (%(date)s).")
            % {"what": before_what, "date": not_before.isoformat()}
        )
