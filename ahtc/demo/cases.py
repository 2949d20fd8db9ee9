"""The Mandi Bahauddin year in cases (synthetic, deterministic).

Every case is driven through the real services, so the demo obeys the same
rules as users do (consent before an FIR, challan checks before trial, FIA
acceptance before a transfer). Names are invented and marked "(demo)".

Story lines, after the cell's own account (seed-facts.md): visit-visa agents
and the sea route from Libya (families of boat-tragedy victims), men held for
ransom in Iran and Libya, agents taking money for Gulf jobs, kiln families in
bonded labour, children in workshops and homes, known smugglers questioned
and warned, and several cases carried through to a verdict.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from ahtc.accounts.models import Organisation
from ahtc.cases import services as s
from ahtc.cases.legal import catalogue_ensure
from ahtc.cases.models import (
    Case,
    ChallanItem,
    ClassificationDecision,
    ConsentMethod,
    ConsentPurpose,
    CustodyAction,
    EvidenceKind,
    HandoverKind,
    LegalProvision,
    Origin,
    PartyRole,
    Status,
    StatusChange,
    VerdictOutcome,
)
from ahtc.demo.dates import story_dates_settle
from ahtc.geography.models import Area, PoliceStation
from ahtc.people.models import IdentifierKind, Sex
from ahtc.people.services import identifier_add, person_create
from ahtc.portal.models import Tip, TipStatus

if TYPE_CHECKING:
    from ahtc.cases.classification import Answers
    from ahtc.demo.build import DemoContext

from ahtc.demo.case_stories import FEMALE, FEMALE_UR, LETTERS, MALE, MALE_UR, STORIES, Story


class _Runner:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.district = Area.objects.get(code="PK620")
        self.officer = ctx.users["officer_mbdin"]
        self.dpo = ctx.users["dpo_mbdin"]
        self.io = ctx.users["io_mbdin"]
        self.prosecutor = ctx.users["prosecutor_mbdin"]
        self.stations = list(
            PoliceStation.objects.filter(tehsil__path__startswith=self.district.path).order_by(
                "code"
            )
        )
        self.orgs: dict[str, Organisation] = {
            "fia": ctx.orgs["fia_gujrat"],
            "labour": ctx.orgs["labour_mbdin"],
            "cpb": ctx.orgs["cpb_mbdin"],
            "pros": ctx.orgs["pros_mbdin"],
        }
        self.liaisons = {
            "fia": ctx.users["fia_liaison"],
            "labour": ctx.users["labour_liaison"],
            "cpb": ctx.users["cpb_liaison"],
        }
        self.n = 0

    def _name(self, sex: str) -> tuple[str, str]:
        self.n += 1
        letter = LETTERS[self.n % len(LETTERS)]
        if sex == Sex.FEMININE:
            i = self.rng.randrange(len(FEMALE))
            return f"{FEMALE[i]} {letter}. (demo)", f"{FEMALE_UR[i]} (نمونہ)"
        i = self.rng.randrange(len(MALE))
        return f"{MALE[i]} {letter}. (demo)", f"{MALE_UR[i]} (نمونہ)"

    def _person(self, *, sex: str, age: int) -> Any:
        latin, urdu = self._name(sex)
        person = person_create(
            source_district=self.district,
            by=self.officer,
            name_latin=latin,
            name_urdu=urdu,
            relative_name=self._name(Sex.MASCULINE)[0],
            sex=sex,
            age_years=age,
        )
        # Synthetic numbers in reserved-looking ranges: 0300-00xxxxx.
        identifier_add(
            person=person,
            kind=IdentifierKind.PHONE,
            raw=f"0300-00{self.n:05d}",
            by=self.officer,
        )
        return person

    def _backdate(self, case: Case, day: dt.date) -> None:
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(11)))
        StatusChange.objects.filter(case=case, at__gt=moment).update(at=moment)

    def run(self, story: Story, index: int, agent: Any) -> Case:
        rng = self.rng
        opened = dt.date(2024, 11, 5) + dt.timedelta(days=index * 9 + rng.randrange(5))
        tip = (
            Tip.objects.filter(
                district=self.district, category=story.category, status=TipStatus.TRIAGED
            )
            .order_by("created_at")
            .first()
        )
        case = s.case_open(
            district=self.district,
            by=self.officer,
            title=story.title,
            origin=Origin.TIP if tip else Origin.OWN_INITIATIVE,
            tip=tip,
            summary="Synthetic demo case. " + story.title + ".",
            offence_date=opened - dt.timedelta(days=20 + rng.randrange(60)),
            opened_on=opened,
        )
        victims = []
        for _v in range(story.victims):
            sex = Sex.FEMININE if story.woman else Sex.MASCULINE
            age = (10 + rng.randrange(6)) if story.child else (19 + rng.randrange(20))
            if story.extra.get("family") and _v == 0:
                age += 25  # the parent of a kiln family; the others are children
            role = PartyRole.SMUGGLED_MIGRANT if story.key.startswith("warn") else PartyRole.VICTIM
            victims.append(
                s.party_add(
                    case=case, by=self.officer, role=role, person=self._person(sex=sex, age=age)
                )
            )
        suspects = []
        for i, suspect_role in enumerate(story.suspects):
            if suspect_role == "BrokerTravelAgent" and agent is not None and i == 0:
                suspects.append(
                    s.party_add(case=case, by=self.officer, role=suspect_role, person=agent)
                )
            else:
                suspects.append(
                    s.party_add(
                        case=case,
                        by=self.officer,
                        role=suspect_role,
                        person=self._person(sex=Sex.MASCULINE, age=30 + rng.randrange(25)),
                    )
                )
        if story.key.startswith("boat"):
            s.party_add(
                case=case,
                by=self.officer,
                role=PartyRole.COMPLAINANT,
                person=self._person(sex=Sex.FEMININE, age=50),
                note="Mother of a young man missing after the boat capsized; family met the cell.",
            )
        for kind, country, place, amount in story.route:
            s.event_add(
                case=case,
                by=self.officer,
                kind=kind,
                date=case.offence_date,
                country=country,
                place=place,
                area=self.district if country == "PK" else None,
                amount_pkr=amount,
            )
        if story.stop == Status.REPORTED:
            return case
        if story.warned:
            for suspect in suspects:
                s.party_mark_warned(party=suspect, by=self.officer)
        self._move(case, Status.INQUIRY, opened)
        self._classify(case, story, opened, victims)
        for victim in victims:
            if story.consent_override:
                break  # the guardian could not be reached (see below)
            s.consent_record(
                case=case,
                party=victim,
                by=self.officer,
                purpose=ConsentPurpose.STATEMENT,
                method=ConsentMethod.GUARDIAN if story.child else ConsentMethod.THUMBPRINT,
                given_on=opened,
            )
            s.consent_record(
                case=case,
                party=victim,
                by=self.officer,
                purpose=ConsentPurpose.SHARING,
                method=ConsentMethod.GUARDIAN if story.child else ConsentMethod.WRITTEN,
                given_on=opened,
            )
        if story.refer_to:
            handover = s.handover_create(
                case=case,
                by=self.officer,
                kind=HandoverKind.REFER,
                to_organisation=self.orgs[story.refer_to],
                reason="Route abroad: FIA is the competent agency."
                if story.refer_to == "fia"
                else "The agency's own inspection and support are needed.",
            )
            if not story.extra.get("pending_referral"):
                s.handover_answer(handover=handover, by=self.liaisons[story.refer_to], accept=True)
        if story.stop == Status.INQUIRY:
            return case
        if story.stop == Status.TRANSFERRED_FIA:
            self._move(
                case,
                Status.TRANSFERRED_FIA,
                opened + dt.timedelta(days=12),
                note="FIA accepted the referral.",
            )
            if story.key == "boat0":
                self._fia_proceedings(case, suspects, opened + dt.timedelta(days=15))
            return case
        if story.stop == Status.CLOSED_NO_OFFENCE:
            self._move(
                case,
                Status.CLOSED_NO_OFFENCE,
                opened + dt.timedelta(days=20),
                note="Labour Department inspected and fined the employer; no offence for the police.",
            )
            return case
        # FIR, investigation, challan, trial.
        decision = case.decisions.first()
        codes = [p.code for p in decision.provisions.all()] if decision else []
        station = self.stations[index % len(self.stations)]
        fir_day = opened + dt.timedelta(days=3)
        s.fir_add(
            case=case,
            by=self.officer,
            number=f"{100 + index}/{fir_day.year % 100}",
            date=fir_day,
            police_station=station,
            provision_codes=[c for c in codes if c not in {"PTPA-VICTIM", "PTPA-CHILD"}][:4]
            or ["PPC-374"],
        )
        if story.consent_override:
            # A child's guardian could not be reached; the DPO went ahead (audited).
            s.case_transition(
                case=case,
                to=Status.FIR_REGISTERED,
                by=self.dpo,
                note="Guardian unreachable and the child at risk; FIR registered without consent.",
                override_consent=True,
            )
            self._backdate(case, fir_day)
            case.refresh_from_db()
        else:
            self._move(case, Status.FIR_REGISTERED, fir_day)
        for suspect in suspects[:1]:
            s.arrest_add(party=suspect, by=self.officer, date=fir_day + dt.timedelta(days=2))
        if story.stop == Status.FIR_REGISTERED:
            return case
        assign = s.handover_create(
            case=case,
            by=self.dpo,
            kind=HandoverKind.ASSIGN,
            to_user=self.io,
            reason="Investigation",
        )
        s.handover_answer(handover=assign, by=self.io, accept=True)
        case.refresh_from_db()
        self._move(case, Status.INVESTIGATION, fir_day + dt.timedelta(days=4))
        evidence = s.evidence_add(
            case=case,
            by=self.io,
            kind=EvidenceKind.RECEIPT if "visa" in story.key else EvidenceKind.DOCUMENT,
            description="Synthetic exhibit: register of advances"
            if "kiln" in story.key
            else "Synthetic exhibit: statements bundle",
            holder="Malkhana, PS " + station.name_en,
            # Evidence files pass the portal's type checks (issue 9): a PDF, not text.
            data=f"%PDF-1.4\n% demo exhibit {case.reference}\n%%EOF\n".encode(),
        )
        s.custody_add(
            evidence=evidence,
            by=self.io,
            action=CustodyAction.EXAMINED,
            holder="Punjab Forensic Science Agency (demo)",
        )
        if story.stop == Status.INVESTIGATION:
            today = timezone.localdate()
            s.task_add(
                case=case,
                by=self.dpo,
                title="Record the victims' statements (s.164)",
                assignee=self.io,
                due=today - dt.timedelta(days=3),
            )
            s.task_add(
                case=case,
                by=self.dpo,
                title="Get the medical reports",
                assignee=self.io,
                due=today + dt.timedelta(days=4),
            )
            for victim in victims:
                s.consent_record(
                    case=case,
                    party=victim,
                    by=self.io,
                    purpose=ConsentPurpose.MEDICAL,
                    method=ConsentMethod.THUMBPRINT,
                    given_on=fir_day,
                )
            item = ChallanItem.objects.get(case=case, kind="statements")
            s.challan_io_done(item=item, by=self.io)
            return case
        for victim in victims:
            s.consent_record(
                case=case,
                party=victim,
                by=self.io,
                purpose=ConsentPurpose.MEDICAL,
                method=ConsentMethod.THUMBPRINT,
                given_on=fir_day,
            )
        for item in case.challan_items.all():
            s.challan_io_done(item=item, by=self.io)
        s.case_share(
            case=case, organisation=self.orgs["pros"], by=self.dpo, reason="Challan scrutiny"
        )
        self._move(case, Status.CHALLAN_SUBMITTED, fir_day + dt.timedelta(days=40))
        court = "Sessions Court, Mandi Bahauddin"
        if story.stop == Status.CHALLAN_SUBMITTED:
            items = list(case.challan_items.all())
            for item in items[:3]:
                s.challan_prosecutor_answer(item=item, by=self.prosecutor, accept=True)
            s.challan_prosecutor_answer(
                item=items[3],
                by=self.prosecutor,
                accept=False,
                objection="Attach the age certificate from NADRA.",
            )
            s.hearing_add(
                case=case,
                by=self.prosecutor,
                court=court,
                date=timezone.localdate() + dt.timedelta(days=6),
                purpose="Scrutiny of the challan",
            )
            return case
        for item in case.challan_items.all():
            s.challan_prosecutor_answer(item=item, by=self.prosecutor, accept=True)
        s.case_transition(case=case, to=Status.TRIAL, by=self.prosecutor, as_prosecutor=True)
        self._backdate(case, fir_day + dt.timedelta(days=60))
        case.refresh_from_db()
        s.hearing_add(
            case=case,
            by=self.prosecutor,
            court=court,
            date=fir_day + dt.timedelta(days=75),
            purpose="Framing of charge",
            outcome="Charge framed",
        )
        if story.stop == Status.TRIAL:
            s.hearing_add(
                case=case,
                by=self.prosecutor,
                court=court,
                date=timezone.localdate() + dt.timedelta(days=9),
                purpose="Victims' evidence",
            )
            return case
        provision = LegalProvision.objects.filter(fir__case=case).order_by("code").first()
        assert provision is not None  # noqa: S101 - every FIR has a section
        judgment = fir_day + dt.timedelta(days=180)
        for suspect in suspects:
            convicted = story.verdict == VerdictOutcome.CONVICTED
            s.verdict_add(
                party=suspect,
                by=self.prosecutor,
                provision=provision,
                date=judgment,
                outcome=story.verdict,
                prison_months=(36 + 12 * rng.randrange(4)) if convicted else None,
                fine_pkr=200_000 if convicted else None,
                compensation_ordered_pkr=300_000 if convicted else None,
                compensation_paid_pkr=100_000 if convicted else None,
            )
        note = "Compounded before the court." if story.stop == Status.COMPOUNDED else ""
        s.case_transition(
            case=case, to=story.stop, by=self.prosecutor, note=note, as_prosecutor=True
        )
        self._backdate(case, judgment)
        return case

    def _fia_proceedings(self, case: Case, suspects: list[Any], fir_day: dt.date) -> None:
        """FIA took the first boat-tragedy case over: the FIA liaison records
        FIA's own FIR and an arrest, and the cell follows them on its page."""
        fia = self.liaisons["fia"]
        codes = [p.code for p in s.agency_fir_provisions(case) if p.code in {"PTPA-3-1", "PSMA"}]
        s.agency_fir_add(
            case=case,
            by=fia,
            number=f"3/{fir_day.year % 100}",
            date=fir_day,
            station="FIA Anti-Human Trafficking Circle police station (demo)",
            provision_codes=codes or ["PSMA"],
        )
        s.case_transition(case=case, to=Status.FIR_REGISTERED, by=fia)
        self._backdate(case, fir_day)
        s.arrest_add(party=suspects[0], by=fia, date=fir_day + dt.timedelta(days=3))
        case.refresh_from_db()

    def _move(self, case: Case, to: str, day: dt.date, note: str = "") -> None:
        case.refresh_from_db()
        if case.status == to:
            return
        s.case_transition(
            case=case, to=to, by=self.officer if to != Status.INVESTIGATION else self.io, note=note
        )
        self._backdate(case, day)
        case.refresh_from_db()

    def _classify(self, case: Case, story: Story, day: dt.date, victims: list[Any]) -> None:
        from ahtc.cases.services.classification import case_suggestion

        # The suggestion for the case's offence date, accepted as it stands; a
        # kiln family is classified person by person (issue 12).
        subjects: list[tuple[Any, Answers]] = [(None, story.answers)]
        if story.extra.get("family"):
            subjects = [
                (
                    v,
                    dataclasses.replace(
                        story.extra["family"](v.person.age_years < 18), age_years=v.person.age_years
                    ),
                )
                for v in victims
            ]
        in_force = {p.code for p in s.offered_provisions(case)}
        for victim, facts in subjects:
            answers, suggestion = case_suggestion(case, facts)
            s.classification_decide(
                case=case,
                by=self.officer,
                answers=answers,
                classification=suggestion.classification,
                agency=suggestion.agency,
                provision_codes=[c for c in suggestion.provisions if c in in_force],
                victim=victim,
            )
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
        ClassificationDecision.objects.filter(case=case).update(decided_at=moment)


