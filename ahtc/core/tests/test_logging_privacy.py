"""Template rendering never writes the page's context (identities, typed reports) to a log."""

from __future__ import annotations

import logging

import pytest
from django.template import Context, Template


def test_a_failed_lookup_does_not_log_the_context(caplog: pytest.LogCaptureFixture) -> None:
    # An operator turning Django's own logging up to DEBUG to chase a problem.
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    secret = "victim-name-Zarmeena-0300-1234567"
    html = Template("{{ missing.value }}{{ name|length }}").render(Context({"name": secret}))
    assert html == str(len(secret))
    assert secret not in caplog.text
    assert not [r for r in caplog.records if r.name.startswith("django.template")]
