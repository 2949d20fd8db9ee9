"""Agency indicators for monitoring (issue 14): query functions, not yet wired.

`ahtc/monitoring` keeps its catalogue and sources as static tables (no
registration hook), so these are ready for its maintainer to wire: each
`*_rows()` is a queryset shaped like monitoring.sources.Rows wants it (a date
field placing the row in a period and the path to its district), and each
count function answers for a period and, optionally, the districts under an
area path. Counts only; never a name.

Suggested entries for monitoring/sources.py:
    "agencies_inspected": Rows(inspection_rows, "on", "agency__district", distinct="agency")
    "agency_notices_served": Rows(notice_rows, "served_on", "agency__district")
    "agencies_registered_after_notice": Rows(registered_after_notice_rows, "on", "agency__district")
    "agency_complaints": Rows(complaint_rows, "tip__created_at", "agency__district")
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from ahtc.agencies.models import (
    Agency,
    AgencyReport,
    AgencyStatus,
    Inspection,
    Notice,
    StatusChange,
)


def inspection_rows() -> QuerySet[Inspection]:
    return Inspection.objects.all()


def notice_rows() -> QuerySet[Notice]:
    return Notice.objects.all()


def registered_after_notice_rows() -> QuerySet[StatusChange]:
    return StatusChange.objects.filter(to_status=AgencyStatus.REGISTERED_AFTER_NOTICE)


def complaint_rows() -> QuerySet[AgencyReport]:
    return AgencyReport.objects.all()


def _within(
    rows: QuerySet[Any], field: str, start: dt.date, end: dt.date, path: str
) -> QuerySet[Any]:
    rows = rows.filter(**{f"{field}__gte": start, f"{field}__lte": end})
    return rows.filter(agency__district__path__startswith=path) if path else rows


def agencies_inspected(start: dt.date, end: dt.date, path: str = "") -> int:
    """Agencies inspected at least once in the period (not visits)."""
    rows = _within(inspection_rows(), "on", start, end, path)
    return rows.values("agency").distinct().count()


def notices_served(start: dt.date, end: dt.date, path: str = "") -> int:
    return _within(notice_rows(), "served_on", start, end, path).count()


def registered_after_notice(start: dt.date, end: dt.date, path: str = "") -> int:
    return _within(registered_after_notice_rows(), "on", start, end, path).count()


def complaints_per_agency(start: dt.date, end: dt.date, path: str = "") -> float:
    """Reports received in the period and linked to an agency, per agency in
    the registry (of the area); 0 when the registry is empty."""
    rows = _within(complaint_rows(), "tip__created_at__date", start, end, path)
    agencies = Agency.objects.filter(district__path__startswith=path) if path else Agency.objects
    count = agencies.count()
    return round(rows.count() / count, 2) if count else 0.0
