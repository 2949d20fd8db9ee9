"""Referrals: the cell's side (refer, send, close), the inbox, and what a
provider sees and answers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Case as DbCase
from django.db.models import Count, F, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.accounts.decorators import staff_view
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction, in_language
from ahtc.victims import forms as f
from ahtc.victims import services as s
from ahtc.victims.models import ProtectionRecord, Referral, ReferralStatus
from ahtc.victims.selectors import (
    provider_referral_for_user,
    provider_referrals_for_user,
    provider_sees_identity,
    record_access,
    record_for_user,
    records_for_user,
)
from ahtc.victims.views.base import _in_record, _post, _providers, _record_action, _works_records


@staff_view(Perm.VIEW_WORKSPACE)
def referral_add(request: HttpRequest, number: str) -> HttpResponse:
    def build(rec: ProtectionRecord, r: HttpRequest) -> Any:
        form = f.ReferralForm(_post(r), providers=_providers(r.user))
        if not record_access(r.user, rec).override_consent:
            del form.fields["override_consent"]
            del form.fields["reason"]
        return form

    return _record_action(
        request,
        number,
        build=build,
        handle=lambda rec, d, r: s.referral_create(
            record=rec,
            by=r.user,
            provider=d["provider"],
            service=d["service"],
            needs=d["needs"],
            identity_needed=d["identity_needed"],
            override_consent=d.get("override_consent", False),
            reason=d.get("reason", ""),
        ),
        title=_("Refer for a service"),
        anchor="referrals",
        need="cell",
        done=_("Referral sent. The provider has been asked to answer."),
    )


def _record_referral(
    request: HttpRequest, number: str, pk: int
) -> tuple[ProtectionRecord, Referral]:
    record = record_for_user(request.user, number)
    referral = _in_record(request, Referral, pk, record=record)
    return record, referral


@staff_view(Perm.VIEW_WORKSPACE)
def referral_send(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    _record, referral = _record_referral(request, number, pk)
    return _record_action(
        request,
        number,
        build=lambda rec, r: f.SendForm(_post(r)),
        handle=lambda rec, d, r: s.referral_send(referral=referral, by=r.user, **d),
        title=_("Send the referral"),
        anchor="referrals",
        need="cell",
        done=_("Referral sent."),
    )


@staff_view(Perm.VIEW_WORKSPACE)
def referral_close(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    _record, referral = _record_referral(request, number, pk)
    return _record_action(
        request,
        number,
        build=lambda rec, r: f.CloseForm(_post(r)),
        handle=lambda rec, d, r: s.referral_close(referral=referral, by=r.user, **d),
        title=_("Close the referral"),
        anchor="referrals",
        need="cell",
        done=_("Referral closed."),
    )


def _first_in_order(rows: QuerySet[Referral], limit: int) -> list[Referral]:
    """The first `limit` referrals of `rows`: sorted as bare ids, then read
    for those alone (issue 19), without the victim's encrypted address or
    identity, which the inbox never shows: at province scale a district's
    thousands of referrals are never read whole, nor decrypted, to show 200."""
    ids = list(rows.values_list("pk", flat=True)[:limit])
    found = (
        Referral.objects.select_related("record", "provider").defer("record__address").in_bulk(ids)
    )
    return [found[pk] for pk in ids]


@staff_view(Perm.VIEW_WORKSPACE)
def referral_inbox(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    # Waiting for an answer first, then in service, then delivered; oldest first.
    step = DbCase(
        When(status=ReferralStatus.SENT, then=Value(0)),
        When(status=ReferralStatus.ACCEPTED, then=Value(1)),
        default=Value(2),
    )
    incoming = _first_in_order(
        provider_referrals_for_user(user).annotate(step=step).order_by("step", "respond_by"), 300
    )
    outgoing: list[Referral] = []
    if _works_records(user):
        outgoing = _first_in_order(
            Referral.objects.filter(
                record__in=records_for_user(user),
                status__in=[
                    ReferralStatus.DRAFT,
                    ReferralStatus.SENT,
                    ReferralStatus.ACCEPTED,
                    ReferralStatus.DELIVERED,
                ],
            ).order_by(F("respond_by").asc(nulls_last=True), "pk"),
            200,
        )
    if (
        not incoming
        and not outgoing
        and not _works_records(user)
        and not user_scope(user).has_perm_anywhere(Perm.VIEW_SHARED)
    ):
        return render(request, "cell/forbidden.html", status=403)
    caseload: list[dict[str, Any]] = []
    if _works_records(user):
        now = timezone.now()
        caseload = [
            dict(row)
            for row in Referral.objects.filter(
                record__in=records_for_user(user),
                status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED],
            )
            .values("provider__name_en", "provider__name_ur")
            .annotate(
                waiting=Count("pk", filter=Q(status=ReferralStatus.SENT)),
                overdue=Count("pk", filter=Q(status=ReferralStatus.SENT, respond_by__lt=now)),
                in_service=Count("pk", filter=Q(status=ReferralStatus.ACCEPTED)),
            )
            .order_by("-overdue", "-waiting", "provider__name_en")
        ]
        for row in caseload:
            row["name"] = in_language(en=row["provider__name_en"], ur=row["provider__name_ur"])
    context = {
        "incoming": incoming,
        "outgoing": outgoing,
        "caseload": caseload,
        "now": timezone.now(),
    }
    return render(request, "victims/referrals.html", context)


@staff_view(Perm.VIEW_WORKSPACE)
def provider_referral(request: HttpRequest, pk: int) -> HttpResponse:
    """What a provider sees: the victim number, age, sex, needs; the identity only
    if the referral needs it and the victim consented. Every view is audited."""
    referral = provider_referral_for_user(request.user, pk)
    show_identity = provider_sees_identity(referral)
    audit_record(
        actor=request.user,
        action=AuditAction.VIEW,
        target=referral.record,
        area_code=referral.record.district.code,
        reason=f"referral {referral.pk} by provider" + (" with identity" if show_identity else ""),
    )
    answer = f.AnswerForm(request.POST if "accept" in request.POST else None)
    deliver = f.DeliverForm(
        request.POST if "delivered_on" in request.POST else None,
        initial={"delivered_on": timezone.localdate()},
    )
    if request.method == "POST":
        try:
            if answer.is_bound and answer.is_valid():
                s.referral_answer(
                    referral=referral,
                    by=request.user,
                    accept=answer.cleaned_data["accept"],
                    reason=answer.cleaned_data["reason"],
                )
                messages.success(request, _("Answer recorded."))
                return redirect("cell:referrals")
            if deliver.is_bound and deliver.is_valid():
                s.referral_deliver(referral=referral, by=request.user, **deliver.cleaned_data)
                messages.success(request, _("Service recorded. The referring officer can see it."))
                return redirect("cell:referrals")
        except s.VictimError as exc:
            (answer if answer.is_bound else deliver).add_error(None, exc.message)
    person = referral.record.person
    context = {
        "referral": referral,
        "record": referral.record,
        "age": person.age_years,
        "sex": person.get_sex_display(),
        "identity": (
            {
                "names": " / ".join(n for n in (person.name_latin, person.name_urdu) if n),
                "phones": [i.value for i in person.identifiers.filter(kind="phone")],
            }
            if show_identity
            else None
        ),
        "answer": answer,
        "deliver": deliver,
        "now": timezone.now(),
    }
    return render(request, "victims/provider_referral.html", context)
