from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from ahtc.accounts.models import Organisation, User
from ahtc.demo.build import demo_build
from ahtc.demo.personas import DEMO_PASSWORD, DISTRICTS, PERSONAS
from conftest import current_code


@pytest.mark.django_db
def test_demo_is_deterministic_and_idempotent():
    first = demo_build()
    orgs, users = Organisation.objects.count(), User.objects.count()
    second = demo_build()
    assert first.secrets == second.secrets
    assert (Organisation.objects.count(), User.objects.count()) == (orgs, users)
    waiting_heads = {d.head for d in DISTRICTS} - {p.username for p in PERSONAS}
    gateways = 1  # the SMS gateway's system account (demo/gateway.py)
    assert users == len(PERSONAS) + len(waiting_heads) + gateways
    assert set(first.enrolment_codes) == waiting_heads
    assert not second.enrolment_codes  # issued once; a second build changes nothing


@pytest.mark.django_db
def test_every_persona_signs_in_with_printed_credentials():
    from django.test import Client

    demo_build()  # once: building the demo takes seconds
    for persona in PERSONAS:
        client = Client()
        response = client.post(
            "/accounts/sign-in/",
            {
                "username": persona.username,
                "password": DEMO_PASSWORD,
                "otp_token": current_code(persona.username),
            },
        )
        assert response.status_code == 302, persona.username
        assert client.get("/cell/").status_code == 200, persona.username


@pytest.mark.django_db
def test_demo_command_prints_urls_and_secrets(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/cell/" in out
    for persona in PERSONAS:
        assert persona.username in out


@pytest.mark.django_db
def test_demo_is_refused_in_production():
    from django.core.exceptions import ImproperlyConfigured

    with override_settings(AHTC_DEMO_ALLOWED=False), pytest.raises(ImproperlyConfigured):
        demo_build()


@pytest.mark.django_db
def test_demo_has_a_year_of_reports_across_categories_channels_and_threads():
    from ahtc.portal.models import Tip, TipMessage, TipStatus

    demo_build()
    mbdin = Tip.objects.filter(district__code="PK620")
    assert mbdin.count() >= 240
    assert mbdin.values("category").distinct().count() >= 8
    assert mbdin.values("channel").distinct().count() == 4  # web, helpline, desk, SMS gateway
    assert mbdin.get(channel="sms").partner is not None
    assert mbdin.filter(status=TipStatus.NEW).exists()
    assert mbdin.exclude(status=TipStatus.NEW).exists()
    assert TipMessage.objects.filter(from_reporter=True).exists()
    span = mbdin.order_by("created_at")
    first, last = span.first(), span.last()
    assert first is not None
    assert last is not None
    assert (last.created_at - first.created_at).days >= 330


@pytest.mark.django_db
def test_demo_shows_the_safeguards():
    from ahtc.api.models import ApiToken
    from ahtc.portal.models import Tip
    from ahtc.victims.models import IdentityRelease

    demo_build()
    demo_build()  # idempotent
    assert Tip.objects.filter(held_for_review=True).count() == 2
    release = IdentityRelease.objects.get()
    assert release.decided_at is None
    assert release.record.identity_withheld
    assert ApiToken.objects.filter(user__username="fia_liaison").count() == 1
