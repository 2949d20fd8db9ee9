"""KoboToolbox JSON (the data API's `results`, or a plain list): one object
per submission, keys are full paths ("group/question"), a repeat is a list of
objects under its path."""

from __future__ import annotations

import json
from typing import Any

from ahtc.surveys.ingest.records import ExportError, Parsed, Record


def _record(sheet: str, row: int, item: dict[str, Any]) -> Record:
    fields: dict[str, Any] = {}
    children: list[Record] = []
    for key, value in item.items():
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            children += [_record(key, n, child) for n, child in enumerate(value, start=1)]
        elif not isinstance(value, dict | list):
            fields[key] = "" if value is None else value
    return Record(sheet=sheet, row=row, fields=fields, children=children)


def read(content: bytes) -> Parsed:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExportError("not JSON") from exc
    items = data.get("results") if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ExportError("no list of submissions (expected a list, or 'results')")
    return Parsed(records=[_record("results", n, item) for n, item in enumerate(items, start=1)])
