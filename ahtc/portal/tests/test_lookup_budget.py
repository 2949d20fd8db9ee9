"""Receipt look-ups: a flood without proof of work cannot keep reporters out,
and a look-up refused for load keeps what the reporter typed."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from ahtc.portal.antispam import challenge_new
from ahtc.portal.tests.test_antispam import solve
from ahtc.portal.tests.test_intake import make_tip


@pytest.fixture(autouse=True)
def exhausted(settings, db):
    settings.AHTC_POW_BITS = 8
    settings.AHTC_RECEIPT_MIN_SECONDS = 0
    settings.AHTC_RECEIPT_LOOKUPS_PER_MINUTE = 2
    cache.clear()
    # A flooder empties the shared budget for look-ups without proof.
    for n in range(3):
        cache_client_post(n)
    yield
    cache.clear()


def cache_client_post(n: int) -> None:
    from django.test import Client

    Client().post(reverse("portal:follow_up"), {"code": f"{n:016d}"})


def with_proof(data: dict[str, str]) -> dict[str, str]:
    challenge = challenge_new()
    return {**data, "pow_challenge": challenge, "pow_nonce": solve(challenge, 8)}


def test_look_up_with_proof_of_work_passes_while_the_flood_goes_on(client):
    response = client.post(reverse("portal:follow_up"), with_proof({"code": "1" * 16}))
    assert response.status_code == 200
    assert b'id="status-h"' in response.content


def test_replayed_proof_does_not_pass_twice(client):
    data = with_proof({"code": "1" * 16})
    assert client.post(reverse("portal:follow_up"), data).status_code == 200
    assert client.post(reverse("portal:follow_up"), data).status_code == 429


def test_refused_look_up_keeps_the_code_and_the_message_being_sent(client):
    from ahtc.portal.receipts import receipt_code_for

    token = "c" * 32
    make_tip(client_token=token)
    code = receipt_code_for(token)
    client.cookies["ahtc_lang"] = "en"
    response = client.post(
        reverse("portal:follow_up"), {"code": code, "body": "The agent called me again."}
    )
    assert response.status_code == 429
    page = response.content.decode()
    assert "press the button again in a minute" in page
    assert code in page
    assert "The agent called me again." in page


def test_huge_receipt_code_is_a_form_error_not_echoed_back(client, settings):
    settings.AHTC_RECEIPT_LOOKUPS_PER_MINUTE = 1000
    client.cookies["ahtc_lang"] = "en"
    response = client.post(reverse("portal:follow_up"), {"code": "7" * 1_000_000})
    assert response.status_code == 200
    assert len(response.content) < 50_000
    assert b"This is too long: at most 40 characters." in response.content


def test_huge_description_is_a_form_error_and_the_page_stays_small(client):
    from ahtc.portal.models import Tip
    from ahtc.portal.tests.test_reporting import report_data

    client.cookies["ahtc_lang"] = "en"
    response = client.post(reverse("portal:report"), report_data(description="x" * 2_000_000))
    assert len(response.content) < 100_000
    assert b"This is too long: at most 4000 characters." in response.content
    assert not Tip.objects.exists()
