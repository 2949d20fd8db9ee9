"""The SMS slot: the HTTP gateway adapter, tried only against a server of
the test's own on 127.0.0.1; the console adapter; the choice by settings."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from ahtc.notifications.sms import ConsoleSms, HttpGatewaySms, NoSms, SmsError, sms_adapter

received: list[dict[str, Any]] = []


class Gateway(BaseHTTPRequestHandler):
    status = 202

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        received.append(
            {
                "auth": self.headers["Authorization"],
                "body": json.loads(self.rfile.read(length)),
            }
        )
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return None


@pytest.fixture
def gateway() -> Iterator[str]:
    received.clear()
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/send"
    server.shutdown()
    server.server_close()
    Gateway.status = 202


def test_http_gateway_posts_json_with_the_token(gateway: str) -> None:
    HttpGatewaySms(url=gateway, token="t0k", timeout=5).send(to="+923001234567", text="AHTC: 1")
    assert received == [{"auth": "Bearer t0k", "body": {"to": "+923001234567", "text": "AHTC: 1"}}]


def test_http_gateway_refusal_is_an_error_that_quotes_nothing(gateway: str) -> None:
    Gateway.status = 500
    with pytest.raises(SmsError) as refused:
        HttpGatewaySms(url=gateway, token="t0k", timeout=5).send(to="+923001234567", text="x")
    assert str(refused.value) == "the SMS gateway answered 500"


def test_unreachable_gateway_is_an_error() -> None:
    # A port on this machine that nothing listens on.
    with pytest.raises(SmsError, match="could not be reached"):
        HttpGatewaySms(url="http://127.0.0.1:9/send", token="t", timeout=2).send(to="1", text="x")


def test_gateway_address_must_be_http() -> None:
    with pytest.raises(SmsError):
        HttpGatewaySms(url="file:///etc/passwd", token="t")


def test_console_adapter_writes_the_message() -> None:
    out = io.StringIO()
    ConsoleSms(out).send(to="+923001234567", text="AHTC: hello")
    assert out.getvalue() == "SMS to +923001234567: AHTC: hello\n"


def test_adapter_chosen_by_settings(settings: Any) -> None:
    settings.AHTC_SMS_BACKEND = "off"
    assert isinstance(sms_adapter(), NoSms)
    settings.AHTC_SMS_BACKEND = "console"
    assert isinstance(sms_adapter(), ConsoleSms)
    settings.AHTC_SMS_BACKEND = "http"
    settings.AHTC_SMS_GATEWAY_URL = "https://sms.example.test/send"
    settings.AHTC_SMS_GATEWAY_TOKEN = "t"
    adapter = sms_adapter()
    assert isinstance(adapter, HttpGatewaySms)
    assert adapter.url == settings.AHTC_SMS_GATEWAY_URL
