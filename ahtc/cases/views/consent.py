"""The victim's consent: record it, withdraw it (ending the shares it allowed)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ahtc.accounts.decorators import refused, staff_view
from ahtc.cases import forms as f
from ahtc.cases import services as s
from ahtc.cases.models import Consent, PartyRole
from ahtc.cases.views._common import (
    CASE_WORK,
    _action,
    _detail_url,
    _in_case,
    _load,
    _partner_orgs,
    _post,
)
from ahtc.core.confirm import confirmed, unconfirmed


@staff_view(CASE_WORK)
def consent_add(request: HttpRequest, reference: str) -> HttpResponse:
    return _action(
        request,
        reference,
        need="manage",
        build=lambda c, a, r: f.ConsentForm(
            _post(r)[0],
            parties=c.parties.filter(
                role__in=[PartyRole.VICTIM, PartyRole.SMUGGLED_MIGRANT]
            ).select_related("case"),
            orgs=_partner_orgs(r.user),
            initial={"given_on": timezone.localdate()},
        ),
        handle=lambda case, d, a, r: s.consent_record(case=case, by=r.user, **d),
        title=_("Record the victim's consent"),
        anchor="consent",
        done=_("Consent recorded."),
    )


@require_POST
@staff_view(CASE_WORK)
def consent_withdraw(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case, access = _load(request, reference)
    if not access.manage:
        return refused(request, case, "lacks case access: manage")
    consent = _in_case(request, Consent, pk, case=case)
    if not confirmed(request):
        return unconfirmed(request, _detail_url(case, "consent"))
    try:
        revoked = s.consent_withdraw(consent=consent, by=request.user)
    except s.CaseError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("Consent withdrawn. Shares ended: %(n)d.") % {"n": len(revoked)},
        )
    return redirect(_detail_url(case, "consent"))
