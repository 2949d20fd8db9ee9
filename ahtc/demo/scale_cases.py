"""Cases, people and victim protection of the province-scale run (scale.py).

Statuses agree with the proceedings: a case past "inquiry" has its FIR, one
on trial or later its arrests, and a convicted or acquitted case a verdict per
accused, each dated after the one before and never in the future. Victim
numbers and case numbers continue the districts' counters.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.cases.classification import Agency, Classification
from ahtc.cases.models import (
    Arrest,
    Case,
    CaseCounter,
    Fir,
    LegalProvision,
    Origin,
    Party,
    PartyRole,
    Status,
    Verdict,
    VerdictOutcome,
)
from ahtc.cases.references import case_reference
from ahtc.core.models import AuditAction
from ahtc.demo import scale_names as names
from ahtc.demo.scale_rows import (
    AuditWriter,
    CaseSpec,
    TipSpec,
    by_age,
    cap,
    day_cap,
    person_name,
    phone,
    story,
)
from ahtc.people.models import Identifier, IdentifierKind, Person, Sex
from ahtc.people.normalise import NORMALISERS
from ahtc.people.services import identifier_hash
from ahtc.portal.models import Tip, TipCategory, TipStatus

if TYPE_CHECKING:
    from ahtc.accounts.models import User
    from ahtc.demo.scale import ScaleDistrict, ScaleRun

CASE_BATCH = 1_000
RECORD_BATCH = 2_000
CHILD_CATEGORIES = {TipCategory.CHILD_LABOUR, TipCategory.FORCED_BEGGING}
SUSPECT_ROLES: dict[str, list[str]] = {
    TipCategory.FAKE_AGENT: [PartyRole.BROKER, PartyRole.RECRUITER],
    TipCategory.HELD_FOR_RANSOM: [PartyRole.KIDNAPPER, PartyRole.SMUGGLER],
    TipCategory.MISSING_ABROAD: [PartyRole.SMUGGLER, PartyRole.RECRUITER],
    TipCategory.ORGAN_TRAFFICKING: [PartyRole.BROKER],
    TipCategory.FORCED_MARRIAGE: [PartyRole.OTHER_SUSPECT],
    TipCategory.OTHER: [PartyRole.RECRUITER],
}
CLASSIFICATION: dict[str, str] = {
    TipCategory.FAKE_AGENT: Classification.EMIGRATION_FRAUD,
    TipCategory.HELD_FOR_RANSOM: Classification.SMUGGLING_TO_TRAFFICKING,
    TipCategory.MISSING_ABROAD: Classification.SMUGGLING,
    TipCategory.FORCED_LABOUR: Classification.BONDED_LABOUR,
    TipCategory.CHILD_LABOUR: Classification.TRAFFICKING_CHILD,
    TipCategory.FORCED_BEGGING: Classification.TRAFFICKING_CHILD,
    TipCategory.OTHER: Classification.EMIGRATION_FRAUD,
}
EXPLOITATION: dict[str, str] = {
    TipCategory.FORCED_LABOUR: "ForcedLabour",
    TipCategory.CHILD_LABOUR: "ChildLabour",
    TipCategory.SEXUAL_EXPLOITATION: "SexualExploitation",
    TipCategory.FORCED_MARRIAGE: "ForcedMarriage",
    TipCategory.FORCED_BEGGING: "ForcedBegging",
    TipCategory.ORGAN_TRAFFICKING: "OrganRemoval",
}
# Status weights by the age of the case in days: new cases are still open,
# old ones have reached FIR, trial or a verdict.
CASE_STATUS: list[tuple[int, dict[Any, int]]] = [
    (30, {Status.REPORTED: 50, Status.INQUIRY: 50}),
    (
        180,
        {
            Status.REPORTED: 10,
            Status.INQUIRY: 35,
            Status.FIR_REGISTERED: 20,
            Status.INVESTIGATION: 25,
            Status.CLOSED_NO_OFFENCE: 5,
            Status.WITHDRAWN: 5,
        },
    ),
    (
        10**6,
        {
            Status.REPORTED: 3,
            Status.INQUIRY: 12,
            Status.FIR_REGISTERED: 8,
            Status.INVESTIGATION: 20,
            Status.CHALLAN_SUBMITTED: 10,
            Status.TRIAL: 17,
            Status.CONVICTED: 12,
            Status.ACQUITTED: 6,
            Status.CLOSED_NO_OFFENCE: 8,
            Status.WITHDRAWN: 4,
        },
    ),
]
WITH_FIR = {
    Status.FIR_REGISTERED,
    Status.INVESTIGATION,
    Status.CHALLAN_SUBMITTED,
    Status.TRIAL,
    Status.CONVICTED,
    Status.ACQUITTED,
}
WITH_ARREST = {Status.CHALLAN_SUBMITTED, Status.TRIAL, Status.CONVICTED, Status.ACQUITTED}
VERDICTS = {Status.CONVICTED: VerdictOutcome.CONVICTED, Status.ACQUITTED: VerdictOutcome.ACQUITTED}


class VictimSpec:
    __slots__ = ("category", "child", "district", "opened", "person", "phones", "pk", "withheld")

    def __init__(self, *, person: int, district: int, opened: dt.datetime, category: str,
                 child: bool, withheld: bool, phones: list[str]) -> None:  # fmt: skip
        self.person, self.district, self.opened, self.category = person, district, opened, category
        self.child, self.withheld, self.phones, self.pk = child, withheld, phones, 0


class CaseWork:
    """State shared by the case batches: counters, provisions, known suspects."""

    def __init__(self, run: ScaleRun, tips: list[TipSpec], audit: AuditWriter) -> None:
        self.run, self.tips, self.audit = run, tips, audit
        self.rng = run.rng("cases")
        self.counters = {(c.district_id, c.year): c.last for c in CaseCounter.objects.all()}
        self.provisions = list(LegalProvision.objects.order_by("code", "valid_from"))
        self.suspects: list[list[int]] = [[] for _d in run.districts]
        self.fir_number = Fir.objects.count()
        self.victims: list[VictimSpec] = []

    def provision(self, day: dt.date) -> LegalProvision | None:
        valid = [
            p
            for p in self.provisions
            if p.valid_from <= day and (p.valid_to is None or p.valid_to >= day)
        ]
        return self.rng.choice(valid[:8]) if valid else None


def name_tokens_save(people: list[Person]) -> int:
    """The search tokens person_create stores (people/search.py), where that
    search exists."""
    try:
        from ahtc.people.models import NameToken  # type: ignore[attr-defined,unused-ignore]
        from ahtc.people.search import person_hashes  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return 0
    rows = [
        NameToken(person=person, token_hash=token)
        for person in people
        for token in sorted(person_hashes([person.name_latin, person.name_urdu]))
    ]
    NameToken.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


# --- cases ---------------------------------------------------------------------------------


def cases(
    run: ScaleRun, tips: list[TipSpec], specs: list[CaseSpec], audit: AuditWriter
) -> CaseWork:
    work = CaseWork(run, tips, audit)
    for start in range(0, len(specs), CASE_BATCH):
        batch = specs[start : start + CASE_BATCH]
        rows = [_case(work, spec) for spec in batch]
        Case.objects.bulk_create([case for case, _plan in rows])
        for spec, (case, _plan) in zip(batch, rows, strict=True):
            spec.pk = case.pk
            audit.add(
                at=case.created_at, actor=case.opened_by, action=AuditAction.CREATE,
                object_type="cases.case", object_id=case.pk, area_code=case.district.code,
                reason=f"opened from {case.origin}",
            )  # fmt: skip
        parties = _people_and_parties(work, batch, rows)
        _proceedings(work, rows, parties)
        _link_reports(work, batch, rows)
        run.counts["cases"] += len(rows)
        run.report(start + len(batch), len(specs), _("cases"))
    for (district, year), last in work.counters.items():
        CaseCounter.objects.update_or_create(
            district_id=district, year=year, defaults={"last": last}
        )
    return work


def _plan(rng: random.Random, run: ScaleRun, spec: CaseSpec) -> dict[str, Any]:
    today, opened = run.now.date(), timezone.localtime(spec.opened).date()
    status = by_age(rng, CASE_STATUS, (today - opened).days)
    plan: dict[str, Any] = {"status": status, "fir": None, "arrest": None, "verdict": None}
    if status in WITH_FIR:
        plan["fir"] = day_cap(opened + dt.timedelta(days=rng.randint(1, 20)), run)
    if status in WITH_ARREST:
        plan["arrest"] = day_cap(plan["fir"] + dt.timedelta(days=rng.randint(0, 30)), run)
    if status in VERDICTS:
        verdict = plan["fir"] + dt.timedelta(days=rng.randint(150, 500))
        if verdict > today:  # too recent for a judgment: still on trial
            plan["status"] = Status.TRIAL
        else:
            plan["verdict"] = verdict
    plan["offence"] = opened - dt.timedelta(days=rng.randint(5, 90))
    return plan


def _case(work: CaseWork, spec: CaseSpec) -> tuple[Case, dict[str, Any]]:
    rng, district = work.rng, work.run.districts[spec.district]
    year = timezone.localtime(spec.opened).year
    key = (district.area.pk, year)
    work.counters[key] = number = work.counters.get(key, 0) + 1
    plan = _plan(rng, work.run, spec)
    status = plan["status"]
    lead = rng.choice(district.officers)
    origin = (
        Origin.TIP
        if spec.tip >= 0
        else rng.choice([Origin.WALK_IN, Origin.HELPLINE, Origin.OWN_INITIATIVE])
    )
    title = names.CASE_TITLES[spec.category].format(
        place=rng.choice(["Italy", "Greece", "the UAE", "Saudi Arabia"]),
        transit=rng.choice(["Iran", "Libya", "Turkey"]),
    )
    case = Case(
        reference=case_reference(district.area.code, year, number),
        district=district.area,
        year=year,
        number=number,
        title=title,
        summary=story(rng, spec.category),
        origin=origin,
        tip_id=work.tips[spec.tip].pk if spec.tip >= 0 else None,
        offence_date=plan["offence"],
        status=status,
        classification=""
        if status == Status.REPORTED
        else CLASSIFICATION.get(spec.category, Classification.TRAFFICKING_ADULT),
        agency=""
        if status == Status.REPORTED
        else (Agency.POLICE_AND_LABOUR if spec.category == "forced_labour" else Agency.POLICE),
        lead_officer=lead if status != Status.REPORTED or rng.random() < 0.5 else None,
        opened_by=lead,
        identity_withheld=spec.category == TipCategory.SEXUAL_EXPLOITATION and rng.random() < 0.5,
        created_at=spec.opened,
    )
    return case, plan


def _roles(work: CaseWork, spec: CaseSpec, status: str) -> list[str]:
    rng = work.rng
    suspect = SUSPECT_ROLES.get(spec.category, [PartyRole.EXPLOITER])
    roles: list[str] = [PartyRole.VICTIM] * spec.victims
    for _n in range(spec.others):
        roll = rng.random()
        roles.append(
            rng.choice(suspect)
            if roll < 0.55
            else (PartyRole.COMPLAINANT if roll < 0.85 else PartyRole.WITNESS)
        )
    return roles


def _person(
    work: CaseWork, spec: CaseSpec, role: str, lead: User
) -> tuple[Person, list[Identifier]]:
    rng, district = work.rng, work.run.districts[spec.district]
    child = role == PartyRole.VICTIM and (spec.category in CHILD_CATEGORIES or rng.random() < 0.05)
    female = spec.category in {"sexual_exploitation", "forced_marriage"} and role == "victim"
    sex = Sex.FEMININE if female or rng.random() < 0.12 else Sex.MASCULINE
    return new_person(
        rng, district.area, sex=sex, child=child, ages=((8, 17), (18, 60)), by=lead, at=spec.opened
    )


def new_person(
    rng: random.Random,
    area: Any,
    *,
    sex: str,
    child: bool,
    ages: tuple[tuple[int, int], tuple[int, int]],
    by: User,
    at: dt.datetime,
) -> tuple[Person, list[Identifier]]:
    """A synthetic person of the district (names from the pools, a father's
    name, an age in the child's or the adult's range) and their identifiers."""
    latin, urdu = person_name(rng, sex)
    person = Person(
        source_district=area,
        name_latin=latin,
        name_urdu=urdu,
        relative_name=person_name(rng, Sex.MASCULINE)[0],
        sex=sex,
        age_years=rng.randint(*ages[0]) if child else rng.randint(*ages[1]),
        created_by=by,
        created_at=at,
    )
    return person, person_identifiers(rng, person, child=child)


def person_identifiers(rng: random.Random, person: Person, *, child: bool) -> list[Identifier]:
    """A phone for most people, a CNIC for some adults, normalised and hashed
    as person_create stores them."""
    identifiers = []
    if rng.random() < 0.7:
        identifiers.append((IdentifierKind.PHONE, phone(rng)))
    if not child and rng.random() < 0.35:
        raw = f"3{rng.randint(1000, 9999)}-{rng.randint(0, 9_999_999):07d}-{rng.randint(1, 9)}"
        identifiers.append((IdentifierKind.CNIC, raw))
    rows = []
    for kind, raw in identifiers:
        normalised = NORMALISERS[kind](raw)
        rows.append(
            Identifier(
                person=person,
                kind=kind,
                value=normalised.value,
                value_hash=identifier_hash(kind, normalised.value),
                partial=normalised.partial,
            )
        )
    return rows


def _people_and_parties(
    work: CaseWork, batch: list[CaseSpec], rows: list[tuple[Case, dict[str, Any]]]
) -> list[Party]:
    """New people for the case's victims and others; some suspects are people
    already named in earlier cases of the district (repeat agents)."""
    rng = work.rng
    people: list[tuple[int, str, Person, list[Identifier]]] = []
    parties: list[Party] = []
    for n, (spec, (case, plan)) in enumerate(zip(batch, rows, strict=True)):
        assert case.opened_by is not None  # noqa: S101 - set above
        for role in _roles(work, spec, plan["status"]):
            person, identifiers = _person(work, spec, role, case.opened_by)
            people.append((n, role, person, identifiers))
    Person.objects.bulk_create([person for _n, _r, person, _i in people])
    Identifier.objects.bulk_create([i for *_rest, identifiers in people for i in identifiers])
    work.run.counts["name_tokens"] += name_tokens_save([person for *_x, person, _i in people])
    by_case: dict[int, list[tuple[str, int | None, str]]] = {}
    for n, role, person, identifiers in people:
        by_case.setdefault(n, []).append((role, person.pk, ""))
        audit_person(work.audit, person, identifiers)
        spec, case = batch[n], rows[n][0]
        if role == PartyRole.VICTIM:
            work.victims.append(_victim(work, spec, case, person, identifiers))
        elif role not in {PartyRole.COMPLAINANT, PartyRole.WITNESS}:
            work.suspects[spec.district].append(person.pk)
    for n, (spec, (case, plan)) in enumerate(zip(batch, rows, strict=True)):
        members = by_case.get(n, [])
        known = work.suspects[spec.district]
        suspect_role = SUSPECT_ROLES.get(spec.category, [PartyRole.EXPLOITER])[0]
        if known and rng.random() < 0.2:
            repeat = known[int(len(known) * rng.random() ** 2)]
            if all(pk != repeat for _r, pk, _o in members):
                members.append((suspect_role, repeat, ""))
        if plan["status"] in WITH_ARREST and not any(
            r not in {"victim", "complainant", "witness"} for r, _p, _o in members
        ):
            agency = f"{rng.choice(names.AGENCY_WORDS)} {rng.choice(names.AGENCY_KINDS)}"
            members.append((suspect_role, None, f"{agency} (synthetic)"))
        for number, (role, person_pk, organisation) in enumerate(members, start=1):
            parties.append(
                Party(
                    case=case, person_id=person_pk, organisation_name=organisation, role=role,
                    number=number, added_by=case.opened_by, created_at=case.created_at,
                )
            )  # fmt: skip
            work.audit.add(
                at=case.created_at, actor=case.opened_by, action=AuditAction.UPDATE,
                object_type="cases.case", object_id=case.pk, area_code=case.district.code,
                reason=f"party added ({role})",
            )  # fmt: skip
    Party.objects.bulk_create(parties)
    work.run.counts["people"] += len(people)
    work.run.counts["parties"] += len(parties)
    return parties


def audit_person(audit: AuditWriter, person: Person, identifiers: list[Identifier]) -> None:
    """As people.services.person_create audits: the person, then each identifier."""
    actor = person.created_by
    audit.add(
        at=person.created_at, actor=actor, action=AuditAction.CREATE, object_type="people.person",
        object_id=person.pk, area_code=person.source_district.code,
    )  # fmt: skip
    for identifier in identifiers:
        audit.add(
            at=person.created_at, actor=actor, action=AuditAction.UPDATE,
            object_type="people.person", object_id=person.pk, reason=f"identifier {identifier.kind}",
        )  # fmt: skip


def _victim(
    work: CaseWork, spec: CaseSpec, case: Case, person: Person, identifiers: list[Identifier]
) -> VictimSpec:
    opened = cap(case.created_at + dt.timedelta(days=work.rng.randint(0, 10)), work.run)
    return VictimSpec(
        person=person.pk,
        district=spec.district,
        opened=opened,
        category=spec.category,
        child=(person.age_years or 30) < 18,
        withheld=case.identity_withheld,
        phones=[i.value for i in identifiers if i.kind == IdentifierKind.PHONE],
    )


def _proceedings(
    work: CaseWork, rows: list[tuple[Case, dict[str, Any]]], parties: list[Party]
) -> None:
    """FIR, arrests and verdicts for the cases whose status needs them."""
    rng = work.rng
    suspects: dict[int, list[Party]] = {}
    for party in parties:
        if party.is_suspect:
            suspects.setdefault(party.case.pk, []).append(party)
    firs, sections, arrests, verdicts = [], [], [], []
    for case, plan in rows:
        if plan["fir"] is None:
            continue
        district = next(d for d in work.run.districts if d.area.pk == case.district.pk)
        fir = _fir(work, case, district, plan["fir"])
        firs.append(fir)
        provision = work.provision(plan["fir"])
        sections.append((fir, provision))
        for party in suspects.get(case.pk, []):
            if plan["arrest"] is not None and party.person_id is not None:
                arrests.append(
                    Arrest(party=party, date=plan["arrest"], bail_granted=rng.random() < 0.4,
                           added_by=case.opened_by, created_at=case.created_at)
                )  # fmt: skip
            if plan["verdict"] is not None and provision is not None:
                verdicts.append(_verdict(rng, case, party, provision, plan))
        work.audit.add(
            at=cap(timezone.make_aware(dt.datetime.combine(plan["fir"], dt.time(12))), work.run),
            actor=case.opened_by, action=AuditAction.UPDATE, object_type="cases.case",
            object_id=case.pk, area_code=case.district.code, reason="FIR recorded",
        )  # fmt: skip
    Fir.objects.bulk_create(firs)
    Fir.provisions.through.objects.bulk_create(
        [Fir.provisions.through(fir_id=f.pk, legalprovision_id=p.pk) for f, p in sections if p]
    )
    Arrest.objects.bulk_create(arrests)
    Verdict.objects.bulk_create(verdicts)
    work.run.counts["firs"] += len(firs)
    work.run.counts["arrests"] += len(arrests)
    work.run.counts["verdicts"] += len(verdicts)


def _fir(work: CaseWork, case: Case, district: ScaleDistrict, day: dt.date) -> Fir:
    work.fir_number += 1
    return Fir(
        case=case,
        number=f"{work.fir_number}/{day.year}",
        date=day,
        police_station_id=work.rng.choice(district.stations),
        added_by=case.opened_by,
        created_at=case.created_at,
    )


def _verdict(
    rng: random.Random, case: Case, party: Party, provision: LegalProvision, plan: dict[str, Any]
) -> Verdict:
    convicted = plan["status"] == Status.CONVICTED
    return Verdict(
        party=party,
        provision=provision,
        date=plan["verdict"],
        outcome=VERDICTS[plan["status"]],
        prison_months=rng.randint(6, 84) if convicted else None,
        fine_pkr=rng.randint(1, 20) * 50_000 if convicted else None,
        added_by=case.opened_by,
        created_at=case.created_at,
    )


def _link_reports(
    work: CaseWork, batch: list[CaseSpec], rows: list[tuple[Case, dict[str, Any]]]
) -> None:
    """As tip_link does: the report joins the case and is closed as "linked"."""
    linked = []
    for spec, (case, _plan) in zip(batch, rows, strict=True):
        for index in ([spec.tip] if spec.tip >= 0 else []) + spec.more_tips:
            closed = cap(case.created_at + dt.timedelta(hours=1), work.run)
            linked.append(
                Tip(pk=work.tips[index].pk, case=case, status=TipStatus.LINKED, closed_at=closed)
            )
            work.audit.add(
                at=closed, actor=case.opened_by, action=AuditAction.UPDATE,
                object_type="portal.tip", object_id=work.tips[index].pk, reason="status linked",
            )  # fmt: skip
    Tip.objects.bulk_update(linked, ["case", "status", "closed_at"], batch_size=500)
    work.run.counts["linked_reports"] += len(linked)
