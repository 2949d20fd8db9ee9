"""Victim protection pages: caseload, protection record, referrals (cell and
provider sides), service directory, families of missing migrants."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case as DbCase
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ahtc.accounts.decorators import refused, refused_if, staff_view
from ahtc.accounts.models import Organisation
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import organisations_for_user, user_scope
from ahtc.cases.exports import export_refused, safe_cell
from ahtc.cases.models import Party, PartyRole
from ahtc.cases.selectors import case_access, case_for_user, cases_for_user, managed_cases_q
from ahtc.core.access import get_scoped_or_404
from ahtc.core.audit import audit_record
from ahtc.core.confirm import confirmed, unconfirmed
from ahtc.core.models import AuditAction, in_language
from ahtc.jobs.files import ExportFile, Progress
from ahtc.people.models import Person
from ahtc.portal.views import limited_upload
from ahtc.victims import forms as f
from ahtc.victims import services as s
from ahtc.victims.models import (
    ControlMethod,
    Exploitation,
    FollowUp,
    MissingMigrant,
    MissingMigrantFamily,
    PlanStatus,
    ProtectionRecord,
    ReappearanceAlert,
    Referral,
    ReferralStatus,
    ReleaseStatus,
    ServiceConsent,
    ServiceType,
    SupportPlanItem,
)
from ahtc.victims.selectors import (
    RecordAccess,
    identity_release_for_user,
    pending_releases_to_decide,
    provider_referral_for_user,
    provider_referrals_for_user,
    provider_sees_identity,
    record_access,
    record_for_user,
    records_for_user,
)

RECORD_WORKERS = (Perm.MANAGE_CASES, Perm.INVESTIGATE)


def _works_records(user: Any) -> bool:
    scope = user_scope(user)
    return any(scope.has_perm_anywhere(p) for p in RECORD_WORKERS)


def _in_record(request: HttpRequest, model: Any, pk: Any, **in_record: Any) -> Any:
    """An object of this record by pk: 404 otherwise, audited when it exists elsewhere."""
    return get_scoped_or_404(
        user=request.user, scoped=model._default_manager.filter(**in_record), pk=pk
    )


def _record_url(record: ProtectionRecord, anchor: str = "") -> str:
    url = reverse("cell:victim", args=[record.number])
    return f"{url}#{anchor}" if anchor else url


def _providers(user: Any, service: str | None = None) -> QuerySet[Organisation]:
    rows = organisations_for_user(user).filter(provider__isnull=False, is_active=True)
    if service:
        # JSON containment (`__contains`) does not exist on SQLite: match in Python.
        offering = [
            pk
            for pk, services in rows.values_list("pk", "provider__services")
            if service in (services or [])
        ]
        rows = rows.filter(pk__in=offering)
    return rows.select_related("provider", "area").order_by("name_en")


# --- caseload -------------------------------------------------------------------------


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
        open_referrals=Count(
            "referrals",
            filter=Q(referrals__status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED]),
            distinct=True,
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
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
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
        audit_record(
            actor=user,
            action=AuditAction.VIEW,
            target=record,
            area_code=record.district.code,
            reason="name on the victims list",
        )
    return bool(shown)


def _export_refusal(user: Any, *, identity: bool, reason: str) -> str:
    """Why this CSV may not be had ("" when it may)."""
    scope = user_scope(user)
    if not scope.has_perm_anywhere(Perm.EXPORT):
        return f"lacks permission {Perm.EXPORT}"
    if identity and not scope.has_perm_anywhere(Perm.EXPORT_IDENTITY):
        return f"lacks permission {Perm.EXPORT_IDENTITY}"
    if identity and not reason:
        return "no reason given for exporting names"
    return ""


def _export_refused(request: HttpRequest, identity: bool, why: str) -> HttpResponse:
    kind = "victim list csv WITH IDENTITIES" if identity else "victim list csv"
    return export_refused(
        request, kind=kind, why=why, object_type=ProtectionRecord._meta.label_lower
    )


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


def _export_file(
    user: Any,
    rows: QuerySet[ProtectionRecord],
    *,
    identity: bool,
    reason: str = "",
    progress: Progress | None = None,
) -> ExportFile:
    """One row per victim, never a name, phone, address or free text, unless the
    user holds export and view-identity where the record is (then audited as such
    when downloaded; identity-withheld records stay withheld). Made by a
    background job (ahtc/jobs/exports.py)."""
    scope = user_scope(user)
    if identity:
        rows = (
            rows.filter(scope.q(Perm.EXPORT, "district__path"))
            .filter(scope.q(Perm.VIEW_IDENTITY, "district__path"))
            .select_related("person")
        )
    out = io.StringIO()
    writer = csv.writer(out)
    header = [
        "number",
        "district",
        "child",
        "trafficking_status",
        "exploitation",
        "recruitment_method",
        "open_referrals",
        "referral_overdue",
        "follow_up_due",
    ]
    if identity:
        header += ["name", "phone"]
    writer.writerow(header)
    total = rows.count() if progress else 0
    count = 0
    numbers: list[str] = []
    for r in rows:
        count += 1
        numbers.append(r.number)
        if progress and count % 500 == 0:
            progress(0.1 + 0.8 * count / max(total, 1), _("Writing the file"))
        writer.writerow(
            [
                r.number,
                r.district.code,
                int(r.child),
                r.trafficking_status,
                ";".join(r.exploitation),
                r.recruitment_method,
                r.open_referrals,  # type: ignore[attr-defined]
                int(r.referral_overdue),  # type: ignore[attr-defined]
                int(r.follow_up_due),  # type: ignore[attr-defined]
                *(_identity_cells(r) if identity else []),
            ]
        )
    return ExportFile(
        content=out.getvalue().encode("utf-8-sig"),
        filename=f"victims-{timezone.localdate().isoformat()}.csv",
        content_type="text/csv",
        object_type="victims.protectionrecord",
        reason=(
            f"victim list csv WITH IDENTITIES, {count} rows ({reason[:120]}): " + ",".join(numbers)
            if identity
            else f"victim list csv, {count} rows, no identities"
        ),
    )


def _identity_cells(record: ProtectionRecord) -> list[str]:
    if record.identity_withheld:
        return ["(withheld)", ""]
    person = record.person
    names = " / ".join(n for n in (person.name_latin, person.name_urdu) if n)
    phones = ";".join(i.value for i in person.identifiers.all() if i.kind == "phone")
    return [safe_cell(names), safe_cell(phones)]


# --- the record ------------------------------------------------------------------------


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


def _record_action(
    request: HttpRequest,
    number: str,
    *,
    build: Callable[[ProtectionRecord, HttpRequest], Any],
    handle: Callable[[ProtectionRecord, dict[str, Any], HttpRequest], Any],
    title: str,
    anchor: str,
    done: str,
    need: str = "manage",
) -> HttpResponse:
    record = record_for_user(request.user, number)
    access = record_access(request.user, record)
    if not getattr(access, need):
        return refused(request, record, f"lacks record access: {need}")
    form = build(record, request)
    if request.method == "POST" and form.is_valid():
        try:
            handle(record, form.cleaned_data, request)
        except s.VictimError as exc:
            refused_if(request, record, exc)
            form.add_error(None, exc.message)
        else:
            messages.success(request, done)
            return redirect(_record_url(record, anchor))
    context = {"form": form, "title": title, "back": _record_url(record, anchor), "record": record}
    return render(request, "victims/action.html", context)


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


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


@staff_view(Perm.VIEW_WORKSPACE)
def needs_add(request: HttpRequest, number: str) -> HttpResponse:
    return _record_action(
        request,
        number,
        build=lambda rec, r: f.NeedsForm(_post(r)),
        handle=lambda rec, d, r: s.needs_assess(record=rec, by=r.user, **d),
        title=_("Assess the victim's needs"),
        anchor="plan",
        done=_("Needs recorded; the support plan has an item for each new need."),
    )


@staff_view(Perm.VIEW_WORKSPACE)
def plan_add(request: HttpRequest, number: str) -> HttpResponse:
    return _record_action(
        request,
        number,
        build=lambda rec, r: f.PlanItemForm(_post(r)),
        handle=lambda rec, d, r: s.plan_item_add(record=rec, by=r.user, **d),
        title=_("Add to the support plan"),
        anchor="plan",
        done=_("Support plan updated."),
    )


@require_POST
@staff_view(Perm.VIEW_WORKSPACE)
def plan_status(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    record = record_for_user(request.user, number)
    if not record_access(request.user, record).manage:
        return refused(request, record, "lacks record access: manage")
    item = _in_record(request, SupportPlanItem, pk, record=record)
    status = request.POST.get("status", "")
    if status not in PlanStatus.values:
        raise Http404
    try:
        s.plan_item_set_status(item=item, by=request.user, status=status)
    except s.VictimError as exc:
        messages.error(request, exc.message)
    return redirect(_record_url(record, "plan"))


@staff_view(Perm.VIEW_WORKSPACE)
def follow_up_done(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    record = record_for_user(request.user, number)
    follow_up = _in_record(request, FollowUp, pk, record=record)
    return _record_action(
        request,
        number,
        build=lambda rec, r: f.FollowUpForm(_post(r), initial={"done_on": timezone.localdate()}),
        handle=lambda rec, d, r: s.follow_up_done(follow_up=follow_up, by=r.user, **d),
        title=_("Record the follow-up"),
        anchor="follow-up",
        done=_("Follow-up recorded."),
    )


@staff_view(Perm.VIEW_WORKSPACE)
def risk_add(request: HttpRequest, number: str) -> HttpResponse:
    return _record_action(
        request,
        number,
        build=lambda rec, r: f.RiskForm(_post(r)),
        handle=lambda rec, d, r: s.risk_assess(record=rec, by=r.user, **d),
        title=_("Assess the risk of re-trafficking"),
        anchor="risk",
        done=_("Risk assessed."),
    )


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


@require_POST
@staff_view(Perm.VIEW_WORKSPACE)
def alert_seen(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    record = record_for_user(request.user, number)
    alert = ReappearanceAlert.objects.filter(record=record, pk=pk, seen_at__isnull=True).first()
    if alert is not None:
        alert.seen_at = timezone.now()
        alert.seen_by = request.user  # type: ignore[assignment]
        alert.save(update_fields=["seen_at", "seen_by"])
        audit_record(
            actor=request.user, action=AuditAction.UPDATE, target=record, reason="alert seen"
        )
    return redirect(_record_url(record, "alerts"))


# --- referrals: the provider's side and the cell's overview -------------------------------


@staff_view(Perm.VIEW_WORKSPACE)
def referral_inbox(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    # Waiting for an answer first, then in service, then delivered; oldest first.
    step = DbCase(
        When(status=ReferralStatus.SENT, then=Value(0)),
        When(status=ReferralStatus.ACCEPTED, then=Value(1)),
        default=Value(2),
    )
    incoming = list(
        provider_referrals_for_user(user).annotate(step=step).order_by("step", "respond_by")[:300]
    )
    outgoing: list[Referral] = []
    if _works_records(user):
        outgoing = list(
            Referral.objects.filter(
                record__in=records_for_user(user),
                status__in=[
                    ReferralStatus.DRAFT,
                    ReferralStatus.SENT,
                    ReferralStatus.ACCEPTED,
                    ReferralStatus.DELIVERED,
                ],
            )
            .select_related("record", "provider")
            .order_by(F("respond_by").asc(nulls_last=True), "pk")[:200]
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


# --- directory and families ---------------------------------------------------------------


@staff_view(Perm.VIEW_WORKSPACE)
def directory(request: HttpRequest) -> HttpResponse:
    service = request.GET.get("service", "")
    if service and service not in ServiceType.values:
        service = ""
    providers = _providers(request.user, service or None)
    labels = dict(ServiceType.choices)
    rows = [
        {
            "org": org,
            "profile": org.provider,
            "services": [labels.get(x, x) for x in org.provider.services],
        }
        for org in providers
    ]
    return render(
        request,
        "victims/directory.html",
        {"rows": rows, "services": ServiceType.choices, "service": service},
    )


def may_edit_provider(user: Any, organisation: Organisation) -> bool:
    if organisation.kind not in s.PROVIDER_KINDS:
        return False
    scope = user_scope(user)
    return scope.permits(Perm.MANAGE_REFERENCE, organisation.area) or scope.permits(
        Perm.MANAGE_CASES, organisation.area
    )


@staff_view(Perm.VIEW_WORKSPACE)
def provider_profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    from ahtc.accounts.selectors import organisation_for_user

    organisation = organisation_for_user(request.user, pk)
    if not may_edit_provider(request.user, organisation):
        return refused(request, organisation, "may not edit the service directory")
    profile = getattr(organisation, "provider", None)
    initial = (
        {
            "services": profile.services,
            "address": profile.address,
            "contact_person": profile.contact_person,
            "hours": profile.hours,
            "accepts_children": profile.accepts_children,
        }
        if profile
        else {"accepts_children": True}
    )
    form = f.ProviderProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            s.provider_profile_save(organisation=organisation, by=request.user, **form.cleaned_data)
        except s.VictimError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Service directory updated."))
            return redirect("cell:organisation", pk=organisation.pk)
    context = {
        "form": form,
        "title": _("Services given by %(name)s") % {"name": organisation.name},
        "back": reverse("cell:organisation", args=[organisation.pk]),
    }
    return render(request, "victims/action.html", context)


@staff_view(Perm.VIEW_WORKSPACE)
def families(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not _works_records(user):
        return render(request, "cell/forbidden.html", status=403)
    managed = cases_for_user(user).filter(managed_cases_q(user))
    rows = (
        MissingMigrantFamily.objects.filter(case__in=managed)
        .select_related("case", "migrant")
        .prefetch_related("support")
    )
    form = f.FamilyForm(_post(request), cases=managed.order_by("-year", "-number"))
    if request.method == "POST" and form.is_valid():
        try:
            s.family_add(by=user, **form.cleaned_data)
        except s.VictimError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Family added."))
            return redirect("cell:families")
    audit_record(
        actor=user,
        action=AuditAction.VIEW,
        object_type="victims.missingmigrantfamily",
        reason="families list",
    )
    page = Paginator(rows.order_by("-created_at"), 50).get_page(request.GET.get("page"))
    return render(request, "victims/families.html", {"rows": page, "page": page, "form": form})


@staff_view(Perm.VIEW_WORKSPACE)
def migrant_fate(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a missing migrant's fate (one for all their relatives); a
    refusal keeps what was typed and says why."""
    user: Any = request.user
    managed = cases_for_user(user).filter(managed_cases_q(user))
    migrant = get_scoped_or_404(
        user=user,
        scoped=MissingMigrant.objects.filter(case__in=managed).select_related("case__district"),
        pk=pk,
    )
    form = f.MigrantFateForm(
        _post(request), fate=migrant.fate, initial={"on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            s.migrant_fate_set(migrant=migrant, by=user, **form.cleaned_data)
        except s.VictimError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Saved for every relative of this migrant."))
            return redirect("cell:families")
    context = {
        "form": form,
        "title": _("%(migrant)s is %(fate)s: record a change")
        % {"migrant": migrant.pseudonym, "fate": migrant.get_fate_display()},
        "back": reverse("cell:families"),
    }
    return render(request, "victims/action.html", context)


@staff_view(Perm.VIEW_WORKSPACE)
def family_support(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    managed = cases_for_user(user).filter(managed_cases_q(user))
    family = MissingMigrantFamily.objects.filter(pk=pk, case__in=managed).first()
    if family is None:
        raise Http404
    form = f.FamilySupportForm(_post(request), initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            s.family_support_add(family=family, by=user, **form.cleaned_data)
        except s.VictimError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Support recorded."))
            return redirect("cell:families")
    context = {
        "form": form,
        "title": _("Record support to the family"),
        "back": reverse("cell:families"),
    }
    return render(request, "victims/action.html", context)
