"""The legal catalogue: law sections as dated data (data/legal_catalogue.csv).

A new version of a section is a new row with a later `valid_from`; the old
row gets a `valid_to`. Nothing is offered for an offence date outside a row's
validity, so an omitted section (PPC 369A, omitted by the PTPA in 2018) never
appears for a later offence.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

CATALOGUE_CSV = Path(__file__).parent / "data" / "legal_catalogue.csv"
FIELDS = [
    "code",
    "act",
    "section",
    "title_en",
    "title_ur",
    "punishment_en",
    "punishment_ur",
    "section_verified",
    "punishment_verified",
    "valid_from",
    "valid_to",
    "source",
]


class CatalogueError(ValueError):
    pass


def _date(value: str, line: int, column: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise CatalogueError(f"line {line}: {column} is not a date (YYYY-MM-DD)") from exc


def read_rows(lines: Iterable[str]) -> list[dict[str, Any]]:
    reader = csv.DictReader(lines)
    missing = set(FIELDS) - set(reader.fieldnames or [])
    if missing:
        raise CatalogueError(f"missing columns: {', '.join(sorted(missing))}")
    rows = []
    for line, raw in enumerate(reader, start=2):
        row: dict[str, Any] = {k: (raw[k] or "").strip() for k in FIELDS}
        if not row["code"] or not row["act"] or not row["title_en"]:
            raise CatalogueError(f"line {line}: code, act and title_en are required")
        for flag in ("section_verified", "punishment_verified"):
            if row[flag] not in {"yes", "no"}:
                raise CatalogueError(f"line {line}: {flag} must be yes or no")
            row[flag] = row[flag] == "yes"
        row["valid_from"] = _date(row["valid_from"], line, "valid_from")
        row["valid_to"] = _date(row["valid_to"], line, "valid_to")
        if row["valid_from"] is None:
            raise CatalogueError(f"line {line}: valid_from is required")
        if row["valid_to"] and row["valid_to"] < row["valid_from"]:
            raise CatalogueError(f"line {line}: valid_to is before valid_from")
        rows.append(row)
    return rows


def catalogue_load(model: Any, lines: Iterable[str]) -> tuple[int, int]:
    """Insert or update rows by (code, valid_from). Works on the historical
    model in migrations too. Returns (created, updated)."""
    created = updated = 0
    for row in read_rows(lines):
        key = {"code": row.pop("code"), "valid_from": row.pop("valid_from")}
        _obj, was_created = model.objects.update_or_create(**key, defaults=row)
        created += was_created
        updated += not was_created
    return created, updated


def catalogue_ensure() -> None:
    """Load the shipped catalogue if the table is empty (a flushed test database,
    a fresh demo); normally migration cases/0002 has loaded it."""
    from ahtc.cases.models import LegalProvision

    if not LegalProvision.objects.exists():
        with CATALOGUE_CSV.open(encoding="utf-8") as fh:
            catalogue_load(LegalProvision, fh)


def provisions_in_force(on: dt.date | None = None) -> QuerySet[Any]:
    from ahtc.cases.models import LegalProvision

    day = on or timezone.localdate()
    return LegalProvision.objects.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
