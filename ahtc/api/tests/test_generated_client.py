"""A client generated from the published schema works (issue 20).

openapi-python-client turns `/api/v1/schema/` into a typed Python package,
offline (a local file in, no post hooks, any proxy use would fail); the test
imports it and calls a live server with a partner's token: reads, the
classification assistant's POST, and a refusal that comes back as the typed
`Error`. Marked `browser` because it needs a live server: it runs with the
end-to-end suite (`make test-browser`), not in `make test`.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation

from ahtc.accounts.models import User
from ahtc.api.services import api_token_create
from ahtc.api.tests.conftest import World

# transactional_db by name: the project's override (conftest.py) lets the
# flush at the end get past the audit log's append-only triggers.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PACKAGE = "ahtc_api_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")
# No post hooks: by default the generator runs ruff over its output; nothing here needs it.
CONFIG = f"post_hooks: []\npackage_name_override: {PACKAGE}\nproject_name_override: {PACKAGE}\n"
NO_NETWORK = "http://127.0.0.1:9"  # the discard port: a fetch would fail loudly


def _generate(tmp_path: Path) -> subprocess.CompletedProcess[str]:
    schema = tmp_path / "schema.json"
    # What /api/v1/schema/ serves by default (English), made without a request.
    with translation.override("en"):
        call_command("spectacular", "--file", str(schema), "--format", "openapi-json")
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    proxies = dict.fromkeys(("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"), NO_NETWORK)
    command = [str(GENERATOR), "generate", "--path", str(schema), "--meta", "none"]
    command += ["--output-path", str(tmp_path / PACKAGE), "--config", str(config)]
    return subprocess.run(  # noqa: S603 - our own venv's tool, fixed arguments
        [*command, "--fail-on-warning"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, **proxies, "NO_PROXY": "", "no_proxy": ""},
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    tmp_path = tmp_path_factory.mktemp("client")
    result = _generate(tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "warning" not in output.lower(), output
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def operation(name: str) -> Any:
    """An operation module of the generated package: `tag.operation_id`."""
    return importlib.import_module(f"{PACKAGE}.api.{name}")


def test_a_generated_client_reads_posts_and_gets_typed_errors(
    generated: ModuleType, world: World, live_server: Any, officer_mbdin: User
) -> None:
    models = importlib.import_module(f"{PACKAGE}.models")
    _token, key = api_token_create(user=officer_mbdin, name="generated client", by=None)
    client = generated.AuthenticatedClient(
        base_url=live_server.url, token=key, prefix="Token", raise_on_unexpected_status=True
    )

    me = operation("me.me_retrieve").sync(client=client)
    assert isinstance(me, models.Me)
    assert me.username == "officer_mbdin"

    cases = operation("cases.cases_list").sync(client=client, year=world.case.year)
    assert isinstance(cases, models.PaginatedCaseList)
    assert [c.reference for c in cases.results] == [world.case.reference]
    detail = operation("cases.cases_retrieve").sync(client=client, reference=world.case.reference)
    assert isinstance(detail, models.CaseDetail)
    assert [e.district for e in detail.events] == ["PK620", None]  # nullable, typed as such

    facts = models.FactsRequest.from_dict(
        {
            "facts": {"crossed_border": "yes", "smug_paid_agent": "yes"},
            "age_years": 24,
            "direction": ["source"],
        }
    )
    suggestion = operation("classification.classification_suggest_create").sync(
        client=client, body=facts
    )
    assert isinstance(suggestion, models.Suggestion)
    assert suggestion.classification == "smuggling"
    assert "PSMA" in suggestion.provisions

    refused = operation("cases.cases_list").sync(client=client, year=1900)
    assert isinstance(refused, models.Error)
    assert refused.code == "invalid"
    assert "year" in refused.fields.additional_properties


def test_a_generated_client_without_a_token_gets_the_typed_401(
    generated: ModuleType, live_server: Any
) -> None:
    models = importlib.import_module(f"{PACKAGE}.models")
    client = generated.Client(base_url=live_server.url, raise_on_unexpected_status=True)
    answer = operation("me.me_retrieve").sync(client=client)
    assert isinstance(answer, models.Error)
    assert answer.code == "not_authenticated"
