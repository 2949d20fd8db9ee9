"""Writes for victim protection. Keyword-only, atomic, audited; rule breaks
raise `VictimError` with a message for the user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import Organisation, OrganisationKind, User
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.cases.references import CASE_PREFIXES
from ahtc.core.audit import audit_record
from ahtc.core.errors import RuleError
from ahtc.core.models import AuditAction
from ahtc.core.sequence import next_in_sequence
from ahtc.notifications.services import notify_referral_sent
from ahtc.people.models import IdentifierKind, Person
from ahtc.victims.models import (
    FATE_TRANSITIONS,
    OPEN_REFERRAL,
    Compensation,
    FamilySupport,
    FollowUp,
    IdentityRelease,
    MigrantFate,
    MigrantFateChange,
    MissingMigrant,
    MissingMigrantFamily,
    NeedsAssessment,
    PlanStatus,
    ProtectionRecord,
    ProviderProfile,
    RecordCounter,
    Referral,
    ReferralStatus,
    ReleaseStatus,
    RiskAssessment,
    RiskFactor,
    RiskLevel,
    ServiceConsent,
    ServiceType,
    SupportPlanItem,
    VictimIndicator,
)
from ahtc.victims.selectors import approves_releases

FOLLOW_UP_MONTHS = (1, 3, 6, 12)
# Kinds of organisation that may be listed in the service directory.
PROVIDER_KINDS = {
    OrganisationKind.CHILD_PROTECTION,
    OrganisationKind.SOCIAL_WELFARE,
    OrganisationKind.HEALTH,
    OrganisationKind.EDUCATION,
    OrganisationKind.LABOUR,
    OrganisationKind.EOBI,
    OrganisationKind.NGO,
}
RESPOND_WITHIN = dt.timedelta(days=3)
RESPOND_WITHIN_CHILD = dt.timedelta(days=1)


class VictimError(RuleError):
    """A rule of victim protection was broken; the message is for the user."""


def _audit(
    by: Any, record: ProtectionRecord, reason: str, action: AuditAction = AuditAction.UPDATE
) -> None:
    audit_record(
        actor=by, action=action, target=record, area_code=record.district.code, reason=reason
    )


def _months_later(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for dom in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, dom)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def indicators_refresh(record: ProtectionRecord) -> None:
    """Hash the victim's phone numbers like citizen-report indicators, so a new
    report naming the same phone raises an alert (signals.py)."""
    from ahtc.portal.duplicates import indicators_from

    VictimIndicator.objects.filter(record=record).delete()
    hashes: set[str] = set()
    for identifier in record.person.identifiers.filter(kind=IdentifierKind.PHONE):
        hashes |= {value for kind, value in indicators_from(identifier.value) if kind == "phone"}
    VictimIndicator.objects.bulk_create(
        [VictimIndicator(record=record, value_hash=value) for value in sorted(hashes)]
    )


@transaction.atomic
def record_create(
    *,
    person: Person,
    by: Any,
    child: bool,
    age_evidence: str = "",
    trafficking_status: str = "PossibleVictimOfTrafficking",
    status_decided_by: str = "Police",
    exploitation: Iterable[str] = (),
    control_methods: Iterable[str] = (),
    recruitment_method: str = "",
    recruitment_place: str = "",
    relationship: str = "",
    address: str = "",
    identity_withheld: bool = False,
    opened_on: dt.date | None = None,
    district: Any = None,
) -> ProtectionRecord:
    """`district` is the district of the case the record is opened from (default:
    the district that recorded the person). A person in any identity-withheld case
    gets an identity-withheld record."""
    if ProtectionRecord.objects.filter(person=person).exists():
        raise VictimError(_("This person already has a protection record."))
    district = district or person.source_district
    if person.parties.filter(case__identity_withheld=True).exists():
        identity_withheld = True
    day = opened_on or timezone.localdate()
    number = next_in_sequence(RecordCounter, district=district, year=day.year)
    prefix = CASE_PREFIXES.get(district.code, district.code)
    record = ProtectionRecord.objects.create(
        person=person,
        district=district,
        number=f"VIC-{prefix}-{day.year}-{number:04d}",
        trafficking_status=trafficking_status,
        status_decided_by=status_decided_by,
        exploitation=sorted(set(exploitation)),
        control_methods=sorted(set(control_methods)),
        recruitment_method=recruitment_method,
        recruitment_place=recruitment_place,
        relationship=relationship,
        child=child,
        age_evidence=age_evidence,
        address=address,
        identity_withheld=identity_withheld,
        created_by=by,
    )
    if opened_on is not None:
        ProtectionRecord.objects.filter(pk=record.pk).update(
            created_at=timezone.make_aware(dt.datetime.combine(opened_on, dt.time(10)))
        )
    FollowUp.objects.bulk_create(
        [FollowUp(record=record, due=_months_later(day, m)) for m in FOLLOW_UP_MONTHS]
    )
    indicators_refresh(record)
    _audit(by, record, "protection record opened", AuditAction.CREATE)
    if child:
        _child_protection_draft(record, by)
    return record


def _child_protection_draft(record: ProtectionRecord, by: Any) -> Referral | None:
    """Children are referred to child protection by default: a draft the officer
    sends once the guardian's consent is recorded."""
    cpb = (
        Organisation.objects.filter(
            kind=OrganisationKind.CHILD_PROTECTION,
            is_active=True,
            area__code__in=[c for c in record.district.path.split("/") if c],
        )
        .order_by("-area__path")
        .first()
    )
    if cpb is None:
        return None
    return Referral.objects.create(
        record=record,
        provider=cpb,
        service=ServiceType.SOCIAL_CARE,
        needs=str(_("Child victim: assessment and protection by the Child Protection Bureau.")),
        identity_needed=not record.identity_withheld,
        referred_by=by,
    )


