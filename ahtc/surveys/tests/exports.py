"""Small exports written the way KoboToolbox and ODK Central write them.

Layouts followed (documented by the tools): Kobo's XLSX export puts the
submissions on the first sheet and each repeat on a sheet named after it,
with `_index` on every sheet and `_parent_index` / `_parent_table_name` on
repeat sheets; Kobo's JSON gives a repeat as a list under its path; Kobo's
CSV (semicolons) has no repeats; ODK Central's ZIP holds `<form>.csv` and
`<form>-<repeat>.csv` joined by `KEY` / `PARENT_KEY`, groups joined by "-".
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook


@dataclass
class Sub:
    uuid: str
    fields: dict[str, Any]
    repeats: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    return columns


def kobo_xlsx(subs: list[Sub], form: str = "form") -> bytes:
    book = Workbook()
    main = book.active
    main.title = form
    mains = [
        {
            "start": "2025-03-01T09:00:00",
            **s.fields,
            "meta/instanceID": f"uuid:{s.uuid}",
            "_id": n,
            "_uuid": s.uuid,
            "_submission_time": "2025-03-02T10:00:00",
            "_index": n,
        }
        for n, s in enumerate(subs, start=1)
    ]
    columns = _columns(mains)
    main.append(columns)
    for row in mains:
        main.append([row.get(c, "") for c in columns])
    repeats: dict[str, list[dict[str, Any]]] = {}
    for n, s in enumerate(subs, start=1):
        for path, items in s.repeats.items():
            rows = repeats.setdefault(path, [])
            for item in items:
                rows.append(
                    {
                        **item,
                        "_index": len(rows) + 1,
                        "_parent_table_name": form,
                        "_parent_index": n,
                        "_submission__uuid": s.uuid,
                    }
                )
    for path, rows in repeats.items():
        sheet = book.create_sheet(path.rsplit("/", 1)[-1][:31])
        columns = _columns(rows)
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(c, "") for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def kobo_json(subs: list[Sub]) -> bytes:
    results = [
        {
            **s.fields,
            **s.repeats,
            "meta/instanceID": f"uuid:{s.uuid}",
            "meta/rootUuid": f"uuid:{s.uuid}",
            "_uuid": s.uuid,
            "_id": n,
        }
        for n, s in enumerate(subs, start=1)
    ]
    return json.dumps({"count": len(results), "results": results}).encode()


def kobo_csv(subs: list[Sub]) -> bytes:
    rows = [{**s.fields, "_uuid": s.uuid} for s in subs]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    columns = _columns(rows)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue().encode()


def _csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    columns = _columns(rows)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue()


def odk_zip(subs: list[Sub], form: str = "form") -> bytes:
    mains = []
    repeats: dict[str, list[dict[str, Any]]] = {}
    for s in subs:
        key = f"uuid:{s.uuid}"
        row = {"SubmissionDate": "2025-03-02T10:00:00.000Z"}
        row |= {c.replace("/", "-"): v for c, v in s.fields.items()}
        mains.append(row | {"meta-instanceID": key, "KEY": key, "ReviewState": ""})
        for path, items in s.repeats.items():
            name = path.rsplit("/", 1)[-1]
            for n, item in enumerate(items, start=1):
                cells = {c.rsplit("/", 1)[-1]: v for c, v in item.items()}
                repeats.setdefault(name, []).append(
                    cells | {"PARENT_KEY": key, "KEY": f"{key}/{name}[{n}]"}
                )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(f"{form}.csv", _csv(mains))
        for name, rows in repeats.items():
            archive.writestr(f"{form}-{name}.csv", _csv(rows))
    return out.getvalue()
