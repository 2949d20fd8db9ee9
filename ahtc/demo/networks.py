"""Demo: the recurring agents of demo/people.py in case records (issue 15).

Two networks, each around a financier: Aslam (Phalia - Gujrat - Gujranwala)
and Tariq (Sialkot - Gujranwala - Mandi Bahauddin). Their sub-agents recruit
and move migrants; the migrants pay the sub-agents, who pay the financier.
Mandi Bahauddin sees its own part of each network; a division cell head sees
more, joined where records are linked as one identity or share a phone.
Aslam is on Mandi Bahauddin's watchlist, and his Gujrat record turning up in
a new Gujrat case raises one alert ("known in Gujrat"). All names and numbers
are synthetic.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ahtc.accounts.models import User
from ahtc.agencies.models import Agency
from ahtc.agencies.services import agency_person_link
from ahtc.cases import services as cs
from ahtc.cases.models import Case, EventKind, Origin, Party, PartyRole
from ahtc.demo.dates import story_dates_settle
from ahtc.demo.people import RECORDS
from ahtc.geography.models import Area
from ahtc.intelligence.watch import watchlist_add
from ahtc.people.models import Person
from ahtc.people.services import person_create

R = PartyRole
E = EventKind
D = dt.date

# Who opens each district's cases (the demo's onboarded cells).
OPENERS = {"PK620": "officer_mbdin", "PK610": "officer_gujrat", "PK609": "head_pk609",
           "PK634": "head_pk634"}  # fmt: skip

# (district, title, opened, [(record index or new name, role)], [(event, date, place)])
# A record index points into demo/people.py RECORDS; a name makes a new person.
Party_ = tuple[int | str, str]
Event_ = tuple[str, dt.date, str]
CASES: list[tuple[str, str, dt.date, list[Party_], list[Event_]]] = [
    (
        "PK620",
        "Visas to Italy sold in Phalia",
        D(2025, 1, 20),
        [
            (0, R.FINANCIER),
            (4, R.RECRUITER),
            (6, R.TRANSPORTER),
            ("Ali Raza", R.SMUGGLED_MIGRANT),
            ("Usman Ghani", R.SMUGGLED_MIGRANT),
        ],
        [
            (E.RECRUITMENT, D(2025, 1, 12), "Phalia"),
            (E.PAYMENT, D(2025, 1, 18), "Phalia"),
            (E.TRANSIT, D(2025, 2, 3), "Quetta"),
        ],
    ),
    (
        "PK620",
        "Boat to Greece: Mandi Bahauddin families",
        D(2025, 3, 18),
        [
            (0, R.FINANCIER),
            ("Naveed Anjum", R.RECRUITER),
            ("Shakeel Bhatti", R.SMUGGLER),
            ("Bilal Hussain", R.SMUGGLED_MIGRANT),
            ("Hamza Latif", R.VICTIM),
        ],
        [(E.PAYMENT, D(2025, 3, 2), "Mandi Bahauddin"), (E.TRANSIT, D(2025, 3, 15), "Tehran")],
    ),
    (
        "PK620",
        "Work visas for Dubai that never came",
        D(2025, 4, 22),
        [
            (10, R.FINANCIER),
            (13, R.RECRUITER),
            ("Kashif Nawaz", R.BROKER),
            ("Sajjad Ahmed", R.VICTIM),
            ("Waseem Abbas", R.VICTIM),
        ],
        [(E.RECRUITMENT, D(2025, 4, 2), "Malakwal"), (E.PAYMENT, D(2025, 4, 9), "Malakwal")],
    ),
    (
        "PK620",
        "Taftan route: three young men",
        D(2025, 6, 10),
        [
            (10, R.FINANCIER),
            ("Junaid Iqbal", R.BROKER),
            ("Adnan Shah", R.TRANSPORTER),
            ("Faisal Mehmood", R.SMUGGLED_MIGRANT),
        ],
        [(E.PAYMENT, D(2025, 5, 28), "Mandi Bahauddin"), (E.TRANSIT, D(2025, 6, 2), "Taftan")],
    ),
    (
        "PK634",
        "Sialkot: Libya by way of Dubai",
        D(2025, 5, 6),
        [(8, R.FINANCIER), (11, R.RECRUITER), (14, R.SMUGGLER), ("Imtiaz Ali", R.VICTIM)],
        [(E.PAYMENT, D(2025, 4, 25), "Sialkot"), (E.TRANSIT, D(2025, 5, 1), "Dubai")],
    ),
    (
        "PK609",
        "Gujranwala: the same agents again",
        D(2025, 7, 14),
        [(9, R.FINANCIER), (12, R.RECRUITER), ("Rizwan Akram", R.VICTIM)],
        [(E.PAYMENT, D(2025, 7, 1), "Gujranwala")],
    ),
    (
        "PK609",
        "Gujranwala: work permits that were forged",
        D(2025, 8, 4),
        [(2, R.FINANCIER), ("Tanveer Ahmed", R.RECRUITER), ("Arslan Javed", R.VICTIM)],
        [(E.RECRUITMENT, D(2025, 7, 10), "Wazirabad"), (E.PAYMENT, D(2025, 7, 20), "Wazirabad")],
    ),
]
# Opened after Aslam is on the watchlist: his Gujrat record (same phone) raises the alert.
GUJRAT_CASE = (
    "PK610", "Gujrat: migrants stopped at Taftan", D(2025, 9, 3),
    [(1, R.FINANCIER), (5, R.RECRUITER), (7, R.SMUGGLER), ("Zeeshan Haider", R.SMUGGLED_MIGRANT)],
    [(E.PAYMENT, D(2025, 8, 20), "Kharian"), (E.TRANSIT, D(2025, 8, 30), "Taftan")],
)  # fmt: skip


def _records() -> list[Person]:
    """The people demo/people.py just made, in its order (it runs right before)."""
    people = list(Person.objects.order_by("-pk")[: len(RECORDS)])[::-1]
    codes = [p.source_district.code for p in people]
    if codes != [r[0] for r in RECORDS]:
        raise RuntimeError("demo/networks.py runs right after demo/people.py")
    return people


def _user(code: str, ctx: Any) -> User:
    name = OPENERS[code]
    return ctx.users.get(name) or User.objects.get(username=name)


def _case(spec: Any, records: list[Person], made: dict[str, Person], ctx: Any) -> Case:
    code, title, opened, parties, events = spec
    by, district = _user(code, ctx), Area.objects.get(code=code)
    first = min(day for _k, day, _p in events)
    case = cs.case_open(district=district, by=by, title=title, origin=Origin.OWN_INITIATIVE,
                        offence_date=first, opened_on=opened)  # fmt: skip
    for who, role in parties:
        if isinstance(who, int):
            person = records[who]
        else:
            person = made.get(who) or person_create(
                source_district=district, by=by, name_latin=who, sex="masculine"
            )
            made[who] = person
        cs.party_add(case=case, by=by, role=role, person=person)
    for kind, day, place in events:
        cs.event_add(case=case, by=by, kind=kind, date=day, place=place, area=None)
    story_dates_settle(case)
    return case


def build_networks(ctx: Any) -> None:
    records = _records()
    made: dict[str, Person] = {}
    cases = [_case(spec, records, made, ctx) for spec in CASES]
    officer, head = _user("PK620", ctx), ctx.users.get("dpo_mbdin") or _user("PK620", ctx)
    agency = Agency.objects.filter(district__code="PK620").order_by("pk").first()
    if agency is not None:
        agency_person_link(agency=agency, person=records[4], role="sub_agent", by=officer)
    # Aslam was questioned and warned in the first case, then watchlisted.
    Party.objects.filter(case=cases[0], person=records[0]).update(questioned_and_warned=True)
    watchlist_add(
        person=records[0],
        district=Area.objects.get(code="PK620"),
        by=head,
        owner=officer,
        reason="Financier behind the Phalia and Greece boat cases.",
        undertakings="Questioned on 2025-02-10; undertook not to deal in visas or travel.",
    )
    _case(GUJRAT_CASE, records, made, ctx)
