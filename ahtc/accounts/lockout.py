"""The source address that staff sign-in lockout is keyed on (with the username).

Used only by django-axes on staff sign-in (settings.AXES_CLIENT_IP_CALLABLE);
the public portal never stores an address. Behind reverse proxies
(TRUSTED_PROXIES = n) the address is the one the nearest proxy appended to
X-Forwarded-For, counted from the right: entries further left come from the
client and could be forged to dodge or frame a lock.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.AHTC_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
