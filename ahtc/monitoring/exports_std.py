"""Standard exports: CTDC-style statistics with small-cell suppression, and
case-level exchange in the HTCDS v2 spreadsheet layout.

Statistics (who: *export* over the area, e.g. a provincial monitor)
    Victims identified (possible or actual), one row per combination of the
    quasi-identifiers area x ageBroad x gender x citizenship (and the year),
    with CTDC variable names and values (shared/docs/DOMAIN.md §4). A count
    below k (default 11, as CTDC) is suppressed (primary); then, wherever a
    published total would let a suppressed cell be recovered by subtraction
    (the total minus the other cells), the smallest other cell of that total
    is suppressed too (secondary), repeated until no total reveals a cell.
    Citizenship is not recorded by the system: it is NULL (empty) throughout.

HTCDS (who: a user who works the victims' records there, *manage cases* and
*export*; with identities, also *export identity* and a reason)
    One row per protection record, HTCDS v2 field names as headers and its
    value lists (DOMAIN.md §4: vic_, prs_). Monitors and committees see
    aggregates only and are refused. Every export is audited with its count.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction, AuditOutcome
from ahtc.geography.models import Area
from ahtc.monitoring.exports import _cell
from ahtc.monitoring.services import MonitoringError
from ahtc.victims.models import ProtectionRecord, TraffickingStatus

K_DEFAULT = 11
SUPPRESSED = "suppressed"

# CTDC v2024 values (DOMAIN.md §4).
CTDC_GENDER = {
    "feminine": "Woman",
    "masculine": "Man",
    "transgender_feminine": "Trans",
    "transgender_masculine": "Trans",
    "non_conforming": "NonConforming",
}
AGE_BROAD = ((0, 8), (9, 17), (18, 20), (21, 23), (24, 26), (27, 29), (30, 38), (39, 47))
# HTCDS v2 prs_Gender values (DOMAIN.md §4).
HTCDS_GENDER = {
    "feminine": "Feminine",
    "masculine": "Masculine",
    "transgender_feminine": "TransgenderFeminine",
    "transgender_masculine": "TransgenderMasculine",
    "non_conforming": "NonConforming",
    "unknown": "NonSpecifiedUnknown",
}
VICTIMS = (TraffickingStatus.POSSIBLE, TraffickingStatus.ACTUAL)


def age_broad(age: int | None) -> str:
    if age is None:
        return ""
    for low, high in AGE_BROAD:
        if low <= age <= high:
            return f"{low}--{high}"
    return "48+"


def _age(birth: dt.date | None, years: int | None, on: dt.date) -> int | None:
    if birth is not None:
        return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    return years


def _records(area: Area, year: int | None) -> QuerySet[ProtectionRecord]:
    rows = ProtectionRecord.objects.filter(
        district__path__startswith=area.path, trafficking_status__in=VICTIMS
    )
    return rows.filter(created_at__year=year) if year else rows


# --- statistics with suppression -------------------------------------------------------------

Key = tuple[str, ...]  # (area, year, gender, ageBroad, citizenship)


@dataclass
class Statistics:
    k: int
    cells: dict[Key, int]
    totals: dict[str, int]  # by area code, and "" for the grand total
    suppressed: set[Key] = field(default_factory=set)
    suppressed_totals: set[str] = field(default_factory=set)

    def shown(self, key: Key) -> int | str:
        return SUPPRESSED if key in self.suppressed else self.cells[key]

    def total_shown(self, code: str) -> int | str:
        return SUPPRESSED if code in self.suppressed_totals else self.totals[code]


def statistics_count(area: Area, year: int | None = None) -> Counter[Key]:
    """Victims per combination of the quasi-identifiers (one grouped query)."""
    rows = _records(area, year).values_list(
        "district__code", "created_at", "person__sex", "person__birth_date", "person__age_years"
    )
    tally: Counter[Key] = Counter()
    for code, created, sex, birth, years in rows:
        opened = created.date()
        gender = CTDC_GENDER.get(sex, "")
        key = (code, str(opened.year), gender, age_broad(_age(birth, years, opened)), "")
        tally[key] += 1
    return tally


def _secondary(
    groups: Iterable[tuple[bool, list[Any]]], values: dict[Any, int], hidden: set[Any]
) -> bool:
    """One pass: in each group whose total is published, a lone suppressed
    member could be recovered by subtraction; suppress the smallest other one."""
    changed = False
    for total_published, members in groups:
        if not total_published:
            continue
        lone = [m for m in members if m in hidden]
        others = sorted((m for m in members if m not in hidden), key=lambda m: (values[m], m))
        if len(lone) == 1 and others:
            hidden.add(others[0])
            changed = True
    return changed


def suppress(counts: dict[Key, int], k: int = K_DEFAULT) -> Statistics:
    """Primary suppression below k, then secondary suppression across the
    area totals and the grand total until no published total reveals a cell."""
    totals: Counter[str] = Counter()
    for key, count in counts.items():
        totals[key[0]] += count
    grand = sum(totals.values())
    stats = Statistics(k, dict(counts), {**totals, "": grand})
    stats.suppressed = {key for key, n in counts.items() if 0 < n < k}
    stats.suppressed_totals = {code for code, n in stats.totals.items() if 0 < n < k}
    changed = True
    while changed:
        by_area = [
            (code not in stats.suppressed_totals, [key for key in counts if key[0] == code])
            for code in totals
        ]
        changed = _secondary(by_area, counts, stats.suppressed)
        area_group = [("" not in stats.suppressed_totals, list(totals))]
        changed |= _secondary(area_group, dict(totals), stats.suppressed_totals)
        # A suppressed cell in an area whose total is shown is recoverable from
        # the area's other cells only; an area total hidden while its cells
        # are all shown is recoverable by adding them: hide one of them too.
        for code in stats.suppressed_totals:
            members = [key for key in counts if key[0] == code]
            if members and not any(m in stats.suppressed for m in members):
                smallest = min(members, key=lambda m: (counts[m], m))
                stats.suppressed.add(smallest)
                changed = True
    return stats


STAT_HEADERS = ["area", "yearOfRegistration", "gender", "ageBroad", "citizenship", "count"]


def statistics_rows(stats: Statistics) -> list[list[Any]]:
    rows: list[list[Any]] = [list(STAT_HEADERS)]
    for key in sorted(stats.cells):
        rows.append([*key, stats.shown(key)])
    for code in sorted(c for c in stats.totals if c):
        rows.append([code, "", "", "", "", stats.total_shown(code)])
    rows.append(["total", "", "", "", "", stats.total_shown("")])
    return rows


# --- HTCDS v2 ----------------------------------------------------------------------------

HTCDS_HEADERS = [
    "ahtc_RecordNumber",  # ours: the pseudonymous victim number (not an HTCDS field)
    "vic_TraffickingStatus",
    "vic_TraffickingStatusDecisionMakingOrg",
    "vic_RelationshipToTrafficker",
    "vic_MethodOfRecruitment",
    "vic_LocationOfRecruitment",
    "vic_MethodsOfControl",
    "vic_TypeOfExploitation",
    "prs_Gender",
]
HTCDS_IDENTITY = ["prs_Birthdate"]


def htcds_refusal(user: Any, area: Area, *, identity: bool, reason: str) -> str:
    """Why `user` may not export the area's records ("" when they may)."""
    scope = user_scope(user)
    if not scope.permits(Perm.MANAGE_CASES, area):
        return "case-level export: does not work the records of this area (aggregates only)"
    if not scope.permits(Perm.EXPORT, area):
        return f"lacks permission {Perm.EXPORT}"
    if identity and not scope.permits(Perm.EXPORT_IDENTITY, area):
        return f"lacks permission {Perm.EXPORT_IDENTITY}"
    if identity and len(reason.strip()) < 10:
        return "identity export without a reason"
    return ""


