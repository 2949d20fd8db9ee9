"""Build the deterministic demo: areas, organisations, personas.

Later issues add their own builders to BUILDERS (tips, cases, victims ...).
Every random choice comes from one seeded generator, so two runs give the
same database.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from ahtc.accounts.models import Organisation, User
from ahtc.accounts.services import (
    organisation_create,
    role_grant,
    totp_base32,
    totp_device_confirm_demo,
    user_create,
)
from ahtc.demo.agencies import build_agencies
from ahtc.demo.networks import build_networks
from ahtc.demo.personas import DEMO_PASSWORD, DISTRICTS, ORGANISATIONS, PERSONAS
from ahtc.demo.surveys import build_surveys
from ahtc.geography.models import Area
from ahtc.geography.services import (
    BUILTIN_FILES,
    area_import_csv,
    police_station_import_csv,
)
from ahtc.onboarding.services import district_onboard, rollout_update

SEED = 20241101


@dataclass
class DemoContext:
    rng: random.Random
    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)
    # One-time enrolment codes of onboarded cell heads who have no
    # authenticator yet (random each build; printed by `ahtc demo`).
    enrolment_codes: dict[str, str] = field(default_factory=dict)
    # Reports the story links to a case, linked once the cases exist.
    reports_to_link: list[int] = field(default_factory=list)


def build_areas(ctx: DemoContext) -> None:
    area_import_csv(source="punjab")
    stations = BUILTIN_FILES["punjab"].parent / "police_stations_mbdin.csv"
    if stations.exists():
        police_station_import_csv(source=stations)


PERSONA_NAMES = {persona.username for persona in PERSONAS}


def build_districts(ctx: DemoContext) -> None:
    """Onboard the demo's districts through the same code as `ahtc districts
    onboard`: cells, partners, committees, FIA circles, first cell heads."""
    for spec in DISTRICTS:
        district = Area.objects.get(code=spec.code)
        result = district_onboard(
            district=district,
            head_username=spec.head,
            head_display_name=spec.head_name,
            head_password=DEMO_PASSWORD,
            cell_phone=spec.cell_phone,
            established_on=dt.date.fromisoformat(spec.established),
        )
        rollout = result.rollout
        live_on = dt.date.fromisoformat(spec.live) if spec.live else None
        if rollout.live_on != live_on:
            rollout_update(rollout=rollout, live_on=live_on)
        if result.head is not None and spec.head not in PERSONA_NAMES:
            ctx.enrolment_codes[result.head.username] = result.head.enrolment_code


def build_organisations(ctx: DemoContext) -> None:
    for spec in ORGANISATIONS:
        area = Area.objects.get(code=spec.area)
        if spec.onboarded:
            organisation = Organisation.objects.filter(area=area, kind=spec.kind).earliest("pk")
            if spec.phone and not organisation.phone:
                organisation.phone = spec.phone
                organisation.save(update_fields=["phone", "updated_at"])
            ctx.orgs[spec.key] = organisation
            continue
        existing = Organisation.objects.filter(area=area, kind=spec.kind, name_en=spec.name_en)
        ctx.orgs[spec.key] = existing.first() or organisation_create(
            kind=spec.kind, name_en=spec.name_en, name_ur=spec.name_ur, area=area, phone=spec.phone
        )


def build_personas(ctx: DemoContext) -> None:
    for persona in PERSONAS:
        user = User.objects.filter(username=persona.username).first() or user_create(
            username=persona.username,
            password=DEMO_PASSWORD,
            organisation=ctx.orgs[persona.org],
            display_name=persona.display_name,
        )
        role_grant(user=user, role=persona.role, area=Area.objects.get(code=persona.area))
        ctx.secrets[persona.username] = totp_base32(totp_device_confirm_demo(user=user))
        ctx.users[persona.username] = user


def build_tips(ctx: DemoContext) -> None:
    from ahtc.demo.tips import build_tips as build

    build(ctx)


def build_content(ctx: DemoContext) -> None:
    from ahtc.demo.content import build_content as build

    build(ctx)


def build_cases(ctx: DemoContext) -> None:
    from ahtc.demo.cases import build_cases as build

    build(ctx)


def build_victims(ctx: DemoContext) -> None:
    from ahtc.demo.victims import build_victims as build

    build(ctx)


def build_labour(ctx: DemoContext) -> None:
    from ahtc.demo.labour import build_labour as build

    build(ctx)


def build_safeguards(ctx: DemoContext) -> None:
    from ahtc.demo.safeguards import build_safeguards as build

    build(ctx)


def build_monitoring(ctx: DemoContext) -> None:
    from ahtc.demo.monitoring import build_monitoring as build

    build(ctx)


def build_people(ctx: DemoContext) -> None:
    from ahtc.demo.people import build_people as build

    build(ctx)


def build_notifications(ctx: DemoContext) -> None:
    from ahtc.demo.notifications import build_notifications as build

    build(ctx)


BUILDERS: list[Callable[[DemoContext], None]] = [
    build_areas,
    build_districts,
    build_organisations,
    build_personas,
    build_tips,
    build_content,
    build_cases,
    build_victims,
    build_labour,
    build_agencies,
    build_surveys,
    build_safeguards,
    build_notifications,
    build_monitoring,
    build_people,
    build_networks,  # issue 15: right after build_people, whose records it uses
]


def demo_build(*, seed: int = SEED) -> DemoContext:
    if not settings.AHTC_DEMO_ALLOWED:
        raise ImproperlyConfigured("demo data is never loaded in production")
    ctx = DemoContext(rng=random.Random(seed))
    with transaction.atomic():
        for builder in BUILDERS:
            builder(ctx)
    return ctx
