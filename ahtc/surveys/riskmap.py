"""The district risk map: where trafficking risk gathers, from survey, registry
and case data (docs/surveys.md, "District risk map", has the method).

Per area (the districts the user's statistics cover, or the tehsils of one),
over the last twelve months where dated:

- kiln belt: K1 = kilns in the registry (not shut) per tehsil; K2 = share
  of kiln families interviewed in approved kiln surveys who work off an
  advance (debt bondage);
- agency density: A = (agencies operating without a licence: unregistered
  or served a notice to register, + notices served in the period) per
  100,000 population;
- R = citizen reports per 100,000 population;
- C = cases opened per 100,000 population.

Each is scaled by its highest value among the areas compared (x / max, so
0..1), the kiln belt is the mean of its two parts, and the composite is
100 x the mean of the four components an area has a value for. Populations
are the area data's; an area without one is ranked on the rest, and says so.

Small numbers: reports, cases and surveyed families are about people; for a
user who sees aggregates only there (monitoring.suppression.screen_for), a
count from 1 to k-1 is shown as "fewer than k", a rate or share resting on
it is hidden, and that user's composite leaves the hidden component out (so
no hidden number can be worked back from the score). Kilns and agencies are
registered businesses and are shown as they are.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from ahtc.geography.models import Area, AreaLevel
from ahtc.monitoring.suppression import screen_for

PER = 100_000
PARTS = ("kilns", "debt", "agencies", "reports", "cases")


@dataclass
class Counts:
    kilns: int = 0
    tehsils: int = 1
    families: int = 0
    bonded: int = 0
    unlicensed: int = 0
    notices: int = 0
    reports: int = 0
    cases: int | None = 0  # None: not recorded at this level (cases have no tehsil)


@dataclass
class Shown:
    """One figure as one user's screen shows it."""

    value: float | None
    text: str
    hidden: bool = False


@dataclass
class Row:
    area: Area
    counts: Counts
    figures: dict[str, Shown] = field(default_factory=dict)
    components: dict[str, float | None] = field(default_factory=dict)
    score: float | None = None
    rank: int = 0


def _grouped(rows: QuerySet[Any], key: str) -> Counter[int]:
    return Counter({r[key]: r["n"] for r in rows.values(key).annotate(n=Count("pk"))})


def _families(areas: list[Area], key: str) -> dict[int, tuple[int, int]]:
    """(families interviewed, in debt bondage) per area from approved kiln surveys."""
    from ahtc.surveys.models import ReviewStatus, Submission

    found: dict[int, tuple[int, int]] = {}
    rows = Submission.objects.filter(
        instrument__form_id="ahtc_brick_kiln",
        status=ReviewStatus.APPROVED,
        **{f"{key}__in": areas},
    ).only(key, "data", "sealed")
    for submission in rows:
        families = [f for f in submission.answers.get("family", []) if isinstance(f, dict)]
        bonded = sum(f.get("family/debt_bondage") == "yes" for f in families)
        total, owing = found.get(getattr(submission, f"{key}_id"), (0, 0))
        found[getattr(submission, f"{key}_id")] = (total + len(families), owing + bonded)
    return found


