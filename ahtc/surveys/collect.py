"""The enumerators' web form: one page per instrument
(`/cell/surveys/<form id>/collect/`), built from the latest version's field
catalogue (collect_form.py), in Urdu or English, that works offline.

Who may fill it in (docs/surveys.md, "Web form"): holders of *collect
surveys* (cell head, cell officer) in their own districts; a sensitive
instrument also needs the role that reads its rows (selectors.ROW_ROLES),
so the transgender community survey stays the cell head's. Each form
carries an instanceID made by the browser (or the server, without
JavaScript); the same id sent twice is one submission and answers the same
receipt, as imports deduplicate on it (ingest/store.py).

Offline (static/ahtc/survey-collect.js and the service worker below): a
completed form of an ordinary instrument waits in the browser's IndexedDB
until the server confirms it. Sensitive instruments are never queued on the
device: their answers stay on the screen until there is a connection.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ahtc.accounts.decorators import staff_view
from ahtc.accounts.models import User
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction, AuditOutcome
from ahtc.geography.models import Area, AreaLevel
from ahtc.surveys.collect_form import error_summary, form_items, read_answers
from ahtc.surveys.ingest.store import DATE_COLUMNS
from ahtc.surveys.models import Instrument, InstrumentVersion, Sensitivity, Source, Submission
from ahtc.surveys.selectors import ROW_ROLES

INSTANCE_ID = re.compile(r"^(?:uuid:)?([0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12})$")
# Static files the form needs offline (under STATIC_URL); see service_worker.
OFFLINE_ASSETS = (
    "ahtc/base.css",
    "ahtc/session.js",
    "ahtc/survey-collect.css",
    "ahtc/survey-collect.js",
)


class IdTakenError(Exception):
    """A resend of an id that someone else's form already holds."""


def collect_districts(user: Any, instrument: Instrument) -> QuerySet[Area]:
    """Districts where the user may fill in this instrument's form."""
    query = Q(pk__in=[])
    for grant in user_scope(user).grants:
        if Perm.COLLECT_SURVEYS not in grant.permissions:
            continue
        if instrument.sealed and instrument.sensitivity not in ROW_ROLES.get(
            grant.role, frozenset()
        ):
            continue
        query |= Q(path__startswith=grant.area_path)
    return Area.objects.filter(query, level=AreaLevel.DISTRICT).order_by("name_en")


def tehsil_choices(districts: QuerySet[Area]) -> list[dict[str, Any]]:
    tehsils = Area.objects.filter(parent__in=districts).order_by("name_en")
    return [
        {
            "code": district.code,
            "name": district.name,
            "tehsils": [(t.code, t.name) for t in tehsils if t.parent_id == district.pk],
        }
        for district in districts
    ]


def _collected_on(data: dict[str, Any]) -> date | None:
    for column in DATE_COLUMNS:
        if data.get(column):
            return date.fromisoformat(str(data[column])[:10])
    return None


@transaction.atomic
def submission_collect(
    *,
    version: InstrumentVersion,
    key: str,
    district: Area,
    tehsil: Area | None,
    data: dict[str, Any],
    by: User,
) -> tuple[Submission, bool]:
    """Store one web-form submission, or return the one already stored under
    `key` (a resend: double click, offline replay). Returns (submission, new)."""
    instrument = version.instrument
    known = Submission.objects.filter(instrument=instrument, key=key).first()
    if known is None:
        sealed = instrument.sealed
        try:
            with transaction.atomic():
                known = Submission.objects.create(
                    instrument=instrument,
                    version=version,
                    key=key,
                    source=Source.WEB,
                    district=district,
                    tehsil=tehsil,
                    collected_on=_collected_on(data),
                    data={} if sealed else data,
                    sealed=json.dumps(data, ensure_ascii=False) if sealed else "",
                    collected_by=by,
                )
        except IntegrityError:
            # The same id arrived twice at once: the other request stored it.
            known = Submission.objects.get(instrument=instrument, key=key)
        else:
            audit_record(
                actor=by,
                action=AuditAction.CREATE,
                target=known,
                area_code=district.code,
                reason=f"survey web form ({instrument.sensitivity})",
            )
            return known, True
    if known.collected_by_id != by.pk:
        raise IdTakenError
    return known, False


# --- the page --------------------------------------------------------------------------------


def _language() -> str:
    return (get_language() or "en")[:2]


def _refused(request: HttpRequest, instrument: Instrument, why: str) -> HttpResponse:
    audit_record(
        actor=request.user,
        action=AuditAction.VIEW,
        outcome=AuditOutcome.REFUSED,
        target=instrument,
        reason=why,
    )
    return render(request, "cell/forbidden.html", status=403)


def _changed_rows(post: QueryDict) -> bool:
    """The "one more" and "remove" buttons (without JavaScript): change the
    rows and show the form again with everything typed."""
    added, removed = post.get("#add", ""), post.get("#remove", "")
    if added:
        try:
            number = max(int(post.get(f"{added}#rows", "0")), 0)
        except ValueError:
            number = 0
        post[f"{added}[{number}]#row"] = "1"
        post[f"{added}#rows"] = str(number + 1)
    if removed:
        post.pop(f"{removed}#row", None)
    return bool(added or removed)


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    instrument: Instrument = context["instrument"]
    version: InstrumentVersion = context["version"]
    districts: QuerySet[Area] = context["districts"]
    post: QueryDict | None = context.get("post")
    errors: dict[str, str] = context.get("errors", {})
    items = form_items(
        version, post=post, errors=errors, language=_language(), tehsils=tehsil_choices(districts)
    )
    summary = error_summary(items)
    if errors.get("#district"):
        summary.insert(
            0, {"id": "q-district", "label": _("District"), "error": errors["#district"]}
        )
    context |= {
        "items": items,
        "summary": summary,
        "district_error": errors.get("#district", ""),
        "instance_id": (post.get("#instance", "") if post else "") or str(uuid.uuid4()),
        "chosen_district": (post.get("#district", "") if post else "")
        or (districts[0].code if len(districts) == 1 else ""),
        "offline": not instrument.sealed,
        "highest": instrument.sensitivity == Sensitivity.HIGHEST,
        "sign_in": reverse("accounts:login"),
        "sw_url": reverse("cell:surveys:collect_sw"),
    }
    response = render(request, "surveys/collect.html", context, status=status)
    if instrument.sealed:
        response["X-AHTC-Offline"] = "no"  # the service worker never stores this page
    return response


