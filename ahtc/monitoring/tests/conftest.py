"""A small, hand-counted world for the indicators, built through the apps'
services at fixed times (time-machine), plus the monitoring personas.

The counts each test expects are written next to the rows that make them
(see `story`), so a reader can check them by hand.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from ahtc.accounts.models import Organisation, OrganisationKind, User
from ahtc.accounts.roles import Role
from ahtc.cases import services as cases
from ahtc.cases.models import Case, PartyRole, VerdictOutcome
from ahtc.cases.tests.conftest import (  # noqa: F401
    Flow,
    flow,
    io_mbdin,
    make_case,
    make_person,
    mbdin,
    prosecutor,
    station,
)
from ahtc.geography.models import Area
from ahtc.labour import services as labour
from ahtc.people.models import Person
from ahtc.portal.models import Channel, Tip
from ahtc.portal.services import tip_staff_reply, tip_submit
from ahtc.victims import services as victims
from ahtc.victims.models import ProtectionRecord, ServiceType
from ahtc.victims.tests.conftest import health_org, health_user  # noqa: F401

PKT = ZoneInfo("Asia/Karachi")
_tokens = itertools.count()


def at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=PKT)


def travel(moment: dt.datetime) -> Any:
    return time_machine.travel(moment, tick=False)


def area(code: str) -> Area:
    return Area.objects.get(code=code)


@dataclass
class Story:
    tips: dict[str, Tip] = field(default_factory=dict)
    records: dict[str, ProtectionRecord] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)


def submit(
    when: dt.datetime,
    district: str,
    *,
    category: str = "fake_agent",
    channel: str = Channel.WEB,
    child: str = "no",
    tehsil: str | None = None,
    by: User | None = None,
) -> Tip:
    with travel(when):
        return tip_submit(
            client_token=f"monitoring-test-{next(_tokens)}",
            category=category,
            district=area(district),
            tehsil=area(tehsil) if tehsil else None,
            description="Synthetic report for the indicator tests",
            child_involved=child,
            channel=channel,
            recorded_by=by,
        ).tip


def acknowledge(tip: Tip, when: dt.datetime, by: User) -> None:
    with travel(when):
        tip_staff_reply(tip=tip, body="We have your report.", by=by)


def build_reports(story: Story, officer: User) -> None:
    """July 2025 in Mandi Bahauddin (PK620): 4 reports, 3 web and 1 helpline;
    acknowledged in time: r1 (urgent, 30 min) and r4 (2 h); late: r2 (30 h)
    and r3 (never). Gujrat has one more in July; two MBDin reports fall just
    outside July on either side of midnight, Pakistan time."""
    s = story.tips
    s["r1"] = submit(
        at("2025-07-05"), "PK620", category="forced_labour", child="yes", tehsil="PK62002"
    )
    acknowledge(s["r1"], at("2025-07-05", 10, 30), officer)
    s["r2"] = submit(at("2025-07-06"), "PK620")
    acknowledge(s["r2"], at("2025-07-07", 16), officer)
    s["r3"] = submit(at("2025-07-10"), "PK620", channel=Channel.HELPLINE, by=officer)
    s["r4"] = submit(at("2025-07-20"), "PK620", category="child_labour")
    acknowledge(s["r4"], at("2025-07-20", 12), officer)
    s["gujrat"] = submit(at("2025-07-08"), "PK610")
    s["june"] = submit(at("2025-06-30", 23, 30), "PK620")
    s["august"] = submit(at("2025-08-01", 0, 15), "PK620")


def person(make: Callable[..., Person], sex: str) -> Person:
    return make("Synthetic Victim", sex=sex)


def build_victims(story: Story, officer: User, make: Callable[..., Person]) -> None:
    """Identified in July 2025 in MBDin: v1 (girl; forced and child labour) and
    v2 (man; forced labour). v3 was found not to be a victim; v4 is June's."""
    r = story.records
    r["v1"] = victims.record_create(
        person=person(make, "feminine"),
        by=officer,
        child=True,
        exploitation=["ForcedLabour", "ChildLabour"],
        opened_on=dt.date(2025, 7, 12),
    )
    r["v2"] = victims.record_create(
        person=person(make, "masculine"),
        by=officer,
        child=False,
        exploitation=["ForcedLabour"],
        opened_on=dt.date(2025, 7, 15),
    )
    r["v3"] = victims.record_create(
        person=person(make, "masculine"),
        by=officer,
        child=False,
        trafficking_status="NotAVictimOfTrafficking",
        opened_on=dt.date(2025, 7, 16),
    )
    r["v4"] = victims.record_create(
        person=person(make, "feminine"), by=officer, child=False, opened_on=dt.date(2025, 6, 20)
    )


