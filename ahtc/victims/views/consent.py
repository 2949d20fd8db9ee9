"""The victim's consent to be referred: recorded and withdrawn."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ahtc.accounts.decorators import refused, staff_view
from ahtc.accounts.roles import Perm
from ahtc.core.confirm import confirmed, unconfirmed
from ahtc.victims import forms as f
from ahtc.victims import services as s
from ahtc.victims.models import ServiceConsent
from ahtc.victims.selectors import record_access, record_for_user
from ahtc.victims.views.base import _in_record, _post, _providers, _record_action, _record_url


@staff_view(Perm.VIEW_WORKSPACE)
def consent_add(request: HttpRequest, number: str) -> HttpResponse:
    return _record_action(
        request,
        number,
        build=lambda rec, r: f.ServiceConsentForm(
            _post(r), providers=_providers(r.user), initial={"given_on": timezone.localdate()}
        ),
        handle=lambda rec, d, r: s.consent_record(record=rec, by=r.user, **d),
        title=_("Record consent to be referred"),
        anchor="consent",
        need="cell",
        done=_("Consent recorded."),
    )


@require_POST
@staff_view(Perm.VIEW_WORKSPACE)
def consent_withdraw(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    record = record_for_user(request.user, number)
    if not record_access(request.user, record).cell:
        return refused(request, record, "lacks record access: cell")
    consent = _in_record(request, ServiceConsent, pk, record=record)
    if not confirmed(request):
        return unconfirmed(request, _record_url(record, "consent"))
    try:
        closed = s.consent_withdraw(consent=consent, by=request.user)
    except s.VictimError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Consent withdrawn. Referrals closed: %(n)d.") % {"n": len(closed)}
        )
    return redirect(_record_url(record, "consent"))
