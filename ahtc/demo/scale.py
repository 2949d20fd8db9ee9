"""Province-scale synthetic data: `ahtc demo --scale province` (issue 19).

Starts from the normal demo (areas, personas, legal catalogue), onboards every
district of the province, then adds citizen reports, cases, people,
protection records, referrals, follow-ups and audit events in the proportions
measured in the province trial (REFERENCE), over `years` years up to today.

Rows are written with bulk_create in batches, but through the app's models
and with the services' own rules: encrypted fields pass through the field,
keyed hashes (receipts, indicators, identifiers) come from the same functions
the services use, case and victim numbers advance the row-locked counters,
statuses agree with their dates and proceedings, and the audit rows are linked
into the hash chain exactly as `audit_record` would link them (ahtc.demo
.scale_rows.AuditWriter). Every random choice comes from one seed: the same
seed and sizes give the same rows, dated back from the day of the run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.accounts.models import Organisation, OrganisationKind, User
from ahtc.accounts.roles import Role
from ahtc.accounts.services import role_grant
from ahtc.cases.models import Case
from ahtc.cases.references import CASE_PREFIXES
from ahtc.core.audit import audit_record
from ahtc.core.errors import RuleError
from ahtc.core.models import AuditAction
from ahtc.demo.build import DemoContext, demo_build
from ahtc.demo.gateway import ORGANISATION as GATEWAY_ORGANISATION
from ahtc.demo.personas import DEMO_PASSWORD, DISTRICTS, PERSONAS
from ahtc.demo.tips import TIPS_PER_DISTRICT
from ahtc.geography.models import Area, AreaLevel, PoliceStation
from ahtc.geography.services import police_station_import_csv
from ahtc.onboarding.models import DistrictRollout
from ahtc.onboarding.services import district_onboard
from ahtc.people.models import Person
from ahtc.portal.models import Tip
from ahtc.portal.receipts import idempotency_hash
from ahtc.victims.models import ProviderProfile, ServiceType
from ahtc.victims.services import provider_profile_save

# The province trial of issue 19 (PostgreSQL 15, 41 districts, 3 years).
REFERENCE = {
    "reports": 200_335,
    "indicators": 467_000,
    "cases": 20_028,
    "people": 50_545,
    "records": 20_111,
    "referrals": 36_246,
    "follow_ups": 80_444,
    "audit_events": 1_002_938,
}
BUSY_DISTRICT = "PK620"  # Mandi Bahauddin
BUSY_SHARE = 0.35
BATCH = 2_000
OTHERS_PER_CASE = 4  # suspects, complainants, witnesses a case names on average, at most
SCALE_USER_PREFIX = "scale_"
# What each onboarded partner offers in the service directory.
PROVIDER_SERVICES = {
    OrganisationKind.CHILD_PROTECTION: [
        ServiceType.SOCIAL_CARE,
        ServiceType.SHELTER,
        ServiceType.PSYCHOSOCIAL,
    ],
    OrganisationKind.SOCIAL_WELFARE: [
        ServiceType.FINANCIAL,
        ServiceType.SOCIAL_CARE,
        ServiceType.LIVELIHOOD,
    ],
    OrganisationKind.HEALTH: [ServiceType.HEALTH, ServiceType.PSYCHOSOCIAL],
    OrganisationKind.EDUCATION: [ServiceType.EDUCATION, ServiceType.LIVELIHOOD],
    OrganisationKind.LABOUR: [ServiceType.LIVELIHOOD, ServiceType.FINANCIAL],
}


class ScaleError(RuleError):
    """The scale run cannot start; the message says why and what to do."""


@dataclass(frozen=True)
class ScaleSizes:
    reports: int
    cases: int
    people: int
    records: int
    referrals: int
    audit_events: int
    years: int = 3

    @property
    def case_others(self) -> int:
        """Suspects, complainants and witnesses named in the cases: the people
        who are not victims, at most OTHERS_PER_CASE a case on average."""
        return min(max(0, self.people - self.records), OTHERS_PER_CASE * self.cases)

    @property
    def registry(self) -> int:
        """People beyond what the cases name: in the register without a case
        (survey respondents, kiln workers, agency staff, people searched for)."""
        return max(0, self.people - self.records - self.case_others)

    @property
    def follow_ups(self) -> int:
        from ahtc.victims.services import FOLLOW_UP_MONTHS

        return self.records * len(FOLLOW_UP_MONTHS)

    @classmethod
    def province(
        cls,
        *,
        factor: float = 1.0,
        reports: int | None = None,
        cases: int | None = None,
        people: int | None = None,
        records: int | None = None,
        years: int = 3,
    ) -> ScaleSizes:
        """The trial's sizes times `factor`; explicit sizes win, and the rows
        that hang off them (records, referrals, audit) keep the trial's ratios."""
        if factor <= 0:
            raise ScaleError(_("The factor must be more than 0."))
        if not 1 <= years <= 10:
            raise ScaleError(_("Years must be between 1 and 10."))
        r = reports if reports is not None else round(REFERENCE["reports"] * factor)
        c = cases if cases is not None else round(REFERENCE["cases"] * factor)
        p = people if people is not None else round(REFERENCE["people"] * factor)
        if r < 1 or c < 1 or p < 1:
            raise ScaleError(_("Reports, cases and people must each be at least 1."))
        if c > r:
            raise ScaleError(_("There cannot be more cases than reports."))
        if records is None:
            records = round(p * REFERENCE["records"] / REFERENCE["people"])
        if not 0 <= records <= p:
            raise ScaleError(_("Protection records must be between 0 and the number of people."))
        return cls(
            reports=r,
            cases=c,
            people=p,
            records=records,
            referrals=round(records * REFERENCE["referrals"] / REFERENCE["records"]),
            audit_events=round(r * REFERENCE["audit_events"] / REFERENCE["reports"]),
            years=years,
        )


