from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ahtc.core.language import language_chosen, language_cookie_set
from ahtc.core.ratelimit import within_minute_budget
from ahtc.core.uploads import UploadLimits, accepts_files
from ahtc.portal.antispam import (
    challenge_bits,
    challenge_new,
    challenge_verify,
    submission_allowed,
)
from ahtc.portal.files import (
    MAX_BODY_BYTES,
    MAX_FILE_BYTES,
    MAX_FILES,
    FileRejectedError,
    deliver,
)
from ahtc.portal.forms import ReceiptFileForm, ReceiptForm, ReporterReplyForm, ReportForm
from ahtc.portal.models import Tip
from ahtc.portal.receipts import format_code, idempotency_hash
from ahtc.portal.services import tip_for_receipt, tip_reporter_reply, tip_submit
from ahtc.portal.switch import (
    CARRY_FORM_LOOKUP,
    CARRY_FORM_RECEIPT,
    CARRY_FORM_REPLY,
    CARRY_FORM_REPORT,
    files_were_chosen,
    receipt_from_token,
    receipt_token,
    thread_code_from_token,
    thread_token,
    typed_initial,
    typed_text,
)
from ahtc.portal.throttle import receipt_lookup_allowed


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


View = Callable[..., HttpResponseBase]


PORTAL_FILES = UploadLimits(
    max_file_bytes=MAX_FILE_BYTES,
    max_files=MAX_FILES,
    max_body_bytes=MAX_BODY_BYTES,
    too_large_template="portal/too_large.html",
)


def limited_upload(view: View) -> View:
    """A view that takes files: at most MAX_FILES of MAX_FILE_BYTES each, held in
    memory; a larger body is refused unread (core/uploads.py), never cut short."""
    return never_cache(accepts_files(PORTAL_FILES)(view))


@limited_upload
def report(request: HttpRequest) -> HttpResponse:
    language = language_chosen(request.POST.get("switch_language"))
    if request.method == "POST" and language:
        return _report_in_language(request, language)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        held = _held_for_review(data)
        if held is None:
            form.add_error(
                None,
                _(
                    "Many reports are arriving right now. Please press “Send the report” "
                    "again in a minute; nothing you wrote is lost."
                ),
            )
            return render(request, "portal/report.html", _report_context(form), status=429)
        try:
            submission = tip_submit(**form.submission(), held=held)
        except OSError:
            # Storage failed: nothing of this report was kept (tip_submit is all
            # or nothing), so saying so and keeping the form is the whole truth.
            form.add_error(
                None,
                _(
                    "Your report could not be stored just now. Please press “Send the "
                    "report” again in a minute; nothing you wrote is lost."
                ),
            )
            return render(request, "portal/report.html", _report_context(form), status=503)
        # Shown in this response only: the code never goes into a URL.
        context = _receipt_context(
            code=format_code(submission.receipt_code), danger_now=data["danger_now"]
        )
        return render(request, "portal/receipt.html", context)
    return render(request, "portal/report.html", _report_context(form))


def _report_context(form: ReportForm) -> dict[str, Any]:
    carry = {"carry_form": CARRY_FORM_REPORT, "carry_action": reverse("portal:report")}
    # Every variable the template reads is given: a failed lookup is logged
    # with the whole context, which holds the report being typed.
    flags = {"carried": False, "files_dropped": False}
    return {"form": form, "pow_bits": form.pow_bits, **flags, **carry}


def _receipt_context(*, code: str, danger_now: bool) -> dict[str, Any]:
    # The language button posts a signed copy of the code back (portal/switch.py).
    token = receipt_token(code=code, danger_now=danger_now)
    carry = {"carry_form": CARRY_FORM_RECEIPT, "carry_action": reverse("portal:report")}
    return {"code": code, "danger_now": danger_now, "receipt_token": token, **carry}


def _report_in_language(request: HttpRequest, language: str) -> HttpResponse:
    """The language button of the report form or of the receipt page: the same
    page in the other language, with what was typed or the receipt code on it."""
    with translation.override(language):
        receipt = receipt_from_token(request.POST.get("receipt", ""))
        if receipt is not None:
            response = render(request, "portal/receipt.html", _receipt_context(**receipt))
        else:
            form = ReportForm(initial=typed_initial(request.POST))
            dropped = files_were_chosen(request)
            context = {**_report_context(form), "carried": True, "files_dropped": dropped}
            response = render(request, "portal/report.html", context)
    language_cookie_set(response, language)
    return response