@transaction.atomic
def record_update(
    *, record: ProtectionRecord, by: Any, release_reason: str = "", **fields: Any
) -> ProtectionRecord:
    """Change the profile. Never lifts the identity-withheld flag: unticking it
    asks a cell head instead (identity_release_request) and the flag stays set."""
    lifting = record.identity_withheld and not fields.get("identity_withheld", True)
    if lifting:
        fields["identity_withheld"] = True
    allowed = {
        "trafficking_status",
        "status_decided_by",
        "exploitation",
        "control_methods",
        "recruitment_method",
        "recruitment_place",
        "relationship",
        "child",
        "age_evidence",
        "address",
        "identity_withheld",
    }
    for name, value in fields.items():
        if name not in allowed:
            raise VictimError(_("That field cannot be changed here."))
        setattr(record, name, sorted(set(value)) if isinstance(value, list) else value)
    record.save()
    _audit(by, record, "protection record updated")
    if lifting and not record.identity_releases.filter(status=ReleaseStatus.PENDING).exists():
        identity_release_request(record=record, by=by, reason=release_reason)
    return record


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


@transaction.atomic
def photo_set(*, record: ProtectionRecord, by: Any, upload: Any) -> ProtectionRecord:
    """Re-encode (strips EXIF and GPS) and store encrypted; the old photo is deleted."""
    from ahtc.portal.files import FileRejectedError, clean_upload, delete_stored, store_encrypted

    try:
        clean = clean_upload(upload)
    except FileRejectedError as exc:
        raise VictimError(str(exc)) from exc
    if clean.kind != "jpeg":  # every accepted picture is re-encoded to JPEG
        raise VictimError(_("Only a photograph (JPEG, PNG or WebP) can be used."))
    old = record.photo_name
    record.photo_name, _digest = store_encrypted(clean)
    record.save(update_fields=["photo_name", "updated_at"])
    if old:
        delete_stored(old)
    _audit(by, record, "photo stored")
    return record


