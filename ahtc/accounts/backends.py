from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from ahtc.accounts.selectors import user_may_authenticate


class ActiveOrganisationBackend(ModelBackend):
    """Refuse users who are disabled or whose organisation is disabled.

    Django asks the backend again on every request (`get_user`), so disabling a
    user or an organisation ends their open sessions at once. API tokens apply
    the same rule (api/auth.py).
    """

    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and user_may_authenticate(user)
