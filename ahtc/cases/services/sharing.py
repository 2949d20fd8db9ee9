"""Sharing a case with partner agencies, and handovers (assign, transfer, refer)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import Organisation, OrganisationKind
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.cases.models import (
    Case,
    CaseShare,
    ConsentPurpose,
    Handover,
    HandoverKind,
    HandoverStatus,
)
from ahtc.cases.services._common import CaseError, _audit
from ahtc.cases.services.gates import _consent_gate, missing_consent
from ahtc.notifications.services import notify_handover


@transaction.atomic
def case_share(
    *,
    case: Case,
    organisation: Organisation,
    by: Any,
    reason: str,
    override_consent: bool = False,
) -> CaseShare:
    if organisation.kind == OrganisationKind.POLICE_AHTC:
        raise CaseError(_("Use a transfer to hand a case to another cell."))
    if not reason.strip():
        raise CaseError(_("Say why the agency needs the case."))
    existing = case.shares.filter(organisation=organisation, revoked_at__isnull=True).first()
    if existing is not None:
        return existing
    _consent_gate(
        case=case,
        by=by,
        purpose=ConsentPurpose.SHARING,
        organisation=organisation,
        override=override_consent,
        reason=reason,
    )
    share = CaseShare.objects.create(
        case=case, organisation=organisation, reason=reason.strip()[:300], shared_by=by
    )
    _audit(by, case, f"shared with organisation {organisation.pk}")
    return share


@transaction.atomic
def share_revoke(*, share: CaseShare, by: Any, why: str = "revoked") -> CaseShare:
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.revoked_by = by
        share.save(update_fields=["revoked_at", "revoked_by"])
        _audit(by, share.case, f"share with organisation {share.organisation_id} {why}")
    return share


@transaction.atomic
def handover_create(
    *,
    case: Case,
    by: Any,
    kind: str,
    reason: str,
    to_user: Any = None,
    to_organisation: Organisation | None = None,
    override_consent: bool = False,
) -> Handover:
    if not reason.strip():
        raise CaseError(_("Give a reason."))
    if case.handovers.filter(status=HandoverStatus.PENDING, kind=kind).exists():
        raise CaseError(_("A handover of this kind is already waiting for an answer."))
    overridden = False
    if kind == HandoverKind.ASSIGN:
        scope = user_scope(to_user) if to_user is not None else None
        if scope is None or not (
            scope.permits(Perm.INVESTIGATE, case.district)
            or scope.permits(Perm.MANAGE_CASES, case.district)
        ):
            raise CaseError(_("Choose an officer who may investigate in this district."))
        to_organisation = None
    elif kind == HandoverKind.TRANSFER:
        if (
            to_organisation is None
            or to_organisation.kind != OrganisationKind.POLICE_AHTC
            or to_organisation.area.level != "district"
            or to_organisation.area_id == case.district_id
        ):
            raise CaseError(_("Choose the anti-trafficking cell of another district."))
        to_user = None
    else:
        if to_organisation is None or to_organisation.kind == OrganisationKind.POLICE_AHTC:
            raise CaseError(_("Choose a partner agency."))
        overridden = _consent_gate(
            case=case,
            by=by,
            purpose=ConsentPurpose.SHARING,
            organisation=to_organisation,
            override=override_consent,
            reason=reason,
        )
        to_user = None
    handover = Handover.objects.create(
        case=case,
        consent_overridden=kind == HandoverKind.REFER and overridden,
        kind=kind,
        to_user=to_user,
        to_organisation=to_organisation,
        reason=reason.strip()[:500],
        by=by,
    )
    _audit(by, case, f"handover {kind} proposed")
    notify_handover(handover=handover, by=by)
    return handover


def may_answer(handover: Handover, user: Any) -> bool:
    if handover.status != HandoverStatus.PENDING:
        return False
    if handover.kind == HandoverKind.ASSIGN:
        return bool(handover.to_user_id == user.pk)
    if handover.to_organisation_id != user.organisation_id:
        return False
    scope = user_scope(user)
    if handover.kind == HandoverKind.TRANSFER:
        return scope.has_perm_anywhere(Perm.MANAGE_CASES)
    return scope.has_perm_anywhere(Perm.VIEW_SHARED) or scope.has_perm_anywhere(Perm.PROSECUTE)


@transaction.atomic
def handover_answer(*, handover: Handover, by: Any, accept: bool, reason: str = "") -> Handover:
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if not may_answer(handover, by):
        raise CaseError(_("This handover is not waiting for your answer."))
    if not accept and not reason.strip():
        raise CaseError(_("Say why you reject it."))
    if (
        accept
        and handover.kind == HandoverKind.REFER
        and not handover.consent_overridden
        and missing_consent(handover.case, ConsentPurpose.SHARING, handover.to_organisation)
    ):
        raise CaseError(
            _(
                "The victim's consent to share was withdrawn after this referral was sent; "
                "it cannot be accepted. Ask the cell."
            )
        )
    handover.status = HandoverStatus.ACCEPTED if accept else HandoverStatus.REJECTED
    handover.answer_reason = reason.strip()[:500]
    handover.answered_by = by
    handover.answered_at = timezone.now()
    handover.save()
    case = Case.objects.select_for_update().select_related("district").get(pk=handover.case_id)
    if accept and handover.kind == HandoverKind.ASSIGN:
        case.lead_officer = by
        case.save(update_fields=["lead_officer", "updated_at"])
    elif accept and handover.kind == HandoverKind.TRANSFER:
        assert handover.to_organisation is not None  # noqa: S101 - checked on create
        case.district = handover.to_organisation.area
        case.lead_officer = None
        case.save(update_fields=["district", "lead_officer", "updated_at"])
    elif accept and handover.kind == HandoverKind.REFER:
        assert handover.to_organisation is not None  # noqa: S101 - checked on create
        if not case.shares.filter(
            organisation=handover.to_organisation, revoked_at__isnull=True
        ).exists():
            CaseShare.objects.create(
                case=case,
                organisation=handover.to_organisation,
                reason=handover.reason[:300],
                shared_by=handover.by,
            )
    _audit(by, case, f"handover {handover.kind} {handover.status}")
    return handover
