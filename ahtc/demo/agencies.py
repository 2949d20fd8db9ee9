"""The travel agencies of Mandi Bahauddin over the demo year (synthetic, deterministic).

After the cell's own account: 148 agencies, 119 registered and 29 not. In
2025 the cell served each unregistered one a notice to register or stop
within 30 days, and inspected registered ones against the SOP checklist
(employee list, licence, advisory against fraud, fee schedule, records).
Outcomes: 14 registered after notice, 6 stopped business, 3 were sealed (one
then prosecuted), the rest are still under notice, some overdue. The demo's
visa-fraud and sea-route cases name their broker as one unregistered agency
(its owner is the agent of those cases), and some fake-agent reports are
linked as complaints. Names, numbers and addresses are invented.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from ahtc.agencies import enforcement as e
from ahtc.agencies import links as li
from ahtc.agencies import services as s
from ahtc.agencies.models import Agency, Inspection, LinkMethod, Notice
from ahtc.cases.models import Party, PartyRole
from ahtc.geography.models import Area, AreaLevel
from ahtc.portal.models import Tip, TipCategory

if TYPE_CHECKING:
    from ahtc.demo.build import DemoContext

REGISTERED, UNREGISTERED = 119, 29
FIRST = ["Noor", "Madina", "Shaheen", "Crescent", "Falcon", "Royal", "Sky", "Star", "Sunrise"]
FIRST += ["Faisal", "Hajveri", "Khyber", "Chenab", "Jhelum", "Gulf", "Rehmat", "Barkat"]
FIRST += ["Ittehad", "Qamar", "Zamzam"]
SECOND = ["", "Link", "Line", "Way", "Express", "Global", "Trust", "Bridge"]
URDU = {"Noor": "نور", "Madina": "مدینہ", "Shaheen": "شاہین", "Chenab": "چناب", "Jhelum": "جہلم"}
KINDS = ["promoter", "travel_agent", "travel_agent", "visa_consultant"]
SUFFIX = {
    "promoter": "Overseas Employment Promoters",
    "travel_agent": "Travels",
    "visa_consultant": "Visa Consultants",
}
ROADS = ["Rasool Road", "Phalia Road", "Kutchery Road", "Malakwal Road", "Main Bazar", "Gojra Road"]
YEAR = dt.date(2025, 1, 1)
# Fates of the 29 unregistered agencies after their notice (index ranges).
REGISTERED_AFTER = range(0, 14)
STOPPED = range(14, 20)
SEALED = range(20, 23)


def _names(ctx: DemoContext) -> list[str]:
    cores = [f"{a} {b}".strip() for a in FIRST for b in SECOND]
    ctx.rng.shuffle(cores)
    return cores[: REGISTERED + UNREGISTERED]


def _day(n: int, spread: int = 330) -> dt.date:
    return YEAR + dt.timedelta(days=(n * 37) % spread)


def _create(ctx: DemoContext, district: Area, tehsils: list[Area], n: int, core: str) -> Agency:
    officer = ctx.users["officer_mbdin"]
    registered = n < REGISTERED
    kind = KINDS[n % len(KINDS)] if registered else "unregistered_operator"
    suffix = SUFFIX.get(kind, "Travels")
    first = core.split()[0]
    agency = s.agency_create(
        district=district,
        by=officer,
        name_en=f"{core} {suffix}",
        name_ur=f"{URDU[first]} ٹریولز" if first in URDU and " " not in core else "",
        kind=kind,
        status="licensed" if registered else "unregistered",
        status_since=dt.date(2024, 12, 1),
        address=f"{ctx.rng.randint(1, 200)} {ROADS[n % len(ROADS)]}, Mandi Bahauddin (demo)",
        tehsil=tehsils[n % len(tehsils)],
        phones=[f"0546-{500000 + n * 13:06d}"],
    )
    if registered:
        _licence(agency, officer, n, kind)
    return agency


def _licence(agency: Agency, officer: Any, n: int, kind: str) -> None:
    promoter = kind == "promoter"
    expired = n % 12 == 5  # about one in twelve has lapsed
    start = dt.date(2021 + n % 3, 1 + n % 12, 1)
    s.licence_add(
        agency=agency,
        by=officer,
        number=f"OEP {2000 + n}/RWP" if promoter else f"DTS-PB-{7000 + n}",
        authority="beoe" if promoter else "dts",
        holder_name=f"Demo Holder {n:03d}",
        valid_from=start,
        valid_to=dt.date(2025, 3, 31) if expired else start + dt.timedelta(days=5 * 365),
    )


def _inspect(agency: Agency, officer: Any, on: dt.date, ok: bool, n: int) -> None:
    e.inspection_record(
        agency=agency,
        by=officer,
        on=on,
        employee_list_displayed=ok or n % 2 == 0,
        licence_displayed=True,
        fraud_advisory_displayed=ok,
        fee_schedule_displayed=ok or n % 3 == 0,
        records_kept=ok or n % 5 != 0,
        findings="" if ok else "Advisory against fraud not displayed (demo).",
    )


def _registered_year(ctx: DemoContext, agencies: list[Agency]) -> None:
    officer = ctx.users["officer_mbdin"]
    for n, agency in enumerate(agencies[:REGISTERED]):
        if n % 2:  # about half were inspected in the year
            continue
        on = _day(n)
        ok = n % 7 != 0
        _inspect(agency, officer, on, ok, n)
        if not ok and on + dt.timedelta(days=35) < timezone.localdate():
            _inspect(agency, officer, on + dt.timedelta(days=35), True, n)


def _unregistered_year(ctx: DemoContext, agencies: list[Agency]) -> None:
    officer = ctx.users["officer_mbdin"]
    for i, agency in enumerate(agencies[REGISTERED:]):
        served = YEAR + dt.timedelta(days=20 + 9 * i)
        notice = e.notice_serve(
            agency=agency,
            by=officer,
            kind="register_or_stop",
            served_on=served,
            deadline=served + dt.timedelta(days=30),
            requirement="Register with the licensing authority or stop business (demo).",
        )
        _outcome(agency, notice, officer, i, served)


def _outcome(agency: Agency, notice: Notice, officer: Any, i: int, served: dt.date) -> None:
    done = served + dt.timedelta(days=21)
    if i in REGISTERED_AFTER:
        s.licence_add(
            agency=agency,
            by=officer,
            number=f"DTS-PB-{9000 + i}",
            authority="dts",
            holder_name=f"Demo Holder N{i:02d}",
            valid_from=done - dt.timedelta(days=3),
            valid_to=done + dt.timedelta(days=3 * 365),
        )
        e.notice_comply(notice=notice, by=officer, complied_on=done, outcome="registered")
    elif i in STOPPED:
        e.notice_comply(notice=notice, by=officer, complied_on=done, outcome="stopped")
    else:
        late = served + dt.timedelta(days=40)
        _inspect(agency, officer, late, False, i)
        if i in SEALED:
            s.agency_status_set(
                agency=agency, by=officer, to_status="sealed", on=late + dt.timedelta(days=7)
            )
        if i == SEALED[0]:
            s.agency_status_set(
                agency=agency,
                by=officer,
                to_status="under_prosecution",
                on=late + dt.timedelta(days=20),
            )


def _link_cases(ctx: DemoContext, agencies: list[Agency]) -> None:
    """The visa-fraud and sea-route cases' broker is the owner of one
    unregistered agency (the sealed one); fake-agent reports are complaints."""
    officer = ctx.users["officer_mbdin"]
    target = agencies[REGISTERED + SEALED[0]]
    brokers = list(
        Party.objects.filter(case__district=target.district, role=PartyRole.BROKER)
        .filter(agency_link__isnull=True)
        .select_related("case", "person")
        .order_by("pk")
    )
    owner = None
    for party in brokers:
        if party.person is not None and owner is None:
            owner = s.agency_person_link(
                agency=target, person=party.person, role="owner", by=officer
            )
        li.agency_party_link(
            agency=target, party=party, by=officer, staff=owner, method=LinkMethod.DEMO
        )
    reports = Tip.objects.filter(district=target.district, category=TipCategory.FAKE_AGENT)
    for n, tip in enumerate(reports.order_by("pk")[:12]):
        li.agency_report_link(
            agency=agencies[REGISTERED + n % UNREGISTERED],
            tip=tip,
            by=officer,
            method=LinkMethod.DEMO,
        )


def _settle() -> None:
    """Records carry their story's day, not the day the demo was built."""
    for inspection in Inspection.objects.all().only("pk", "on"):
        moment = timezone.make_aware(dt.datetime.combine(inspection.on, dt.time(11)))
        Inspection.objects.filter(pk=inspection.pk).update(created_at=moment, updated_at=moment)
    for notice in Notice.objects.all().only("pk", "served_on"):
        moment = timezone.make_aware(dt.datetime.combine(notice.served_on, dt.time(11)))
        Notice.objects.filter(pk=notice.pk).update(created_at=moment, updated_at=moment)


def build_agencies(ctx: DemoContext) -> None:
    if Agency.objects.exists():
        return
    district = Area.objects.get(code="PK620")
    tehsils = list(district.children.current().filter(level=AreaLevel.TEHSIL).order_by("code"))
    agencies = [_create(ctx, district, tehsils, n, core) for n, core in enumerate(_names(ctx))]
    _registered_year(ctx, agencies)
    _unregistered_year(ctx, agencies)
    _link_cases(ctx, agencies)
    _settle()
