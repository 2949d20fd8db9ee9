"""The deploy/ folder stays in step with the application (docs/scale-out.md).

The compose layout cannot run here (no images), so these tests hold what can
be checked without it: every setting the application reads is in the example
environment file, the proxy's body limits sit above each route's own limit
(so the application's page, not nginx's, explains a refusal), and the app
servers can be bound where a container needs them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings

from ahtc.core.uploads import evidence_limits, plain_limits
from ahtc.portal.files import MAX_BODY_BYTES as PORTAL_MAX_BODY_BYTES

DEPLOY = Path(settings.BASE_DIR) / "deploy"
SETTINGS_VARIABLE = re.compile(
    r'(?:envint|envbool|envlist)\(\s*"([A-Z0-9_]+)"|environ(?:\.get)?[\[(]"([A-Z0-9_]+)"'
)
UNITS = {"k": 1024, "m": 1024**2, "g": 1024**3}


def _settings_variables() -> set[str]:
    source = (Path(settings.PACKAGE_DIR) / "settings.py").read_text(encoding="utf-8")
    return {a or b for a, b in SETTINGS_VARIABLE.findall(source)}


def test_example_environment_lists_every_setting() -> None:
    example = (DEPLOY / "ahtc.env.example").read_text(encoding="utf-8")
    named = set(re.findall(r"^#?([A-Z0-9_]+)=", example, flags=re.MULTILINE))
    # AHTC_BENCH is refused in production; the file says so in a comment.
    missing = _settings_variables() - named - {"AHTC_BENCH"}
    assert not missing, f"add to deploy/ahtc.env.example: {sorted(missing)}"
    assert "AHTC_BENCH" in example


def _nginx_limits() -> dict[str, int]:
    """client_max_body_size per location pattern ('' for the server default)."""
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    limits: dict[str, int] = {}
    location = ""
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("location"):
            location = line.removeprefix("location").strip(" {")
        elif line == "}":
            location = ""
        match = re.fullmatch(r"client_max_body_size (\d+)([kmg]);", line)
        if match:
            limits[location] = int(match.group(1)) * UNITS[match.group(2)]
    return limits


def _location_for(limits: dict[str, int], path: str) -> int:
    for pattern, size in limits.items():
        regex = pattern.removeprefix("~").strip()
        if pattern.startswith("~") and re.search(regex, path):
            return size
    return limits[""]


@pytest.mark.parametrize(
    ("path", "app_limit"),
    [
        ("/cell/cases/", lambda: plain_limits().max_body_bytes),
        ("/report/", lambda: PORTAL_MAX_BODY_BYTES),
        ("/follow-up/", lambda: PORTAL_MAX_BODY_BYTES),
        ("/cell/intake/12/", lambda: PORTAL_MAX_BODY_BYTES),
        ("/cell/victims/V-1/photo/", lambda: PORTAL_MAX_BODY_BYTES),
        ("/cell/cases/MBD-2026-0001/evidence/", lambda: evidence_limits().max_body_bytes),
    ],
)
def test_proxy_body_limit_sits_just_above_the_routes_own(path: str, app_limit: Any) -> None:
    proxy = _location_for(_nginx_limits(), path)
    assert app_limit() < proxy <= app_limit() * 1.5


def test_plain_routes_are_refused_by_the_proxy_well_below_the_portal_limit() -> None:
    assert _location_for(_nginx_limits(), "/cell/users/") < PORTAL_MAX_BODY_BYTES


def test_compose_runs_two_app_servers_a_worker_and_a_streaming_replica() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    apps = [s for s in services.values() if s.get("command", [])[:2] == ["ahtc", "serve"]]
    assert len(apps) >= 2
    assert all("--production" in s["command"] for s in apps)
    assert services["worker"]["command"] == ["ahtc", "worker"]
    assert "DATABASE_REPLICA_URL" in services["app1"]["environment"]
    assert compose["networks"]["backend"]["internal"] is True
    published = [name for name, s in services.items() if s.get("ports")]
    assert published == ["proxy"]


def test_serve_production_binds_the_given_address_and_workers(monkeypatch) -> None:
    import subprocess

    from ahtc import cli

    calls: list[list[str]] = []
    monkeypatch.setattr(cli, "_django", lambda: None)
    monkeypatch.setattr(subprocess, "run", lambda args, **kw: calls.append(args))
    cli.main(["serve", "--production", "--host", "10.0.0.5", "--port", "8000", "--workers", "3"])
    cli.main(["serve", "--production", "--port", "8001"])
    assert calls[0][-4:] == ["-b", "10.0.0.5:8000", "-w", "3"]
    assert calls[1][-4] == "-b"
    assert calls[1][-3] == "127.0.0.1:8001"
    assert int(calls[1][-1]) >= 2