def area_counts(areas: list[Area], since: dt.date) -> dict[int, Counts]:
    """Everything the map needs, a few grouped queries for all areas at once."""
    from ahtc.agencies.models import Agency, AgencyStatus, Notice
    from ahtc.cases.models import Case
    from ahtc.labour.models import BrickKiln, KilnStatus
    from ahtc.portal.models import Tip

    tehsil = bool(areas) and areas[0].level == AreaLevel.TEHSIL
    key = "tehsil" if tehsil else "district"
    kilns = _grouped(
        BrickKiln.objects.exclude(status=KilnStatus.SHUT).filter(**{f"{key}__in": areas}), key
    )
    unlicensed = _grouped(
        Agency.objects.filter(
            status__in=(AgencyStatus.UNREGISTERED, AgencyStatus.NOTICE_SERVED),
            **{f"{key}__in": areas},
        ),
        key,
    )
    notices = _grouped(
        Notice.objects.filter(served_on__gte=since, **{f"agency__{key}__in": areas}),
        f"agency__{key}",
    )
    reports = _grouped(
        Tip.objects.filter(created_at__date__gte=since, **{f"{key}__in": areas}), key
    )
    cases = (
        None
        if tehsil
        else _grouped(
            Case.objects.filter(created_at__date__gte=since, district__in=areas), "district"
        )
    )
    tehsils = (
        Counter()
        if tehsil
        else _grouped(Area.objects.filter(parent__in=areas, level=AreaLevel.TEHSIL), "parent")
    )
    families = _families(areas, key)
    return {
        a.pk: Counts(
            kilns=kilns[a.pk],
            tehsils=max(tehsils[a.pk], 1) if not tehsil else 1,
            families=families.get(a.pk, (0, 0))[0],
            bonded=families.get(a.pk, (0, 0))[1],
            unlicensed=unlicensed[a.pk],
            notices=notices[a.pk],
            reports=reports[a.pk],
            cases=None if cases is None else cases[a.pk],
        )
        for a in areas
    }


def _rate(count: int | None, population: int | None) -> float | None:
    if count is None or not population:
        return None
    return round(count * PER / population, 2)


def _shown(value: float | None, basis: int | None, k: int, text: str) -> Shown:
    """Hidden when it rests on 1..k-1 people (k = 0: the user sees exactly)."""
    if k and basis is not None and 0 < basis < k:
        return Shown(None, f"<{k}", hidden=True)
    return Shown(value, text if value is not None else "–")


def figures(counts: Counts, population: int | None, k: int) -> dict[str, Shown]:
    per_tehsil = round(counts.kilns / counts.tehsils, 1)
    share = counts.bonded / counts.families if counts.families else None
    agencies = _rate(counts.unlicensed + counts.notices, population)
    reports, cases = _rate(counts.reports, population), _rate(counts.cases, population)
    return {
        "kilns": Shown(per_tehsil, f"{per_tehsil:g}"),
        "debt": _shown(share, counts.families, k, f"{round((share or 0) * 100)}%"),
        "agencies": Shown(agencies, f"{agencies:g}" if agencies is not None else "–"),
        "reports": _shown(reports, counts.reports, k, f"{reports:g}" if reports else "0"),
        "cases": _shown(cases, counts.cases, k, f"{cases:g}" if cases else "0"),
    }


def _scaled(rows: list[Row], name: str) -> dict[int, float | None]:
    values = [r.figures[name].value for r in rows]
    top = max((v for v in values if v is not None), default=0.0)
    return {
        r.area.pk: (None if v is None else (v / top if top else 0.0))
        for r, v in zip(rows, values, strict=True)
    }


def score(rows: list[Row]) -> list[Row]:
    """Scale, combine and rank (the module's formula); highest risk first."""
    parts = {name: _scaled(rows, name) for name in PARTS}
    for row in rows:
        pk = row.area.pk
        belt = [v for v in (parts["kilns"][pk], parts["debt"][pk]) if v is not None]
        row.components = {
            "kilns": sum(belt) / len(belt) if belt else None,
            "agencies": parts["agencies"][pk],
            "reports": parts["reports"][pk],
            "cases": parts["cases"][pk],
        }
        known = [v for v in row.components.values() if v is not None]
        row.score = round(100 * sum(known) / len(known), 1) if known else None
    ranked = sorted(rows, key=lambda r: (r.score is None, -(r.score or 0), r.area.name_en))
    for number, row in enumerate(ranked, start=1):
        row.rank = number
    return ranked


def risk_rows(user: Any, areas: list[Area], *, today: dt.date | None = None) -> list[Row]:
    """The ranked rows for `areas`, as this user's screen shows them."""
    since = (today or timezone.localdate()) - dt.timedelta(days=365)
    counts = area_counts(areas, since)
    rows = []
    for area in areas:
        k = screen_for(user, area).k
        rows.append(Row(area, counts[area.pk], figures(counts[area.pk], area.population, k)))
    return score(rows)
