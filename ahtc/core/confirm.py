"""Destructive actions need a confirmation step that works without JavaScript.

Each such form (templates/danger_confirm.html) is opened first, then asks for
a box to be ticked and says whether the action can be undone; the view checks
the box again here, so a stray or replayed POST changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

CONFIRM_FIELD = "confirm"


def confirmed(request: HttpRequest) -> bool:
    return request.POST.get(CONFIRM_FIELD) == "yes"


def unconfirmed(request: HttpRequest, back: str) -> HttpResponse:
    """Nothing done: back to the page, saying why."""
    messages.error(
        request, _("Nothing was changed: tick the box to confirm, then press the button again.")
    )
    return redirect(back)
