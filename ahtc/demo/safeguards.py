"""Demo of the safeguards that keep reports whole and identities protected.

- Two reports that arrived without the spam check while the portal was busy,
  held for review at the end of the intake queue (officer_mbdin).
- A request to lift the identity-withheld flag of a victim's record, asked by
  the officer and waiting for the cell head's decision (dpo_mbdin → Victims).
- An API token for the FIA liaison's case system, listed and revocable under
  *API tokens* (the key is never printed: demo systems do not call the API).
"""

from __future__ import annotations

import hashlib

from ahtc.api.models import ApiToken
from ahtc.api.services import api_token_create
from ahtc.demo.build import DemoContext
from ahtc.demo.gateway import build_gateway
from ahtc.geography.models import Area
from ahtc.portal.services import tip_submit
from ahtc.victims.models import IdentityRelease, ProtectionRecord
from ahtc.victims.services import identity_release_request

HELD = [
    ("fake_agent", "ایک آدمی فون پر کہتا ہے کہ وہ اٹلی کا ویزا دلوا سکتا ہے، پیسے پہلے مانگتا ہے۔"),
    ("other", "Someone sent many messages about a job offer abroad; it may be the same agent."),
]


def build_safeguards(ctx: DemoContext) -> None:
    _held_reports()
    _identity_release(ctx)
    _api_token(ctx)
    build_gateway(ctx)  # a report sent by an SMS gateway's token (demo/gateway.py)


def _held_reports() -> None:
    district = Area.objects.get(code="PK620")
    for n, (category, text) in enumerate(HELD):
        token = hashlib.sha256(f"demo-held:{n}".encode()).hexdigest()[:32]
        tip_submit(
            client_token=token,
            category=category,
            district=district,
            tehsil=None,
            description=text,
            child_involved="unknown",
            held=True,
        )


def _identity_release(ctx: DemoContext) -> None:
    if IdentityRelease.objects.exists():
        return
    record = ProtectionRecord.objects.filter(identity_withheld=True).order_by("pk").first()
    if record is None:
        return
    identity_release_request(
        record=record,
        by=ctx.users["officer_mbdin"],
        reason="The family asks for the name to be shared with the court; their lawyer wrote.",
    )


def _api_token(ctx: DemoContext) -> None:
    user = ctx.users["fia_liaison"]
    if not ApiToken.objects.filter(user=user).exists():
        api_token_create(user=user, name="FIA case system (demo)", by=ctx.users["admin"])
