"""Whatever is typed or posted into the public forms, the answer is a page, never
a 500; nothing is stored unless the report is valid; nothing sent is echoed at
length (property-based, Hypothesis)."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ahtc.portal.models import Tip

from .test_reporting import report_data

EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Any text, including the digits of every script, right-to-left marks and NULs.
TEXT = st.text(max_size=300) | st.text(alphabet="0123456789۰۱۲۳۴۵۶۷۸۹²①½-\u200f\x00 ", max_size=60)
FIELDS = ["category", "district", "tehsil", "place", "when", "description", "involved"]
FIELDS += ["child_involved", "contact", "client_token", "pow_challenge", "pow_nonce"]


@pytest.fixture(autouse=True)
def roomy_budgets(settings, db):
    settings.AHTC_RECEIPT_MIN_SECONDS = 0
    settings.AHTC_RECEIPT_LOOKUPS_PER_MINUTE = 10**6
    cache.clear()


@pytest.mark.django_db
@EXAMPLES
@given(changes=st.dictionaries(st.sampled_from(FIELDS), TEXT, max_size=4))
def test_report_form_never_fails_and_stores_only_valid_reports(changes):
    client = Client()
    before = Tip.objects.count()
    data = report_data(client_token=uuid.uuid4().hex)
    data.update(changes)
    response = client.post(reverse("portal:report"), data)
    assert response.status_code in {200, 429}
    stored = Tip.objects.count() - before
    assert stored == (1 if b"receipt-code" in response.content else 0)
    assert len(response.content) < 200_000


@pytest.mark.django_db
@EXAMPLES
@given(code=TEXT, body=st.none() | TEXT)
def test_follow_up_form_never_fails(code, body):
    data = {"code": code} if body is None else {"code": code, "body": body}
    response = Client().post(reverse("portal:follow_up"), data)
    assert response.status_code in {200, 429}
