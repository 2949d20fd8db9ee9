"""Loading area hierarchies from CSV, with a report of every rejected row.

The file format (UTF-8, header row) is documented in docs/areas.md:
code, level, parent_code, name_en, name_ur, valid_from, valid_to,
predecessor_codes (';'-separated), population, population_year, note.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction
from django.utils.translation import gettext as _

from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.geography.models import PARENT_LEVELS, PATH_SEPARATOR, Area, AreaLevel, PoliceStation

REQUIRED_COLUMNS = ("code", "level", "parent_code", "name_en")
OPTIONAL_COLUMNS = (
    "name_ur",
    "valid_from",
    "valid_to",
    "predecessor_codes",
    "population",
    "population_year",
    "note",
)
CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
BUILTIN_FILES = {"punjab": Path(__file__).parent / "data" / "punjab.csv"}


class ImportFileError(Exception):
    """The file as a whole cannot be read (not a row problem)."""


@dataclass
class RejectedRow:
    line: int
    code: str
    reason: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    dry_run: bool = False

    @property
    def accepted(self) -> int:
        return self.created + self.updated + self.unchanged


class RowError(ValueError):
    pass


def _date(value: str, column: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise RowError(
            _("%(column)s '%(value)s' is not a date in YYYY-MM-DD form")
            % {"column": column, "value": value}
        ) from exc


def _int(value: str, column: str) -> int | None:
    if not value:
        return None
    cleaned = value.replace(",", "").replace("_", "")
    if not cleaned.isdigit():
        raise RowError(
            _("%(column)s '%(value)s' is not a whole number") % {"column": column, "value": value}
        )
    return int(cleaned)


def _read_rows(source: TextIO) -> Iterable[tuple[int, dict[str, str]]]:
    try:
        yield from _read_rows_unchecked(source)
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("the file is not UTF-8 text; save it as 'CSV UTF-8'")) from exc
    except csv.Error as exc:
        raise ImportFileError(_("the file is not valid CSV: %(error)s") % {"error": exc}) from exc


def _read_rows_unchecked(source: TextIO) -> Iterable[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(source)
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ImportFileError(
            _("the header row lacks the column(s) %(missing)s; expected %(expected)s")
            % {
                "missing": ", ".join(missing),
                "expected": ",".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS),
            }
        )
    reader.fieldnames = header
    for row in reader:
        clean = {key: (value or "").strip() for key, value in row.items() if key}
        if any(clean.values()):
            yield reader.line_num, clean


@dataclass
class _Pending:
    """Rows accepted so far in this file, by code, so children can follow parents."""

    areas: dict[str, Area] = field(default_factory=dict)


def _resolve(code: str, pending: _Pending) -> Area | None:
    if code in pending.areas:
        return pending.areas[code]
    return Area.objects.filter(code=code).first()


def _validate(row: dict[str, str], pending: _Pending, seen: set[str]) -> dict[str, Any]:
    code = row.get("code", "")
    if not CODE_RE.match(code):
        raise RowError(_("code must be 1-20 letters, digits, '-' or '_'"))
    if code in seen:
        raise RowError(_("code %(code)s appears twice in this file") % {"code": code})
    level = row.get("level", "").lower()
    if level not in AreaLevel.values:
        raise RowError(
            _("level '%(level)s' is not one of %(levels)s")
            % {"level": row.get("level"), "levels": ", ".join(AreaLevel.values)}
        )
    if not row.get("name_en"):
        raise RowError(_("name_en is empty"))
    parent = None
    parent_code = row.get("parent_code", "")
    if parent_code:
        parent = _resolve(parent_code, pending)
        if parent is None:
            raise RowError(
                _("parent %(code)s is neither in the database nor earlier in the file")
                % {"code": parent_code}
            )
    if (parent.level if parent else "") not in PARENT_LEVELS[level]:
        wanted = " or ".join(sorted(lv or "no parent" for lv in PARENT_LEVELS[level]))
        raise RowError(
            _("a %(level)s needs a parent of level %(wanted)s") % {"level": level, "wanted": wanted}
        )
    valid_from = _date(row.get("valid_from", ""), "valid_from")
    valid_to = _date(row.get("valid_to", ""), "valid_to")
    if valid_from and valid_to and valid_to <= valid_from:
        raise RowError(_("valid_to must be after valid_from"))
    predecessors = []
    for pred_code in filter(None, (c.strip() for c in row.get("predecessor_codes", "").split(";"))):
        predecessor = _resolve(pred_code, pending)
        if predecessor is None:
            raise RowError(_("predecessor %(code)s is unknown") % {"code": pred_code})
        predecessors.append(predecessor)
    return {
        "code": code,
        "level": level,
        "parent": parent,
        "name_en": row["name_en"],
        "name_ur": row.get("name_ur", ""),
        "valid_from": valid_from,
        "valid_to": valid_to,
        "population": _int(row.get("population", ""), "population"),
        "population_year": _int(row.get("population_year", ""), "population_year"),
        "note": row.get("note", "")[:300],
        "predecessors": predecessors,
    }


def _apply(values: dict[str, Any], report: ImportReport) -> Area:
    predecessors = values.pop("predecessors")
    parent = values["parent"]
    path = (parent.path if parent else "") + values["code"] + PATH_SEPARATOR
    area = Area.objects.filter(code=values["code"]).first()
    if area is None:
        area = Area.objects.create(path=path, **values)
        report.created += 1
    else:
        if area.parent_id != (parent.pk if parent else None):
            raise RowError(
                _(
                    "%(code)s exists under another parent; end it (valid_to) and add a "
                    "successor instead of moving it, so its history stays where it was"
                )
                % {"code": area.code}
            )
        changed = [name for name, value in values.items() if getattr(area, name) != value]
        for name in changed:
            setattr(area, name, values[name])
        if changed:
            area.save()
            report.updated += 1
        else:
            report.unchanged += 1
    if predecessors:
        area.predecessors.add(*predecessors)
    return area


def area_import_csv(
    *, source: TextIO | Path | str, by: Any = None, dry_run: bool = False
) -> ImportReport:
    """Create or update areas from CSV. Good rows load; bad rows are reported.

    Raises ImportFileError when the file cannot be read at all.
    """
    report = ImportReport(dry_run=dry_run)
    with _open(source) as handle, transaction.atomic():
        pending, seen = _Pending(), set[str]()
        for line, row in _read_rows(handle):
            code = row.get("code", "")
            try:
                with transaction.atomic():
                    area = _apply(_validate(row, pending, seen), report)
            except RowError as exc:
                report.rejected.append(RejectedRow(line=line, code=code, reason=str(exc)))
                continue
            seen.add(code)
            pending.areas[code] = area
        if dry_run:
            transaction.set_rollback(True)
        else:
            audit_record(
                actor=by,
                action=AuditAction.IMPORT,
                object_type="geography.area",
                reason=f"{report.accepted} rows accepted, {len(report.rejected)} rejected",
            )
    return report


def police_station_import_csv(*, source: TextIO | Path | str, by: Any = None) -> ImportReport:
    report = ImportReport()
    with _open(source) as handle, transaction.atomic():
        reader = csv.DictReader(handle)
        for row in reader:
            row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
            tehsil = Area.objects.filter(code=row.get("tehsil_code", ""), level=AreaLevel.TEHSIL)
            if not row.get("code") or not row.get("name_en") or not tehsil.exists():
                report.rejected.append(
                    RejectedRow(
                        line=reader.line_num,
                        code=row.get("code", ""),
                        reason=_("needs code, name_en and the code of an existing tehsil"),
                    )
                )
                continue
            _station, created = PoliceStation.objects.update_or_create(
                code=row["code"],
                defaults={
                    "tehsil": tehsil.get(),
                    "name_en": row["name_en"],
                    "name_ur": row.get("name_ur", ""),
                },
            )
            if created:
                report.created += 1
            else:
                report.updated += 1
        audit_record(actor=by, action=AuditAction.IMPORT, object_type="geography.policestation")
    return report


class _open:  # noqa: N801 - used like the builtin open()
    """Accept a path, a builtin name ('punjab') or an open text stream."""

    def __init__(self, source: TextIO | Path | str) -> None:
        self.source = source
        self.handle: TextIO | None = None

    def __enter__(self) -> TextIO:
        if isinstance(self.source, io.TextIOBase | io.StringIO) or hasattr(self.source, "read"):
            return self.source  # type: ignore[return-value]
        path = BUILTIN_FILES.get(str(self.source), Path(self.source))
        try:
            self.handle = path.open(encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise ImportFileError(
                _("cannot open %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
            ) from exc
        return self.handle

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()
