"""The bulk rows of the province-scale run (ahtc/demo/scale.py).

Each phase builds model instances in batches and writes them with
bulk_create, so encrypted fields still pass through EncryptedTextField, and
takes its keyed hashes from the services' own functions. What a service would
audit is audited here too, dated when it happened in the story.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connections, router, transaction
from django.utils.translation import gettext as _

from ahtc.core.audit import CHAIN_FIELDS
from ahtc.core.models import (
    CHAIN_LOCK_KEY,
    GENESIS_HASH,
    AuditAction,
    AuditEvent,
    AuditOutcome,
    audit_canonical,
    audit_row_hash,
)
from ahtc.demo import scale_names as names
from ahtc.demo.tips import CATEGORY_WEIGHTS, PLACES, STORIES, TRANSITS
from ahtc.people.models import Sex
from ahtc.portal.duplicates import indicators_from
from ahtc.portal.models import Channel, Tip, TipCategory, TipIndicator, TipStatus
from ahtc.portal.receipts import idempotency_hash, receipt_code_for, receipt_hash

if TYPE_CHECKING:
    from ahtc.accounts.models import User
    from ahtc.demo.scale import ScaleDistrict, ScaleRun

AUDIT_BATCH = 5_000
CASES_FROM_REPORTS = 0.8  # the rest are walk-ins, helpline calls, own initiative
SECOND_REPORT = 0.1  # cases with a second report linked to them
CHILD_CATEGORIES = {TipCategory.CHILD_LABOUR, TipCategory.FORCED_BEGGING}
TIP_STATUS = [
    (3, {TipStatus.NEW: 60, TipStatus.TRIAGED: 30, TipStatus.NOT_ACTIONABLE: 5}),
    (
        60,
        {
            TipStatus.NEW: 10,
            TipStatus.TRIAGED: 40,
            TipStatus.NOT_ACTIONABLE: 25,
            TipStatus.DUPLICATE: 10,
            TipStatus.REFERRED: 15,
        },
    ),
    (
        10**6,
        {
            TipStatus.NEW: 2,
            TipStatus.TRIAGED: 8,
            TipStatus.NOT_ACTIONABLE: 50,
            TipStatus.DUPLICATE: 20,
            TipStatus.REFERRED: 20,
        },
    ),
]
CLOSED_TIP = {TipStatus.NOT_ACTIONABLE, TipStatus.DUPLICATE, TipStatus.REFERRED}


@dataclass(slots=True)
class TipSpec:
    district: int
    at: dt.datetime
    category: str
    case: int = -1
    pk: int = 0


@dataclass(slots=True)
class CaseSpec:
    district: int
    opened: dt.datetime
    category: str
    tip: int = -1
    more_tips: list[int] = field(default_factory=list)
    victims: int = 0
    others: int = 0
    pk: int = 0


def _zipf(n: int, s: float = 1.1) -> list[float]:
    weights = [1 / (i + 1) ** s for i in range(n)]
    return [sum(weights[: i + 1]) for i in range(n)]


MALE_CW, FEMALE_CW, FAMILY_CW = (
    _zipf(len(names.MALE)),
    _zipf(len(names.FEMALE)),
    _zipf(len(names.FAMILY)),
)


def weighted(rng: random.Random, table: dict[Any, int]) -> Any:
    return rng.choices(list(table), weights=list(table.values()))[0]


def by_age(rng: random.Random, table: list[tuple[int, dict[Any, int]]], days: int) -> Any:
    return weighted(rng, next(weights for limit, weights in table if days < limit))


def cap(moment: dt.datetime, run: ScaleRun) -> dt.datetime:
    return min(moment, run.now - dt.timedelta(minutes=5))


def day_cap(day: dt.date, run: ScaleRun) -> dt.date:
    return min(day, run.now.date())


def person_name(rng: random.Random, sex: str) -> tuple[str, str]:
    pool, cw = (names.FEMALE, FEMALE_CW) if sex == Sex.FEMININE else (names.MALE, MALE_CW)
    given = rng.choices(pool, cum_weights=cw)[0]
    family = rng.choices(names.FAMILY, cum_weights=FAMILY_CW)[0]
    if given[0] == "Muhammad" and rng.random() < 0.7:  # "Muhammad Bilal Khan"
        second = rng.choices(names.MALE[1:], cum_weights=MALE_CW[1:])[0]
        given = (f"{given[0]} {second[0]}", f"{given[1]} {second[1]}")
    return f"{given[0]} {family[0]}", f"{given[1]} {family[1]}"


def phone(rng: random.Random) -> str:
    return f"03{rng.randint(0, 49):02d}-{rng.randint(0, 9_999_999):07d}"


# --- planning -----------------------------------------------------------------------------


def plan(run: ScaleRun) -> tuple[list[TipSpec], list[CaseSpec]]:
    """Which reports exist, when and where, and which of them lead to cases."""
    from ahtc.demo.scale import apportion

    rng = run.rng("plan")
    sizes, span = run.sizes, (run.now - run.start).total_seconds() - 3600
    per_district = apportion(sizes.reports, run.weights, minimum=1)
    categories = dict(CATEGORY_WEIGHTS)
    tips = [
        TipSpec(d, run.start + dt.timedelta(seconds=rng.random() * span), weighted(rng, categories))
        for d, count in enumerate(per_district)
        for _n in range(count)
    ]
    tips.sort(key=lambda t: (t.at, t.district))
    cases_per = apportion(sizes.cases, per_district, minimum=1)
    old_enough: list[list[int]] = [[] for _d in per_district]
    for i, tip in enumerate(tips):
        if tip.at < run.now - dt.timedelta(days=2):
            old_enough[tip.district].append(i)
    cases: list[CaseSpec] = []
    for d, count in enumerate(cases_per):
        eligible = old_enough[d]
        from_tips = min(round(count * CASES_FROM_REPORTS), len(eligible))
        chosen = rng.sample(
            eligible, min(len(eligible), from_tips + round(from_tips * SECOND_REPORT))
        )
        for n in range(count):
            if n < from_tips:
                tip = tips[chosen[n]]
                opened = cap(tip.at + dt.timedelta(hours=rng.randint(2, 240)), run)
                cases.append(CaseSpec(d, opened, tip.category, tip=chosen[n]))
            else:
                moment = run.start + dt.timedelta(seconds=rng.random() * span)
                cases.append(CaseSpec(d, moment, weighted(rng, categories)))
        mine = cases[len(cases) - count : len(cases) - count + from_tips]
        for extra in chosen[from_tips:]:
            mine[rng.randrange(len(mine))].more_tips.append(extra)
    cases.sort(key=lambda c: (c.opened, c.district))
    for n, spec in enumerate(cases):
        for i in [spec.tip, *spec.more_tips] if spec.tip >= 0 else spec.more_tips:
            tips[i].case = n
    for _n in range(sizes.records):
        cases[rng.randrange(len(cases))].victims += 1
    for _n in range(sizes.case_others):
        cases[rng.randrange(len(cases))].others += 1
    return tips, cases


# --- the audit chain ------------------------------------------------------------------------


# The canonical fields (core.audit.CHAIN_FIELDS), then the two hashes.
AUDIT_COLUMNS = (*CHAIN_FIELDS, "prev_hash", "row_hash")


class AuditWriter:
    """Audit rows for what the services would have audited, written in batches
    and linked into the hash chain exactly as AuditEvent.save links one row:
    under the chain lock, each row's prev_hash the hash of the newest row, its
    row_hash from core.models.audit_canonical. A million rows through model
    instances would take minutes, so rows are tuples inserted with one
    statement per batch (AuditEvent.objects refuses bulk inserts so that
    nothing bypasses the chain; these rows are chained here)."""

    def __init__(self, run: ScaleRun) -> None:
        self.run = run
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0

    def add(
        self,
        *,
        at: dt.datetime,
        actor: User | None,
        action: str,
        object_type: str = "",
        object_id: int | str = "",
        area_code: str = "",
        reason: str = "",
        outcome: str = AuditOutcome.ALLOWED,
    ) -> None:
        actor_id, label = (actor.pk, actor.get_username()) if actor else (None, "")
        self.rows.append(
            (at, actor_id, label, str(action), str(outcome), object_type, str(object_id),
             area_code, reason[:500])
        )  # fmt: skip
        if len(self.rows) >= AUDIT_BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        using = router.db_for_write(AuditEvent)
        connection = connections[using]
        with transaction.atomic(using=using), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
            head = (
                AuditEvent.objects.using(using)
                .exclude(row_hash="")
                .order_by("-id")
                .values_list("row_hash", flat=True)
                .first()
            )
            cursor.executemany(
                _insert_sql(connection), self._chained(head or GENESIS_HASH, connection)
            )
        self.written += len(self.rows)
        self.rows = []
        self.run.counts["audit_events"] = self.written
        total = max(self.run.sizes.audit_events, self.written)
        self.run.report(self.written, total, _("audit events"))

    def _chained(self, previous: str, connection: Any) -> list[tuple[Any, ...]]:
        at_field = AuditEvent._meta.get_field("at")
        chained = []
        for row in self.rows:
            canonical = audit_canonical(**dict(zip(CHAIN_FIELDS, row, strict=True)))
            row_hash = audit_row_hash(previous, canonical)
            stored_at = at_field.get_db_prep_save(row[0], connection)
            chained.append((stored_at, *row[1:], previous, row_hash))
            previous = row_hash
        return chained


def _insert_sql(connection: Any) -> str:
    meta = AuditEvent._meta
    column = {f.attname: f.column for f in meta.concrete_fields}
    columns = [column[name] for name in AUDIT_COLUMNS]
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608


# --- citizen reports ----------------------------------------------------------------------


class Agents:
    """Made-up agents per district, a few of them named in many reports (as
    real busy agents are), plus some working across districts."""

    def __init__(self, rng: random.Random, run: ScaleRun, per_district: Sequence[int]) -> None:
        self.rng = rng
        self.province = [self._agent() for _n in range(max(5, run.sizes.reports // 1000))]
        self.local = [[self._agent() for _n in range(max(5, n // 6))] for n in per_district]

    def _agent(self) -> tuple[str, str, str]:
        name = person_name(self.rng, Sex.MASCULINE)[0]
        agency = f"{self.rng.choice(names.AGENCY_WORDS)} {self.rng.choice(names.AGENCY_KINDS)}"
        return name, agency, phone(self.rng)

    def pick(self, district: int) -> tuple[str, str, str]:
        pool = self.province if self.rng.random() < 0.1 else self.local[district]
        return pool[int(len(pool) * self.rng.random() ** 2.5)]

    def involved(self, district: int) -> str:
        name, agency, phone = self.pick(district)
        roll = self.rng.random()
        if roll < 0.15:
            return ""
        if roll < 0.30:
            return phone
        if roll < 0.46:
            return name
        if roll < 0.88:
            return f"{name}, {phone}"
        return f"{name} of {agency}, {phone}"


def story(rng: random.Random, category: str) -> str:
    return STORIES[TipCategory(category)].format(
        amount=f"{rng.randint(8, 45) * 100_000:,}",
        place=rng.choice(PLACES),
        transit=rng.choice(TRANSITS),
        age=rng.randint(9, 15),
        months=rng.randint(2, 14),
    )


def _tip(run: ScaleRun, rng: random.Random, spec: TipSpec, token: str, agents: Agents) -> Tip:
    district = run.districts[spec.district]
    channel = weighted(rng, {Channel.WEB: 70, Channel.HELPLINE: 20, Channel.IN_PERSON: 10})
    days = (run.now - spec.at).days
    status = TipStatus.TRIAGED if spec.case >= 0 else by_age(rng, TIP_STATUS, days)
    acknowledged = closed = None
    if status != TipStatus.NEW:
        acknowledged = cap(spec.at + dt.timedelta(hours=rng.randint(1, 30)), run)
    if status in CLOSED_TIP and acknowledged:
        closed = cap(acknowledged + dt.timedelta(days=rng.randint(0, 20)), run)
    officer = rng.choice(district.officers)
    code = receipt_code_for(token)
    return Tip(
        idempotency_hash=idempotency_hash(token),
        receipt_hash=receipt_hash(code),
        channel=channel,
        category=spec.category,
        district=district.area,
        tehsil_id=rng.choice(district.tehsils) if district.tehsils and rng.random() < 0.8 else None,
        place=rng.choice(["", "", "near the bus stand", "main bazaar", "the brick kiln road"]),
        description=story(rng, spec.category),
        involved=agents.involved(spec.district),
        contact=phone(rng) if rng.random() < 0.1 else "",
        child_involved="yes" if spec.category in CHILD_CATEGORIES else "unknown",
        danger_now=rng.random() < 0.06,
        status=status,
        assigned_to=officer if status == TipStatus.TRIAGED and rng.random() < 0.6 else None,
        recorded_by=officer if channel != Channel.WEB else None,
        acknowledged_at=acknowledged,
        closed_at=closed,
        created_at=spec.at,
    )


def reports(run: ScaleRun, tips: list[TipSpec], audit: AuditWriter) -> None:
    rng = run.rng("reports")
    counts = [0] * len(run.districts)
    for spec in tips:
        counts[spec.district] += 1
    agents = Agents(rng, run, counts)
    offset = Tip.objects.count()
    for start in range(0, len(tips), 2_000):
        batch = tips[start : start + 2_000]
        rows = [
            _tip(run, rng, spec, f"scale:{run.seed}:{offset + start + n}", agents)
            for n, spec in enumerate(batch)
        ]
        Tip.objects.bulk_create(rows)
        indicators = []
        for spec, row in zip(batch, rows, strict=True):
            spec.pk = row.pk
            found = sorted(indicators_from(f"{row.involved}\n{row.contact}"))
            indicators += [
                TipIndicator(tip=row, kind=k, value_hash=v, district_id=row.district_id)
                for k, v in found
            ]
            _audit_tip(audit, run.districts[spec.district], row)
        TipIndicator.objects.bulk_create(indicators)
        run.counts["reports"] += len(rows)
        run.counts["indicators"] += len(indicators)
        run.report(start + len(batch), len(tips), _("citizen reports"))


def _audit_tip(audit: AuditWriter, district: ScaleDistrict, tip: Tip) -> None:
    if tip.recorded_by is not None:
        audit.add(
            at=tip.created_at,
            actor=tip.recorded_by,
            action=AuditAction.CREATE,
            object_type="portal.tip",
            object_id=tip.pk,
        )
    if tip.acknowledged_at is not None:
        officer = tip.assigned_to or tip.recorded_by or district.officers[0]
        audit.add(
            at=tip.closed_at or tip.acknowledged_at,
            actor=officer,
            action=AuditAction.UPDATE,
            object_type="portal.tip",
            object_id=tip.pk,
            reason=f"status {tip.status}",
        )