def _district(districts: QuerySet[Area], code: str) -> Area | None:
    return next((d for d in districts if d.code == code), None)


def _tehsil(district: Area | None, data: dict[str, Any]) -> tuple[Area | None, str]:
    code = str(data.get("tehsil", "") or "")
    if district is None or not code:
        return None, ""
    found = Area.objects.filter(parent=district, code=code).first()
    return found, "" if found else _("Choose a tehsil of the district chosen above.")


@staff_view(Perm.COLLECT_SURVEYS)
def collect(request: HttpRequest, form_id: str) -> HttpResponse:
    user: Any = request.user
    instrument = get_object_or_404(Instrument, form_id=form_id)
    version = instrument.latest_version()
    if version is None:
        raise Http404
    districts = collect_districts(user, instrument)
    if not districts:
        return _refused(request, instrument, "may not collect this survey")
    context: dict[str, Any] = {"instrument": instrument, "version": version, "districts": districts}
    if request.method != "POST":
        return _page(request, context)
    post = request.POST.copy()
    context["post"] = post
    if _changed_rows(post):
        return _page(request, context)
    return _submitted(request, context, post)


def _version(instrument: Instrument, post: QueryDict, latest: InstrumentVersion) -> Any:
    """The version the form was shown with (a page kept offline may be older)."""
    wanted = post.get("#version", "")
    if wanted.isdigit() and int(wanted) != latest.number:
        return instrument.versions.filter(number=int(wanted)).first() or latest
    return latest


def _submitted(request: HttpRequest, context: dict[str, Any], post: QueryDict) -> HttpResponse:
    user: Any = request.user
    instrument: Instrument = context["instrument"]
    found = INSTANCE_ID.match(post.get("#instance", "").strip())
    if found is None:
        post["#instance"] = ""
        context["form_error"] = _("The form had lost its id; a new one was given. Send it again.")
        return _page(request, context, status=400)
    key = found.group(1).lower()
    known = Submission.objects.filter(instrument=instrument, key=key, collected_by=user).first()
    if known is not None:
        return _receipt(request, known, duplicate=True)
    version = _version(instrument, post, context["version"])
    context["version"] = version
    reading = read_answers(version, post, _language())
    district = _district(context["districts"], post.get("#district", ""))
    errors = dict(reading.errors)
    if district is None:
        errors["#district"] = _("Choose one of the districts where you collect this survey.")
        if post.get("#district"):
            _refused_district(request, instrument)
    tehsil, problem = _tehsil(district, reading.data)
    if problem:
        errors["tehsil"] = problem
    if errors or district is None:
        context |= {"errors": errors, "form_error": _("The form was not sent: see below.")}
        return _page(request, context, status=400)
    try:
        submission, _new = submission_collect(
            version=version, key=key, district=district, tehsil=tehsil, data=reading.data, by=user
        )
    except IdTakenError:
        post["#instance"] = ""
        context["form_error"] = _("This form's id was already used; a new one was given.")
        return _page(request, context, status=400)
    return _receipt(request, submission, duplicate=False)


def _refused_district(request: HttpRequest, instrument: Instrument) -> None:
    audit_record(
        actor=request.user,
        action=AuditAction.CREATE,
        outcome=AuditOutcome.REFUSED,
        target=instrument,
        reason="survey web form for a district outside the user's scope",
    )


def _receipt(request: HttpRequest, submission: Submission, *, duplicate: bool) -> HttpResponse:
    context = {
        "submission": submission,
        "instrument": submission.instrument,
        "duplicate": duplicate,
        "offline": not submission.instrument.sealed,
        "sign_in": reverse("accounts:login"),
        "sw_url": reverse("cell:surveys:collect_sw"),
    }
    return render(request, "surveys/collect_receipt.html", context)


# --- the service worker ------------------------------------------------------------------------


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served under /cell/surveys/, so its scope is the survey pages; it only
    ever stores the collect pages and OFFLINE_ASSETS (templates/surveys/
    collect_sw.js). It holds no data, so it needs no sign-in."""
    assets = [static(name) for name in OFFLINE_ASSETS]
    base = reverse("cell:surveys:list")
    body = render_to_string(
        "surveys/collect_sw.js",
        {
            "assets_json": json.dumps(assets),
            "pattern": json.dumps("^" + re.escape(base) + r"[^/]+/collect/$"),
            "version": _cache_version(assets),
        },
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


def _cache_version(assets: list[str]) -> str:
    digest = hashlib.sha256(json.dumps(assets).encode())
    for name in OFFLINE_ASSETS:
        found = finders.find(name)
        if isinstance(found, str):
            digest.update(Path(found).read_bytes())
    return digest.hexdigest()[:16]