@dataclass
class ScaleDistrict:
    area: Area
    prefix: str
    officers: list[User]
    tehsils: list[int]
    stations: list[int]
    # (provider organisation id, service, accepts children)
    offers: list[tuple[int, str, bool]]
    provider_users: dict[int, User]
    cpb: int | None


@dataclass
class ScaleRun:
    sizes: ScaleSizes
    seed: int
    progress: Callable[[str], None]
    districts: list[ScaleDistrict] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    now: dt.datetime = field(default_factory=timezone.now)

    def rng(self, phase: str) -> random.Random:
        """One generator per phase, so a phase's rows do not depend on how
        many random numbers an earlier phase drew."""
        return random.Random(f"{self.seed}:{phase}")

    @property
    def start(self) -> dt.datetime:
        return self.now - dt.timedelta(days=365 * self.sizes.years)

    def report(self, done: int, total: int, what: str) -> None:
        self.progress(
            _("%(done)s of %(total)s %(what)s…")
            % {
                "done": f"{done:,}",
                "total": f"{total:,}",
                "what": what,
            }
        )


@dataclass(frozen=True)
class ScaleResult:
    context: DemoContext
    counts: dict[str, int]
    seconds: float
    now: dt.datetime  # the dates run back from here
    # Rows in the main tables after the demo and onboarding, before the bulk rows.
    base_counts: dict[str, int]


# --- refusing to mix with other data ----------------------------------------------------


def _demo_usernames() -> set[str]:
    return {p.username for p in PERSONAS} | {d.head for d in DISTRICTS}


