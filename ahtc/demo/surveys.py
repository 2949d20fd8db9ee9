"""The five assessments of Mandi Bahauddin as survey submissions (synthetic).

The records reproduce the case study's figures when the aggregates are
computed from them (seed-facts.md): 44 of 230 kilns surveyed, and of the 100
kiln families interviewed 89 in debt bondage, 98 unaware of the minimum wage
and 95 illiterate; 49 returned migrants who each paid PKR 3-4 million over
the stages of the journey; 116 workshops; 119 registered and 29 unregistered
travel agencies inspected; 99 transgender persons interviewed, 11 reporting
coercion and 45 medically examined. They come in through the same import as
a Kobo JSON export and are approved by the cell head, in one audited step.
Three workshop visits with children found working wait for review, so the
demo shows a child becoming a child-labour finding on approval.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.geography.models import Area
from ahtc.surveys.builtin import builtin_install
from ahtc.surveys.imports import batch_import_now
from ahtc.surveys.models import Instrument, ReviewStatus, Submission, Universe

if TYPE_CHECKING:
    from ahtc.demo.build import DemoContext

DISTRICT = "PK620"
TEHSILS = ("Malakwal", "Mandi Bahauddin", "Phalia")
START = dt.date(2024, 11, 4)


def _day(ctx: DemoContext, span: int = 60) -> str:
    return (START + dt.timedelta(days=ctx.rng.randrange(span))).isoformat()


def _base(ctx: DemoContext, key: str) -> dict[str, Any]:
    return {
        "_uuid": key,
        "meta/instanceID": f"uuid:{key}",
        "visit_date": _day(ctx),
        "tehsil": ctx.rng.choice(TEHSILS),
    }


def _flags(count: int, total: int, ctx: DemoContext) -> list[bool]:
    flags = [True] * count + [False] * (total - count)
    ctx.rng.shuffle(flags)
    return flags


def _kilns(ctx: DemoContext) -> list[dict[str, Any]]:
    sizes = [3] * 12 + [2] * 32  # 44 kilns, 100 families
    bonded, unaware, illiterate = (_flags(n, 100, ctx) for n in (89, 98, 95))
    rows, family = [], 0
    for number, size in enumerate(sizes, start=1):
        families = []
        for _ in range(size):
            families.append(
                {
                    "family/advance": ctx.rng.randrange(60, 400) * 1000,
                    "family/debt_bondage": "yes" if bonded[family] else "no",
                    "family/knows_min_wage": "no" if unaware[family] else "yes",
                    "family/literate": "no" if illiterate[family] else "yes",
                    "family/ilo": "debt movement" if bonded[family] else "overtime",
                }
            )
            family += 1
        rows.append(
            _base(ctx, f"demo-kiln-{number:03d}")
            | {
                "kiln_name": f"Kiln {number} (synthetic)",
                "families": ctx.rng.randrange(8, 40),
                "notified_rate": 1658,
                "wage_paid": ctx.rng.randrange(1150, 1500),
                "written_contract": "no",
                "eobi": "no",
                "children_working": ctx.rng.randrange(0, 6),
                "movement_restricted": ctx.rng.choice(["yes", "no"]),
                "family": families,
            }
        )
    return rows


def _legs(ctx: DemoContext) -> list[dict[str, Any]]:
    route = [
        ("Mandi Bahauddin", "Quetta", "road"),
        ("Quetta", "Iran", "road"),
        ("Iran", "Turkey", "foot"),
        ("Turkey", "Greece", "sea"),
    ]
    total = ctx.rng.randrange(30, 41) * 100_000  # PKR 3.0 to 4.0 million
    shares = [0.3, 0.2, 0.2, 0.3]
    paid = [int(total * s) for s in shares[:-1]]
    paid.append(total - sum(paid))
    return [
        {"leg/leg_from": a, "leg/leg_to": b, "leg/leg_mode": mode, "leg/leg_paid": amount}
        for (a, b, mode), amount in zip(route, paid, strict=True)
    ]


def _migrants(ctx: DemoContext) -> list[dict[str, Any]]:
    rows = []
    for number in range(1, 50):
        legs = _legs(ctx)
        kidnapped = ctx.rng.random() < 0.4
        row = _base(ctx, f"demo-migrant-{number:03d}") | {
            "consent": "yes",
            "age": ctx.rng.randrange(18, 40),
            "sex": "male",
            "destination": ctx.rng.choice(["italy", "greece", "spain"]),
            "recruiter": "local_agent" if ctx.rng.random() < 0.85 else "relative",
            "leg": legs,
            "total_paid": sum(leg["leg/leg_paid"] for leg in legs),
            "detained": ctx.rng.choice(["yes", "no"]),
            "kidnapped": "yes" if kidnapped else "no",
            "deaths_witnessed": ctx.rng.randrange(0, 3),
            "return_how": ctx.rng.choice(["deported", "assisted", "voluntary"]),
            "case_consent": ctx.rng.choice(["yes", "no"]),
        }
        if kidnapped:
            row["ransom_paid"] = ctx.rng.randrange(5, 15) * 100_000
        rows.append(row)
    return rows


def _workshops(ctx: DemoContext, count: int = 116) -> list[dict[str, Any]]:
    kinds = ["auto", "electrical", "manufacturing", "other"]
    return [
        _base(ctx, f"demo-workshop-{number:03d}")
        | {
            "workshop_name": f"Workshop {number} (synthetic)",
            "workshop_kind": ctx.rng.choice(kinds),
            "workers": ctx.rng.randrange(2, 15),
            "employer_knows_law": "no" if ctx.rng.random() < 0.8 else "yes",
        }
        for number in range(1, count + 1)
    ]


def _children_waiting(ctx: DemoContext) -> list[dict[str, Any]]:
    rows = _workshops(ctx, 3)
    for number, row in enumerate(rows, start=1):
        row["_uuid"] = row["meta/instanceID"] = f"demo-workshop-review-{number}"
        row["visit_date"] = "2025-01-20"
        row["child"] = [
            {
                "child/child_name": f"Synthetic Child W{number}",
                "child/child_sex": "male",
                "child/child_age": 10 + number,
                "child/age_evidence": "statement",
                "child/hours": 9,
                "child/hazards": "machinery chemicals",
                "child/schooling": "dropped_out",
            }
        ]
    return rows


def _agencies(ctx: DemoContext) -> list[dict[str, Any]]:
    registered = _flags(119, 148, ctx)
    rows = []
    for number, ok in enumerate(registered, start=1):
        yes_no = "yes" if ok else "no"
        rows.append(
            _base(ctx, f"demo-agency-{number:03d}")
            | {
                "agency_name": f"Travel agency {number} (synthetic)",
                "registered": yes_no,
                "licence_displayed": yes_no if ctx.rng.random() < 0.7 else "no",
                "staff_list_displayed": "no",
                "advisory_displayed": "no",
                "fee_schedule_displayed": yes_no,
                "receipts_issued": ctx.rng.choice(["yes", "no"]),
                "false_promises": "no" if ok else ctx.rng.choice(["yes", "no"]),
                "action": "advice" if ok else "notice",
            }
        )
    return rows


def _community(ctx: DemoContext) -> list[dict[str, Any]]:
    coerced, examined = _flags(11, 99, ctx), _flags(45, 99, ctx)
    livelihoods = ["dancing", "begging", "sex_work", "skilled", "none"]
    return [
        _base(ctx, f"demo-community-{number:03d}")
        | {
            "consent": "yes",
            "age": ctx.rng.randrange(18, 60),
            "livelihood": ctx.rng.choice(livelihoods),
            "coerced": "yes" if coerced[number - 1] else "no",
            "violence": "yes" if coerced[number - 1] else ctx.rng.choice(["yes", "no"]),
            "health_access": ctx.rng.choice(["yes", "no"]),
            "medical_exam": "yes" if examined[number - 1] else "no",
            "support": "training health",
        }
        for number in range(1, 100)
    ]


def _registry_kilns(rows: list[dict[str, Any]], district: Area) -> list[dict[str, Any]]:
    """The surveyed kilns are the registry's first 44 (demo/labour_registry.py):
    each row names its kiln by reference, in the kiln's tehsil, so approval
    records the visit on the kiln (surveys/findings_kiln.py)."""
    from ahtc.labour.models import BrickKiln

    kilns = BrickKiln.objects.filter(district=district).select_related("tehsil")
    for row, kiln in zip(rows, kilns.order_by("reference")[: len(rows)], strict=False):
        row["kiln_name"] = kiln.reference
        row["tehsil"] = kiln.tehsil.name_en if kiln.tehsil else row["tehsil"]
    return rows


def _registry_agencies(rows: list[dict[str, Any]], district: Area) -> list[dict[str, Any]]:
    """The 119 registered and 29 unregistered agencies inspected are the
    registry's (demo/agencies.py), by exact name in their tehsil."""
    from ahtc.agencies.models import Agency

    agencies = Agency.objects.filter(district=district, status_changes__from_status="")
    first = {
        "yes": list(agencies.filter(status_changes__to_status="licensed").order_by("pk")),
        "no": list(agencies.filter(status_changes__to_status="unregistered").order_by("pk")),
    }
    for row in rows:
        if first[row["registered"]]:
            agency = first[row["registered"]].pop(0)
            row["agency_name"] = agency.name_en
            row["tehsil"] = agency.tehsil.name_en if agency.tehsil else row["tehsil"]
    return rows


