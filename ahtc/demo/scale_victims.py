"""Victim protection and the reading of records in the province-scale run:
protection records numbered as record_create numbers them, their follow-ups,
referrals with the consent each needs, and the bulk of the audit log.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.core.models import AuditAction, AuditOutcome
from ahtc.demo import scale_names as names
from ahtc.demo.scale_cases import EXPLOITATION, VictimSpec
from ahtc.demo.scale_rows import AuditWriter, CaseSpec, TipSpec, cap, day_cap, weighted
from ahtc.portal.duplicates import indicators_from
from ahtc.victims.models import (
    FollowUp,
    ProtectionRecord,
    RecordCounter,
    Referral,
    ReferralStatus,
    ServiceConsent,
    ServiceType,
    VictimIndicator,
)
from ahtc.victims.services import FOLLOW_UP_MONTHS, RESPOND_WITHIN, RESPOND_WITHIN_CHILD
from ahtc.victims.services import _months_later as months_later

if TYPE_CHECKING:
    from ahtc.accounts.models import User
    from ahtc.demo.scale import ScaleDistrict, ScaleRun

RECORD_BATCH = 2_000
REFERRAL_STATUS = {
    ReferralStatus.DRAFT: 5,
    ReferralStatus.SENT: 5,
    ReferralStatus.ACCEPTED: 15,
    ReferralStatus.REJECTED: 8,
    ReferralStatus.DELIVERED: 40,
    ReferralStatus.CLOSED: 27,
}
ANSWERED = {
    ReferralStatus.ACCEPTED,
    ReferralStatus.REJECTED,
    ReferralStatus.DELIVERED,
    ReferralStatus.CLOSED,
}


# --- protection records, follow-ups, referrals --------------------------------------------


class RecordWork:
    def __init__(self, run: ScaleRun, victims: list[VictimSpec], audit: AuditWriter) -> None:
        self.run, self.victims, self.audit = run, victims, audit
        self.rng = run.rng("records")
        self.counters = {(c.district_id, c.year): c.last for c in RecordCounter.objects.all()}
        self.referrals = self._allocate(run.sizes.referrals)

    def _allocate(self, total: int) -> list[int]:
        """Referrals per record: a child is referred to child protection first
        (record_create's draft), the rest fall at random."""
        per = [0] * len(self.victims)
        for n, victim in enumerate(self.victims):
            if victim.child and total > 0 and self.run.districts[victim.district].cpb:
                per[n], total = 1, total - 1
        for _n in range(total):
            if per:
                per[self.rng.randrange(len(per))] += 1
        return per


def records(run: ScaleRun, victims: list[VictimSpec], audit: AuditWriter) -> None:
    work = RecordWork(run, victims, audit)
    for start in range(0, len(victims), RECORD_BATCH):
        batch = victims[start : start + RECORD_BATCH]
        rows = [_record(work, victim) for victim in batch]
        ProtectionRecord.objects.bulk_create(rows)
        follow_ups: list[FollowUp] = []
        indicators: list[VictimIndicator] = []
        referrals: list[tuple[Referral, str]] = []
        for n, (victim, record) in enumerate(zip(batch, rows, strict=True)):
            victim.pk = record.pk
            _audit_record(audit, record, "protection record opened", record.created_at,
                          AuditAction.CREATE)  # fmt: skip
            follow_ups += _follow_ups(work, record)
            indicators += _indicators(record, victim)
            referrals += _referrals(work, record, victim, work.referrals[start + n])
        FollowUp.objects.bulk_create(follow_ups)
        VictimIndicator.objects.bulk_create(indicators)
        _save_referrals(work, referrals)
        run.counts["records"] += len(rows)
        run.counts["follow_ups"] += len(follow_ups)
        run.report(start + len(batch), len(victims), _("protection records"))
    for (district, year), last in work.counters.items():
        RecordCounter.objects.update_or_create(
            district_id=district, year=year, defaults={"last": last}
        )


def _audit_record(
    audit: AuditWriter, record: ProtectionRecord, reason: str, at: dt.datetime,
    action: str = AuditAction.UPDATE, actor: User | None = None,
) -> None:  # fmt: skip
    audit.add(
        at=at, actor=actor or record.created_by, action=action, object_type="victims.protectionrecord",
        object_id=record.pk, area_code=record.district.code, reason=reason,
    )  # fmt: skip


def _record(work: RecordWork, victim: VictimSpec) -> ProtectionRecord:
    """Numbered as record_create numbers: VIC-<district prefix>-<year>-<n>."""
    rng, district = work.rng, work.run.districts[victim.district]
    year = timezone.localtime(victim.opened).year
    key = (district.area.pk, year)
    work.counters[key] = number = work.counters.get(key, 0) + 1
    exploitation = EXPLOITATION.get(victim.category, "ForcedLabour")
    return ProtectionRecord(
        person_id=victim.person,
        district=district.area,
        number=f"VIC-{district.prefix}-{year}-{number:04d}",
        trafficking_status=weighted(
            rng, {"PossibleVictimOfTrafficking": 60, "ActualVictimOfTrafficking": 40}
        ),
        exploitation=[exploitation],
        control_methods=sorted(
            set(rng.sample(["DebtBondage", "FalsePromises", "PhysicalThreats", "TakesEarnings"], 2))
        ),
        recruitment_method=rng.choice(["AtAPlaceOfBusiness", "ThroughFriendsOrSocialEvents", ""]),
        child=victim.child,
        age_evidence="document" if rng.random() < 0.6 else "stated",
        address=rng.choice(names.ADDRESSES).format(n=rng.randint(1, 400)),
        identity_withheld=victim.withheld,
        created_by=rng.choice(district.officers),
        created_at=victim.opened,
    )


def _follow_ups(work: RecordWork, record: ProtectionRecord) -> list[FollowUp]:
    """Due 1, 3, 6 and 12 months after opening, as record_create plans them;
    nearly all of those already due are done."""
    rng, today = work.rng, work.run.now.date()
    day = timezone.localtime(record.created_at).date()
    rows = []
    for months in FOLLOW_UP_MONTHS:
        due = months_later(day, months)
        row = FollowUp(record=record, due=due)
        if due < today and rng.random() < 0.95:
            row.done_on = min(due + dt.timedelta(days=rng.randint(0, 10)), today)
            row.outcome = rng.choice(names.FOLLOW_UP_OUTCOMES)
            row.by = record.created_by
            at = timezone.make_aware(dt.datetime.combine(row.done_on, dt.time(11)))
            _audit_record(work.audit, record, "follow-up recorded", cap(at, work.run))
        rows.append(row)
    return rows


def _indicators(record: ProtectionRecord, victim: VictimSpec) -> list[VictimIndicator]:
    """The victim's phones hashed like report indicators (indicators_refresh)."""
    hashes: set[str] = set()
    for value in victim.phones:
        hashes |= {v for kind, v in indicators_from(value) if kind == "phone"}
    return [VictimIndicator(record=record, value_hash=v) for v in sorted(hashes)]


def _referrals(
    work: RecordWork, record: ProtectionRecord, victim: VictimSpec, count: int
) -> list[tuple[Referral, str]]:
    rng, district = work.rng, work.run.districts[victim.district]
    offers = [o for o in district.offers if o[2] or not record.child]
    chosen = rng.sample(offers, min(count, len(offers)))
    if record.child and count and district.cpb:
        cpb = (district.cpb, ServiceType.SOCIAL_CARE.value, True)
        chosen = [cpb, *[o for o in chosen if o[:2] != cpb[:2]]][:count]
    return [_referral(work, record, district, org, service) for org, service, _c in chosen]


def _referral(
    work: RecordWork, record: ProtectionRecord, district: ScaleDistrict, org: int, service: str
) -> tuple[Referral, str]:
    rng, now = work.rng, work.run.now
    sent = cap(record.created_at + dt.timedelta(days=rng.randint(0, 30)), work.run)
    status = weighted(rng, REFERRAL_STATUS)
    if now - sent < dt.timedelta(days=3):
        status = rng.choice([ReferralStatus.DRAFT, ReferralStatus.SENT])
    referral = Referral(
        record=record, provider_id=org, service=service, needs=_("Support with %(service)s.")
        % {"service": ServiceType(service).label}, status=status,
        identity_needed=not record.identity_withheld and rng.random() < 0.5,
        referred_by=record.created_by, created_at=sent,
    )  # fmt: skip
    if status != ReferralStatus.DRAFT:
        referral.sent_at = sent
        referral.respond_by = sent + (RESPOND_WITHIN_CHILD if record.child else RESPOND_WITHIN)
    if status in ANSWERED:
        referral.answered_at = cap(sent + dt.timedelta(hours=rng.randint(2, 70)), work.run)
        referral.answered_by = district.provider_users[org]
    if status == ReferralStatus.REJECTED:
        referral.reject_reason = rng.choice(names.REJECT_REASONS)
    if status in {ReferralStatus.DELIVERED, ReferralStatus.CLOSED} and referral.answered_at:
        delivered = referral.answered_at.date() + dt.timedelta(days=rng.randint(1, 30))
        referral.delivered_on = day_cap(delivered, work.run)
        referral.outcome = rng.choice(names.DELIVERY_OUTCOMES)
    return referral, status


def _save_referrals(work: RecordWork, referrals: list[tuple[Referral, str]]) -> None:
    """The referrals, and the consent each sent one needed (consent_record:
    for the service, to any provider, with identity where it is shared)."""
    Referral.objects.bulk_create([r for r, _s in referrals])
    consents: dict[tuple[int, str], ServiceConsent] = {}
    for referral, status in referrals:
        record = referral.record
        if status == ReferralStatus.DRAFT or referral.sent_at is None:
            continue
        key = (record.pk, referral.service)
        consent = consents.get(key)
        if consent is None:
            consent = consents[key] = ServiceConsent(
                record=record, service=referral.service, method="guardian" if record.child
                else "thumbprint", given_on=referral.sent_at.date(), recorded_by=record.created_by,
            )  # fmt: skip
            _audit_record(
                work.audit, record, f"consent recorded ({referral.service})", referral.sent_at
            )
        consent.identity = consent.identity or referral.identity_needed
        _audit_referral(work, referral, status)
    ServiceConsent.objects.bulk_create(list(consents.values()))
    work.run.counts["referrals"] += len(referrals)
    work.run.counts["consents"] += len(consents)


def _audit_referral(work: RecordWork, referral: Referral, status: str) -> None:
    record, audit = referral.record, work.audit
    assert referral.sent_at is not None  # noqa: S101 - only sent referrals come here
    reason = f"referral {referral.pk} sent to organisation {referral.provider_id}"
    _audit_record(audit, record, reason, referral.sent_at)
    if referral.answered_at is None:
        return
    answer = "rejected" if status == ReferralStatus.REJECTED else "accepted"
    _audit_record(audit, record, f"referral {referral.pk} {answer}", referral.answered_at,
                  actor=referral.answered_by)  # fmt: skip
    if referral.delivered_on is not None:
        at = cap(
            timezone.make_aware(dt.datetime.combine(referral.delivered_on, dt.time(15))), work.run
        )
        _audit_record(
            audit, record, f"referral {referral.pk} delivered", at, actor=referral.answered_by
        )
        if status == ReferralStatus.CLOSED:
            _audit_record(audit, record, f"referral {referral.pk} closed", at)


# --- reading: the bulk of the audit log ----------------------------------------------------


def audit_reads(
    run: ScaleRun, audit: AuditWriter, tips: list[TipSpec], specs: list[CaseSpec],
    victims: list[VictimSpec],
) -> None:  # fmt: skip
    """Officers opening reports, case files and records, signing in, and now and
    then refused a record outside their districts, up to the trial's count."""
    rng = run.rng("audit")
    for _n in range(max(0, run.sizes.audit_events - audit.written - len(audit.rows))):
        roll = rng.random()
        if roll < 0.5:
            tip = tips[rng.randrange(len(tips))]
            kind, pk, district, since, reason = "portal.tip", tip.pk, tip.district, tip.at, ""
        elif roll < 0.8 or not victims:
            case = specs[rng.randrange(len(specs))]
            kind, pk, district, since = "cases.case", case.pk, case.district, case.opened
            reason = "case file with identities"
        else:
            victim = victims[rng.randrange(len(victims))]
            kind, pk, district, since = (
                "victims.protectionrecord",
                victim.pk,
                victim.district,
                victim.opened,
            )
            reason = "protection record"
        at = since + (run.now - since) * rng.random()
        _one_read(run, audit, rng, (kind, pk, district, at, reason))


def _one_read(
    run: ScaleRun,
    audit: AuditWriter,
    rng: random.Random,
    read: tuple[str, int, int, dt.datetime, str],
) -> None:
    kind, pk, district, at, reason = read
    area = run.districts[district]
    actor = rng.choice(area.officers)
    roll = rng.random()
    if roll < 0.04:
        audit.add(at=at, actor=actor, action=AuditAction.SIGN_IN)
    elif roll < 0.05:  # someone from another district tries the record
        other = run.districts[
            (district + 1 + rng.randrange(len(run.districts) - 1)) % len(run.districts)
        ]
        audit.add(
            at=at, actor=rng.choice(other.officers), action=AuditAction.VIEW,
            outcome=AuditOutcome.REFUSED, object_type=kind, object_id=pk,
            area_code=area.area.code, reason="outside the user's scope",
        )  # fmt: skip
    else:
        audit.add(
            at=at, actor=actor, action=AuditAction.VIEW, object_type=kind, object_id=pk,
            area_code=area.area.code, reason=reason,
        )  # fmt: skip