def build_cases(ctx: DemoContext) -> None:
    if Case.objects.exists():
        return
    catalogue_ensure()
    runner = _Runner(ctx)
    agent = runner._person(sex=Sex.MASCULINE, age=44)  # one agent in several cases
    for index, story in enumerate(STORIES):
        case = runner.run(story, index, agent if story.key.startswith(("boat", "visa")) else None)
        story_dates_settle(case)  # dated by the story, not by the day of the build
    _link_reports(ctx)
    # Gujrat has its own cases, invisible to Mandi Bahauddin.
    gujrat = Area.objects.get(code="PK610")
    officer = ctx.users["officer_gujrat"]
    for i in range(3):
        s.case_open(
            district=gujrat,
            by=officer,
            title="Agent sending men to Greece via Iran and Turkey",
            origin=Origin.OWN_INITIATIVE,
            offence_date=dt.date(2025, 2, 1) + dt.timedelta(days=30 * i),
            opened_on=dt.date(2025, 3, 1) + dt.timedelta(days=30 * i),
        )


def _link_reports(ctx: DemoContext) -> None:
    """Reports about the same kind of matter as a case opened from a report join
    that case; a report with no such case stays triaged (never linked to none)."""
    for tip in Tip.objects.filter(pk__in=ctx.reports_to_link, status=TipStatus.TRIAGED):
        cases = Case.objects.filter(
            district=tip.district_id, tip__category=tip.category, tip_split=False
        ).order_by("created_at")
        case = cases.filter(created_at__gte=tip.created_at).first() or cases.last()
        if case is not None:
            s.case_link_reports(case=case, tips=[tip], by=ctx.users["officer_mbdin"])
