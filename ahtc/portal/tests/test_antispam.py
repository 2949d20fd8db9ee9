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
def fresh_cache(settings, db):
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
    def test_unverified_reports_beyond_budget_are_stored_and_held_not_refused(
        self, client, settings
    ):
        settings.AHTC_SUBMISSIONS_PER_MINUTE_UNVERIFIED = 2
        responses = [client.post(reverse("portal:report"), report_data()) for _ in range(4)]
        assert [r.status_code for r in responses] == [200, 200, 200, 200]
        assert all(b"receipt-code" in r.content for r in responses)
        assert Tip.objects.count() == 4
        assert Tip.objects.filter(held_for_review=True).count() == 2

    def test_one_flooder_does_not_keep_a_verified_reporter_out(self, client, settings):
        settings.AHTC_SUBMISSIONS_PER_MINUTE_UNVERIFIED = 1
        for _ in range(5):
            client.post(reverse("portal:report"), report_data())
        challenge = challenge_new()
        data = report_data(pow_challenge=challenge, pow_nonce=solve(challenge, 8))
        assert client.post(reverse("portal:report"), data).status_code == 200
        latest = Tip.objects.order_by("-pk").first()
        assert latest is not None
        assert latest.held_for_review is False

    def test_past_the_held_ceiling_the_form_comes_back_with_what_was_written(
        self, client, settings
    ):
        settings.AHTC_SUBMISSIONS_PER_MINUTE_UNVERIFIED = 0
        settings.AHTC_HELD_PER_MINUTE = 0
        client.cookies["ahtc_lang"] = "en"
        response = client.post(
            reverse("portal:report"), report_data(description="Kiln at the canal road.")
        )
        assert response.status_code == 429
        assert "press “Send the report” again in a minute" in response.content.decode()
        assert b"Kiln at the canal road." in response.content
        assert not Tip.objects.exists()

    def test_replayed_proof_of_work_with_a_new_token_is_not_verified(self, client, settings):
        settings.AHTC_SUBMISSIONS_PER_MINUTE_UNVERIFIED = 0
        challenge = challenge_new()
        nonce = solve(challenge, 8)
        for _ in range(2):
            data = report_data(pow_challenge=challenge, pow_nonce=nonce)
            assert client.post(reverse("portal:report"), data).status_code == 200
        first, second = Tip.objects.order_by("pk")
        assert (first.held_for_review, second.held_for_review) == (False, True)

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


@pytest.mark.django_db
def test_used_challenges_are_seen_by_every_app_server(settings, monkeypatch):
    """Two processes each open their own connection to the shared cache: a
    challenge used through one is used for the other (it was per process)."""
    from django.conf import settings as live
    from django.core.cache import caches

    # A per-process cache (locmem) would let each gunicorn worker accept the same proof.
    assert live.CACHES["default"]["BACKEND"] in {
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    }
    first = caches.create_connection("default")
    second = caches.create_connection("default")
    challenge = challenge_new()
    nonce = solve(challenge, 8)
    monkeypatch.setattr("ahtc.portal.antispam.cache", first)
    assert challenge_verify(challenge, nonce)
    monkeypatch.setattr("ahtc.portal.antispam.cache", second)
    assert not challenge_verify(challenge, nonce)


@pytest.mark.django_db
def test_difficulty_rises_with_the_number_of_reports_arriving(settings):
    from ahtc.portal.antispam import challenge_bits, current_bits, submission_allowed

    settings.AHTC_POW_LOAD_STEP = 3
    assert current_bits() == 8
    for verified in (True, False, False):
        submission_allowed(verified=verified)
    assert current_bits() == 9
    for _ in range(3):
        submission_allowed(verified=False)
    assert current_bits() == 10
    challenge = challenge_new()
    assert challenge_bits(challenge) == 10
    # A nonce good enough for the base difficulty does not pass a harder challenge.
    nonce = 0
    while True:
        digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
        if _leading_zero_bits(digest) == 8:
            break
        nonce += 1
    assert not challenge_verify(challenge, str(nonce))
    assert challenge_verify(challenge, solve(challenge, 10))


def test_a_challenge_cannot_lower_its_own_difficulty(settings):
    challenge = challenge_new(bits=2)
    nonce = 0
    while True:
        digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
        if 2 <= _leading_zero_bits(digest) < 8:
            break
        nonce += 1
    assert not challenge_verify(challenge, str(nonce))


@pytest.mark.django_db
def test_held_reports_come_after_the_others_in_the_queue_and_say_why(
    client, settings, officer_mbdin, login_as
):
    settings.AHTC_SUBMISSIONS_PER_MINUTE_UNVERIFIED = 0
    client.post(reverse("portal:report"), report_data())  # held
    challenge = challenge_new()
    data = report_data(pow_challenge=challenge, pow_nonce=solve(challenge, 8))
    client.post(reverse("portal:report"), data)  # to the queue
    held, queued = (
        Tip.objects.order_by("held_for_review")[1],
        Tip.objects.get(held_for_review=False),
    )
    assert held.held_for_review
    staff = login_as(officer_mbdin)
    staff.cookies["ahtc_lang"] = "en"
    page = staff.get(reverse("cell:intake")).content.decode()
    assert page.index(queued.reference) < page.index(held.reference)
    assert "held for review" in page
