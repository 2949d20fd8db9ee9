from __future__ import annotations

import hashlib
import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse

from ahtc.portal.antispam import _leading_zero_bits, challenge_new, challenge_verify
from ahtc.portal.models import Tip

from .test_reporting import report_data


def solve(challenge: str, bits: int) -> str:
    nonce = 0
    while True:
        digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
        if _leading_zero_bits(digest) >= bits:
            return str(nonce)
        nonce += 1


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    settings.AHTC_POW_BITS = 8
    cache.clear()
    yield
    cache.clear()


def test_solved_challenge_counts_once():
    challenge = challenge_new()
    nonce = solve(challenge, 8)
    assert challenge_verify(challenge, nonce)
    assert not challenge_verify(challenge, nonce)


def test_forged_or_unsolved_challenges_fail():
    challenge = challenge_new()
    forged = challenge.rsplit(".", 1)[0] + ".000000000000000000000000"
    assert not challenge_verify(forged, solve(forged, 8))
    assert not challenge_verify(challenge, "not-a-number")


def test_leading_zero_bits():
    assert _leading_zero_bits(bytes([0, 0x0F])) == 12
    assert _leading_zero_bits(bytes([0x80])) == 0


@pytest.mark.django_db
class TestBudgets:
    def test_unverified_submissions_beyond_budget_are_asked_to_wait(self, client, settings):
        settings.AHTC_SUBMISSIONS_PER_MINUTE_UNVERIFIED = 2
        statuses = [
            client.post(reverse("portal:report"), report_data()).status_code for _ in range(3)
        ]
        assert statuses == [200, 200, 429]
        assert Tip.objects.count() == 2

    def test_wait_page_keeps_what_was_written(self, client, settings):
        settings.AHTC_SUBMISSIONS_PER_MINUTE_UNVERIFIED = 0
        client.cookies["ahtc_lang"] = "en"
        response = client.post(
            reverse("portal:report"), report_data(description="Kiln at the canal road.")
        )
        assert response.status_code == 429
        assert b"press Send again in a minute" in response.content
        assert b"Kiln at the canal road." in response.content

    def test_proof_of_work_passes_the_larger_budget(self, client, settings):
        settings.AHTC_SUBMISSIONS_PER_MINUTE_UNVERIFIED = 0
        challenge = challenge_new()
        data = report_data(pow_challenge=challenge, pow_nonce=solve(challenge, 8))
        assert client.post(reverse("portal:report"), data).status_code == 200

    def test_retry_of_a_stored_report_is_never_limited(self, client, settings):
        token = uuid.uuid4().hex
        assert (
            client.post(reverse("portal:report"), report_data(client_token=token)).status_code
            == 200
        )
        settings.AHTC_SUBMISSIONS_PER_MINUTE_UNVERIFIED = 0
        assert (
            client.post(reverse("portal:report"), report_data(client_token=token)).status_code
            == 200
        )
        assert Tip.objects.count() == 1
