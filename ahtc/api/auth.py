from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission

from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_has_current_role, user_may_authenticate, user_scope
from ahtc.api.models import ApiScope, ApiToken
from ahtc.api.services import api_token_hash, api_token_mark_used

if TYPE_CHECKING:  # importing these at run time would be circular (DRF settings)
    from rest_framework.request import Request
    from rest_framework.views import APIView


class VerifiedSessionAuthentication(SessionAuthentication):
    """Browser sessions count only after the second factor (django-otp)."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        is_verified = getattr(user, "is_verified", None)
        if is_verified is None or not is_verified():
            return None
        return result


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, checked like a sign-in on every request:
    the token unrevoked and unexpired, the user active, their organisation
    active, and at least one current role. Any failure is the same 401."""

    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = (
            ApiToken.objects.usable()
            .select_related("user__organisation")
            .filter(key_hash=api_token_hash(key))
            .first()
        )
        if token is None:
            raise AuthenticationFailed(_("Invalid or expired token."))
        user = token.user
        if not (user_may_authenticate(user) and user_has_current_role(user)):
            raise AuthenticationFailed(_("Invalid or expired token."))
        api_token_mark_used(token=token)
        return user, token


class IsStaffMember(BasePermission):
    """Any signed-in user (session with 2FA, or a system token) holding a role."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        return user_scope(user).has_perm_anywhere(Perm.VIEW_WORKSPACE)


class TokenScopes(BasePermission):
    """A token does only what its scopes say (docs/api.md): GET, HEAD and
    OPTIONS need "read", other methods "write", and a view that names its own
    `required_scope` needs exactly that one (report intake). Sessions have no
    scopes: a signed-in person's roles decide, as on the pages."""

    message = _("This token's scopes do not allow this request.")
    code = "insufficient_scope"

    def has_permission(self, request: Request, view: APIView) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return getattr(view, "required_scope", None) is None
        return token.has_scope(required_scope(request, view))


def required_scope(request: Request, view: APIView) -> str:
    named: str | None = getattr(view, "required_scope", None)
    if named is not None:
        return named
    return ApiScope.READ if request.method in SAFE_METHODS else ApiScope.WRITE


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """`?limit=` is capped: no request loads an unbounded number of rows.
    `?offset=` is cut to what a database integer holds (PostgreSQL refuses a
    larger OFFSET; past the last row the page is empty either way)."""

    max_limit = 500
    max_offset = 2**31 - 1

    def get_offset(self, request: Request) -> int:
        return min(int(super().get_offset(request)), self.max_offset)