@transaction.atomic
def provider_profile_save(
    *,
    organisation: Organisation,
    by: Any,
    services: Iterable[str],
    address: str = "",
    contact_person: str = "",
    hours: str = "",
    accepts_children: bool = True,
) -> ProviderProfile:
    chosen = sorted(set(services))
    if set(chosen) - set(ServiceType.values):
        raise VictimError(_("Unknown service."))
    if organisation.kind not in PROVIDER_KINDS:
        raise VictimError(_("Only a service-giving organisation can be listed."))
    profile, _created = ProviderProfile.objects.update_or_create(
        organisation=organisation,
        defaults={
            "services": chosen,
            "address": address.strip(),
            "contact_person": contact_person.strip(),
            "hours": hours.strip(),
            "accepts_children": accepts_children,
        },
    )
    audit_record(
        actor=by, action=AuditAction.UPDATE, target=organisation, reason="provider profile saved"
    )
    return profile


# --- consent ---------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    record: ProtectionRecord,
    by: Any,
    service: str,
    method: str,
    given_on: dt.date,
    organisation: Organisation | None = None,
    identity: bool = False,
) -> ServiceConsent:
    if given_on > timezone.localdate():
        raise VictimError(_("The date is in the future."))
    consent = ServiceConsent.objects.create(
        record=record,
        service=service,
        organisation=organisation,
        identity=identity,
        method=method,
        given_on=given_on,
        recorded_by=by,
    )
    _audit(by, record, f"consent recorded ({service})")
    return consent


def _consent_covers(referral: Referral) -> bool:
    consents = ServiceConsent.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id=referral.provider_id),
        record_id=referral.record_id,
        service=referral.service,
        withdrawn_at__isnull=True,
    )
    if referral.identity_needed:
        consents = consents.filter(identity=True)
    return consents.exists()


@transaction.atomic
def consent_withdraw(*, consent: ServiceConsent, by: Any) -> list[Referral]:
    """Takes effect at once: open referrals that relied on it are closed, and
    the provider loses access on its next request."""
    if consent.withdrawn_at is not None:
        raise VictimError(_("This consent was already withdrawn."))
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = by
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    record = consent.record
    _audit(by, record, f"consent withdrawn ({consent.service})")
    closed = []
    for referral in record.referrals.filter(
        status__in=[*OPEN_REFERRAL, ReferralStatus.DELIVERED],
        service=consent.service,
        consent_overridden=False,
    ):
        if not _consent_covers(referral):
            referral.status = ReferralStatus.CLOSED
            referral.outcome = str(_("Closed: the victim withdrew consent."))
            referral.save(update_fields=["status", "outcome", "updated_at"])
            _audit(by, record, f"referral {referral.pk} closed: consent withdrawn")
            closed.append(referral)
    return closed


# --- referrals --------------------------------------------------------------------------


def _check_provider(provider: Organisation, service: str, record: ProtectionRecord) -> None:
    profile = getattr(provider, "provider", None)
    if profile is None or service not in profile.services:
        raise VictimError(_("This provider does not offer that service."))
    if record.child and not profile.accepts_children:
        raise VictimError(_("This provider does not take children."))
    if not provider.is_active:
        raise VictimError(_("This provider is not active."))


def _send(referral: Referral, by: Any, *, override_consent: bool, reason: str) -> None:
    record = referral.record
    if not _consent_covers(referral):
        if not override_consent:
            raise VictimError(
                _(
                    "The victim's consent does not cover this referral (service, provider "
                    "or sharing their identity). Record the consent first."
                )
            )
        if not user_scope(by).permits(Perm.CONSENT_OVERRIDE, record.district):
            raise VictimError(
                _("Only a user allowed to override consent may go ahead without it."),
                refusal=f"consent override refused (referral {referral.service}): lacks permission",
            )
        if not reason.strip():
            raise VictimError(_("Going ahead without consent needs a written reason."))
        referral.consent_overridden = True
        _audit(
            by, record, f"consent override (referral {referral.service}): {reason.strip()[:300]}"
        )
    now = timezone.now()
    referral.status = ReferralStatus.SENT
    referral.sent_at = now
    referral.respond_by = now + (RESPOND_WITHIN_CHILD if record.child else RESPOND_WITHIN)
    referral.save()
    _audit(by, record, f"referral {referral.pk} sent to organisation {referral.provider_id}")
    notify_referral_sent(referral=referral, by=by)