def _flow(district: Area, head: Any) -> None:
    """The approved kiln surveys and agency inspections flow into the registries
    (those whose kiln or agency the registry holds: built alone, without the
    labour and agencies demo, nothing matches and nothing flows)."""
    from ahtc.surveys.findings import findings_apply
    from ahtc.surveys.services import SurveyError

    rows = Submission.objects.filter(
        district=district,
        status=ReviewStatus.APPROVED,
        instrument__form_id__in=("ahtc_brick_kiln", "ahtc_agency_inspection"),
    ).select_related("instrument", "district", "tehsil")
    for submission in rows.order_by("pk"):
        with contextlib.suppress(SurveyError):
            findings_apply(submission=submission, by=head)


def _kiln_waiting() -> list[dict[str, Any]]:
    """A kiln survey whose kiln the registry does not know: the reviewer
    chooses the kiln or creates it before approving."""
    return [
        {
            "_uuid": "demo-kiln-review-1",
            "meta/instanceID": "uuid:demo-kiln-review-1",
            "visit_date": "2025-09-10",
            "tehsil": "Phalia",
            "kiln_name": "New Canal kiln (synthetic)",
            "families": 14,
            "notified_rate": 1658,
            "wage_paid": 1400,
            "written_contract": "no",
            "eobi": "no",
            "children_working": 0,
            "movement_restricted": "no",
        }
    ]


