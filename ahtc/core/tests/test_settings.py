"""Production settings refuse unsafe configuration (run in a fresh interpreter)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

GOOD = {
    "AHTC_ENV": "production",
    "SECRET_KEY": "k" * 20 + "-production-secret-for-tests-only-0123456789",
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "ALLOWED_HOSTS": "ahtc.example.org",
    "RECEIPT_KEY": "r" * 40,
}


def load_settings(**changes: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {*GOOD, "DEBUG", "DATABASE_URL"}}
    env.update(GOOD)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    code = "import ahtc.settings"
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )


def test_safe_production_configuration_loads():
    assert load_settings().returncode == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"DEBUG": "yes"}, "DEBUG must be off"),
        ({"DEBUG": "perhaps"}, "DEBUG must be a boolean"),
        ({"FIELD_ENCRYPTION_KEYS": None}, "FIELD_ENCRYPTION_KEYS"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
        ({"AHTC_ENV": "staging"}, "AHTC_ENV"),
        ({"RECEIPT_KEY": None}, "RECEIPT_KEY"),
        ({"AHTC_BENCH": "yes"}, "AHTC_BENCH"),
    ],
)
def test_unsafe_production_configuration_is_refused(changes, message):
    result = load_settings(**changes)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_development_keys_are_refused_in_production():
    from ahtc import settings

    result = load_settings(FIELD_ENCRYPTION_KEYS=settings._DEV_FIELD_KEY)
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr
    result = load_settings(SECRET_KEY=settings._DEV_SECRET_KEY)
    assert "SECRET_KEY" in result.stderr
