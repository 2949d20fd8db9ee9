"""Who may see a victim's protection record, and what a service provider sees.

- Cell staff with *manage cases* see the records of their districts; an
  investigating officer sees the records of victims in the cases they lead.
- A service provider never sees the record itself: only the referrals sent to
  its organisation, while they are open (sent, accepted, delivered), and only
  the fields the referral needs. The identity is shown to a provider only when
  the referral needs it, the victim's consent covers it, and the record is not
  marked identity-withheld.
- Provincial monitors, committees and other agencies see none of it.
- Lifting a record's identity-withheld flag needs a second person: a cell head
  whose area covers the record's district, who did not ask for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from ahtc.accounts.roles import Perm, Role
from ahtc.accounts.selectors import user_scope
from ahtc.core.access import get_scoped_or_404
from ahtc.victims.models import (
    IdentityRelease,
    ProtectionRecord,
    Referral,
    ReferralStatus,
    ReleaseStatus,
    ServiceConsent,
)

PROVIDER_VISIBLE = [ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.DELIVERED]
# Who may approve lifting an identity-withheld flag (the second pair of eyes).
IDENTITY_RELEASE_APPROVERS = frozenset({Role.CELL_HEAD})
PENDING_RELEASES_SHOWN = 50


def records_for_user(user: Any) -> QuerySet[ProtectionRecord]:
    if not getattr(user, "is_authenticated", False):
        return ProtectionRecord.objects.none()
    from ahtc.cases.models import Party

    scope = user_scope(user)
    # A semi-join on the people of the cases the user leads (a short list,
    # hashed once), not a join through the person's parties: a join repeats
    # rows, and per-record EXISTS probes read 42,000 buffers for one district's
    # referrals at province scale. Districts by id: see Scope.ids_q.
    led_people = Party.objects.filter(case__lead_officer=user, person__isnull=False)
    led = scope.ids_q(Perm.INVESTIGATE, "district_id") & Q(
        person_id__in=led_people.values("person_id")
    )
    return ProtectionRecord.objects.filter(scope.ids_q(Perm.MANAGE_CASES, "district_id") | led)


def record_for_user(user: Any, number: str) -> ProtectionRecord:
    record = ProtectionRecord.objects.filter(number=number).only("pk").first()
    return get_scoped_or_404(
        user=user,
        scoped=records_for_user(user).select_related("person", "district"),
        pk=record.pk if record else 0,
    )


@dataclass(frozen=True)
class RecordAccess:
    manage: bool
    cell: bool  # cell staff: identity-withheld, consent, referrals, photograph
    identity: bool
    override_consent: bool
    export_identity: bool


def approves_releases(user: Any, district: Any) -> bool:
    """A cell head (DPO) whose area covers the district: the second pair of eyes."""
    return any(
        grant.role in IDENTITY_RELEASE_APPROVERS and district.path.startswith(grant.area_path)
        for grant in user_scope(user).grants
    )


def record_access(user: Any, record: ProtectionRecord) -> RecordAccess:
    scope = user_scope(user)
    manage = scope.permits(Perm.MANAGE_CASES, record.district) or scope.permits(
        Perm.INVESTIGATE, record.district
    )
    identity = manage and scope.permits(Perm.VIEW_IDENTITY, record.district)
    return RecordAccess(
        manage=manage,
        cell=scope.permits(Perm.MANAGE_CASES, record.district),
        identity=identity,
        override_consent=manage and scope.permits(Perm.CONSENT_OVERRIDE, record.district),
        export_identity=identity and scope.permits(Perm.EXPORT, record.district),
    )


def identity_releases_for_user(user: Any) -> QuerySet[IdentityRelease]:
    """Requests on records the user may see (fails closed with the records)."""
    return IdentityRelease.objects.filter(record__in=records_for_user(user))


def identity_release_for_user(user: Any, pk: Any) -> IdentityRelease:
    return get_scoped_or_404(
        user=user,
        scoped=identity_releases_for_user(user).select_related("record", "record__district"),
        pk=pk,
    )


def pending_releases_to_decide(user: Any) -> list[IdentityRelease]:
    """Pending requests in districts where the user approves, oldest first, capped."""
    rows = (
        identity_releases_for_user(user)
        .filter(status=ReleaseStatus.PENDING)
        .select_related("record", "record__district", "requested_by")
        .order_by("requested_at", "pk")
    )
    if not any(g.role in IDENTITY_RELEASE_APPROVERS for g in user_scope(user).grants):
        return []
    return [r for r in rows[:PENDING_RELEASES_SHOWN] if approves_releases(user, r.record.district)]


def provider_referrals_for_user(user: Any) -> QuerySet[Referral]:
    """Referrals addressed to the user's organisation that are still open to it."""
    scope = user_scope(user)
    if not user.is_authenticated or not user.organisation_id:
        return Referral.objects.none()
    if not (scope.has_perm_anywhere(Perm.VIEW_SHARED) or scope.has_perm_anywhere(Perm.PROSECUTE)):
        return Referral.objects.none()
    return Referral.objects.filter(
        provider_id=user.organisation_id, status__in=PROVIDER_VISIBLE
    ).select_related("record", "record__person", "provider")


def provider_referral_for_user(user: Any, pk: Any) -> Referral:
    return get_scoped_or_404(user=user, scoped=provider_referrals_for_user(user), pk=pk)


def identity_consented(referral: Referral) -> bool:
    return ServiceConsent.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id=referral.provider_id),
        record_id=referral.record_id,
        service=referral.service,
        identity=True,
        withdrawn_at__isnull=True,
    ).exists()


def provider_sees_identity(referral: Referral) -> bool:
    return (
        referral.identity_needed
        and not referral.record.identity_withheld
        and identity_consented(referral)
    )
