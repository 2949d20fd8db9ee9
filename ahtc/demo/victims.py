"""Victims of the Mandi Bahauddin year (synthetic, deterministic), through the services.

- protection records for the victims of the demo cases (returned irregular
  migrants, kiln families, children from workshops, a girl whose identity is
  withheld, a woman in a forced-marriage case);
- families of boat-tragedy victims with meetings and support;
- referrals in every state, follow-ups done and due, risk assessments,
  compensation, and two re-trafficking alerts (a case and a citizen report).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from ahtc.cases import services as cases
from ahtc.cases.models import Case, Party, PartyRole
from ahtc.geography.models import Area
from ahtc.people.models import IdentifierKind
from ahtc.victims import services as s
from ahtc.victims.models import (
    CompensationSource,
    FollowUp,
    MissingMigrant,
    MissingMigrantFamily,
    ProtectionRecord,
    ProviderProfile,
    Referral,
    RiskFactor,
    ServiceType,
)

if TYPE_CHECKING:
    from ahtc.demo.build import DemoContext

PROVIDERS = {
    "cpb_mbdin": ([ServiceType.SOCIAL_CARE, ServiceType.SHELTER, ServiceType.PSYCHOSOCIAL], True),
    "swd_mbdin": ([ServiceType.FINANCIAL, ServiceType.SOCIAL_CARE, ServiceType.LIVELIHOOD], True),
    "ngo_mbdin": ([ServiceType.LEGAL, ServiceType.PSYCHOSOCIAL, ServiceType.LIVELIHOOD], True),
    "dhq_mbdin": ([ServiceType.HEALTH, ServiceType.PSYCHOSOCIAL], True),
    "edu_mbdin": ([ServiceType.EDUCATION, ServiceType.LIVELIHOOD], True),
    "shelter_mbdin": ([ServiceType.SHELTER, ServiceType.LEGAL], False),
    "eobi_gujrat": ([ServiceType.FINANCIAL], False),
    "labour_mbdin": ([ServiceType.LIVELIHOOD, ServiceType.FINANCIAL], True),
}


def _providers(ctx: DemoContext) -> None:
    for key, (services, children) in PROVIDERS.items():
        org = ctx.orgs[key]
        ProviderProfile.objects.update_or_create(
            organisation=org,
            defaults={
                "services": [str(x) for x in services],
                "contact_person": "Duty officer (demo)",
                "address": "District headquarters (demo address)",
                "hours": "Mon–Sat 9:00–17:00",
                "accepts_children": children,
            },
        )


def _consent(record: ProtectionRecord, by: Any, service: str, day: dt.date, identity: bool) -> None:
    s.consent_record(
        record=record,
        by=by,
        service=service,
        method="guardian" if record.child else "thumbprint",
        given_on=day,
        identity=identity,
    )


def _backdate(referral: Referral, sent: dt.datetime) -> None:
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=sent,
        respond_by=sent + (s.RESPOND_WITHIN_CHILD if referral.record.child else s.RESPOND_WITHIN),
        created_at=sent,
    )


def build_victims(ctx: DemoContext) -> None:
    if ProtectionRecord.objects.exists():
        return
    _providers(ctx)
    officer = ctx.users["officer_mbdin"]
    dpo = ctx.users["dpo_mbdin"]
    orgs = ctx.orgs
    users = ctx.users
    today = timezone.localdate()
    now = timezone.now()

    # 1. Victims of the demo cases.
    parties = (
        Party.objects.filter(
            case__district__code="PK620", role=PartyRole.VICTIM, person__isnull=False
        )
        .select_related("case", "person")
        .order_by("case__year", "case__number", "number")
    )
    records: list[ProtectionRecord] = []
    for i, party in enumerate(parties):
        person = party.person
        assert person is not None  # noqa: S101 - filtered above
        if hasattr(person, "protection"):
            continue
        case = party.case
        child = (person.age_years or 30) < 18
        title = case.title.lower()
        exploitation = (
            ["ForcedLabour"]
            if "kiln" in title
            else ["ChildLabour"]
            if ("workshop" in title or "domestic" in title)
            else ["SexualExploitation"]
            if "sexual" in title
            else ["ForcedMarriage"]
            if "marriage" in title
            else ["Other"]
        )
        opened = (case.created_at.date() if case.created_at else today) + dt.timedelta(days=2)
        record = s.record_create(
            person=person,
            by=officer,
            child=child,
            age_evidence="document" if child else "stated",
            trafficking_status="ActualVictimOfTrafficking"
            if i % 3
            else "PossibleVictimOfTrafficking",
            exploitation=exploitation,
            control_methods=["DebtBondage", "WithholdsNecessities"]
            if "kiln" in title
            else ["FalsePromises", "PhysicalThreats"],
            recruitment_method="AtAPlaceOfBusiness"
            if "visa" in title or "libya" in title
            else "ThroughFriendsOrSocialEvents",
            recruitment_place="Phalia" if i % 2 else "Malakwal",
            relationship="Acquainted",
            identity_withheld="sexual" in title,
            opened_on=opened,
        )
        records.append(record)
        _consent(record, officer, ServiceType.HEALTH, opened, identity=True)
        _consent(record, officer, ServiceType.PSYCHOSOCIAL, opened, identity=False)
        health = s.referral_create(
            record=record,
            by=officer,
            provider=orgs["dhq_mbdin"],
            service=ServiceType.HEALTH,
            needs="Medical check-up after rescue.",
            identity_needed=True,
        )
        _backdate(health, timezone.make_aware(dt.datetime.combine(opened, dt.time(12))))
        # Referrals in every state.
        state = i % 5
        if state >= 1:
            health = s.referral_answer(referral=health, by=users["hospital_mbdin"], accept=True)
        if state >= 2:
            s.referral_deliver(
                referral=health,
                by=users["hospital_mbdin"],
                delivered_on=opened + dt.timedelta(days=3),
                outcome="Examined; treated for injuries; follow-up in two weeks.",
            )
        if state >= 3:
            s.referral_close(referral=health, by=officer, outcome="Treatment completed.")
        if state == 4:
            psycho = s.referral_create(
                record=record,
                by=officer,
                provider=orgs["dhq_mbdin"],
                service=ServiceType.PSYCHOSOCIAL,
                needs="Counselling sessions.",
            )
            s.referral_answer(
                referral=psycho,
                by=users["hospital_mbdin"],
                accept=False,
                reason="No psychologist posted this month; please refer to the NGO.",
            )
        _assessment, items = s.needs_assess(
            record=record,
            by=officer,
            needs=[
                ServiceType.HEALTH,
                ServiceType.PSYCHOSOCIAL,
                ServiceType.EDUCATION if child else ServiceType.LIVELIHOOD,
            ],
            assessed_on=opened,
        )
        if i % 2 and items:
            s.plan_item_set_status(item=items[-1], by=officer, status="in_progress")
        if i % 3 == 0 and items:
            s.plan_item_set_status(item=items[0], by=officer, status="done")
        first = FollowUp.objects.filter(record=record).order_by("due").first()
        if first is not None and first.due <= today:
            s.follow_up_done(
                follow_up=first,
                by=officer,
                done_on=first.due,
                outcome="At home with family; attending the support plan.",
            )
        if i % 4 == 0:
            s.risk_assess(
                record=record,
                by=officer,
                factors=[RiskFactor.DEBT, RiskFactor.AT_LARGE, RiskFactor.WANTS_TO_MIGRATE],
                note="Agent still collecting the remaining debt from the family.",
            )
        elif i % 4 == 1:
            s.risk_assess(record=record, by=officer, factors=[RiskFactor.NO_INCOME])
        verdicts = [v for p in Party.objects.filter(case=case) for v in p.verdicts.all()]
        ordered = sum(v.compensation_ordered_pkr or 0 for v in verdicts)
        if ordered:
            s.compensation_record(
                record=record,
                by=officer,
                source=CompensationSource.COURT,
                ordered_pkr=ordered // max(1, case.parties.filter(role=PartyRole.VICTIM).count()),
                applied_on=opened + dt.timedelta(days=200),
                paid_pkr=50_000,
                paid_on=opened + dt.timedelta(days=230),
            )

    # A pending referral past its answer time, and a draft waiting for consent.
    if records:
        adult = next((r for r in records if not r.child and not r.identity_withheld), None)
        if adult is not None:
            _consent(adult, officer, ServiceType.LEGAL, today, identity=True)
            late = s.referral_create(
                record=adult,
                by=officer,
                provider=orgs["shelter_mbdin"],
                service=ServiceType.LEGAL,
                needs="Legal aid to file a complaint against the agent.",
                identity_needed=True,
            )
            _backdate(late, now - dt.timedelta(days=6))

    # 2. The seventy-two children withdrawn from kilns and workshops are
    # child-labour findings, not victim records (ahtc/demo/labour.py).
    district = Area.objects.get(code="PK620")

    # 3. Families of boat-tragedy victims.
    relations = [("Mother (demo)", "mother"), ("Brother (demo)", "brother")]
    for k, case in enumerate(Case.objects.filter(title__icontains="sea route").order_by("pk")):
        migrant = None  # both relatives are of one migrant, who has one fate
        for j, (name, relation) in enumerate(relations):
            family = s.family_add(
                case=case,
                by=officer,
                contact_name=f"{name} {k + 1}",
                relation=relation,
                phone=f"0300-00{9000 + 10 * k + j:05d}",
                migrant=migrant,
                migrant_label="passenger on the boat (demo)",
            )
            migrant = family.migrant
            s.family_support_add(
                family=family, by=officer, kind="meeting", date=dt.date(2025, 6, 20 + k)
            )
            if j == 0:
                s.family_support_add(
                    family=family,
                    by=dpo,
                    kind="dna",
                    date=dt.date(2025, 6, 25 + k),
                    note="Sample sent for identification abroad.",
                )
                s.family_support_add(
                    family=family,
                    by=officer,
                    kind="legal",
                    date=dt.date(2025, 7, 2 + k),
                    note="Helped file a complaint against the agent with FIA.",
                )
        _story_family_dates(case, migrant, k, dpo)

    # 4. A known victim appears again: in a new case, and by phone in a citizen report.
    returned = next((r for r in records if not r.child and not r.identity_withheld), None)
    if returned is not None:
        new_case = cases.case_open(
            district=district,
            by=officer,
            title="Agent recruiting for Libya again",
            origin="own_initiative",
            offence_date=today - dt.timedelta(days=20),
        )
        cases.party_add(case=new_case, by=officer, role=PartyRole.VICTIM, person=returned.person)
        phone = returned.person.identifiers.filter(kind=IdentifierKind.PHONE).first()
        if phone is not None:
            from ahtc.portal.services import tip_submit

            tip_submit(
                client_token="demo-reappearance-0001",  # noqa: S106 - not a secret
                category="fake_agent",
                district=district,
                tehsil=None,
                child_involved="no",
                description="A returned young man is being offered another trip by sea.",
                involved=f"The agent keeps calling {phone.value}.",
            )


def _story_family_dates(case: Any, migrant: Any, k: int, dpo: Any) -> None:
    """The families came forward after the tragedy (June 2025), not on the day
    the demo is built; one migrant in three was later identified as dead."""
    came = timezone.make_aware(dt.datetime.combine(dt.date(2025, 6, 18 + k), dt.time(11)))
    MissingMigrant.objects.filter(pk=migrant.pk).update(created_at=came, updated_at=came)
    MissingMigrantFamily.objects.filter(migrant=migrant).update(created_at=came, updated_at=came)
    if k % 3 == 0:
        s.migrant_fate_set(migrant=migrant, by=dpo, to="deceased", on=dt.date(2025, 7, 10 + k))
        MissingMigrant.objects.filter(pk=migrant.pk).update(updated_at=came)