def _demo_tip_hashes() -> list[str]:
    """The demo's own reports, by the client tokens its builders submit them
    with (tips.py, safeguards.py, victims.py); test_scale fails if they drift."""
    from ahtc.demo.safeguards import HELD

    def token(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    tokens = [
        token(f"demo-tip:{code}:{n}")
        for code, count in TIPS_PER_DISTRICT.items()
        for n in range(count)
    ]
    tokens += [token(f"demo-tip:{BUSY_DISTRICT}:{1000 + n}") for n in range(8)]
    tokens += [token(f"demo-held:{n}") for n in range(len(HELD))]
    tokens += ["demo-reappearance-0001"]
    return [idempotency_hash(t) for t in tokens]


def scale_refusal() -> str:
    """Why the scale data would mix with data that is neither the demo's nor an
    earlier scale run's (or with an earlier scale run); "" when it would not."""
    demo_users = _demo_usernames()
    others = ~Q(opened_by__username__in=demo_users)
    if Case.objects.filter(opened_by__username__startswith=SCALE_USER_PREFIX).exists():
        return _(
            "This database already holds a province-scale run. Start from an empty "
            "database, or add --force to add another run on top of it."
        )
    foreign = {
        "reports": Tip.objects.exclude(idempotency_hash__in=_demo_tip_hashes())
        .exclude(partner__name_en=GATEWAY_ORGANISATION)  # the demo's SMS gateway
        .count(),
        "cases": Case.objects.filter(others).count(),
        "people": Person.objects.exclude(created_by__username__in=demo_users).count(),
    }
    if not any(foreign.values()):
        return ""
    return _(
        "This database holds data that is not from the demo (%(reports)s citizen reports, "
        "%(cases)s cases, %(people)s people). The province-scale data would mix with it. "
        "Use an empty database, or add --force to add the data anyway."
    ) % {key: f"{value:,}" for key, value in foreign.items()}


# --- base data: the demo, every district onboarded, actors and providers ----------------


def _onboard_all(run: ScaleRun) -> None:
    onboarded = set(DistrictRollout.objects.values_list("district_id", flat=True))
    for district in Area.objects.current().filter(level=AreaLevel.DISTRICT).order_by("code"):
        if district.pk in onboarded:
            continue
        result = district_onboard(
            district=district,
            head_password=DEMO_PASSWORD,
            established_on=run.start.date(),
        )
        from ahtc.onboarding.services import rollout_update

        rollout_update(rollout=result.rollout, live_on=run.start.date())


def _stations(districts: Sequence[Area]) -> None:
    """One police station per tehsil where the district has none listed, through
    the same CSV import as real station lists."""
    have = set(PoliceStation.objects.values_list("tehsil__parent_id", flat=True))
    lines = ["code,tehsil_code,name_en,name_ur"]
    for district in districts:
        if district.pk in have:
            continue
        for tehsil in district.children.current().order_by("code"):
            lines.append(
                f"PS-{tehsil.code},{tehsil.code},City {tehsil.name_en} (synthetic),"
                f"سٹی {tehsil.name_ur}"
            )
    if len(lines) > 1:
        import io

        police_station_import_csv(source=io.StringIO("\n".join(lines) + "\n"))


def _scale_user(username: str, organisation: Organisation, role: Role, area: Area) -> User:
    """An actor for the synthetic rows. It has no usable password: nobody signs
    in as it (the demo personas and cell heads are for signing in)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, organisation=organisation, display_name=username)
        user.set_unusable_password()
        user.save()
        audit_record(actor=None, action=AuditAction.CREATE, target=user, area_code=area.code)
        role_grant(user=user, role=role, area=area)
    return user


def _providers(district: Area) -> list[Organisation]:
    orgs = list(
        Organisation.objects.filter(
            area=district, kind__in=list(PROVIDER_SERVICES), is_active=True
        ).order_by("pk")
    )
    for org in orgs:
        if not ProviderProfile.objects.filter(organisation=org).exists():
            provider_profile_save(
                organisation=org,
                by=None,
                services=[str(s) for s in PROVIDER_SERVICES[OrganisationKind(org.kind)]],
                address=_("District headquarters (synthetic address)"),
                contact_person=_("Duty officer (synthetic)"),
            )
    return orgs


PERSONA_OFFICERS = ["io_mbdin", "officer_gujrat", "officer_mbdin"]


def _district(area: Area, cell: Organisation) -> ScaleDistrict:
    """The district's actors: a scale officer, the demo's officers where the
    district has them (so their own lists are full), and a user per provider."""
    code = area.code.lower()
    officers = [_scale_user(f"{SCALE_USER_PREFIX}officer_{code}", cell, Role.CELL_OFFICER, area)]
    personas = User.objects.filter(organisation=cell, username__in=PERSONA_OFFICERS)
    officers += list(personas.order_by("username"))
    offers: list[tuple[int, str, bool]] = []
    provider_users: dict[int, User] = {}
    cpb = None
    for n, org in enumerate(_providers(area)):
        profile = ProviderProfile.objects.get(organisation=org)
        offers += [(org.pk, str(s), profile.accepts_children) for s in sorted(profile.services)]
        provider_users[org.pk] = User.objects.filter(organisation=org).order_by(
            "pk"
        ).first() or _scale_user(
            f"{SCALE_USER_PREFIX}provider_{code}_{n}", org, Role.AGENCY_LIAISON, area
        )
        if org.kind == OrganisationKind.CHILD_PROTECTION and cpb is None:
            cpb = org.pk if ServiceType.SOCIAL_CARE in profile.services else None
    stations = PoliceStation.objects.filter(tehsil__parent=area).order_by("code")
    return ScaleDistrict(
        area=area,
        prefix=CASE_PREFIXES.get(area.code, area.code),
        officers=officers,
        tehsils=list(area.children.current().order_by("code").values_list("pk", flat=True)),
        stations=list(stations.values_list("pk", flat=True)),
        offers=offers,
        provider_users=provider_users,
        cpb=cpb,
    )


def _base(run: ScaleRun) -> DemoContext:
    run.progress(_("Loading the demo (areas, personas, legal catalogue) ..."))
    context = demo_build()
    run.progress(_("Onboarding every district of the province ..."))
    _onboard_all(run)
    areas = list(Area.objects.current().filter(level=AreaLevel.DISTRICT).order_by("code"))
    _stations(areas)
    cells = {r.district_id: r.cell for r in DistrictRollout.objects.select_related("cell")}
    run.districts = [_district(area, cells[area.pk]) for area in areas]
    run.weights = district_weights(areas)
    return context


def district_weights(areas: Sequence[Area]) -> list[float]:
    """The busy district takes BUSY_SHARE; the others share the rest by
    population (the geography data), a long tail from Lahore to Murree."""
    rest = [a.population or 1 for a in areas if a.code != BUSY_DISTRICT]
    total = sum(rest) or 1
    return [
        BUSY_SHARE if a.code == BUSY_DISTRICT else (1 - BUSY_SHARE) * (a.population or 1) / total
        for a in areas
    ]


def apportion(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Split `total` by `weights` (largest remainder), each part at least
    `minimum` while the total allows: every district gets rows."""
    floor = minimum if total >= minimum * len(weights) else 0
    left = total - floor * len(weights)
    scale = sum(weights) or 1
    exact = [left * w / scale for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in order[: left - sum(parts)]:
        parts[i] += 1
    return [p + floor for p in parts]


# --- the run ----------------------------------------------------------------------------


def scale_build(
    *,
    sizes: ScaleSizes,
    seed: int = 1,
    force: bool = False,
    progress: Callable[[str], None] = lambda line: None,
) -> ScaleResult:
    """Build the demo and the province-scale rows in one transaction: a run
    that fails leaves nothing behind. Raises ScaleError (with the reason) on a
    database holding other data, unless `force`."""
    from ahtc.demo import scale_cases, scale_registry, scale_rows, scale_victims

    refusal = scale_refusal()
    if refusal and not force:
        raise ScaleError(refusal)
    began = time.monotonic()
    run = ScaleRun(sizes=sizes, seed=seed, progress=progress)
    with transaction.atomic():
        context = _base(run)
        base_counts = table_counts()
        audit = scale_rows.AuditWriter(run)
        tips, cases = scale_rows.plan(run)
        scale_rows.reports(run, tips, audit)
        work = scale_cases.cases(run, tips, cases, audit)
        scale_victims.records(run, work.victims, audit)
        scale_registry.people(run, audit)
        scale_victims.audit_reads(run, audit, tips, cases, work.victims)
        audit.flush()
    seconds = time.monotonic() - began
    return ScaleResult(
        context=context,
        counts=dict(run.counts),
        seconds=seconds,
        now=run.now,
        base_counts=base_counts,
    )


def table_counts() -> dict[str, int]:
    from ahtc.core.models import AuditEvent
    from ahtc.portal.models import TipIndicator
    from ahtc.victims.models import FollowUp, ProtectionRecord, Referral

    tables: dict[str, Any] = {
        "reports": Tip,
        "indicators": TipIndicator,
        "cases": Case,
        "people": Person,
        "records": ProtectionRecord,
        "referrals": Referral,
        "follow_ups": FollowUp,
        "audit_events": AuditEvent,
    }
    return {name: int(model.objects.count()) for name, model in tables.items()}


# --- the command: `ahtc demo --scale province` ------------------------------------------


def add_scale_arguments(parser: Any) -> None:
    parser.add_argument(
        "--scale",
        choices=["province"],
        help=_("add province-scale data (issue 19) on top of the demo"),
    )
    parser.add_argument(
        "--factor", type=float, default=1.0, help=_("multiply the province sizes (e.g. 0.01)")
    )
    parser.add_argument("--reports", type=int, help=_("citizen reports (default 200,335)"))
    parser.add_argument("--cases", type=int, help=_("cases (default 20,028)"))
    parser.add_argument("--people", type=int, help=_("people (default 50,545)"))
    parser.add_argument(
        "--records",
        type=int,
        help=_("protection records (default: the trial's share of the people, 40 %)"),
    )
    parser.add_argument("--years", type=int, default=3, help=_("years of data up to today"))
    parser.add_argument("--seed", type=int, default=1, help=_("the same seed gives the same rows"))
    parser.add_argument(
        "--force", action="store_true", help=_("add the data to a database that holds other data")
    )


def scale_command(command: Any, options: dict[str, Any]) -> DemoContext:
    """Run the scale build for the demo command; a refusal is a CommandError
    (the message, no traceback)."""
    from django.core.management.base import CommandError
    from django.utils import translation

    with translation.override("en"):  # like the other commands' output
        return _scale_command(command, options, CommandError)


def _scale_command(command: Any, options: dict[str, Any], error: type[Exception]) -> DemoContext:
    try:
        sizes = ScaleSizes.province(
            factor=options["factor"],
            reports=options["reports"],
            cases=options["cases"],
            people=options["people"],
            records=options.get("records"),
            years=options["years"],
        )
        command.stdout.write(
            _(
                "Province scale: %(reports)s reports, %(cases)s cases, %(people)s people "
                "(%(registry)s of them in no case), %(records)s protection records, "
                "%(referrals)s referrals, %(audit)s audit events over %(years)s years (seed %(seed)s)."
            )
            % {
                "reports": f"{sizes.reports:,}",
                "cases": f"{sizes.cases:,}",
                "people": f"{sizes.people:,}",
                "registry": f"{sizes.registry:,}",
                "records": f"{sizes.records:,}",
                "referrals": f"{sizes.referrals:,}",
                "audit": f"{sizes.audit_events:,}",
                "years": sizes.years,
                "seed": options["seed"],
            }
        )
        began = time.monotonic()

        def progress(line: str) -> None:
            command.stdout.write(f"[{time.monotonic() - began:5.0f} s] {line}")

        result = scale_build(
            sizes=sizes, seed=options["seed"], force=options["force"], progress=progress
        )
    except ScaleError as exc:
        raise error(exc.message) from exc
    for what, count in sorted(result.counts.items()):
        command.stdout.write(f"{what:<16}{count:>12,}")
    command.stdout.write(_("Done in %(seconds)s s.") % {"seconds": f"{result.seconds:.0f}"})
    return result.context
