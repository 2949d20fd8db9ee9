"""What the labour services share: the error, the audit line, the date check."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.core.audit import audit_record
from ahtc.core.errors import RuleError
from ahtc.core.models import AuditAction
from ahtc.geography.models import Area, AreaLevel


class LabourError(RuleError):
    """A rule of the labour registry was broken; the message is for the user."""


def audit(by: Any, target: models.Model, district: Area, reason: str, action: AuditAction) -> None:
    audit_record(actor=by, action=action, target=target, area_code=district.code, reason=reason)


def check_day(day: dt.date, *, after: dt.date | None = None, what: str = "") -> None:
    if day > timezone.localdate():
        raise LabourError(_("The date is in the future."))
    if after is not None and day < after:
        raise LabourError(
            _("The date is before %(what)s (%(date)s).") % {"what": what, "date": after.isoformat()}
        )


def check_area(district: Area, tehsil: Area | None) -> None:
    if district.level != AreaLevel.DISTRICT:
        raise LabourError(_("Choose a district."))
    if tehsil is not None and tehsil.parent_id != district.pk:
        raise LabourError(_("That tehsil is not in the district you chose."))
