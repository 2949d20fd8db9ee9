from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class ActiveOrganisationBackend(ModelBackend):
    """Refuse users who are disabled or whose organisation is disabled.

    Django asks the backend again on every request (`get_user`), so disabling a
    user or an organisation ends their open sessions at once.
    """

    def user_can_authenticate(self, user: Any) -> bool:
        if not super().user_can_authenticate(user):
            return False
        organisation = getattr(user, "organisation", None)
        return organisation is None or bool(organisation.is_active)
