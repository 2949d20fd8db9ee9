"""Lifting an identity-withheld flag: asked by one person, decided by a
second (a cell head of the district)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import User
from ahtc.victims.models import IdentityRelease, ProtectionRecord, ReleaseStatus
from ahtc.victims.selectors import approves_releases
from ahtc.victims.services.base import VictimError, _audit

RELEASE_AUDIT = "identity-withheld lifted"


@transaction.atomic
def identity_release_request(*, record: ProtectionRecord, by: User, reason: str) -> IdentityRelease:
    """Ask for the identity-withheld flag to be lifted. The flag stays set until
    a second person approves (identity_release_decide)."""
    if not record.identity_withheld:
        raise VictimError(_("This victim's identity is not withheld."))
    if not reason.strip():
        raise VictimError(_("Say why the identity should no longer be withheld."))
    try:
        with transaction.atomic():
            release = IdentityRelease.objects.create(
                record=record, reason=reason.strip()[:1000], requested_by=by
            )
    except IntegrityError as exc:  # one pending request per record (a constraint)
        raise VictimError(_("Lifting the flag is already waiting for a decision.")) from exc
    _audit(by, record, f"{RELEASE_AUDIT}: requested")
    return release


def _release_refusal(release: IdentityRelease, by: User) -> VictimError | None:
    if release.requested_by_id == by.pk:
        return VictimError(
            _("You asked for this yourself: another cell head must decide."),
            refusal=f"{RELEASE_AUDIT}: approval refused, own request",
        )
    if not approves_releases(by, release.record.district):
        return VictimError(
            _("Only a cell head of the district can decide this."),
            refusal=f"{RELEASE_AUDIT}: approval refused, not a cell head of the district",
        )
    if release.status != ReleaseStatus.PENDING:
        return VictimError(_("This request has already been decided."))
    return None


@transaction.atomic
def identity_release_decide(
    *, release: IdentityRelease, by: User, approve: bool
) -> IdentityRelease:
    """The second pair of eyes: a cell head of the district, not the requester,
    approves (the flag is lifted) or refuses (it stays)."""
    release = (
        IdentityRelease.objects.select_for_update(of=("self",))
        .select_related("record", "record__district")
        .get(pk=release.pk)
    )
    refusal = _release_refusal(release, by)
    if refusal is not None:
        raise refusal
    release.status = ReleaseStatus.APPROVED if approve else ReleaseStatus.REFUSED
    release.decided_by, release.decided_at = by, timezone.now()
    release.save(update_fields=["status", "decided_by", "decided_at"])
    record = release.record
    if approve:
        record.identity_withheld = False
        record.save(update_fields=["identity_withheld", "updated_at"])
    _audit(by, record, f"{RELEASE_AUDIT}: {'approved' if approve else 'refused'}")
    return release