def build_referrals(story: Story, officer: User, provider: Organisation, staff: User) -> None:
    """Sent in July 2025: health care for v2 (sent 15 July, delivered 25 July:
    10 days) and psychosocial care for v1 (sent 20 July, delivered 24 July: 4
    days). Median 7 days. v1's draft to Child Protection is never sent."""
    plan = [
        ("v2", ServiceType.HEALTH, "2025-07-15", 25),
        ("v1", ServiceType.PSYCHOSOCIAL, "2025-07-20", 24),
    ]
    for key, service, sent, delivered in plan:
        record = story.records[key]
        victims.consent_record(
            record=record,
            by=officer,
            service=service,
            method="thumbprint",
            given_on=dt.date(2025, 7, 1),
            organisation=provider,
        )
        with travel(at(sent)):
            referral = victims.referral_create(
                record=record, by=officer, provider=provider, service=service, needs="Care"
            )
            referral = victims.referral_answer(referral=referral, by=staff, accept=True)
        victims.referral_deliver(
            referral=referral, by=staff, delivered_on=dt.date(2025, 7, delivered), outcome="Seen"
        )


def build_follow_ups(story: Story, officer: User) -> None:
    """Due in August 2025 (one month after opening): v1 on 12 Aug, done 10 Aug
    (on time); v2 on 15 Aug, done 20 Aug (late); v3 on 16 Aug, never done.
    On time: 1 of 3."""
    for key, done in (("v1", dt.date(2025, 8, 10)), ("v2", dt.date(2025, 8, 20))):
        first = story.records[key].follow_ups.order_by("due").first()
        assert first is not None
        victims.follow_up_done(follow_up=first, by=officer, done_on=done, outcome="Well")


def build_proceedings(story: Story, flow: Flow, make_case: Callable[..., Case]) -> None:  # noqa: F811
    """Two MBDin cases opened 1 March 2024, FIRs 5 March 2024 (4 days after the
    report), challans submitted 20 March 2025. c1: accused s1 (man) arrested 6
    March 2024, convicted 10 March 2025; accused s2 (woman) acquitted 12 March
    2025. c2: s3 (man) acquitted 15 March 2025. FIR to first judgment: 370 and
    375 days, median 372.5."""
    with travel(at("2025-03-20")):
        for key, number in (("c1", "101/2024"), ("c2", "102/2024")):
            case = make_case(opened_on=dt.date(2024, 3, 1))
            flow.fir(case, number)
            story.cases[key] = case
        c1, c2 = story.cases["c1"], story.cases["c2"]
        s1 = cases.party_add(
            case=c1,
            by=flow.officer,
            role=PartyRole.RECRUITER,
            person=flow.make_person("Suspect", sex="masculine"),
        )
        s2 = cases.party_add(
            case=c1,
            by=flow.officer,
            role=PartyRole.SMUGGLER,
            person=flow.make_person("Suspect", sex="feminine"),
        )
        s3 = cases.party_add(
            case=c2,
            by=flow.officer,
            role=PartyRole.RECRUITER,
            person=flow.make_person("Suspect", sex="masculine"),
        )
        cases.arrest_add(party=s1, by=flow.officer, date=dt.date(2024, 3, 6))
        flow.reach(c1, "trial")
        flow.reach(c2, "trial")
        for party, outcome, day in (
            (s1, VerdictOutcome.CONVICTED, 10),
            (s2, VerdictOutcome.ACQUITTED, 12),
            (s3, VerdictOutcome.ACQUITTED, 15),
        ):
            cases.verdict_add(
                party=party,
                by=flow.prosecutor,
                provision=flow.fir_provision(party.case),
                date=dt.date(2025, 3, day),
                outcome=outcome,
                prison_months=12 if outcome == VerdictOutcome.CONVICTED else None,
            )


