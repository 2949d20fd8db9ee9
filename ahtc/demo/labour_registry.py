"""The labour registry of the Mandi Bahauddin year (synthetic, deterministic).

230 brick kilns, of which 44 were surveyed jointly with the Labour Department
in January and February 2025; 116 workshops surveyed with Child Protection;
100 workers recorded at the surveyed kilns. The survey's figures are not
typed anywhere: they follow from these records (`labour.indicators.
survey_figures`): 89 workers owed an advance on the day they were recorded,
98 did not know the minimum wage, 95 could not read, none had a written
contract. Owners met in March 2025 and undertook to raise wages by 20%; the
follow-up in May found 38 of the 44 paying it; ten owners also undertook
written contracts. Workers were registered with EOBI from April 2025. Thirty
workshops where children were found got a notice and an April follow-up (20
complied); eight workers are recorded there. After school enrolment,
attendance is checked each term.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from ahtc.labour import services as s
from ahtc.labour.models import (
    BrickKiln,
    ChildLabourFinding,
    Inspection,
    KilnSeason,
    KilnStatus,
    PlaceKind,
    Scheme,
    UndertakingKind,
    Worker,
    Workshop,
    WorkshopKind,
)

if TYPE_CHECKING:
    from ahtc.accounts.models import User
    from ahtc.demo.build import DemoContext
    from ahtc.geography.models import Area

KILNS = 230
SURVEYED = 44
WORKSHOPS = 116
WORKERS = 100
# The workers who did not owe an advance, who knew the minimum wage, who could read.
NOT_IN_DEBT = frozenset(n for n in range(WORKERS) if n % 9 == 4)  # 11 of 100
AWARE = frozenset({17, 58})
LITERATE = frozenset({6, 27, 48, 69, 90})
NOT_PAID = frozenset(k for k in range(SURVEYED) if k % 7 == 3)  # 6 kilns without evidence
SURVEY_START = dt.date(2025, 1, 6)
MEETING = dt.date(2025, 3, 20)
FOLLOW_UP = dt.date(2025, 5, 15)
NEXT_YEAR = dt.date(2025, 9, 15)
SHOP_KINDS = {
    PlaceKind.WORKSHOP_AUTO: WorkshopKind.AUTO,
    PlaceKind.WORKSHOP_ELECTRICAL: WorkshopKind.ELECTRICAL,
    PlaceKind.WORKSHOP_MANUFACTURING: WorkshopKind.MANUFACTURING,
    PlaceKind.WORKSHOP_OTHER: WorkshopKind.OTHER,
}
TERMS = [
    ("2025-26 T1", dt.date(2025, 6, 20)),
    ("2025-26 T2", dt.date(2025, 10, 20)),
    ("2025-26 T3", dt.date(2026, 3, 20)),
    ("2026-27 T1", dt.date(2026, 6, 20)),
    ("2026-27 T2", dt.date(2026, 10, 20)),
]
DROPS_OUT = {9: 1, 26: 2, 44: 1, 63: 3}  # child -> the term (index) the school says so
IRREGULAR = frozenset({12, 30, 51})


@dataclass
class Registry:
    kilns: list[BrickKiln] = field(default_factory=list)
    shops: dict[str, list[Workshop]] = field(default_factory=dict)

    def place_of(self, n: int, kind: str) -> tuple[BrickKiln | None, Workshop | None]:
        if kind == PlaceKind.BRICK_KILN:
            return self.kilns[n % SURVEYED], None
        shops = self.shops[SHOP_KINDS[PlaceKind(kind)]]
        return None, shops[n % len(shops)]


# Synthetic names of owners and workers: a given name and a second name,
# every one different once normalised (people/names.py drops numbers and
# initials, so "Kiln owner 001" and "Kiln owner 115" were one name to the
# matching run, which then proposed 13,000 pairs for review).
MEN = ["Tariq", "Javed", "Nadeem", "Shahid", "Khalid", "Arshad", "Pervaiz", "Zafar"]
MEN += ["Naveed", "Sajid", "Waseem", "Rashid", "Abid", "Majid", "Sohail", "Akram"]
MEN += ["Ghulam", "Sarfraz", "Maqsood", "Mushtaq", "Liaquat", "Nasir", "Riaz", "Aslam"]
WOMEN = ["Nasreen", "Shamim", "Parveen", "Rukhsana", "Kausar", "Naseem", "Razia", "Sughran"]
WOMEN += ["Bushra", "Tahira", "Nusrat", "Zubaida"]
SECOND = ["Iqbal", "Saleem", "Mehmood", "Akhtar", "Rafiq", "Bashir", "Latif", "Hanif"]
SECOND += ["Yousaf", "Anwar", "Siddique", "Ashraf", "Hameed", "Rasheed", "Sabir", "Nazir"]
SECOND += ["Habib", "Sadiq", "Shafi", "Jamil", "Taj", "Din", "Fazal", "Karim"]


def person_name(n: int, *, feminine: bool = False) -> str:
    """The n-th synthetic name (576 different men's, 288 women's)."""
    first = WOMEN if feminine else MEN
    given = first[n % len(first)]
    return f"{given} {SECOND[(n // len(first) + n) % len(SECOND)]} (demo)"


def _kilns(ctx: DemoContext, district: Area, tehsils: list[Area]) -> list[BrickKiln]:
    officer: User = ctx.users["officer_mbdin"]
    kilns: list[BrickKiln] = []
    for k in range(KILNS):
        registered = k % 3 == 0
        kiln = s.kiln_create(
            district=district,
            by=officer,
            tehsil=tehsils[k % len(tehsils)] if tehsils else None,
            owner=kilns[k - 1].owner if k % 2 else None,  # most owners have two kilns
            owner_name=person_name(k // 2),
            location=f"Kiln no. {k + 1}, village road (demo place)",
            capacity=15000 + (k % 6) * 2500,
            season=KilnSeason.DRY_SEASON if k % 5 else KilnSeason.YEAR_ROUND,
            labour_registration=f"LD-MBD-{k + 1:04d}" if registered else "",
            registered_on=dt.date(2023, 10, 1) + dt.timedelta(days=k) if registered else None,
        )
        kilns.append(kiln)
    BrickKiln.objects.filter(pk__in=[kilns[k].pk for k in (200, 211)]).update(
        status=KilnStatus.SEALED
    )
    return kilns


def _workshops(ctx: DemoContext, district: Area, tehsils: list[Area]) -> dict[str, list[Workshop]]:
    officer: User = ctx.users["officer_mbdin"]
    kinds = list(WorkshopKind)
    shops: dict[str, list[Workshop]] = {kind: [] for kind in kinds}
    for w in range(WORKSHOPS):
        kind = kinds[w % len(kinds)]
        shop = s.workshop_create(
            district=district,
            by=officer,
            kind=kind,
            tehsil=tehsils[w % len(tehsils)] if tehsils else None,
            owner_name=person_name(KILNS // 2 + 1 + w),
            location=f"Workshop no. {w + 1}, main bazaar (demo place)",
        )
        s.inspection_record(
            by=officer,
            workshop=shop,
            kind="survey",
            inspected_on=SURVEY_START + dt.timedelta(days=w % 60),
            with_child_protection=True,
            violations=["children_working", "unsafe"] if w % 3 else ["unsafe"],
        )
        shops[kind].append(shop)
    return shops


def _base_wage(k: int) -> Decimal:
    return Decimal(30000 + (k % 6) * 1000)


def _survey(ctx: DemoContext, kilns: list[BrickKiln]) -> None:
    """The joint survey of 44 kilns: inspection, wages seen, a notice each."""
    officer: User = ctx.users["officer_mbdin"]
    for k, kiln in enumerate(kilns[:SURVEYED]):
        day = SURVEY_START + dt.timedelta(days=k)
        survey = s.inspection_record(
            by=officer,
            kiln=kiln,
            kind="survey",
            inspected_on=day,
            with_labour=True,
            with_child_protection=k % 2 == 0,
            violations=["below_minimum_wage", "no_contract", "no_social_security", "bonded_labour"],
        )
        s.wage_record(
            kiln=kiln,
            by=officer,
            observed_on=day,
            basis="monthly",
            amount=_base_wage(k),
            evidence="statements",
            inspection=survey,
        )
        s.notice_issue(
            inspection=survey,
            by=officer,
            issued_on=day,
            about="Pay the notified minimum wage; give written contracts (demo)",
            comply_by=dt.date(2025, 5, 31),
        )


def _workers(ctx: DemoContext, kilns: list[BrickKiln]) -> list[Worker]:
    officer: User = ctx.users["officer_mbdin"]
    workers = []
    for n in range(WORKERS):
        k = n % SURVEYED
        recorded = SURVEY_START + dt.timedelta(days=k)
        worker = s.worker_add(
            by=officer,
            kiln=kilns[k],
            # Numbered after the owners: never an owner's name.
            name_latin=person_name(KILNS // 2 + 1 + WORKSHOPS + n, feminine=not n % 4),
            sex="masculine" if n % 4 else "feminine",
            age_years=20 + n % 35,
            recorded_on=recorded,
            family_members=1 + n % 5,
            literate=n in LITERATE,
            knows_minimum_wage=n in AWARE,
        )
        _advances(officer, n, worker, recorded)
        workers.append(worker)
    return workers


def _advances(officer: User, n: int, worker: Worker, recorded: dt.date) -> None:
    given = dt.date(2024, 9, 1) + dt.timedelta(days=n)
    amount = 15000 + (n * 37 % 50) * 1000  # Rs 15,000 to 64,000: some above the limit
    if n in NOT_IN_DEBT and n % 2:
        return  # never took an advance
    s.advance_record(worker=worker, by=officer, amount=amount, given_on=given)
    if n in NOT_IN_DEBT:  # paid off before the survey
        s.repayment_record(
            worker=worker,
            by=officer,
            amount=amount,
            paid_on=recorded - dt.timedelta(days=3),
            method="deducted",
        )
    elif n % 3 == 0:
        s.repayment_record(
            worker=worker, by=officer, amount=5000, paid_on=dt.date(2025, 6, 30), method="deducted"
        )


def _agreement(ctx: DemoContext, district: Area, kilns: list[BrickKiln]) -> None:
    """Owners undertake a 20% rise; the follow-up finds who pays it."""
    officer: User = ctx.users["officer_mbdin"]
    labour: User = ctx.users["labour_liaison"]
    meeting = s.owner_meeting_record(
        district=district,
        by=officer,
        held_on=MEETING,
        place="District Council hall (demo)",
        owners_present=SURVEYED,
    )
    for k, kiln in enumerate(kilns[:SURVEYED]):
        rise = s.undertaking_record(
            kiln=kiln,
            by=officer,
            kind=UndertakingKind.RAISE_WAGES,
            meeting=meeting,
            given_on=MEETING,
            due_by=dt.date(2025, 5, 31),
            basis="monthly",
            base_amount=_base_wage(k),
            increase_percent=20,
        )
        survey = kiln.inspections.get(kind="survey")
        check = s.inspection_record(
            by=labour,
            kiln=kiln,
            kind="follow_up",
            inspected_on=FOLLOW_UP,
            with_labour=True,
            follow_up_of=survey,
            violations=["no_contract"] if k not in NOT_PAID else ["below_minimum_wage"],
        )
        paid = s.target_of(rise) if k not in NOT_PAID else _base_wage(k)
        s.wage_record(
            kiln=kiln,
            by=labour,
            observed_on=FOLLOW_UP,
            basis="monthly",
            amount=paid or _base_wage(k),
            evidence="wage_register" if k not in NOT_PAID else "statements",
            inspection=check,
        )
        if k not in NOT_PAID:
            s.notice_complied(notice=survey.notices.get(), by=labour, complied_on=FOLLOW_UP)
            amount = Decimal(40000) if k % 5 else (paid or _base_wage(k))
            s.wage_record(
                kiln=kiln,
                by=labour,
                observed_on=NEXT_YEAR,
                basis="monthly",
                amount=amount,
                evidence="pay_slips",
            )


def _schemes(ctx: DemoContext, workers: list[Worker]) -> None:
    """EOBI for the first time in the district: 80 applied, 60 registered, 40 cards."""
    officer: User = ctx.users["officer_mbdin"]
    eobi, bisp = Scheme.objects.get(code="eobi"), Scheme.objects.get(code="bisp")
    for n, worker in enumerate(workers):
        if n % 5 == 0:
            continue
        applied = dt.date(2025, 4, 10) + dt.timedelta(days=n % 10)
        entry = s.scheme_apply(worker=worker, scheme=eobi, by=officer, applied_on=applied)
        if n % 5 in (1, 2, 3):
            entry = s.scheme_advance(
                enrolment=entry, by=officer, status="registered", on=dt.date(2025, 6, 15)
            )
        if n % 5 in (1, 2):
            s.scheme_advance(
                enrolment=entry, by=officer, status="card_issued", on=dt.date(2025, 8, 20)
            )
        if n % 10 == 7:
            family = s.scheme_apply(worker=worker, scheme=bisp, by=officer, applied_on=applied)
            s.scheme_advance(
                enrolment=family, by=officer, status="registered", on=dt.date(2025, 7, 1)
            )


SHOP_FOLLOW_UP = dt.date(2025, 4, 15)
SHOP_WORKERS = 8  # workers recorded at the first workshops where children were found


def _workshop_follow_ups(ctx: DemoContext, shops: dict[str, list[Workshop]]) -> None:
    """Where children were found at the survey, a notice to withdraw them and a
    follow-up with the Labour Department in April: two of every three comply.
    A few workers are recorded at those workshops (not part of the kiln survey)."""
    officer: User = ctx.users["officer_mbdin"]
    labour: User = ctx.users["labour_liaison"]
    surveys = Inspection.objects.filter(
        workshop__in=[w.pk for kind in shops.values() for w in kind], kind="survey"
    ).select_related("workshop")
    found = [
        i for i in surveys.order_by("workshop__reference") if "children_working" in i.violations
    ]
    for n, survey in enumerate(found[:30]):
        shop = survey.workshop
        assert shop is not None  # noqa: S101 - a workshop's survey
        notice = s.notice_issue(
            inspection=survey,
            by=officer,
            issued_on=survey.inspected_on,
            about="Withdraw the children from work (demo)",
            comply_by=dt.date(2025, 3, 31),
        )
        complied = n % 3 != 2
        s.inspection_record(
            by=labour,
            workshop=shop,
            kind="follow_up",
            inspected_on=SHOP_FOLLOW_UP,
            with_labour=True,
            with_child_protection=True,
            follow_up_of=survey,
            violations=[] if complied else ["children_working"],
        )
        if complied:
            s.notice_complied(notice=notice, by=labour, complied_on=SHOP_FOLLOW_UP)
        if n < SHOP_WORKERS:
            s.worker_add(
                by=labour,
                workshop=shop,
                name_latin=f"Workshop worker {n + 1:03d} (demo)",
                sex="masculine",
                age_years=25 + n,
                recorded_on=SHOP_FOLLOW_UP,
                written_contract=n % 4 == 0,
                literate=n % 2 == 0,
            )


def _contract_undertakings(ctx: DemoContext, kilns: list[BrickKiln]) -> None:
    """At the owners' meeting, ten owners also undertook written contracts."""
    officer: User = ctx.users["officer_mbdin"]
    for kiln in kilns[:10]:
        s.undertaking_record(
            kiln=kiln,
            by=officer,
            kind=UndertakingKind.WRITTEN_CONTRACTS,
            meeting=kiln.undertakings.get().meeting,
            given_on=MEETING,
            due_by=dt.date(2025, 6, 30),
        )


