"""Demo of report intake from a partner system (docs/api.md, issue 20).

A synthetic helpline trust runs an SMS gateway for Mandi Bahauddin: its
system account holds the helpline role there and one token with the
`reports:submit` scope (listed under Users → sms_gateway_demo → API tokens;
the key is never printed: no demo system calls the API). One report came in
through it, so the intake queue shows a report with channel "SMS gateway".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ahtc.accounts.models import Organisation, OrganisationKind, User
from ahtc.accounts.roles import Role
from ahtc.accounts.services import organisation_create, password_generate, role_grant, user_create
from ahtc.api.models import ApiScope, ApiToken
from ahtc.api.services import api_token_create
from ahtc.geography.models import Area
from ahtc.portal.api_intake import report_intake

if TYPE_CHECKING:
    from ahtc.demo.build import DemoContext

ORGANISATION = "Demo Helpline Trust (SMS gateway)"
USERNAME = "sms_gateway_demo"
SMS = {
    "idempotency_key": "demo-sms-000001",
    "channel": "sms",
    "category": "fake_agent",
    "district": "PK620",
    "tehsil": "",
    "place": "",
    "when": "this week",
    "description": "SMS: man in bazaar says he sends boys to Greece by boat, wants money first",
    "involved": "",
    "child_involved": "unknown",
    "danger_now": False,
    "contact": "",
    "attachments": [],
}


def build_gateway(ctx: DemoContext) -> None:
    district = Area.objects.get(code="PK620")
    organisation = Organisation.objects.filter(name_en=ORGANISATION).first() or (
        organisation_create(kind=OrganisationKind.NGO, name_en=ORGANISATION, area=district)
    )
    user = User.objects.filter(username=USERNAME).first() or user_create(
        username=USERNAME,
        password=password_generate(),  # a system account: it never signs in
        organisation=organisation,
        display_name="SMS gateway (system)",
    )
    role_grant(user=user, role=Role.HELPLINE, area=district)
    token = ApiToken.objects.filter(user=user).first()
    if token is None:
        token, _key = api_token_create(
            user=user,
            name="SMS gateway (demo)",
            by=ctx.users["admin"],
            scopes=[ApiScope.REPORTS_SUBMIT],
        )
    report_intake(token=token, data=SMS)  # a second build finds it by its key
