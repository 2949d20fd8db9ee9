"""Changing the language without losing what is on the page.

The language button of the report form submits the form itself (HTML `form`
attribute) to the report view with `switch_language`; the form comes back in
the other language with what was typed. The receipt page's button posts a
signed copy of the receipt code, so the code, shown only once, is shown again.
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
