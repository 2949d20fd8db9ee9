"""The body of `GET /api/v1/surveys/{form_id}/results/`: the aggregates of
surveys/aggregates.py, with small cells hidden so that no answer can give
a hidden count back (docs/api.md, "Field surveys").

- Primary suppression, as on the page and in the XLSX: a count from 1 to 10
  is not given (null, `suppressed: true`), nor its share or interval; a
  question (or a tehsil's row of it) with 1 to 10 answering gives no count
  at all. Unlike the XLSX, the number answering is hidden too when it is
  small: with a question asked only after a "yes", it is the count of that
  "yes".
- Secondary suppression, which the XLSX does not have: where a published
  total and the other parts of it would give a hidden count by subtraction
  (the answers of a single-choice question and the number answering; a
  tehsil's counts and the district's; the districts' coverage and the
  total), the smallest other part is hidden too, until no total reveals a
  hidden part; if no other part is left, the total is (the rule of
  monitoring/suppression.py). Zeros are shown.

What this does not stop: subtracting the answers of two date ranges, or of
two overlapping queries joined through another table. The results are for
readers of statistics, who hold a role in the districts concerned.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from ahtc.core.models import in_language
from ahtc.surveys.aggregates import SMALL, FieldSummary, Share, Summary
from ahtc.surveys.models import InstrumentVersion, Submission, Universe

Key = tuple[str, ...]
TOTAL: Key = ("total",)


@dataclass
class Table:
    """Published counts, which of them are hidden, and the sums among them."""

    counts: dict[Key, int] = field(default_factory=dict)
    hidden: set[Key] = field(default_factory=set)
    sums: list[tuple[Key, list[Key]]] = field(default_factory=list)
    # A number answering and the counts whose shares rest on it.
    rows: list[tuple[Key, list[Key]]] = field(default_factory=list)

    def add(self, key: Key, count: int) -> None:
        self.counts[key] = count
        if 0 < count < SMALL:
            self.hidden.add(key)

    def shown(self, key: Key) -> int | None:
        return None if key in self.hidden else self.counts[key]

    def protect(self) -> None:
        """Hide more until no published sum gives a hidden count back."""
        changed = True
        while changed:
            changed = self._hide_rows_on_hidden_bases()
            for total, parts in self.sums:
                changed = self._protect_sum(total, parts) or changed

    def _hide_rows_on_hidden_bases(self) -> bool:
        before = len(self.hidden)
        for base, members in self.rows:
            if base in self.hidden:
                self.hidden.update(members)
        return len(self.hidden) != before

    def _protect_sum(self, total: Key, parts: list[Key]) -> bool:
        hidden = [p for p in parts if p in self.hidden]
        shown = [p for p in parts if p not in self.hidden]
        # A hidden total with every part shown is their sum; a shown total
        # with one hidden part gives that part.
        revealing = (not hidden and bool(parts)) if total in self.hidden else len(hidden) == 1
        if not revealing:
            return False
        if shown:  # the smallest part that is not zero, else a zero
            self.hidden.add(min(shown, key=lambda p: (self.counts[p] == 0, self.counts[p])))
        else:
            self.hidden.add(total)
        return True


def _cell(path: str, tehsil: str, value: str) -> Key:
    return ("c", path, tehsil, value)


def _n(path: str, tehsil: str) -> Key:
    return ("n", path, tehsil)


def _add_row(
    table: Table, item: FieldSummary, tehsil: str, shares: list[Share], single: bool
) -> None:
    base = _n(item.path, tehsil)
    table.add(base, shares[0].n if shares else 0)
    cells = [_cell(item.path, tehsil, share.value) for share in shares]
    for key, share in zip(cells, shares, strict=True):
        table.add(key, share.count)
    table.rows.append((base, cells))
    if single:  # one answer each: the counts add up to the number answering
        table.sums.append((base, cells))


def _add_field(table: Table, item: FieldSummary, single: bool) -> None:
    if item.kind != "choices":
        table.add(_n(item.path, ""), item.n)
        return
    _add_row(table, item, "", item.shares, single)
    for tehsil, shares in item.by_tehsil:
        _add_row(table, item, tehsil, shares, single)
    tehsils = [name for name, _shares in item.by_tehsil]
    table.sums.append((_n(item.path, ""), [_n(item.path, t) for t in tehsils]))
    for share in item.shares:
        parts = [_cell(item.path, t, share.value) for t in tehsils]
        table.sums.append((_cell(item.path, "", share.value), parts))


@dataclass(frozen=True)
class Coverage:
    code: str
    name: str
    surveyed: int
    universe: int | None


def coverage(rows: QuerySet[Submission], version: InstrumentVersion) -> list[Coverage]:
    """Approved submissions per district against the known number there."""
    counted = Counter(rows.values_list("district__code", "district__name_en", "district__name_ur"))
    universes = dict(
        Universe.objects.filter(instrument_id=version.instrument_id).values_list(
            "district__code", "size"
        )
    )
    return [
        Coverage(code, in_language(en=en, ur=ur), count, universes.get(code))
        for (code, en, ur), count in sorted(counted.items())
    ]


def tehsil_codes(rows: QuerySet[Submission]) -> dict[str, str]:
    """Tehsil names as the aggregates give them (in the request's language) → codes."""
    found = rows.filter(tehsil__isnull=False).values_list(
        "tehsil__code", "tehsil__name_en", "tehsil__name_ur"
    )
    return {in_language(en=en, ur=ur): code for code, en, ur in found.distinct()}


def build_table(summary: Summary, covered: list[Coverage], types: dict[str, str]) -> Table:
    table = Table()
    table.add(TOTAL, summary.total)
    for district in covered:
        table.add(("cov", district.code), district.surveyed)
    table.sums.append((TOTAL, [("cov", d.code) for d in covered]))
    for item in summary.fields:
        _add_field(table, item, types.get(item.path) == "select_one")
    table.protect()
    return table


def _share_body(table: Table, path: str, tehsil: str, share: Share) -> dict[str, Any]:
    count = table.shown(_cell(path, tehsil, share.value))
    interval = share.interval if count is not None else None
    return {
        "value": share.value,
        "label": share.label,
        "count": count,
        "suppressed": count is None,
        "share": share.share if count is not None else None,
        "low": interval[0] if interval else None,
        "high": interval[1] if interval else None,
    }


def _shares_body(
    table: Table, path: str, tehsil: str, shares: Iterable[Share]
) -> list[dict[str, Any]]:
    return [_share_body(table, path, tehsil, share) for share in shares]


def _field_body(
    table: Table, item: FieldSummary, types: dict[str, str], codes: dict[str, str]
) -> dict[str, Any]:
    n = table.shown(_n(item.path, ""))
    numbers = item.numbers if n is not None and "median" in item.numbers else None
    return {
        "path": item.path,
        "label": item.label,
        "type": types.get(item.path, ""),
        "in_repeat": item.in_repeat,
        "n": n,
        "shares": _shares_body(table, item.path, "", item.shares),
        "by_tehsil": [
            {
                "tehsil": tehsil,
                "tehsil_code": codes.get(tehsil),
                "n": table.shown(_n(item.path, tehsil)),
                "shares": _shares_body(table, item.path, tehsil, shares),
            }
            for tehsil, shares in item.by_tehsil
        ],
        "numbers": {k: numbers[k] if numbers else None for k in ("median", "mean", "min", "max")},
    }


def results_body(
    *,
    summary: Summary,
    version: InstrumentVersion,
    rows: QuerySet[Submission],
    filters: dict[str, Any],
) -> dict[str, Any]:
    covered = coverage(rows, version)
    types = {f["path"]: f["type"] for f in version.catalogue}
    table = build_table(summary, covered, types)
    codes = tehsil_codes(rows)
    return {
        "form_id": summary.instrument.form_id,
        "version": version.number,
        **filters,
        "suppressed_below": SMALL,
        "total": table.shown(TOTAL),
        "coverage": [
            {
                "district": d.code,
                "district_name": d.name,
                "surveyed": table.shown(("cov", d.code)),
                "universe": d.universe,
                "share": (
                    d.surveyed / d.universe
                    if d.universe and table.shown(("cov", d.code)) is not None
                    else None
                ),
            }
            for d in covered
        ],
        "fields": [_field_body(table, item, types, codes) for item in summary.fields],
    }