def _bring_in(form_id: str, rows: list[dict[str, Any]], district: Area) -> None:
    batch_import_now(
        instrument=Instrument.objects.get(form_id=form_id),
        district=district,
        file_name=f"{form_id}-kobo.json",
        content=json.dumps({"results": rows}).encode(),
    )


def build_surveys(ctx: DemoContext) -> None:
    builtin_install()
    district = Area.objects.get(code=DISTRICT)
    for form_id, size, note in (
        ("ahtc_brick_kiln", 230, "kilns known to the Labour Department (case study)"),
        ("ahtc_agency_inspection", 148, "119 registered and 29 unregistered agencies"),
    ):
        Universe.objects.update_or_create(
            instrument=Instrument.objects.get(form_id=form_id),
            district=district,
            defaults={"size": size, "source_note": note},
        )
    for form_id, rows in (
        ("ahtc_brick_kiln", _registry_kilns(_kilns(ctx), district)),
        ("ahtc_returned_migrant", _migrants(ctx)),
        ("ahtc_workshop_children", _workshops(ctx)),
        ("ahtc_agency_inspection", _registry_agencies(_agencies(ctx), district)),
        ("ahtc_transgender_community", _community(ctx)),
    ):
        _bring_in(form_id, rows, district)
    head = ctx.users.get("dpo_mbdin")
    approved = Submission.objects.filter(
        district=district, status=ReviewStatus.RECEIVED, key__startswith="demo-"
    ).update(status=ReviewStatus.APPROVED, reviewed_by=head, reviewed_at=timezone.now())
    audit_record(
        actor=head,
        action=AuditAction.UPDATE,
        object_type="surveys.submission",
        area_code=DISTRICT,
        reason=f"demo: {approved} survey submissions approved",
    )
    _bring_in("ahtc_workshop_children", _children_waiting(ctx), district)
    _flow(district, head)
    _bring_in("ahtc_brick_kiln", _kiln_waiting(), district)
