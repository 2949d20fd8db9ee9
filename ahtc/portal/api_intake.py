"""Citizen reports sent by partner systems: `POST /api/v1/reports/` (docs/api.md).

An SMS or WhatsApp gateway, a helpline system or another province's portal
sends a report on a citizen's behalf. It is checked by the public report form
(`forms.ReportForm`) and stored by the same service (`services.tip_submit`):
whole or not at all, once per idempotency key, with its files checked like
the form's (`files.receive`). What differs from the web form:

- the sender is a token with the `reports:submit` scope, whose user may record
  reports (a helpline role); reports go to the districts where it may;
- the idempotency key is the sender's: a retry with the same key and the same
  report gets the same receipt (200) and stores nothing; another report under
  a used key is a 409. Keys are the organisation's own, so two gateways never
  meet, and a gateway keeps its keys when its token is replaced;
- proof of work and the public budgets do not apply (the token's intake rate
  limit does, `api.throttling.IntakeRateThrottle`);
- nothing of the report (text, phone, names) goes into an answer, a log or the
  audit log; and, as on the portal, no sender address is kept.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import districts_for_user, user_scope
from ahtc.api.auth import IsStaffMember, TokenScopes
from ahtc.api.models import ApiScope, ApiToken
from ahtc.api.schema import ErrorSerializer
from ahtc.api.serializers import StrictBooleanField
from ahtc.api.throttling import IntakeRateThrottle
from ahtc.core.uploads import UploadLimits, accepts_files
from ahtc.portal.files import MAX_BODY_BYTES, MAX_FILE_BYTES, MAX_FILES, FileRejectedError, receive
from ahtc.portal.forms import MAX_TEXT, ReportForm
from ahtc.portal.models import Channel, ChildInvolved, Tip, TipCategory, TipStatus
from ahtc.portal.receipts import format_code, idempotency_hash
from ahtc.portal.services import Submission, tip_submit

# The API's names for the channels a partner system may report through.
API_CHANNELS = {
    "sms": Channel.SMS,
    "whatsapp": Channel.WHATSAPP,
    "helpline": Channel.HELPLINE,
    "portal_other_province": Channel.OTHER_PROVINCE,
}
# Base64 makes four characters of every three bytes.
MAX_FILE_BASE64 = (MAX_FILE_BYTES + 2) // 3 * 4
INTAKE_LIMITS = UploadLimits(
    max_file_bytes=MAX_FILE_BYTES, max_files=MAX_FILES, max_body_bytes=MAX_BODY_BYTES
)
# Fields of the report compared with the stored one when a key comes back.
COMPARED = (
    *("category", "description", "child_involved", "danger_now"),
    *("place", "when", "involved", "contact"),
)


class IdempotencyConflict(APIException):
    status_code = 409
    default_code = "idempotency_conflict"
    default_detail = gettext_lazy(
        "This idempotency key was used for a different report. Send a new report "
        "with a new key; a retry must repeat the first request exactly."
    )


class StorageUnavailable(APIException):
    status_code = 503
    default_code = "storage_unavailable"
    default_detail = gettext_lazy(
        "The report could not be stored just now and nothing of it was kept. "
        "Send it again, with the same idempotency key, in a minute."
    )


class RecordsReports(BasePermission):
    """The token's user may record reports on a citizen's behalf somewhere."""

    message = gettext_lazy("The token's user may not record citizen reports.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return user_scope(request.user).has_perm_anywhere(Perm.RECORD_CALLS)


class AttachmentSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=255, help_text="The file's name (not stored).")
    content_type = serializers.CharField(
        max_length=100,
        help_text="As the sender knows it; the type is decided by the content.",
    )
    # The name shadows Serializer.data for the type checker only: DRF's
    # metaclass moves declared fields out of the class attributes.
    data = serializers.CharField(  # type: ignore[assignment]
        trim_whitespace=False, help_text="The file's bytes, base64 (RFC 4648, with padding)."
    )

    def validate_data(self, value: str) -> bytes:
        if len(value) > MAX_FILE_BASE64:
            raise ValidationError(_("Each file must be smaller than 8 MB."))
        try:
            data = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError(_("Give the file's bytes as base64.")) from None
        if not data:
            raise ValidationError(_("This file is empty."))
        if len(data) > MAX_FILE_BYTES:
            raise ValidationError(_("Each file must be smaller than 8 MB."))
        return data


def _text(max_length: int, help_text: str, *, required: bool = False) -> Any:
    return serializers.CharField(
        max_length=max_length,
        required=required,
        allow_blank=not required,
        trim_whitespace=False,  # the form trims, as on the web
        help_text=help_text,
    )


class ReportIntakeSerializer(serializers.Serializer[Any]):
    """The report form's fields, plus the key, the channel and the files."""

    idempotency_key = serializers.RegexField(
        r"^[A-Za-z0-9._:-]{8,100}$",
        help_text="The sender's own id of this report (8-100 of A-Z a-z 0-9 . _ : -).",
        error_messages={
            "invalid": gettext_lazy("Use 8 to 100 of A-Z, a-z, 0-9, '.', '_', ':', '-'.")
        },
    )
    channel = serializers.ChoiceField(choices=list(API_CHANNELS))
    category = serializers.ChoiceField(choices=TipCategory.choices)
    district = serializers.CharField(
        max_length=20, help_text="Code of a current district, e.g. PK620 (see /areas/)."
    )
    tehsil = _text(20, "Code of a tehsil of that district, if known.")
    place = _text(300, "Village, street, kiln or shop, if known.")
    when = _text(100, "When it happened, in the reporter's words.")
    description = serializers.CharField(
        min_length=10,
        max_length=MAX_TEXT,
        trim_whitespace=False,
        help_text="What happened, in the reporter's words.",
    )
    involved = _text(MAX_TEXT, "Who is involved: names, phones, agencies.")
    child_involved = serializers.ChoiceField(choices=ChildInvolved.choices)
    danger_now = StrictBooleanField(required=False, default=False)
    contact = _text(200, "How to reach the reporter, only if they asked to be contacted.")
    attachments = serializers.ListField(
        child=AttachmentSerializer(), required=False, max_length=MAX_FILES, default=list
    )


