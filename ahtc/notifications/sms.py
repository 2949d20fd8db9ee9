"""Sending an SMS: one small interface, a console adapter and an HTTP gateway.

`AHTC_SMS_BACKEND` picks the adapter: `console` (development: the message is
written to the worker's standard output), `http` (a gateway that takes a JSON
POST, configured by SMS_GATEWAY_URL and SMS_GATEWAY_TOKEN), or `off`. Another
gateway is one more class with a `send` method (docs/notifications.md).
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from typing import IO, Protocol

from django.conf import settings


class SmsError(Exception):
    """The gateway refused or could not be reached; the message is not quoted."""


class SmsAdapter(Protocol):
    def send(self, *, to: str, text: str) -> None: ...


class ConsoleSms:
    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream

    def send(self, *, to: str, text: str) -> None:
        stream = self.stream or sys.stdout
        stream.write(f"SMS to {to}: {text}\n")
        stream.flush()


class NoSms:
    def send(self, *, to: str, text: str) -> None:
        return None


class HttpGatewaySms:
    """POST {"to": ..., "text": ...} as JSON with a bearer token; any 2xx is
    success. Most Pakistani SMS aggregators offer such an endpoint, or a small
    relay in front of theirs does."""

    def __init__(self, *, url: str, token: str, timeout: float = 10.0) -> None:
        if not url.startswith(("https://", "http://")):
            raise SmsError("the SMS gateway address must start with https://")
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, *, to: str, text: str) -> None:
        request = urllib.request.Request(  # noqa: S310 - scheme checked in __init__
            self.url,
            data=json.dumps({"to": to, "text": text}).encode("utf-8"),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.token}",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as exc:
            raise SmsError(f"the SMS gateway answered {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError):
            raise SmsError("the SMS gateway could not be reached") from None
        if not 200 <= status < 300:
            raise SmsError(f"the SMS gateway answered {status}")


def sms_adapter() -> SmsAdapter:
    backend = settings.AHTC_SMS_BACKEND
    if backend == "http":
        return HttpGatewaySms(
            url=settings.AHTC_SMS_GATEWAY_URL,
            token=settings.AHTC_SMS_GATEWAY_TOKEN,
            timeout=settings.AHTC_SMS_GATEWAY_TIMEOUT,
        )
    if backend == "console":
        return ConsoleSms()
    return NoSms()
