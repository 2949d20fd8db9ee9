from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.authentication import SessionAuthentication
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import BasePermission

from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope

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


class IsStaffMember(BasePermission):
    """Any signed-in user (session with 2FA, or a system token) holding a role."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        return user_scope(user).has_perm_anywhere(Perm.VIEW_WORKSPACE)


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """`?limit=` is capped: no request loads an unbounded number of rows."""

    max_limit = 500
