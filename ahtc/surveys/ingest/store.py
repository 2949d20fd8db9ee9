"""From adapter records to submissions: match columns to the form's fields,
check values against the catalogue, deduplicate, store.

Deduplication is on the submission's own id, the one every tool keeps:
`meta/rootUuid` (stays the same when a submission is edited), else
`meta/instanceID`, else Kobo's `_uuid`, else ODK Central's `KEY`, with the
"uuid:" prefix dropped so the same submission from two exports meets.
A submission already stored for the instrument is skipped, so importing the
same export twice, or two overlapping exports, never counts anyone twice;
the database's unique (instrument, key) holds this under concurrent imports.

Rejection reasons name the field and what is wrong with its kind of value,
never the value itself (it may identify someone).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from ahtc.geography.models import Area
from ahtc.surveys.ingest.records import Parsed, Record, Rejection
from ahtc.surveys.models import ImportBatch, InstrumentVersion, Submission

KEY_COLUMNS = (
    "meta/rootUuid",
    "meta-rootUuid",
    "meta/instanceID",
    "meta-instanceID",
    "_uuid",
    "KEY",
    "instanceID",
)
VERSION_COLUMNS = ("FormVersion", "__version__", "_version_", "version")
DATE_COLUMNS = ("visit_date", "today", "start", "end", "_submission_time", "SubmissionDate")
# Export bookkeeping, not answers (Kobo's "_..." columns, ODK Central's own).
ODK_META = {
    "SubmissionDate",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "ReviewState",
    "DeviceID",
    "Edits",
    "FormVersion",
    "KEY",
    "PARENT_KEY",
    "instanceID",
}
# XLSForm metadata a tool may add whether or not the form asks for it.
XLSFORM_META = {"start", "end", "today", "deviceid", "username", "audit", "phonenumber"}
CHUNK = 200
Progress = Callable[[float, str], None]


class ValueProblemError(ValueError):
    pass


def _key(fields: dict[str, Any]) -> str:
    for column in KEY_COLUMNS:
        value = str(fields.get(column, "") or "").strip()
        if value:
            return value.removeprefix("uuid:")[:120]
    return ""


def _is_meta(column: str) -> bool:
    return (
        column.startswith("_")
        or column in ODK_META
        or column in XLSFORM_META
        or column.startswith(("formhub/", "meta/", "meta-"))
    )


@dataclass
class Fields:
    """Column names of one version's catalogue → paths, per repeat."""

    version: InstrumentVersion
    by_path: dict[str, dict[str, Any]] = field(default_factory=dict)
    names: dict[tuple[str, str], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_path = {f["path"]: f for f in self.version.catalogue}
        counts: dict[tuple[str, str], int] = {}
        for f in self.version.catalogue:
            slot = (f["repeat"], f["name"])
            counts[slot] = counts.get(slot, 0) + 1
            self.names[slot] = f["path"]
        for slot, count in counts.items():
            if count > 1:
                del self.names[slot]

    def path(self, column: str, repeat: str) -> str | None:
        for candidate in (column, column.replace("-", "/")):
            if candidate in self.by_path:
                return candidate
            if repeat and f"{repeat}/{candidate}" in self.by_path:
                return f"{repeat}/{candidate}"
        return self.names.get((repeat, column.replace("-", "/").rsplit("/", 1)[-1]))

    def repeat_for(self, sheet: str) -> str | None:
        repeats = [p for p, f in self.by_path.items() if f["type"] == "repeat"]
        for path in repeats:
            name = path.rsplit("/", 1)[-1]
            # Excel cuts sheet names at 31 characters.
            if sheet in (path, path.replace("/", "-"), name) or (
                len(sheet) == 31 and name.startswith(sheet)
            ):
                return path
        return None


def _number(value: Any, whole: bool) -> int | float:
    if isinstance(value, bool):
        raise ValueProblemError
    try:
        number = float(value) if not isinstance(value, int | float) else value
    except (TypeError, ValueError) as exc:
        raise ValueProblemError from exc
    if whole:
        if float(number) != int(number):
            raise ValueProblemError
        return int(number)
    return number


def _choices(spec: dict[str, Any]) -> set[str]:
    return {str(c["value"]) for c in spec.get("choices", [])}


def _value(spec: dict[str, Any], raw: Any) -> Any:
    kind = spec["type"]
    if kind == "integer":
        return _number(raw, whole=True)
    if kind == "decimal":
        return _number(raw, whole=False)
    if kind in {"select_one", "select_multiple"}:
        values = str(raw).split() if kind == "select_multiple" else [str(raw).strip()]
        allowed = _choices(spec)
        if allowed and any(v not in allowed for v in values):
            raise ValueProblemError
        return " ".join(values)
    if kind == "date":
        text = str(raw)[:10]
        dt.date.fromisoformat(text)
        return text
    if kind == "calculate":
        try:
            return _number(raw, whole=False) if str(raw).strip() else ""
        except ValueProblemError:
            return str(raw)
    return raw if isinstance(raw, int | float) else str(raw)


PROBLEMS = {
    "integer": "is not a whole number",
    "decimal": "is not a number",
    "select_one": "holds a value not in its choice list",
    "select_multiple": "holds a value not in its choice list",
    "date": "is not a date (YYYY-MM-DD)",
}


@dataclass
class Mapped:
    data: dict[str, Any]
    problems: list[str]
    extra_columns: set[str]
    orphans: list[Record]


def map_record(fields: Fields, record: Record, repeat: str = "") -> Mapped:
    mapped = Mapped({}, [], set(), [])
    for column, raw in record.fields.items():
        if raw == "" or raw is None:
            continue
        path = fields.path(column, repeat)
        spec = fields.by_path.get(path or "")
        if spec is None and _is_meta(column):
            continue
        if spec is None:
            mapped.extra_columns.add(column)
            mapped.data[column] = raw if isinstance(raw, int | float) else str(raw)
            continue
        try:
            mapped.data[spec["path"]] = _value(spec, raw)
        except (ValueProblemError, ValueError):
            kind = PROBLEMS.get(spec["type"], "has a value of the wrong kind")
            mapped.problems.append(f"{record.sheet} row {record.row}: {spec['path']} {kind}")
    for child in record.children:
        inner = fields.repeat_for(child.sheet)
        if inner is None:
            mapped.orphans.append(child)
            continue
        sub = map_record(fields, child, inner)
        mapped.data.setdefault(inner, []).append(sub.data)
        mapped.problems += sub.problems
        mapped.extra_columns |= sub.extra_columns
        mapped.orphans += sub.orphans
    return mapped


@dataclass
class Place:
    district: Area
    tehsils: dict[str, Area]

    @classmethod
    def of(cls, district: Area) -> Place:
        tehsils: dict[str, Area] = {}
        for tehsil in Area.objects.filter(parent=district):
            for name in (tehsil.code, tehsil.name_en, tehsil.name_ur):
                if name:
                    tehsils[name.strip().casefold()] = tehsil
        return cls(district, tehsils)

    def tehsil(self, data: dict[str, Any]) -> tuple[Area | None, str]:
        value = str(data.get("tehsil", "") or "").strip().casefold()
        if not value:
            return None, ""
        found = self.tehsils.get(value)
        return (found, "") if found else (None, "tehsil is not one of the district's")

    def district_problem(self, data: dict[str, Any]) -> str:
        value = str(data.get("district", "") or "").strip().casefold()
        names = {self.district.code.casefold(), self.district.name_en.casefold()}
        if value and value not in names and value != self.district.name_ur:
            return "district is not the one chosen for this import"
        return ""


def _collected_on(record: Record, data: dict[str, Any]) -> dt.date | None:
    for column in DATE_COLUMNS:
        value = data.get(column) or record.fields.get(column)
        try:
            return dt.date.fromisoformat(str(value)[:10]) if value else None
        except ValueError:
            continue
    return None


@dataclass
class Outcome:
    rows: int = 0
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    report: list[dict[str, Any]] = field(default_factory=list)
    origins: dict[str, tuple[str, int]] = field(default_factory=dict)

    def reject(self, record: Record, key: str, reason: str, *, duplicate: bool = False) -> None:
        if duplicate:
            self.duplicates += 1
        else:
            self.rejected += 1
        self.report.append(Rejection(record.sheet, record.row, key, reason).as_dict())


def _version_for(record: Record, versions: list[InstrumentVersion]) -> InstrumentVersion:
    for column in VERSION_COLUMNS:
        wanted = str(record.fields.get(column, "") or "")
        found = next((v for v in versions if wanted and v.version == wanted), None)
        if found is not None:
            return found
    return versions[0]


def _submission(
    batch: ImportBatch, record: Record, key: str, version: InstrumentVersion, mapped: Mapped
) -> Submission:
    sealed = batch.instrument.sealed
    return Submission(
        instrument=batch.instrument,
        version=version,
        batch=batch,
        key=key,
        source=batch.source,
        district=batch.district,
        collected_on=_collected_on(record, mapped.data),
        data={} if sealed else mapped.data,
        sealed=json.dumps(mapped.data, ensure_ascii=False) if sealed else "",
    )


def submissions_build(batch: ImportBatch, parsed: Parsed, outcome: Outcome) -> list[Submission]:
    versions = list(batch.instrument.versions.order_by("-number"))
    catalogues = {v.pk: Fields(v) for v in versions}
    place = Place.of(batch.district)
    seen: set[str] = set()
    built: list[Submission] = []
    extra: set[str] = set()
    for record in parsed.records:
        outcome.rows += 1
        key = _key(record.fields)
        if not key:
            outcome.reject(record, "", "no submission id (meta/instanceID, _uuid or KEY)")
            continue
        if key in seen:
            outcome.reject(record, key, "the same submission twice in this file", duplicate=True)
            continue
        seen.add(key)
        version = _version_for(record, versions)
        mapped = map_record(catalogues[version.pk], record)
        tehsil, tehsil_problem = place.tehsil(mapped.data)
        problems = [*mapped.problems, place.district_problem(mapped.data), tehsil_problem]
        problems = [p for p in problems if p]
        if problems:
            outcome.reject(record, key, "; ".join(problems)[:500])
            continue
        for orphan in mapped.orphans:
            outcome.reject(orphan, key, "repeat sheet not in the form; row not imported")
        extra |= mapped.extra_columns
        submission = _submission(batch, record, key, version, mapped)
        submission.tehsil = tehsil
        outcome.origins[key] = (record.sheet, record.row)
        built.append(submission)
    if extra:
        outcome.report.insert(
            0,
            {
                "sheet": "",
                "row": 0,
                "key": "",
                "reason": "columns not in the form, kept as they are: " + ", ".join(sorted(extra)),
            },
        )
    return built


def submissions_store(
    batch: ImportBatch, built: list[Submission], outcome: Outcome, progress: Progress
) -> None:
    """Chunks of CHUNK rows, each in its own transaction: a large file shows
    progress, and rows already stored are skipped by key."""
    for start in range(0, len(built), CHUNK):
        chunk = built[start : start + CHUNK]
        keys = [s.key for s in chunk]
        with transaction.atomic():
            known = set(
                Submission.objects.filter(instrument=batch.instrument, key__in=keys).values_list(
                    "key", flat=True
                )
            )
            fresh = [s for s in chunk if s.key not in known]
            Submission.objects.bulk_create(fresh, ignore_conflicts=True)
        stored = Submission.objects.filter(batch=batch, key__in=keys).count()
        outcome.imported += stored
        outcome.duplicates += len(chunk) - stored
        for submission in chunk:
            if submission.key in known:
                sheet, row = outcome.origins.get(submission.key, ("", 0))
                outcome.report.append(
                    {
                        "sheet": sheet,
                        "row": row,
                        "key": submission.key,
                        "reason": "already imported",
                    }
                )
        progress(0.2 + 0.8 * min(1.0, (start + CHUNK) / len(built)), "Storing submissions")
