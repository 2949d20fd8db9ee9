"""What every export adapter hands on: records (one submission, its repeat
rows as children) and the rows it could not place, with the reason.

Tabular exports (Kobo XLSX, ODK Central ZIP) keep each repeat on a sheet or
file of its own, joined to the parent row by an id; `link` builds the tree
from them the same way for both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class ExportError(ValueError):
    """The file is not an export of this kind; the message is for the user."""


@dataclass
class Record:
    sheet: str
    row: int
    fields: dict[str, Any]
    children: list[Record] = field(default_factory=list)


@dataclass(frozen=True)
class Rejection:
    sheet: str
    row: int
    key: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "key": self.key, "reason": self.reason}


@dataclass
class Parsed:
    records: list[Record] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


@dataclass
class Table:
    name: str
    rows: list[Record]


def cell_text(value: Any) -> Any:
    """Spreadsheet cells as the export meant them: dates as ISO text,
    whole floats as integers, empty as absent."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def link(
    tables: list[Table],
    *,
    own_id: Callable[[Table, Record], str],
    parent_id: Callable[[Table, Record], str],
) -> Parsed:
    """The first table holds the submissions; every other row is attached to
    the row whose id its parent id names (repeats within repeats too)."""
    parsed = Parsed(records=list(tables[0].rows))
    by_id: dict[str, Record] = {}
    for table in tables:
        for record in table.rows:
            by_id.setdefault(own_id(table, record), record)
    for table in tables[1:]:
        for record in table.rows:
            parent = by_id.get(parent_id(table, record))
            if parent is None or parent is record:
                parsed.rejections.append(
                    Rejection(table.name, record.row, "", "repeat row whose parent row is missing")
                )
                continue
            parent.children.append(record)
    return parsed
