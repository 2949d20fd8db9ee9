"""One error for broken business rules, shared by the domain apps' services."""

from __future__ import annotations

from django.utils.functional import Promise


class RuleError(ValueError):
    """A rule was broken; `message` is for the user. `refusal`, when set, names a
    refused attempt the caller must audit (outside the rolled-back transaction)."""

    def __init__(self, message: str | Promise, *, refusal: str = "") -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.refusal = refusal