class ReceiptSerializer(serializers.Serializer[Any]):
    receipt_code = serializers.CharField(
        help_text="16 digits in groups of four, as on the portal's receipt page; "
        "pass it to the reporter, who follows the report with it."
    )
    status = serializers.ChoiceField(
        choices=TipStatus.choices, help_text="`new` when sent; a retry shows where it is now."
    )
    stored_at = serializers.DateTimeField()


class IntakeForm(ReportForm):
    """The public form, for one token's user: reports only for the districts
    where that user may record them (as a call-taker's form)."""

    attachments = None  # type: ignore[assignment]  # sent as base64, checked apart

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        district = data.get("district_area")
        allowed = districts_for_user(self.user, Perm.RECORD_CALLS)
        if district is not None and not allowed.filter(pk=district.pk).exists():
            self.add_error(
                "district", _("This token may send reports only for the districts it serves.")
            )
        return data


def intake_client_token(*, token: ApiToken, key: str) -> str:
    """The `tip_submit` client token of a sender's key: one namespace per
    organisation (the user's, if none), never met by the web form's tokens."""
    owner = (
        f"org{token.user.organisation_id}" if token.user.organisation_id else f"user{token.user_id}"
    )
    # 64 characters at most, as the web form's (244 bits of the hash).
    return "api" + hashlib.sha256(f"{owner}:{key}".encode()).hexdigest()[:61]


def report_intake(*, token: ApiToken, data: dict[str, Any]) -> Submission:
    """Check and store one report from a partner system (see the module)."""
    client_token = intake_client_token(token=token, key=data["idempotency_key"])
    fields = {name: data[name] for name in IntakeForm.base_fields if name in data}
    form = IntakeForm({**fields, "client_token": client_token}, user=token.user)
    if not form.is_valid():
        raise ValidationError(_form_errors(form))
    report = {**form.submission(), "channel": API_CHANNELS[data["channel"]]}
    raw = [attachment["data"] for attachment in data["attachments"]]
    existing = Tip.objects.filter(idempotency_hash=idempotency_hash(client_token)).first()
    if existing is not None:
        _same_or_conflict(existing, report=report, token=token, raw=raw)
        return tip_submit(**report)  # stores nothing: the stored report's receipt
    try:
        submission = tip_submit(
            **report,
            recorded_by=token.user,
            files=_checked(raw),
            partner=token.user.organisation,
            partner_token=token,
        )
    except OSError:
        raise StorageUnavailable from None
    if not submission.created:  # the same key won a race a moment ago
        _same_or_conflict(submission.tip, report=report, token=token, raw=raw)
    return submission


