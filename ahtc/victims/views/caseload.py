"""The victims list (the caseload) and a cell head's decisions on lifting
identity-withheld flags."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.accounts.decorators import refused_if, staff_view
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.core.audit import audit_records
from ahtc.core.models import AuditAction
from ahtc.people.models import Person
from ahtc.victims import forms as f
from ahtc.victims import services as s
from ahtc.victims.models import (
    FollowUp,
    ProtectionRecord,
    ReappearanceAlert,
    Referral,
    ReferralStatus,
)
from ahtc.victims.selectors import (
    identity_release_for_user,
    pending_releases_to_decide,
    record_access,
    records_for_user,
)
from ahtc.victims.views.base import _works_records
from ahtc.victims.views.exports import _export_refusal, _export_refused


def _caseload(user: Any, show: str) -> QuerySet[ProtectionRecord]:
    today = timezone.localdate()
    now = timezone.now()
    rows = records_for_user(user).select_related("district")
    due = FollowUp.objects.filter(record=OuterRef("pk"), done_on__isnull=True, due__lte=today)
    overdue = Referral.objects.filter(
        record=OuterRef("pk"), status=ReferralStatus.SENT, respond_by__lt=now
    )
    alerts = ReappearanceAlert.objects.filter(record=OuterRef("pk"), seen_at__isnull=True)
    rows = rows.annotate(
        follow_up_due=Exists(due),
        referral_overdue=Exists(overdue),
        has_alert=Exists(alerts),
        # A scalar subquery, not a join and GROUP BY over every record in scope
        # (province scale, issue 19): the page and its count stay cheap.
        open_referrals=Coalesce(
            Subquery(
                Referral.objects.filter(
                    record=OuterRef("pk"),
                    status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED],
                )
                .order_by()
                .values("record")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            0,
        ),
    )
    if show == "follow_up":
        rows = rows.filter(follow_up_due=True)
    elif show == "overdue":
        rows = rows.filter(referral_overdue=True)
    elif show == "alerts":
        rows = rows.filter(has_alert=True)
    elif show == "children":
        rows = rows.filter(child=True)
    return rows.order_by("-has_alert", "-referral_overdue", "-follow_up_due", "-created_at")


@staff_view(Perm.VIEW_WORKSPACE)
def victim_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if request.method == "POST":
        return _release_decide(request)
    exporting = request.GET.get("export") == "csv"
    identity = request.GET.get("identity") == "1"
    if not _works_records(user):
        if exporting:
            return _export_refused(request, identity, "no access to victim records")
        return render(request, "cell/forbidden.html", status=403)
    form = f.VictimFilter(request.GET or None)
    show = form.cleaned_data.get("show") or "all" if form.is_valid() else "all"
    rows = _caseload(user, show)
    if exporting:
        reason = request.GET.get("reason", "").strip()
        why = _export_refusal(user, identity=identity, reason=reason)
        if why:
            return _export_refused(request, identity, why)
        from ahtc.jobs.exports import victim_list_export_start

        # Made by a background job; its page shows progress, then the download.
        job = victim_list_export_start(user=user, show=show, identity=identity, reason=reason)
        return redirect(job)
    page = _page_first(rows, request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "names_shown": _names_on_list(user, list(page)),
        "show": show,
        "can_export": user_scope(user).has_perm_anywhere(Perm.EXPORT),
        "can_export_identity": user_scope(user).has_perm_anywhere(Perm.EXPORT_IDENTITY),
        "releases": pending_releases_to_decide(user),
    }
    return render(request, "victims/list.html", context)


def _page_first(rows: QuerySet[ProtectionRecord], number: str | None) -> Page[Any]:
    """Page the record numbers first (a narrow sort on the flags, issue 19),
    then read the page's 50 records whole, their counts computed for them
    alone: two queries at any size, never every record in scope read whole."""
    page: Page[Any] = Paginator(rows.values_list("pk", flat=True), 50).get_page(number)
    # The address is never shown here: not decrypted for the list.
    found = rows.filter(pk__in=list(page.object_list)).defer("address").in_bulk()
    page.object_list = [found[pk] for pk in page.object_list if pk in found]
    return page


def _names_on_list(user: Any, rows: list[ProtectionRecord]) -> bool:
    """Names beside the numbers for users who may see the identity of the
    record (view identity where they run cases; never a withheld identity).
    Each name shown is an audited read of that record."""
    shown = [r for r in rows if not r.identity_withheld and record_access(user, r).identity]
    people = Person.objects.in_bulk([r.person_id for r in shown])
    for record in shown:
        person = people[record.person_id]
        names = (person.name_latin, person.name_urdu)
        record.shown_name = " / ".join(n for n in names if n)  # type: ignore[attr-defined]
    # One audited read per record whose name is shown, in one insert.
    audit_records(
        actor=user,
        action=AuditAction.VIEW,
        targets=[(r, r.district.code) for r in shown],
        reason="name on the victims list",
    )
    return bool(shown)


def _release_decide(request: HttpRequest) -> HttpResponse:
    """A cell head approves or refuses lifting an identity-withheld flag."""
    form = f.ReleaseDecisionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    user: Any = request.user
    release = identity_release_for_user(user, form.cleaned_data["release"])
    approve = form.cleaned_data["decision"] == "approve"
    try:
        s.identity_release_decide(release=release, by=user, approve=approve)
    except s.VictimError as exc:
        refused_if(request, release.record, exc)
        if exc.refusal:
            return render(request, "cell/forbidden.html", status=403)
        messages.error(request, exc.message)
    else:
        done = _("Identity-withheld lifted.") if approve else _("Request refused; still withheld.")
        messages.success(request, f"{release.record.number}: {done}")
    return redirect("cell:victims")
