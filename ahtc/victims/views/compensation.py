"""Compensation to a victim."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from ahtc.accounts.decorators import staff_view
from ahtc.accounts.roles import Perm
from ahtc.victims import forms as f
from ahtc.victims import services as s
from ahtc.victims.views.base import _post, _record_action


@staff_view(Perm.VIEW_WORKSPACE)
def compensation_add(request: HttpRequest, number: str) -> HttpResponse:
    return _record_action(
        request,
        number,
        build=lambda rec, r: f.CompensationForm(_post(r)),
        handle=lambda rec, d, r: s.compensation_record(record=rec, by=r.user, **d),
        title=_("Record compensation"),
        anchor="compensation",
        done=_("Compensation recorded."),
    )