@transaction.atomic
def referral_create(
    *,
    record: ProtectionRecord,
    by: Any,
    provider: Organisation,
    service: str,
    needs: str,
    identity_needed: bool = False,
    override_consent: bool = False,
    reason: str = "",
) -> Referral:
    _check_provider(provider, service, record)
    if not needs.strip():
        raise VictimError(_("Say what the victim needs."))
    if record.referrals.filter(
        provider=provider, service=service, status__in=OPEN_REFERRAL
    ).exists():
        raise VictimError(_("An open referral for this service to this provider already exists."))
    referral = Referral.objects.create(
        record=record,
        provider=provider,
        service=service,
        needs=needs.strip()[:500],
        identity_needed=identity_needed and not record.identity_withheld,
        referred_by=by,
    )
    _send(referral, by, override_consent=override_consent, reason=reason)
    return referral


@transaction.atomic
def referral_send(
    *, referral: Referral, by: Any, override_consent: bool = False, reason: str = ""
) -> Referral:
    if referral.status != ReferralStatus.DRAFT:
        raise VictimError(_("Only a draft referral can be sent."))
    _check_provider(referral.provider, referral.service, referral.record)
    _send(referral, by, override_consent=override_consent, reason=reason)
    return referral


@transaction.atomic
def referral_answer(*, referral: Referral, by: Any, accept: bool, reason: str = "") -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.SENT:
        raise VictimError(_("This referral is not waiting for an answer."))
    if by.organisation_id != referral.provider_id:
        raise VictimError(_("Only the provider can answer this referral."))
    if not accept and not reason.strip():
        raise VictimError(_("Say why you reject it."))
    referral.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.REJECTED
    referral.reject_reason = "" if accept else reason.strip()[:500]
    referral.answered_at = timezone.now()
    referral.answered_by = by
    referral.save()
    _audit(by, referral.record, f"referral {referral.pk} {referral.status}")
    return referral


@transaction.atomic
def referral_deliver(
    *, referral: Referral, by: Any, delivered_on: dt.date, outcome: str
) -> Referral:
    if referral.status != ReferralStatus.ACCEPTED:
        raise VictimError(_("Accept the referral before recording the service."))
    if by.organisation_id != referral.provider_id:
        raise VictimError(_("Only the provider records the service it gave."))
    if delivered_on > timezone.localdate():
        raise VictimError(_("The date is in the future."))
    if not outcome.strip():
        raise VictimError(_("Describe what was done."))
    referral.status = ReferralStatus.DELIVERED
    referral.delivered_on = delivered_on
    referral.outcome = outcome.strip()[:500]
    referral.save()
    _audit(by, referral.record, f"referral {referral.pk} delivered")
    return referral


@transaction.atomic
def referral_close(*, referral: Referral, by: Any, outcome: str = "") -> Referral:
    if referral.status in {ReferralStatus.CLOSED, ReferralStatus.DRAFT}:
        raise VictimError(_("This referral is not open."))
    referral.status = ReferralStatus.CLOSED
    if outcome.strip():
        referral.outcome = outcome.strip()[:500]
    referral.save()
    _audit(by, referral.record, f"referral {referral.pk} closed")
    return referral


