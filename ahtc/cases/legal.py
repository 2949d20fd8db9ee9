"""The legal catalogue: law sections as dated data (data/legal_catalogue.csv).

A new version of a section is a new row with a later `valid_from`; the old
row gets a `valid_to`. Nothing is offered for an offence date outside a row's
validity, so an omitted section (PPC 369-A, omitted by the PTPA on 30 May 2018)
never appears for a later offence, and the Ordinance of 2002 only for earlier ones.

Each row says whether it is an offence. Provisions that are not offences (the
non-punishment of victims, the presumption for a child, compensation) are shown
to the officer as notes; they are never suggested as charges or put in an FIR.
Each row carries its source and what was verified (section number, punishment,
date in force); the screens say "not verified" for the rest (docs/classification.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

CATALOGUE_CSV = Path(__file__).parent / "data" / "legal_catalogue.csv"
# Required columns (the first catalogue's); files written for it still import.
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
# Optional columns, added with issue 12; blank when a file leaves them out.
OPTIONAL_FIELDS = [
    "kind",
    "act_ur",
    "offender_en",
    "offender_ur",
    "cognizable",
    "bailable",
    "compoundable",
    "trial_court_en",
    "trial_court_ur",
    "date_verified",
    "date_source",
]
KINDS = {"offence", "non_offence"}
TRISTATE = {"yes", "no", ""}


class CatalogueError(ValueError):
    pass


def _date(value: str, line: int, column: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise CatalogueError(f"line {line}: {column} is not a date (YYYY-MM-DD)") from exc


def _check_flags(row: dict[str, Any], line: int) -> None:
    for flag in ("section_verified", "punishment_verified", "date_verified"):
        if row[flag] not in {"yes", "no"}:
            raise CatalogueError(f"line {line}: {flag} must be yes or no")
        row[flag] = row[flag] == "yes"
    for column in ("cognizable", "bailable", "compoundable"):
        if row[column] not in TRISTATE:
            raise CatalogueError(f"line {line}: {column} must be yes, no or empty")
    if row["kind"] not in KINDS:
        raise CatalogueError(f"line {line}: kind must be offence or non_offence")


def _read_row(raw: dict[str, Any], line: int) -> dict[str, Any]:
    row: dict[str, Any] = {k: (raw.get(k) or "").strip() for k in FIELDS + OPTIONAL_FIELDS}
    row["kind"] = row["kind"] or "offence"
    row["date_verified"] = row["date_verified"] or "no"
    if not row["code"] or not row["act"] or not row["title_en"]:
        raise CatalogueError(f"line {line}: code, act and title_en are required")
    _check_flags(row, line)
    row["valid_from"] = _date(row["valid_from"], line, "valid_from")
    row["valid_to"] = _date(row["valid_to"], line, "valid_to")
    if row["valid_from"] is None:
        raise CatalogueError(f"line {line}: valid_from is required")
    if row["valid_to"] and row["valid_to"] < row["valid_from"]:
        raise CatalogueError(f"line {line}: valid_to is before valid_from")
    return row


def read_rows(lines: Iterable[str]) -> list[dict[str, Any]]:
    reader = csv.DictReader(lines)
    missing = set(FIELDS) - set(reader.fieldnames or [])
    if missing:
        raise CatalogueError(f"missing columns: {', '.join(sorted(missing))}")
    return [_read_row(raw, line) for line, raw in enumerate(reader, start=2)]


def catalogue_load(model: Any, lines: Iterable[str], *, reconcile: bool = False) -> tuple[int, int]:
    """Insert or update rows by (code, valid_from). Works on the historical
    model in migrations too (columns the model lacks are skipped).

    `reconcile` (migrations only): where the file and the table hold exactly one
    version of a code, that row is updated in place even if its date changed, so
    FIRs and decisions keep pointing at it. Returns (created, updated)."""
    columns = {f.name for f in model._meta.get_fields()}
    rows = read_rows(lines)
    versions: dict[str, int] = {}
    for row in rows:
        versions[row["code"]] = versions.get(row["code"], 0) + 1
    created = updated = 0
    for row in rows:
        values = {k: v for k, v in row.items() if k in columns}
        code, valid_from = values.pop("code"), values.pop("valid_from")
        existing = model.objects.filter(code=code)
        if reconcile and versions[code] == 1 and existing.count() == 1:
            existing.update(valid_from=valid_from, **values)
            updated += 1
            continue
        _obj, was_created = model.objects.update_or_create(
            code=code, valid_from=valid_from, defaults=values
        )
        created += was_created
        updated += not was_created
    return created, updated


def catalogue_ensure() -> None:
    """Load the shipped catalogue if the table is empty (a flushed test database,
    a fresh demo); normally the migrations have loaded it."""
    from ahtc.cases.models import LegalProvision

    if not LegalProvision.objects.exists():
        with CATALOGUE_CSV.open(encoding="utf-8") as fh:
            catalogue_load(LegalProvision, fh)


def provisions_in_force(on: dt.date | None = None, *, charges_only: bool = False) -> QuerySet[Any]:
    """Every row in force on `on` (default today); `charges_only` leaves out
    provisions that are not offences (what an FIR or a decision may hold)."""
    from ahtc.cases.models import LegalProvision

    day = on or timezone.localdate()
    rows = LegalProvision.objects.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
    return rows.filter(kind="offence") if charges_only else rows


def charges_in_force(on: dt.date | None = None) -> QuerySet[Any]:
    return provisions_in_force(on, charges_only=True)


@functools.cache
def shipped_validity() -> dict[str, list[tuple[dt.date, dt.date | None, str]]]:
    """The shipped file's dates and kinds by code, for the pure assistant
    (`classification.suggest` filters its answer without a database)."""
    out: dict[str, list[tuple[dt.date, dt.date | None, str]]] = {}
    with CATALOGUE_CSV.open(encoding="utf-8") as fh:
        for row in read_rows(fh):
            out.setdefault(row["code"], []).append(
                (row["valid_from"], row["valid_to"], row["kind"])
            )
    return out


def shipped_in_force(code: str, day: dt.date) -> bool:
    return any(
        start <= day and (end is None or day <= end)
        for start, end, _kind in shipped_validity().get(code, [])
    )


def shipped_is_offence(code: str) -> bool:
    return any(kind == "offence" for _s, _e, kind in shipped_validity().get(code, []))
