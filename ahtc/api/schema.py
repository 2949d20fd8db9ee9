from __future__ import annotations

from drf_spectacular.authentication import SessionScheme


class VerifiedSessionScheme(SessionScheme):  # type: ignore[no-untyped-call]
    """Document the 2FA-verified browser session like DRF's session auth."""

    target_class = "ahtc.api.auth.VerifiedSessionAuthentication"
    name = "verifiedSession"