@transaction.atomic
def needs_assess(
    *,
    record: ProtectionRecord,
    by: Any,
    needs: Iterable[str],
    note: str = "",
    plan_within_days: int = 90,
    assessed_on: dt.date | None = None,
) -> tuple[NeedsAssessment, list[SupportPlanItem]]:
    """Record the needs; each need without an open plan item gets one."""
    chosen = sorted(set(needs))
    if not chosen:
        raise VictimError(_("Choose at least one need."))
    if set(chosen) - set(ServiceType.values):
        raise VictimError(_("Unknown need."))
    assessment = NeedsAssessment.objects.create(record=record, needs=chosen, note=note, by=by)
    planned = set(
        record.plan.exclude(status__in=[PlanStatus.DONE, PlanStatus.DROPPED]).values_list(
            "service", flat=True
        )
    )
    labels = dict(ServiceType.choices)
    due = (assessed_on or timezone.localdate()) + dt.timedelta(days=plan_within_days)
    items = [
        SupportPlanItem.objects.create(
            record=record,
            service=need,
            objective=str(labels[need]),
            planned_end=due,
            added_by=by,
        )
        for need in chosen
        if need not in planned
    ]
    _audit(by, record, f"needs assessed ({len(chosen)} needs, {len(items)} new plan items)")
    return assessment, items


# --- plan, follow-up, risk ----------------------------------------------------------------


@transaction.atomic
def plan_item_add(
    *, record: ProtectionRecord, by: Any, service: str, objective: str, planned_end: dt.date
) -> SupportPlanItem:
    item = SupportPlanItem.objects.create(
        record=record, service=service, objective=objective, planned_end=planned_end, added_by=by
    )
    _audit(by, record, f"support plan item added ({service})")
    return item


@transaction.atomic
def plan_item_set_status(*, item: SupportPlanItem, by: Any, status: str) -> SupportPlanItem:
    if item.status in {PlanStatus.DONE, PlanStatus.DROPPED}:
        raise VictimError(_("This item is finished; add a new one instead."))
    item.status = status
    item.actual_end = (
        timezone.localdate() if status in {PlanStatus.DONE, PlanStatus.DROPPED} else None
    )
    item.save(update_fields=["status", "actual_end", "updated_at"])
    _audit(by, item.record, f"support plan item {status}")
    return item


@transaction.atomic
def follow_up_done(*, follow_up: FollowUp, by: Any, done_on: dt.date, outcome: str) -> FollowUp:
    if follow_up.done_on is not None:
        raise VictimError(_("This follow-up is already recorded."))
    if done_on > timezone.localdate():
        raise VictimError(_("The date is in the future."))
    if not outcome.strip():
        raise VictimError(_("Say how the person is doing."))
    follow_up.done_on = done_on
    follow_up.outcome = outcome.strip()[:500]
    follow_up.by = by
    follow_up.save()
    _audit(by, follow_up.record, "follow-up recorded")
    return follow_up


# Factors that alone make the risk high.
SERIOUS = {RiskFactor.PREVIOUSLY_TRAFFICKED, RiskFactor.THREATS}


def risk_level(factors: set[str]) -> RiskLevel:
    if factors & SERIOUS or len(factors) >= 3:
        return RiskLevel.HIGH
    if factors:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


@transaction.atomic
def risk_assess(
    *, record: ProtectionRecord, by: Any, factors: Iterable[str], note: str = ""
) -> RiskAssessment:
    chosen = set(factors)
    unknown = chosen - set(RiskFactor.values)
    if unknown:
        raise VictimError(_("Unknown risk factor."))
    assessment = RiskAssessment.objects.create(
        record=record, factors=sorted(chosen), level=risk_level(chosen), note=note, by=by
    )
    _audit(by, record, f"re-trafficking risk assessed: {assessment.level}")
    return assessment


# --- families and compensation -----------------------------------------------------------


@transaction.atomic
def family_add(
    *,
    case: Any,
    by: Any,
    contact_name: str,
    relation: str,
    phone: str = "",
    migrant_fate: str = MigrantFate.MISSING,
    migrant: MissingMigrant | None = None,
    migrant_label: str = "",
    fate_on: dt.date | None = None,
) -> MissingMigrantFamily:
    """A relative of a migrant: of a migrant already recorded (whose fate is
    changed only by migrant_fate_set), or of a new one with `migrant_fate`."""
    if not contact_name.strip() or not relation.strip():
        raise VictimError(_("Give the family contact and their relation to the migrant."))
    if migrant is None:
        migrant = migrant_add(
            case=case, by=by, fate=migrant_fate, label=migrant_label, fate_on=fate_on
        )
    elif migrant.case_id != case.pk:
        raise VictimError(_("That migrant belongs to another case."))
    family = MissingMigrantFamily.objects.create(
        case=case,
        migrant=migrant,
        contact_name=contact_name.strip(),
        relation=relation.strip(),
        phone=phone.strip(),
        added_by=by,
    )
    audit_record(
        actor=by, action=AuditAction.CREATE, target=case, reason="family of a missing migrant added"
    )
    return family


