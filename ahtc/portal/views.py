from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.decorators import decorator_from_middleware
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from ahtc.core.csrf import NoReferrerCsrfViewMiddleware
from ahtc.portal.antispam import challenge_verify, submission_allowed
from ahtc.portal.files import MAX_BODY_BYTES, LimitedUploadHandler
from ahtc.portal.forms import ReceiptForm, ReporterReplyForm, ReportForm
from ahtc.portal.models import Tip
from ahtc.portal.receipts import format_code, idempotency_hash
from ahtc.portal.services import tip_for_receipt, tip_reporter_reply, tip_submit
from ahtc.portal.throttle import receipt_lookup_allowed


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@csrf_exempt  # re-applied below, after the size-limiting upload handler is in place
@never_cache
def report(request: HttpRequest) -> HttpResponseBase:
    try:
        announced = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        announced = 0
    if announced > MAX_BODY_BYTES:
        # Refused before a byte of the body is read.
        return render(request, "portal/too_large.html", status=413)
    request.upload_handlers.insert(0, LimitedUploadHandler(request))
    return _report(request)


@decorator_from_middleware(NoReferrerCsrfViewMiddleware)
def _report(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not _within_budget(data):
            form.add_error(
                None,
                _(
                    "Many reports are arriving right now. Please press Send again in a "
                    "minute; nothing you wrote is lost."
                ),
            )
            return render(request, "portal/report.html", _report_context(form), status=429)
        submission = tip_submit(
            client_token=data["client_token"],
            category=data["category"],
            district=data["district_area"],
            tehsil=data["tehsil_area"],
            description=data["description"],
            child_involved=data["child_involved"],
            danger_now=data["danger_now"],
            place=data["place"],
            when=data["when"],
            involved=data["involved"],
            contact=data["contact"],
            files=data["attachments"],
        )
        # Shown in this response only: the code never goes into a URL.
        context = {
            "code": format_code(submission.receipt_code),
            "danger_now": data["danger_now"],
            "district": data["district_area"],
        }
        return render(request, "portal/receipt.html", context)
    return render(request, "portal/report.html", _report_context(form))


def _report_context(form: ReportForm) -> dict[str, Any]:
    return {"form": form, "pow_bits": settings.AHTC_POW_BITS}


def _within_budget(data: dict[str, Any]) -> bool:
    if Tip.objects.filter(idempotency_hash=idempotency_hash(data["client_token"])).exists():
        return True  # a retry of a stored report is always answered
    verified = challenge_verify(data["pow_challenge"], data["pow_nonce"])
    return submission_allowed(verified=verified)


def _padded(started: float, response: HttpResponse) -> HttpResponse:
    remaining = settings.AHTC_RECEIPT_MIN_SECONDS - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)
    return response


@never_cache
def follow_up(request: HttpRequest) -> HttpResponse:
    """Status and messages for a receipt code sent in the body, never the URL.

    Found or not, the answer has the same template, status and minimum time.
    """
    started = time.monotonic()
    posted_reply = "body" in request.POST
    form = (ReporterReplyForm if posted_reply else ReceiptForm)(request.POST or None)
    context: dict[str, object] = {"form": form, "looked_up": False}
    if request.method == "POST" and form.is_valid():
        if not receipt_lookup_allowed():
            return _padded(started, render(request, "portal/busy.html", status=429))
        tip: Tip | None = tip_for_receipt(form.cleaned_data["code"])
        if tip is not None and posted_reply:
            tip_reporter_reply(tip=tip, body=form.cleaned_data["body"])
            context["replied"] = True
        context.update(
            {
                "looked_up": True,
                "tip": tip,
                "messages_list": list(tip.messages.all()) if tip else [],
                "code": form.cleaned_data["code"],
                "reply_form": ReporterReplyForm(initial={"code": form.cleaned_data["code"]}),
            }
        )
    return _padded(started, render(request, "portal/follow_up.html", context))
