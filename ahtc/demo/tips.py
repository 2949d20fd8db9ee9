"""A year of synthetic citizen reports in Mandi Bahauddin (Nov 2024 - Nov 2025).

Texts are assembled from generic phrases; no real person, phone number or
agency appears. Proportions loosely follow the district's profile: most
reports concern agents and irregular routes abroad, then kilns and workshops.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils import timezone

from ahtc.geography.models import Area
from ahtc.portal.models import Channel, Tip, TipCategory, TipStatus
from ahtc.portal.services import tip_set_status, tip_staff_reply, tip_submit

if TYPE_CHECKING:
    from ahtc.demo.build import DemoContext

START = dt.datetime(2024, 11, 1, 9, 0, tzinfo=dt.UTC)
DAYS = 365
TIPS_PER_DISTRICT = {"PK620": 240, "PK610": 40}

CATEGORY_WEIGHTS = [
    (TipCategory.FAKE_AGENT, 30),
    (TipCategory.HELD_FOR_RANSOM, 6),
    (TipCategory.FORCED_LABOUR, 14),
    (TipCategory.CHILD_LABOUR, 14),
    (TipCategory.SEXUAL_EXPLOITATION, 5),
    (TipCategory.FORCED_MARRIAGE, 4),
    (TipCategory.FORCED_BEGGING, 4),
    (TipCategory.ORGAN_TRAFFICKING, 1),
    (TipCategory.MISSING_ABROAD, 12),
    (TipCategory.OTHER, 10),
]
STORIES = {
    TipCategory.FAKE_AGENT: "An agent is collecting {amount} rupees in instalments for jobs in {place} and gives no receipt.",
    TipCategory.HELD_FOR_RANSOM: "A young man from our village is held in {transit}; callers demand {amount} rupees.",
    TipCategory.FORCED_LABOUR: "Families at a brick kiln cannot leave until an advance of {amount} rupees is repaid.",
    TipCategory.CHILD_LABOUR: "Children of about {age} years work all day in a workshop near the bazaar.",
    TipCategory.SEXUAL_EXPLOITATION: "Girls are brought to a house at night; a man collects money from visitors.",
    TipCategory.FORCED_MARRIAGE: "A girl of {age} is being married against her will to repay a family debt.",
    TipCategory.FORCED_BEGGING: "A group of children is dropped at the crossing every morning to beg and picked up at night.",
    TipCategory.ORGAN_TRAFFICKING: "A man says he was offered money to sell a kidney at a private clinic.",
    TipCategory.MISSING_ABROAD: "Our son left for {place} through an agent {months} months ago and has not called since.",
    TipCategory.OTHER: "Someone is advertising visit visas to {place} on social media with guaranteed work.",
}
# Synthetic agents: several reports name the same one, so triage shows duplicates.
DEMO_AGENTS = [
    ("Demo Star Travels", "0300-0000101"),
    ("Example Overseas Services", "0301-0000202"),
    ("Sample Visa Consultants", "0302-0000303"),
]
PLACES = ["Italy", "Greece", "Spain", "Libya", "Turkey", "the UAE", "Saudi Arabia"]
TRANSITS = ["Iran", "Turkey", "Libya", "Balochistan"]
REPLIES = [
    "Thank you. The cell has received your report. Can you tell us the village name?",
    "We have shared this with the officer of your area. Please check again in a few days.",
    "Do you know where the agent's office is? You can answer here without giving your name.",
]
REPORTER_ANSWERS = [
    "It is near the main bus stand, a small office above a mobile shop.",
    "I do not want to give my name, but the office opens every evening.",
]
STATUS_WEIGHTS = [
    (TipStatus.LINKED, 20),
    (TipStatus.TRIAGED, 15),
    (TipStatus.NOT_ACTIONABLE, 15),
    (TipStatus.DUPLICATE, 6),
    (TipStatus.REFERRED, 14),
]


def _pick(ctx: DemoContext, weighted: Sequence[tuple[str, int]]) -> str:
    values, weights = zip(*weighted, strict=True)
    return str(ctx.rng.choices(values, weights=weights)[0])


def _story(ctx: DemoContext, category: str) -> str:
    return STORIES[TipCategory(category)].format(
        amount=f"{ctx.rng.randint(8, 45) * 100_000:,}",
        place=ctx.rng.choice(PLACES),
        transit=ctx.rng.choice(TRANSITS),
        age=ctx.rng.randint(9, 15),
        months=ctx.rng.randint(2, 14),
    )


def _involved(ctx: DemoContext, category: str) -> str:
    if (
        category not in {TipCategory.FAKE_AGENT, TipCategory.MISSING_ABROAD}
        or ctx.rng.random() < 0.5
    ):
        return ""
    name, phone = ctx.rng.choice(DEMO_AGENTS)
    return f"{name}, {phone}" if ctx.rng.random() < 0.5 else phone


def build_tips(ctx: DemoContext) -> None:
    if Tip.objects.exists():
        return
    officer = ctx.users["officer_mbdin"]
    for district_code, count in TIPS_PER_DISTRICT.items():
        district = Area.objects.get(code=district_code)
        tehsils = list(district.children.current())
        for n in range(count):
            received = START + dt.timedelta(days=DAYS * n / count, hours=ctx.rng.randint(0, 10))
            handler = officer if district_code == "PK620" else None
            _one_tip(ctx, district, tehsils, n, received, handler)
    # A few reports from the last two days wait in the queue, some past their SLA.
    mbdin = Area.objects.get(code="PK620")
    tehsils = list(mbdin.children.current())
    for n in range(8):
        received = timezone.now() - dt.timedelta(hours=2 + 6 * n)
        _one_tip(ctx, mbdin, tehsils, 1000 + n, received, None)


def _one_tip(
    ctx: DemoContext,
    district: Area,
    tehsils: list[Area],
    n: int,
    received: dt.datetime,
    officer: object,
) -> None:
    category = _pick(ctx, CATEGORY_WEIGHTS)
    channel = _pick(ctx, [(Channel.WEB, 70), (Channel.HELPLINE, 20), (Channel.IN_PERSON, 10)])
    token = hashlib.sha256(f"demo-tip:{district.code}:{n}".encode()).hexdigest()[:32]
    submission = tip_submit(
        client_token=token,
        category=category,
        district=district,
        tehsil=ctx.rng.choice(tehsils) if ctx.rng.random() < 0.8 else None,
        description=_story(ctx, category),
        child_involved="yes" if category in {"child_labour", "forced_begging"} else "unknown",
        danger_now=ctx.rng.random() < 0.06,
        involved=_involved(ctx, category),
        channel=channel,
        recorded_by=ctx.users["helpline_mbdin"] if channel != Channel.WEB else None,
    )
    tip = submission.tip
    Tip.objects.filter(pk=tip.pk).update(created_at=received, updated_at=received)
    if officer is None:
        return  # stays in the queue as new
    if ctx.rng.random() < 0.4:
        tip_staff_reply(tip=tip, body=ctx.rng.choice(REPLIES), by=officer)
        if ctx.rng.random() < 0.5:
            tip.messages.create(from_reporter=True, body=ctx.rng.choice(REPORTER_ANSWERS))
    status = TipStatus(_pick(ctx, STATUS_WEIGHTS))
    if status == TipStatus.LINKED:  # linked to its case once the cases are built
        ctx.reports_to_link.append(tip.pk)
        status = TipStatus.TRIAGED
    tip_set_status(tip=tip, status=status, by=officer)
    Tip.objects.filter(pk=tip.pk).update(
        acknowledged_at=received + dt.timedelta(hours=ctx.rng.randint(1, 30))
    )