def migrant_add(
    *, case: Any, by: Any, fate: str = MigrantFate.MISSING, label: str = "", fate_on: Any = None
) -> MissingMigrant:
    _fate_date_check(fate_on)
    number = int(case.missing_migrants.aggregate(m=Max("number"))["m"] or 0) + 1
    migrant = MissingMigrant.objects.create(
        case=case,
        number=number,
        label=label.strip()[:100],
        fate=MigrantFate(fate),
        fate_on=fate_on,
        added_by=by,
    )
    audit_record(actor=by, action=AuditAction.CREATE, target=migrant, area_code=case.district.code)
    return migrant


def _fate_date_check(on: dt.date | None) -> None:
    if on is not None and on > timezone.localdate():
        raise VictimError(_("The date is in the future."))


@transaction.atomic
def migrant_fate_set(
    *, migrant: MissingMigrant, by: Any, to: str, on: dt.date, reason: str = ""
) -> MigrantFateChange:
    """One fate per migrant, changed only along FATE_TRANSITIONS, dated, with
    its history. A death is undone only with a reason (a wrong identification)."""
    migrant = MissingMigrant.objects.select_for_update().get(pk=migrant.pk)
    before = MigrantFate(migrant.fate)
    if to not in FATE_TRANSITIONS[before]:
        raise VictimError(
            _("A migrant recorded as %(from)s cannot be recorded as %(to)s.")
            % {"from": before.label, "to": MigrantFate(to).label if to in MigrantFate else to}
        )
    _fate_date_check(on)
    if migrant.fate_on is not None and on < migrant.fate_on:
        raise VictimError(
            _("The date is before the last change (%(date)s).")
            % {"date": migrant.fate_on.isoformat()}
        )
    if before == MigrantFate.DECEASED and not reason.strip():
        raise VictimError(_("Say why the death is no longer taken as true."))
    change = MigrantFateChange.objects.create(
        migrant=migrant, from_fate=before, to_fate=to, on=on, reason=reason.strip(), by=by
    )
    migrant.fate, migrant.fate_on = to, on
    migrant.save(update_fields=["fate", "fate_on", "updated_at"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=migrant,
        area_code=migrant.case.district.code,
        reason=f"fate {before} -> {to}",
    )
    return change


@transaction.atomic
def family_support_add(
    *, family: MissingMigrantFamily, by: Any, kind: str, date: dt.date, note: str = ""
) -> FamilySupport:
    if date > timezone.localdate():
        raise VictimError(_("The date is in the future."))
    support = FamilySupport.objects.create(family=family, kind=kind, date=date, note=note, by=by)
    audit_record(
        actor=by, action=AuditAction.UPDATE, target=family.case, reason=f"family support {kind}"
    )
    return support


@transaction.atomic
def compensation_record(
    *,
    record: ProtectionRecord,
    by: Any,
    source: str,
    ordered_pkr: int | None = None,
    applied_on: dt.date | None = None,
    paid_pkr: int = 0,
    paid_on: dt.date | None = None,
) -> Compensation:
    if ordered_pkr is not None and paid_pkr > ordered_pkr:
        raise VictimError(_("More is paid than was ordered."))
    if paid_pkr and paid_on is None:
        raise VictimError(_("Give the date of the payment."))
    item = Compensation.objects.create(
        record=record,
        source=source,
        ordered_pkr=ordered_pkr,
        applied_on=applied_on,
        paid_pkr=paid_pkr,
        paid_on=paid_on,
        added_by=by,
    )
    _audit(by, record, f"compensation recorded ({source})")
    return item
