"""Changing the language without losing what is on the page.

The language button of the report form submits the form itself (HTML `form`
attribute) to the report view with `switch_language`; the form comes back in
the other language with what was typed. The receipt page's button posts a
signed copy of the receipt code, so the code, shown only once, is shown again.
The follow-up page's button posts its own form: the code typed, or, once a
thread is shown, a signed copy of its code and the reply being typed.
Nothing is stored on the server or on the phone; this works without
JavaScript. Files cannot be put back into a file box: the page asks for them
again.
"""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.http import HttpRequest

from ahtc.portal.forms import MAX_TEXT, ReportForm

RECEIPT_SALT = "ahtc.portal.receipt-language"
# Long enough to read the code and switch; the receipt is not an access token.
RECEIPT_MAX_AGE = 6 * 60 * 60
# Never carried over: the proof of work is tied to the page it was solved on,
# and files cannot be carried in a form.
NOT_CARRIED = {"pow_challenge", "pow_nonce", "attachments"}
CARRY_FORM_REPORT = "report-form"
CARRY_FORM_RECEIPT = "receipt-language"
CARRY_FORM_LOOKUP = "follow-up-lookup"
CARRY_FORM_REPLY = "follow-up-reply"
THREAD_SALT = "ahtc.portal.thread-language"
# A thread shown after a checked look-up may be shown again in the other
# language for this long without a new look-up (the token proves the first).
THREAD_MAX_AGE = 30 * 60


def typed_initial(data: Any) -> dict[str, Any]:
    """What was typed into the report form, as initial values (never validated
    here: the person has not pressed Send)."""
    initial: dict[str, Any] = {}
    for name, field in ReportForm.base_fields.items():
        if name in NOT_CARRIED or name not in data:
            continue
        value = str(data.get(name, ""))[: (getattr(field, "max_length", None) or MAX_TEXT) + 1]
        initial[name] = value == "on" if name == "danger_now" else value
    return initial


def files_were_chosen(request: HttpRequest) -> bool:
    """A file box submitted without files sends an empty name (urlencoded) or no part."""
    return any(request.POST.getlist("attachments")) or bool(request.FILES)


def receipt_token(*, code: str, danger_now: bool) -> str:
    return signing.dumps({"code": code, "danger": danger_now}, salt=RECEIPT_SALT)


def receipt_from_token(token: str) -> dict[str, Any] | None:
    """The receipt as shown, or None when the token is missing, altered or old."""
    if not token:
        return None
    try:
        value = signing.loads(token, salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
    except signing.BadSignature:
        return None
    return {"code": str(value["code"]), "danger_now": bool(value["danger"])}


def thread_token(code: str) -> str:
    """A signed copy of a looked-up receipt code, posted back (never in a URL)
    by the follow-up page's language button."""
    return signing.dumps({"thread": code}, salt=THREAD_SALT)


def thread_code_from_token(token: str) -> str | None:
    """The code of a thread shown within THREAD_MAX_AGE, or None."""
    if not token:
        return None
    try:
        value = signing.loads(token, salt=THREAD_SALT, max_age=THREAD_MAX_AGE)
    except signing.BadSignature:
        return None
    return str(value.get("thread", "")) or None


def typed_text(data: Any, name: str) -> str:
    """A typed value carried over unvalidated, cut to the longest a form accepts."""
    return str(data.get(name, ""))[: MAX_TEXT + 1]