def _held_for_review(data: dict[str, Any]) -> bool | None:
    """False: to the cell's queue. True: stored, held for review (over budget).
    None: not stored now (past even the held budget); the form comes back."""
    verified = challenge_verify(data["pow_challenge"], data["pow_nonce"])
    if submission_allowed(verified=verified):
        return False
    if Tip.objects.filter(idempotency_hash=idempotency_hash(data["client_token"])).exists():
        return False  # a retry of a stored report is always answered
    if within_minute_budget("submissions-held", settings.AHTC_HELD_PER_MINUTE):
        return True
    return None


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
    language = language_chosen(request.POST.get("switch_language"))
    if request.method == "POST" and language:
        return _padded(started, _follow_up_in_language(request, language))
    posted_reply = "body" in request.POST
    form_class = ReporterReplyForm if posted_reply else ReceiptForm
    form = form_class(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form, "looked_up": False, **_carry(CARRY_FORM_LOOKUP)}
    valid = request.method == "POST" and form.is_valid()
    # A reply refused for its files still shows the thread and what was typed.
    code = form.cleaned_data.get("code") if valid or (form.is_bound and posted_reply) else None
    if code:
        if not receipt_lookup_allowed(
            challenge=request.POST.get("pow_challenge", ""),
            nonce=request.POST.get("pow_nonce", ""),
        ):
            return _padded(started, _busy(request, form))
        tip: Tip | None = tip_for_receipt(code)
        reply_form = ReporterReplyForm(initial={"code": code})
        if tip is not None and isinstance(form, ReporterReplyForm):
            refused = _reporter_reply(tip, form)
            context["replied"] = refused is None
            reply_form = refused or reply_form
        context.update(_thread_context(tip, code, reply_form))
    context.update(_pow_context())
    return _padded(started, render(request, "portal/follow_up.html", context))


def _carry(form_id: str) -> dict[str, str]:
    """The language button submits this form of the page back to the follow-up view."""
    return {"carry_form": form_id, "carry_action": reverse("portal:follow_up")}


def _thread_context(tip: Tip | None, code: str, reply_form: ReceiptForm) -> dict[str, object]:
    context: dict[str, object] = {
        "looked_up": True,
        "tip": tip,
        "messages_list": list(tip.messages.prefetch_related("attachments")) if tip else [],
        "code": code,
        "reply_form": reply_form,
    }
    if tip is not None:
        context.update({"thread_token": thread_token(code), **_carry(CARRY_FORM_REPLY)})
    return context


def _follow_up_in_language(request: HttpRequest, language: str) -> HttpResponse:
    """The follow-up page in the other language with what was on it: the code
    typed, or the thread already shown (signed token, no new look-up) and the
    reply being typed. Nothing is looked up or sent."""
    with translation.override(language):
        code = thread_code_from_token(request.POST.get("thread", ""))
        body = typed_text(request.POST, "body")
        context: dict[str, object] = {
            "looked_up": False,
            "carried": True,
            "files_dropped": files_were_chosen(request),
            **_carry(CARRY_FORM_LOOKUP),
        }
        if code:
            tip = tip_for_receipt(code)
            reply_form = ReporterReplyForm(initial={"code": code, "body": body})
            context.update(_thread_context(tip, code, reply_form))
            context["form"] = ReceiptForm()
        else:
            initial = {"code": typed_text(request.POST, "code")[:40], "body": body}
            context["form"] = ReporterReplyForm(initial=initial) if body else ReceiptForm(initial)
            context["keep_body"] = bool(body)
        context.update(_pow_context())
        response = render(request, "portal/follow_up.html", context)
    language_cookie_set(response, language)
    return response


def _busy(request: HttpRequest, form: ReceiptForm) -> HttpResponse:
    """Too many look-ups this minute: the same page, with the code (and any
    message being sent) kept in the form, to send again in a minute."""
    form.add_error(
        None,
        _(
            "Too many codes were checked just now. Please press the button again in a "
            "minute; what you typed is kept below."
        ),
    )
    context = {
        "form": form,
        "looked_up": False,
        "busy": True,
        **_pow_context(),
        **_carry(CARRY_FORM_LOOKUP),
    }
    return render(request, "portal/follow_up.html", context, status=429)


def _pow_context() -> dict[str, Any]:
    """One fresh challenge per form on the follow-up page (each counts once)."""
    lookup, reply = challenge_new(), challenge_new()
    return {
        "lookup_challenge": lookup,
        "reply_challenge": reply,
        "pow_bits": challenge_bits(lookup),
    }


def _reporter_reply(tip: Tip, form: ReporterReplyForm) -> ReporterReplyForm | None:
    """Send the reply: None once sent, else the form with what was typed and why not."""
    if form.is_valid():
        try:
            tip_reporter_reply(
                tip=tip, body=form.cleaned_data["body"], files=form.cleaned_data["attachments"]
            )
        except FileRejectedError as exc:
            form.add_error("attachments", str(exc))
        else:
            return None
    return form


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
    # Scanned again; only a held file is audited (a reporter's reading is not).
    response = deliver(
        request,
        target=attachment,
        stored_name=attachment.stored_name,
        kind=attachment.kind,
        name=f"file-{attachment.pk}",
        audit_delivery=False,
    )
    return _padded(started, response)


@require_POST
@never_cache
def leave(request: HttpRequest) -> HttpResponse:
    """Leave and clear: the browser deletes this site's cookies, stored pages,
    offline queue and service worker (Clear-Site-Data). History is the
    browser's own; the page says how to remove it."""
    response = render(request, "portal/left.html")
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response