def htcds_rows(area: Area, *, identity: bool) -> list[list[Any]]:
    records = _records(area, None).select_related("person").order_by("number")
    rows: list[list[Any]] = [HTCDS_HEADERS + (HTCDS_IDENTITY if identity else [])]
    for rec in records:
        line: list[Any] = [
            rec.number,
            rec.trafficking_status,
            rec.status_decided_by,
            rec.relationship,
            rec.recruitment_method,
            rec.recruitment_place,
            ";".join(rec.control_methods or []),
            ";".join(rec.exploitation or []),
            HTCDS_GENDER.get(rec.person.sex, "NonSpecifiedUnknown"),
        ]
        if identity:
            birth = rec.person.birth_date
            line.append(birth.isoformat() if birth else "")
        rows.append(line)
    return rows


def _xlsx(sheets: list[tuple[str, list[list[Any]]]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _refuse(user: Any, area: Area, kind: str, why: str) -> MonitoringError:
    audit_record(
        actor=user,
        action=AuditAction.EXPORT,
        outcome=AuditOutcome.REFUSED,
        object_type="victims.protectionrecord" if kind == "htcds" else "monitoring.statistics",
        area_code=area.code,
        reason=f"{kind} export: {why}",
    )
    return MonitoringError(_("This export is not allowed: %(why)s.") % {"why": why})


def htcds_export(*, user: Any, area: Area, identity: bool = False, reason: str = "") -> bytes:
    why = htcds_refusal(user, area, identity=identity, reason=reason)
    if why:
        raise _refuse(user, area, "htcds", why)
    rows = htcds_rows(area, identity=identity)
    audit_record(
        actor=user,
        action=AuditAction.EXPORT,
        object_type="victims.protectionrecord",
        area_code=area.code,
        reason=f"HTCDS v2 XLSX, {len(rows) - 1} records"
        + (f", WITH IDENTITIES: {reason.strip()}" if identity else ", identities withheld"),
    )
    return _xlsx([("victims", rows)])


def statistics_export(
    *, user: Any, area: Area, year: int | None = None, k: int = K_DEFAULT
) -> bytes:
    if not user_scope(user).permits(Perm.EXPORT, area):
        raise _refuse(user, area, "statistics", f"lacks permission {Perm.EXPORT}")
    if k < K_DEFAULT:
        raise MonitoringError(_("The threshold cannot be below %(k)d.") % {"k": K_DEFAULT})
    stats = suppress(statistics_count(area, year), k)
    audit_record(
        actor=user,
        action=AuditAction.EXPORT,
        object_type="monitoring.statistics",
        area_code=area.code,
        reason=f"CTDC statistics XLSX, k={k}, {len(stats.cells)} cells, aggregates only",
    )
    about: list[list[Any]] = [
        ["k", k],
        ["suppressed", SUPPRESSED],
        ["citizenship", "not recorded (NULL)"],
    ]
    return _xlsx([("statistics", statistics_rows(stats)), ("about", about)])
