"""The scale-out smoke test (deploy/smoke_http.py) reads the public pages with
regular expressions; these tests render the real pages so a template change
that would blind the smoke test fails here first, not in the deploy step."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from django.urls import reverse

from ahtc.portal.tests.test_reporting import receipt_in, submit

SMOKE = Path(__file__).resolve().parents[3] / "deploy" / "smoke_http.py"


@pytest.fixture(scope="module")
def smoke() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("smoke_http", SMOKE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up here
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


@pytest.fixture(autouse=True)
def no_padding(settings):
    settings.AHTC_RECEIPT_MIN_SECONDS = 0


@pytest.mark.django_db
class TestSmokePatterns:
    def test_receipt_code_and_found_status_match_the_pages(self, client, smoke) -> None:
        sent = submit(client)
        page = sent.content.decode()
        match = smoke.CODE.search(page)
        assert match is not None
        assert match.group(1).replace(" ", "") == receipt_in(sent)
        found = client.post(reverse("portal:follow_up"), {"code": match.group(1)})
        assert found.status_code == 200
        assert smoke.FOUND.search(found.content.decode()) is not None

    def test_a_code_that_matches_nothing_is_not_found(self, client, smoke) -> None:
        response = client.post(reverse("portal:follow_up"), {"code": "1234 5678 9012 3456"})
        assert response.status_code == 200
        assert smoke.FOUND.search(response.content.decode()) is None

    def test_the_report_form_has_the_csrf_field_the_smoke_test_reads(self, client, smoke) -> None:
        page = client.get(reverse("portal:report")).content.decode()
        assert smoke.CSRF_FIELD.search(page) is not None
        assert re.search(r'name="client_token"', page)
