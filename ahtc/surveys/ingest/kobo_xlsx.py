"""KoboToolbox XLSX export: the submissions on the first sheet, each repeat
on a sheet of its own (named after the repeat), joined by `_index` (the
row's number in its sheet) and `_parent_index` / `_parent_table_name` (the
parent row's number and sheet)."""

from __future__ import annotations

import io
import zipfile

from ahtc.surveys.ingest.records import ExportError, Parsed, Record, Table, cell_text, link


def _table(sheet: object, name: str) -> Table:
    rows = iter(sheet.iter_rows(values_only=True))  # type: ignore[attr-defined]
    header = [str(cell_text(h)).strip() for h in next(rows, ())]
    records = []
    for number, values in enumerate(rows, start=2):
        fields = {h: cell_text(v) for h, v in zip(header, values, strict=False) if h}
        if any(v != "" for v in fields.values()):
            records.append(Record(sheet=name, row=number, fields=fields))
    return Table(name=name, rows=records)


def read(content: bytes) -> Parsed:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ExportError("not an XLSX workbook") from exc
    try:
        tables = [_table(book[name], name) for name in book.sheetnames]
    finally:
        book.close()
    if not tables or not tables[0].rows:
        raise ExportError("the first sheet has no submissions")
    return link(
        tables,
        own_id=lambda table, r: f"{table.name}:{r.fields.get('_index', '')}",
        parent_id=lambda table, r: (
            f"{r.fields.get('_parent_table_name', '')}:{r.fields.get('_parent_index', '')}"
        ),
    )