def build_alert(story: Story, officer: User, make_case: Callable[..., Case]) -> None:  # noqa: F811
    """v2 is named in two cases: one "seen again" alert, raised 22 July 2025."""
    with travel(at("2025-07-22")):
        for _ in range(2):
            case = make_case(opened_on=dt.date(2025, 7, 22))
            cases.party_add(
                case=case, by=officer, role=PartyRole.VICTIM, person=story.records["v2"].person
            )


def build_children(officer: User, cpb: Organisation) -> None:
    """Child labour in MBDin: a girl found 1 July 2025, withdrawn 2 July,
    referred 3 July, enrolled 10 August; a boy withdrawn 5 July (not enrolled)."""
    facts: dict[str, Any] = {
        "district": area("PK620"),
        "by": officer,
        "age_years": 11,
        "age_evidence": "documents",
        "place_kind": "brick_kiln",
        "place_description": "Kiln (synthetic)",
        "hours_per_day": 9,
        "schooling": "dropped_out",
        "found_on": dt.date(2025, 7, 1),
    }
    girl = labour.finding_create(name_latin="Synthetic Child", sex="feminine", **facts)
    boy = labour.finding_create(name_latin="Synthetic Child", sex="masculine", **facts)
    labour.finding_withdraw(finding=girl, by=officer, withdrawn_on=dt.date(2025, 7, 2))
    labour.finding_withdraw(finding=boy, by=officer, withdrawn_on=dt.date(2025, 7, 5))
    labour.finding_refer(
        finding=girl, by=officer, referred_on=dt.date(2025, 7, 3), child_protection=cpb
    )
    labour.finding_enrol(
        finding=girl,
        by=officer,
        school_name="Government Primary School (synthetic)",
        school_grade="3",
        enrolled_on=dt.date(2025, 8, 10),
    )


@pytest.fixture
def story(
    officer_mbdin: User,
    flow: Flow,  # noqa: F811
    make_case: Callable[..., Case],  # noqa: F811
    make_person: Callable[..., Person],  # noqa: F811
    health_org: Organisation,  # noqa: F811
    health_user: User,  # noqa: F811
    make_org: Callable[..., Organisation],
) -> Story:
    built = Story()
    build_reports(built, officer_mbdin)
    build_victims(built, officer_mbdin, make_person)
    build_referrals(built, officer_mbdin, health_org, health_user)
    build_follow_ups(built, officer_mbdin)
    build_alert(built, officer_mbdin, make_case)
    build_children(officer_mbdin, make_org(kind=OrganisationKind.CHILD_PROTECTION, area="PK620"))
    return built


# --- personas -------------------------------------------------------------------------------


@pytest.fixture
def analyst_province(make_user: Callable[..., User]) -> User:
    return make_user("analyst_punjab", Role.ANALYST, "PK6")


@pytest.fixture
def committee_mbdin(make_user: Callable[..., User]) -> User:
    return make_user(
        "committee_mbdin", Role.COMMITTEE_MEMBER, "PK620", kind=OrganisationKind.ASSEMBLY
    )


@pytest.fixture
def investigator(make_user: Callable[..., User]) -> User:
    """A cell member without *view aggregates*: an investigating officer."""
    return make_user("io_only", Role.INVESTIGATING_OFFICER, "PK620")
