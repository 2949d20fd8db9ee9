"""CSRF checking that works with `Referrer-Policy: no-referrer`.

The portal must send no referrer (reporters' safety), and under that policy
browsers send `Origin: null` and no Referer on same-site form posts, which
Django's stock middleware refuses. Browsers also send `Sec-Fetch-Site`, which
web content cannot forge: `same-origin` there proves what Origin would have.
Where a browser sends neither (old phones), the CSRF token alone decides; a
man-in-the-middle cannot plant that token because in production the cookie
is `__Host-` prefixed (Secure, this host only) and HSTS is on.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware


def _fetch_site_allows(request: HttpRequest) -> bool:
    return request.META.get("HTTP_SEC_FETCH_SITE") in (None, "same-origin")


class NoReferrerCsrfViewMiddleware(CsrfViewMiddleware):
    def _origin_verified(self, request: HttpRequest) -> bool:
        if request.META.get("HTTP_ORIGIN") == "null":
            return _fetch_site_allows(request)
        return bool(super()._origin_verified(request))  # type: ignore[misc]

    def _check_referer(self, request: HttpRequest) -> None:
        if "HTTP_REFERER" not in request.META and _fetch_site_allows(request):
            return
        super()._check_referer(request)  # type: ignore[misc]
