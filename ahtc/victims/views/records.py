"""The protection record: opened from a case, shown, edited, its photograph."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.accounts.decorators import refused, staff_view
from ahtc.accounts.roles import Perm
from ahtc.cases.models import Party, PartyRole
from ahtc.cases.selectors import case_access, case_for_user, cases_for_user
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.portal.views import limited_upload
from ahtc.victims import forms as f
from ahtc.victims import services as s
from ahtc.victims.models import (
    ControlMethod,
    Exploitation,
    ProtectionRecord,
    ReleaseStatus,
    ServiceType,
)
from ahtc.victims.selectors import RecordAccess, record_access, record_for_user
from ahtc.victims.views.base import _post, _record_action, _record_url


@staff_view(Perm.VIEW_WORKSPACE)
def record_open(request: HttpRequest, reference: str, party_pk: int) -> HttpResponse:
    """Open a protection record for a victim of a case."""
    case = case_for_user(request.user, reference)
    if not case_access(request.user, case).manage:
        return refused(request, case, "lacks case access: manage")
    party = (
        Party.objects.filter(
            case=case,
            pk=party_pk,
            role__in=[PartyRole.VICTIM, PartyRole.SMUGGLED_MIGRANT],
            person__isnull=False,
        )
        .select_related("person")
        .first()
    )
    if party is None or party.person is None:
        raise Http404
    existing = ProtectionRecord.objects.filter(person=party.person).first()
    if existing is not None:
        return redirect(_record_url(existing))
    age = party.person.age_years
    form = f.RecordForm(
        request.POST or None,
        initial={
            "identity_withheld": case.identity_withheld,
            "child": age is not None and age < 18,
            "trafficking_status": "PossibleVictimOfTrafficking",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = s.record_create(
                person=party.person, by=request.user, district=case.district, **form.cleaned_data
            )
        except s.VictimError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Protection record %(number)s opened.") % {"number": record.number}
            )
            return redirect(_record_url(record))
    context = {
        "form": form,
        "title": _("Open a protection record"),
        "back": reverse("cell:case", args=[case.reference]),
    }
    return render(request, "victims/action.html", context)


def _identity(record: ProtectionRecord, access: RecordAccess) -> dict[str, Any] | None:
    if not access.identity:
        return None
    person = record.person
    return {
        "names": " / ".join(n for n in (person.name_latin, person.name_urdu) if n),
        "relative": person.relative_name,
        "identifiers": [(i.get_kind_display(), i.value) for i in person.identifiers.all()],
        "address": record.address,
    }


@staff_view(Perm.VIEW_WORKSPACE)
def record_detail(request: HttpRequest, number: str) -> HttpResponse:
    record = record_for_user(request.user, number)
    access = record_access(request.user, record)
    audit_record(
        actor=request.user,
        action=AuditAction.VIEW,
        target=record,
        area_code=record.district.code,
        reason="protection record with identity" if access.identity else "protection record",
    )
    today = timezone.localdate()
    cases = cases_for_user(request.user).filter(parties__person=record.person).distinct()
    context = {
        "record": record,
        "access": access,
        "identity": _identity(record, access),
        "cases": cases,
        "consents": record.consents.select_related("organisation"),
        "plan": record.plan.all(),
        "needs": record.needs.first(),
        "service_labels": ServiceType.choices,
        "referrals": record.referrals.select_related("provider"),
        "follow_ups": record.follow_ups.all(),
        "risk": record.risks.first(),
        "alerts": record.alerts.select_related("case", "tip"),
        "visible_cases": set(
            cases_for_user(request.user)
            .filter(pk__in=record.alerts.values("case_id"))
            .values_list("pk", flat=True)
        ),
        "compensation": record.compensation.all(),
        "pending_release": record.identity_releases.filter(status=ReleaseStatus.PENDING).first(),
        "today": today,
        "now": timezone.now(),
        "exploitation": [str(dict(Exploitation.choices).get(x, x)) for x in record.exploitation],
        "control": [str(dict(ControlMethod.choices).get(x, x)) for x in record.control_methods],
    }
    return render(request, "victims/detail.html", context)


@staff_view(Perm.VIEW_WORKSPACE)
def record_edit(request: HttpRequest, number: str) -> HttpResponse:
    def build(record: ProtectionRecord, r: HttpRequest) -> Any:
        initial = {name: getattr(record, name) for name in f.RecordForm.base_fields}
        return f.RecordEditForm(_post(r), initial=initial)

    def handle(record: ProtectionRecord, data: dict[str, Any], r: HttpRequest) -> None:
        lifting = record.identity_withheld and not data["identity_withheld"]
        s.record_update(record=record, by=r.user, **data)
        if lifting:
            wait = _("The identity stays withheld until a cell head approves lifting it.")
            messages.info(r, wait)

    return _record_action(
        request,
        number,
        build=build,
        handle=handle,
        title=_("Edit the protection record"),
        anchor="profile",
        need="cell",
        done=_("Saved."),
    )


@limited_upload
@staff_view(Perm.VIEW_WORKSPACE)
def photo_upload(request: HttpRequest, number: str) -> HttpResponse:
    record = record_for_user(request.user, number)
    access = record_access(request.user, record)
    if not (access.identity and access.cell):
        return refused(request, record, "lacks record access: identity")
    form = f.PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            s.photo_set(record=record, by=request.user, upload=form.cleaned_data["photo"])
        except s.VictimError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Photograph stored."))
            return redirect(_record_url(record, "profile"))
    context = {
        "form": form,
        "title": _("Add a photograph"),
        "back": _record_url(record, "profile"),
        "record": record,
        "multipart": True,
    }
    return render(request, "victims/action.html", context)


@staff_view(Perm.VIEW_WORKSPACE)
def photo_download(request: HttpRequest, number: str) -> HttpResponse:
    from ahtc.portal.files import deliver

    record = record_for_user(request.user, number)
    if not record_access(request.user, record).identity or not record.photo_name:
        raise Http404
    # Scanned again before delivery, like every stored file; audited either way.
    return deliver(
        request,
        target=record,
        stored_name=record.photo_name,
        kind="jpeg",
        name=record.number,
        area_code=record.district.code,
        reason="photo downloaded",
    )