def _form_errors(form: IntakeForm) -> dict[str, list[str]]:
    names = {"client_token": "idempotency_key", "__all__": "non_field_errors"}
    return {names.get(f, f): [str(m) for m in messages] for f, messages in form.errors.items()}


def _checked(raw: list[bytes]) -> list[Any]:
    files = []
    for n, data in enumerate(raw):
        try:
            files.append(receive(data))
        except FileRejectedError as exc:
            raise ValidationError({"attachments": {str(n): {"data": [str(exc)]}}}) from None
    return files


def _same_or_conflict(
    tip: Tip, *, report: dict[str, Any], token: ApiToken, raw: list[bytes]
) -> None:
    """A retry repeats the first request; anything else under its key is a 409.
    Files are compared by the hash of the bytes as sent (kept per file)."""
    same = (
        all(getattr(tip, name) == report[name] for name in COMPARED)
        and tip.district_id == report["district"].pk
        and tip.tehsil_id == (report["tehsil"].pk if report["tehsil"] else None)
        and tip.channel == report["channel"]
        and tip.partner_id == token.user.organisation_id
    )
    sent = sorted(hashlib.sha256(data).hexdigest() for data in raw)
    stored = sorted(tip.attachments.filter(message=None).values_list("original_sha256", flat=True))
    if not (same and sent == stored):
        raise IdempotencyConflict


EXAMPLE_REPORT = {
    "idempotency_key": "sms-gw-2025-11-03-000417",
    "channel": "sms",
    "category": "fake_agent",
    "district": "PK620",
    "tehsil": "",
    "description": "An agent takes money for jobs in Italy and gives no receipt.",
    "child_involved": "no",
    "danger_now": False,
    "contact": "",
    "attachments": [],
}
EXAMPLE_RECEIPT = {
    "receipt_code": "4821 0937 5512 0648",
    "status": "new",
    "stored_at": "2025-11-03T09:14:05Z",
}


class ReportIntake(APIView):
    required_scope = ApiScope.REPORTS_SUBMIT
    permission_classes = [IsStaffMember, TokenScopes, RecordsReports]
    throttle_classes = [IntakeRateThrottle]

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        # Files come base64 in the body: up to the portal's body limit.
        return accepts_files(INTAKE_LIMITS)(super().as_view(**initkwargs))

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Request:
        if request.method == "POST" and not getattr(request, "_read_started", True):
            # Django refuses to read a body whole past DATA_UPLOAD_MAX_MEMORY_SIZE
            # (2.5 MB, meant for forms), which three files in base64 pass. This
            # route's own cap, INTAKE_LIMITS, was applied before the view ran
            # (core.uploads.RequestBodyLimitMiddleware, on the announced length).
            request._body = request.read(INTAKE_LIMITS.max_body_bytes + 1)
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(
        operation_id="reports_create",
        summary="Send a citizen report on the citizen's behalf",
        description=(
            "For SMS and WhatsApp gateways, helpline systems and other provinces' "
            "portals; needs a token with the `reports:submit` scope. Checked like the "
            "public report form; files (at most 3, 8 MB each; images, PDF, audio) "
            "come base64. 201 with the receipt; a retry with the same "
            "`idempotency_key` and body: 200 with the same receipt; another body "
            "under a used key: 409. Rate limit per token: API_INTAKE_PER_MINUTE."
        ),
        request=ReportIntakeSerializer,
        responses={
            201: ReceiptSerializer,
            200: ReceiptSerializer,
            409: ErrorSerializer,
            503: ErrorSerializer,
        },
        examples=[
            OpenApiExample(
                "An SMS forwarded by a gateway", value=EXAMPLE_REPORT, request_only=True
            ),
            OpenApiExample(
                "Receipt", value=EXAMPLE_RECEIPT, response_only=True, status_codes=["201", "200"]
            ),
        ],
        tags=["reports"],
    )
    def post(self, request: Request) -> Response:
        envelope = ReportIntakeSerializer(data=request.data)
        envelope.is_valid(raise_exception=True)
        token = request.auth
        assert isinstance(token, ApiToken)  # noqa: S101 - TokenScopes let only tokens in
        submission = report_intake(token=token, data=envelope.validated_data)
        receipt = {
            "receipt_code": format_code(submission.receipt_code),
            "status": submission.tip.status,
            "stored_at": submission.tip.created_at,
        }
        status = 201 if submission.created else 200
        return Response(ReceiptSerializer(receipt).data, status=status)
