"""The aggregates as an XLSX workbook: coverage, shares with intervals, by
tehsil, numbers. Small cells are suppressed exactly as on the page
(aggregates.py); no row of any respondent is in the file."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _

from ahtc.surveys.aggregates import Share, Summary


def _percent(value: float | None) -> Any:
    return round(value * 100, 1) if value is not None else ""


def _share_cells(share: Share) -> list[Any]:
    interval = share.interval
    return [
        share.label or share.value,
        share.shown_count,
        share.n,
        _percent(share.share),
        _percent(interval[0]) if interval else "",
        _percent(interval[1]) if interval else "",
    ]


def summary_xlsx(summary: Summary) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    cover = book.active
    cover.title = "coverage"
    cover.append([_("District"), _("Surveyed"), _("Known number"), _("Coverage (%)")])
    for row in summary.coverage:
        cover.append([row.district, row.surveyed, row.universe or "", _percent(row.share)])
    heads = [
        _("Answer"),
        _("Count"),
        _("Answering"),
        _("Share (%)"),
        _("Lower bound (95 per cent)"),
        _("Upper bound (95 per cent)"),
    ]
    shares = book.create_sheet("shares")
    shares.append([_("Question"), *heads])
    tehsils = book.create_sheet("by_tehsil")
    tehsils.append([_("Question"), _("Tehsil"), *heads])
    numbers = book.create_sheet("numbers")
    numbers.append(
        [_("Question"), _("Answering"), _("Median"), _("Mean"), _("Lowest"), _("Highest")]
    )
    for item in summary.fields:
        for share in item.shares:
            shares.append([item.label, *_share_cells(share)])
        for tehsil, rows in item.by_tehsil:
            for share in rows:
                tehsils.append([item.label, tehsil, *_share_cells(share)])
        if item.kind == "number":
            got = item.numbers
            numbers.append(
                [item.label, int(got.get("n", 0))]
                + [got.get(k, "") for k in ("median", "mean", "min", "max")]
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