def build_registry(ctx: DemoContext, district: Area, tehsils: list[Area]) -> Registry:
    from ahtc.labour.reference import reference_data_ensure

    reference_data_ensure()  # gone after a test database flush; loaded by migration 0003
    kilns = _kilns(ctx, district, tehsils)
    registry = Registry(kilns=kilns, shops=_workshops(ctx, district, tehsils))
    _survey(ctx, kilns)
    workers = _workers(ctx, kilns)
    _agreement(ctx, district, kilns)
    _contract_undertakings(ctx, kilns)
    _schemes(ctx, workers)
    _workshop_follow_ups(ctx, registry.shops)
    return registry


def after_school(ctx: DemoContext, n: int, finding: ChildLabourFinding) -> None:
    """Parents counselled at the referral; attendance each term after enrolment."""
    finding = ChildLabourFinding.objects.get(pk=finding.pk)
    officer: User = ctx.users["officer_mbdin"]
    if finding.referred_on is not None:
        s.family_support_record(
            finding=finding,
            by=officer,
            kind="counselling",
            given_on=finding.referred_on,
            given_by="Child Protection Bureau (demo)",
        )
        if n % 4 == 1:
            s.family_support_record(
                finding=finding,
                by=officer,
                kind="school_costs",
                given_on=finding.referred_on,
                given_by="Education Department (demo)",
            )
    if finding.enrolled_on is not None:
        _terms(ctx, n, finding)


def _terms(ctx: DemoContext, n: int, finding: ChildLabourFinding) -> None:
    from django.utils import timezone

    school: User = ctx.users["school_mbdin"]
    today = timezone.localdate()
    assert finding.enrolled_on is not None  # noqa: S101 - checked by the caller
    for index, (term, day) in enumerate(TERMS):
        if day <= finding.enrolled_on or day >= today:
            continue
        gone = DROPS_OUT.get(n) == index
        status = "dropped_out" if gone else "irregular" if n in IRREGULAR else "attending"
        check = s.attendance_record(
            finding=finding, by=school, term=term, checked_on=day, status=status
        )
        if gone:  # told to the officers at the time (the daily job)
            type(check).objects.filter(pk=check.pk).update(
                alerted_at=timezone.make_aware(dt.datetime.combine(day, dt.time(6)))
            )
            return
