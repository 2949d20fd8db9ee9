"""The reader's notifications (/cell/notifications/) and their preferences."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ahtc.accounts.decorators import staff_view
from ahtc.notifications.forms import PreferenceForm
from ahtc.notifications.selectors import notification_for_user, notifications_for_user
from ahtc.notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    preference_for,
    preference_update,
)


@staff_view()
def notification_list(request: HttpRequest) -> HttpResponse:
    rows = notifications_for_user(request.user).order_by("-updated_at", "-pk")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@require_POST
@staff_view()
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read; with `open`, go on to its list."""
    user: Any = request.user
    notification = notification_for_user(user, pk)
    notification_mark_read(notification=notification, by=user)
    if request.POST.get("open"):
        return redirect(notification.link)
    return redirect("cell:notifications:list")


@require_POST
@staff_view()
def notification_read_all(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    done = notifications_mark_all_read(user=user)
    if done:
        messages.success(request, _("All notifications are marked read."))
    return redirect("cell:notifications:list")


@staff_view()
def preferences(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    current = preference_for(user)
    initial = {
        "email": current.email and bool(user.email),
        "sms": current.sms,
        "sms_number": current.sms_number,
        "timing": current.timing,
        "language": current.language,
    }
    form = PreferenceForm(request.POST or None, initial=initial, has_email=bool(user.email))
    if request.method == "POST" and form.is_valid():
        preference_update(user=user, **form.cleaned_data)
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("cell:notifications:preferences")
    return render(
        request, "notifications/preferences.html", {"form": form, "has_email": bool(user.email)}
    )
