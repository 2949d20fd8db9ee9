"""The explorer's table as XLSX: the same numbers as the screen (compute.table),
aggregates only, audited as an export."""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.monitoring.compute import IndicatorTable, IndicatorValue, ValueStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(text: Any) -> Any:
    """Defuse spreadsheet formulas in text cells (as cases/exports.safe_cell)."""
    if isinstance(text, str) and text[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + text
    return text


def _number(v: IndicatorValue) -> Any:
    """The number, or the words a hidden small number shows on the screen."""
    return v.display if v.status == ValueStatus.SUPPRESSED else v.value


def table_rows(result: IndicatorTable) -> list[list[Any]]:
    header = [_("Indicator"), _("Code"), _("Total"), _("Numerator"), _("Denominator")]
    header += [label for _key, label in result.columns] + [_("Status")]
    rows: list[list[Any]] = [[str(h) for h in header]]
    for row in result.rows:
        line: list[Any] = [str(row.indicator.name), row.indicator.code, _number(row.total)]
        line += [row.total.numerator, row.total.denominator]
        line += [_number(row.cells[k]) if k in row.cells else None for k, _label in result.columns]
        rows.append([*line, row.total.status_text])
    return rows


def table_xlsx(*, user: Any, result: IndicatorTable) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(result.period.code)
    sheet.append([_cell(f"{result.area.name} ({result.area.code}), {result.period.label}")])
    for line in table_rows(result):
        sheet.append([_cell(v) for v in line])
    buffer = io.BytesIO()
    book.save(buffer)
    codes = ",".join(r.indicator.code for r in result.rows)
    audit_record(
        actor=user,
        action=AuditAction.EXPORT,
        object_type="monitoring.table",
        object_id=result.period.code,
        area_code=result.area.code,
        reason=f"indicator table XLSX (aggregates only), by {result.by or 'none'}: {codes}",
    )
    name = f"indicators-{result.area.code}-{result.period.code}.xlsx"
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
