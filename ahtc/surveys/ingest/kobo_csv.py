"""KoboToolbox CSV export: the submissions only (a CSV has no room for
repeats; use the XLSX or JSON export for forms with repeats). Kobo writes
semicolons by default; commas are read too."""

from __future__ import annotations

import csv
import io

from ahtc.surveys.ingest.records import ExportError, Parsed, Record


def rows_of(text: str, sheet: str) -> list[Record]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in next(reader, [])]
    records = []
    for values in reader:
        fields = {h: v for h, v in zip(header, values, strict=False) if h}
        if any(v.strip() for v in fields.values()):
            records.append(Record(sheet=sheet, row=reader.line_num, fields=fields))
    return records


def decoded(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExportError("not UTF-8 text") from exc


def read(content: bytes) -> Parsed:
    records = rows_of(decoded(content), "csv")
    if not records:
        raise ExportError("no submissions in the file")
    return Parsed(records=records)
