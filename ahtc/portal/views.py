from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
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
from ahtc.portal.files import MAX_BODY_BYTES, LimitedUploadHandler, download_response
from ahtc.portal.forms import ReceiptFileForm, ReceiptForm, ReporterReplyForm, ReportForm
from ahtc.portal.models import Tip
from ahtc.portal.receipts import format_code, idempotency_hash
from ahtc.portal.services import tip_for_receipt, tip_reporter_reply, tip_submit
from ahtc.portal.throttle import receipt_lookup_allowed


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


View = Callable[..., HttpResponseBase]


def limited_upload(view: View) -> View:
    """Refuse oversize bodies before reading them, then check CSRF as usual.

    CSRF checking reads the body, so it is applied here, after the
    size-limiting upload handler is installed (the Django-documented pattern).
    """
    protected = decorator_from_middleware(NoReferrerCsrfViewMiddleware)(view)

    @csrf_exempt
    @never_cache
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            announced = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            announced = 0
        if announced > MAX_BODY_BYTES:
            return render(request, "portal/too_large.html", status=413)
        request.upload_handlers.insert(0, LimitedUploadHandler(request))
        return protected(request, *args, **kwargs)

    return wrapped


@limited_upload
def report(request: HttpRequest) -> HttpResponse:
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
        submission = tip_submit(**form.submission())
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
    verified = challenge_verify(data["pow_challenge"], data["pow_nonce"])
    if submission_allowed(verified=verified):
        return True
    # Over budget: a retry of a report already stored is still answered.
    return Tip.objects.filter(idempotency_hash=idempotency_hash(data["client_token"])).exists()


def _padded(started: float, response: HttpResponse) -> HttpResponse:
    remaining = settings.AHTC_RECEIPT_MIN_SECONDS - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)
    return response


@limited_upload
def follow_up(request: HttpRequest) -> HttpResponse:
    """Status and messages for a receipt code sent in the body, never the URL.

    Found or not, the answer has the same template, status and minimum time.
    """
    started = time.monotonic()
    posted_reply = "body" in request.POST
    form_class = ReporterReplyForm if posted_reply else ReceiptForm
    form = form_class(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form, "looked_up": False}
    if request.method == "POST" and form.is_valid():
        if not receipt_lookup_allowed():
            return _padded(started, render(request, "portal/busy.html", status=429))
        tip: Tip | None = tip_for_receipt(form.cleaned_data["code"])
        if tip is not None and posted_reply:
            tip_reporter_reply(
                tip=tip, body=form.cleaned_data["body"], files=form.cleaned_data["attachments"]
            )
            context["replied"] = True
        context.update(
            {
                "looked_up": True,
                "tip": tip,
                "messages_list": list(tip.messages.prefetch_related("attachments")) if tip else [],
                "code": form.cleaned_data["code"],
                "reply_form": ReporterReplyForm(initial={"code": form.cleaned_data["code"]}),
            }
        )
    return _padded(started, render(request, "portal/follow_up.html", context))


@limited_upload
def follow_up_file(request: HttpRequest) -> HttpResponse:
    """A file the cell sent, downloaded by the reporter with the code in the body."""
    started = time.monotonic()
    form = ReceiptFileForm(request.POST or None)
    if request.method != "POST" or not form.is_valid() or not receipt_lookup_allowed():
        return _padded(started, render(request, "errors/404.html", status=404))
    tip = tip_for_receipt(form.cleaned_data["code"])
    attachment = (
        tip.attachments.filter(
            pk=form.cleaned_data["file_id"], message__from_reporter=False
        ).first()
        if tip
        else None
    )
    if attachment is None:
        return _padded(started, render(request, "errors/404.html", status=404))
    return _padded(
        started,
        download_response(
            attachment.stored_name, kind=attachment.kind, name=f"file-{attachment.pk}"
        ),
    )
