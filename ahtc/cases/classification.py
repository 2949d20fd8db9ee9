"""The classification assistant: DOMAIN.md §2.2 as code.

`suggest(answers)` is a pure function. It returns every rule that fired, one
suggested classification, candidate law sections (codes in the legal
catalogue), the competent agency and review flags. It never decides: the
officer does, and `services.classification_decide` stores the answers, the
rules, the suggestion and the officer's choice with any override reason.

The candidate sections are filtered against the catalogue in force on the
offence date by the caller (`legal.provisions_in_force`), so a section that
was omitted (PPC 369A) is never offered for a later offence.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

ENGINE_VERSION = "2026-11-25"


class Classification(models.TextChoices):
    TRAFFICKING_CHILD = "trafficking_child", _("Trafficking in persons (child)")
    TRAFFICKING_ADULT = "trafficking_adult", _("Trafficking in persons (adult)")
    SMUGGLING = "smuggling", _("Smuggling of migrants")
    SMUGGLING_TO_TRAFFICKING = (
        "smuggling_to_trafficking",
        _("Smuggling that turned into trafficking"),
    )
    EMIGRATION_FRAUD = "emigration_fraud", _("Emigration fraud")
    BONDED_LABOUR = "bonded_labour", _("Bonded labour")
    LABOUR_VIOLATION = "labour_violation", _("Labour-law violation (not trafficking)")
    OTHER = "other", _("Other")


TRAFFICKING = {
    Classification.TRAFFICKING_CHILD,
    Classification.TRAFFICKING_ADULT,
    Classification.SMUGGLING_TO_TRAFFICKING,
}


class Agency(models.TextChoices):
    POLICE = "police", _("Police")
    FIA = "fia", _("FIA")
    LABOUR = "labour", _("Labour Department")
    POLICE_AND_LABOUR = "police_labour", _("Police, with the Labour Department informed")


class Act(models.TextChoices):
    RECRUIT = "recruit", _("recruited")
    HARBOUR = "harbour", _("harboured")
    TRANSPORT = "transport", _("transported")
    PROVIDE = "provide", _("provided")
    OBTAIN = "obtain", _("obtained")
    TRANSFER = "transfer", _("transferred")
    RECEIVE = "receive", _("received")
    ATTEMPT = "attempt", _("attempted one of these")


class Means(models.TextChoices):
    FORCE = "force", _("force")
    FRAUD = "fraud", _("fraud or deception")
    COERCION = "coercion", _("coercion or threats")
    VULNERABILITY = "vulnerability", _("abuse of vulnerability")
    DEBT = "debt", _("a debt scheme")
    PAYMENT = "payment", _("payment to a person in control")


class Purpose(models.TextChoices):
    LABOUR = "labour", _("compelled labour, including debt bondage")
    SEX = "sex", _("commercial sex")
    ORGANS = "organs", _("organ removal")
    MARRIAGE = "marriage", _("forced marriage")
    BEGGING = "begging", _("begging")


class AgeEvidence(models.TextChoices):
    DOCUMENT = "document", _("CNIC, B-form or birth certificate")
    MEDICAL = "medical", _("medical age estimate")
    STATED = "stated", _("stated by the person or family")
    NONE = "none", _("no evidence")


class Smuggling(models.TextChoices):
    CONSENTED = "consented", _("the migrant agreed to the journey")
    PAID_AGENT = "paid_agent", _("paid an agent for irregular entry abroad")
    ENDED = "ended", _("the relationship with the agent ended on arrival")


class Emigration(models.TextChoices):
    MONEY = "money", _("money taken for an overseas job or visa")
    FALSE_INDUCEMENT = "false_inducement", _("false promises to make someone emigrate")
    UNLICENSED = "unlicensed", _("recruiting without an OEP licence")


class LabourMarker(models.TextChoices):
    BELOW_MINIMUM_WAGE = "below_minimum_wage", _("paid below the minimum wage")
    CHILD_EMPLOYED = "child_employed", _("a child or adolescent employed")
    PESHGI_ABOVE_CAP = "peshgi_above_cap", _("peshgi above the Rs 50,000 cap")
    NO_CONTRACT = "no_contract", _("no written contract")


class Aggravation(models.TextChoices):
    INJURY_OR_DEATH = "injury_or_death", _("serious injury, illness or death")
    GROUP = "group", _("an organised group of two or more")
    DOCUMENTS_TAKEN = "documents_taken", _("travel documents taken or destroyed")
    REPEAT = "repeat", _("a repeat offender")


class IloIndicator(models.TextChoices):
    """The ILO's 11 indicators of forced labour (2012)."""

    VULNERABILITY = "vulnerability", _("abuse of vulnerability")
    DECEPTION = "deception", _("deception")
    RESTRICTION = "restriction", _("restriction of movement")
    ISOLATION = "isolation", _("isolation")
    VIOLENCE = "violence", _("physical or sexual violence")
    THREATS = "threats", _("intimidation and threats")
    DOCUMENTS = "documents", _("retention of identity documents")
    WAGES = "wages", _("withholding of wages")
    DEBT_BONDAGE = "debt_bondage", _("debt bondage")
    CONDITIONS = "conditions", _("abusive working and living conditions")
    OVERTIME = "overtime", _("excessive overtime")


# Rule 11: any one of these alone calls for a forced-labour review.
STRONG_ILO = {
    IloIndicator.DEBT_BONDAGE,
    IloIndicator.DOCUMENTS,
    IloIndicator.RESTRICTION,
    IloIndicator.VIOLENCE,
}


class Flag(models.TextChoices):
    POSSIBLE_FORCED_LABOUR = (
        "possible_forced_labour",
        _("Possible forced labour: review before calling it a labour-law violation"),
    )
    TRAFFICKING_REVIEW = (
        "trafficking_review",
        _("Bonded labour: review for trafficking (coercion not yet shown)"),
    )
    KIDNAPPING_REVIEW = "kidnapping_review", _("Kidnapping: review for trafficking")
    AGE_UNPROVEN = (
        "age_unproven",
        _("Age is unknown or has no documentary or medical evidence: child and adult rules differ"),
    )
    VICTIM_NON_PUNISHABLE = (
        "victim_non_punishable",
        _("The victim is not criminally liable and must not be charged"),
    )
    SMUGGLED_MIGRANT = (
        "smuggled_migrant",
        _("The migrant is not an offender for having been smuggled"),
    )
    CHECK_ELEMENTS = (
        "check_elements",
        _("Check the elements of PPC 364A (victim under 14) before adding it"),
    )


@dataclass
class Answers:
    acts: set[str] = field(default_factory=set)
    means: set[str] = field(default_factory=set)
    purposes: set[str] = field(default_factory=set)
    age_years: int | None = None
    age_evidence: str = AgeEvidence.NONE
    woman: bool = False
    crossed_border: bool = False
    smuggling: set[str] = field(default_factory=set)
    exploitation_en_route: bool = False
    emigration: set[str] = field(default_factory=set)
    departed_without_protector: bool = False
    labour: set[str] = field(default_factory=set)
    at_kiln: bool = False
    bonded_debt: bool = False
    work_to_repay: bool = False
    sale_or_purchase: bool = False
    abducted_for_marriage: bool = False
    aggravations: set[str] = field(default_factory=set)
    ilo: set[str] = field(default_factory=set)
    victim_consented: bool = False

    @property
    def child(self) -> bool:
        return self.age_years is not None and self.age_years < 18

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        return {k: sorted(v) if isinstance(v, set) else v for k, v in data.items()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Answers:
        known = set(cls.__dataclass_fields__)
        values: dict[str, Any] = {
            k: set(v) if isinstance(v, list) else v for k, v in data.items() if k in known
        }
        return cls(**values)


@dataclass
class Suggestion:
    rules: list[int]
    classification: str
    provisions: list[str]
    agency: str
    flags: list[str]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# When several rules fire, the first of these gives the classification.
PRIORITY = [7, 1, 2, 4, 6, 8, 5, 9, 10]


def _add(codes: list[str], *new: str) -> None:
    for code in new:
        if code not in codes:
            codes.append(code)


def suggest(a: Answers) -> Suggestion:
    fired: list[int] = []
    codes: list[str] = []
    flags: list[str] = []
    exploitative = bool(a.purposes & {Purpose.LABOUR, Purpose.SEX})
    restraint = bool(
        a.ilo & {IloIndicator.RESTRICTION, IloIndicator.VIOLENCE, IloIndicator.THREATS}
    ) or bool(a.means & {Means.FORCE, Means.COERCION})
    aggravated = bool(a.aggravations)
    by_classification: dict[int, str] = {}

    def ptpa_for_victim() -> None:
        _add(codes, "PTPA-3-2" if (a.child or a.woman) else "PTPA-3-1")
        if aggravated:
            _add(codes, "PTPA-4")

    # Rule 1: a child, an act, an exploitative purpose; no means needed.
    if a.child and a.acts and exploitative:
        fired.append(1)
        by_classification[1] = Classification.TRAFFICKING_CHILD
        ptpa_for_victim()
        _add(codes, "PTPA-CHILD")
        if a.woman and Purpose.SEX in a.purposes:
            _add(codes, "PPC-366A")
        if a.age_years is not None and a.age_years < 14:
            _add(codes, "PPC-364A")
            flags.append(Flag.CHECK_ELEMENTS)
        if Purpose.SEX in a.purposes:
            _add(codes, "PPC-367A")
        if Purpose.LABOUR in a.purposes:
            _add(codes, "PRECA-11")
            if a.at_kiln:
                _add(codes, "PBKCLA")
    # Rule 2: an adult needs act, means and purpose.
    if not a.child and a.acts and a.means and exploitative:
        fired.append(2)
        by_classification[2] = Classification.TRAFFICKING_ADULT
        ptpa_for_victim()
    # Rule 3: sale, purchase or hire for sex adds PPC 371A/371B.
    if (1 in fired or 2 in fired) and Purpose.SEX in a.purposes and a.sale_or_purchase:
        fired.append(3)
        _add(codes, "PPC-371A", "PPC-371B")
    # Rule 4: bonded debt, work to repay it, and restraint: trafficking and bonded labour.
    if a.bonded_debt and a.work_to_repay and restraint:
        fired.append(4)
        by_classification[4] = (
            Classification.TRAFFICKING_CHILD if a.child else Classification.TRAFFICKING_ADULT
        )
        ptpa_for_victim()
        _add(codes, "BLSA-11", "BLSA-12", "PPC-374")
        if a.sale_or_purchase:
            _add(codes, "PPC-370", "PPC-371")
    # Rule 5: bonded debt and nominal wages, no coercion yet shown.
    if (
        a.bonded_debt
        and LabourMarker.BELOW_MINIMUM_WAGE in a.labour
        and not restraint
        and 4 not in fired
    ):
        fired.append(5)
        by_classification[5] = Classification.BONDED_LABOUR
        _add(codes, "BLSA-11", "BLSA-12")
        flags.append(Flag.TRAFFICKING_REVIEW)
    # Rules 6 and 7: smuggling, and smuggling that turned into trafficking.
    smuggling_facts = bool(a.smuggling) and a.crossed_border
    if smuggling_facts and not a.exploitation_en_route:
        fired.append(6)
        by_classification[6] = Classification.SMUGGLING
        _add(codes, "PSMA", "EO-17")
        flags.append(Flag.SMUGGLED_MIGRANT)
    if smuggling_facts and a.exploitation_en_route:
        fired.append(7)
        by_classification[7] = Classification.SMUGGLING_TO_TRAFFICKING
        ptpa_for_victim()
        if Aggravation.DOCUMENTS_TAKEN in a.aggravations:
            _add(codes, "PTPA-4")
        _add(codes, "PSMA")
        flags.append(Flag.SMUGGLED_MIGRANT)
    # Rule 8: emigration fraud before anyone moved (or left without the Protector).
    if a.emigration and (not a.crossed_border or a.departed_without_protector):
        fired.append(8)
        by_classification[8] = Classification.EMIGRATION_FRAUD
        _add(codes, "EO-17", "EO-18", "EO-22")
    # Rule 9: a woman abducted or induced to marry or for illicit intercourse.
    if a.abducted_for_marriage:
        fired.append(9)
        by_classification[9] = Classification.OTHER
        _add(codes, "PPC-365B")
        if Purpose.SEX in a.purposes:
            _add(codes, "PTPA-3-2")
        flags.append(Flag.KIDNAPPING_REVIEW)
    # Rule 10: labour markers only, no ILO indicator, no means.
    if a.labour and not a.ilo and not a.means:
        fired.append(10)
        by_classification[10] = Classification.LABOUR_VIOLATION
        _add(codes, "PRECA-11")
        if a.at_kiln:
            _add(codes, "PBKCLA")
        if a.bonded_debt:
            _add(codes, "BLSA-11", "BLSA-12")
    # Rule 11: forced-labour indicators call for review before rule 10.
    if len(a.ilo) >= 2 or a.ilo & STRONG_ILO:
        fired.append(11)
        flags.append(Flag.POSSIBLE_FORCED_LABOUR)

    classification = next(
        (by_classification[r] for r in PRIORITY if r in by_classification), Classification.OTHER
    )
    if a.age_years is None or a.age_evidence in {AgeEvidence.NONE, AgeEvidence.STATED}:
        flags.append(Flag.AGE_UNPROVEN)
    if classification in TRAFFICKING:
        flags.append(Flag.VICTIM_NON_PUNISHABLE)
        _add(codes, "PTPA-VICTIM")
    agency = _agency(classification, a, fired)
    # Guard rail: PPC 369A was omitted in 2018 and is never suggested.
    codes = [c for c in codes if c != "PPC-369A"]
    return Suggestion(
        rules=sorted(set(fired)),
        classification=str(classification),
        provisions=codes,
        agency=str(agency),
        flags=list(dict.fromkeys(str(f) for f in flags)),
    )


def _agency(classification: str, a: Answers, fired: list[int]) -> Agency:
    if classification in {
        Classification.SMUGGLING,
        Classification.SMUGGLING_TO_TRAFFICKING,
        Classification.EMIGRATION_FRAUD,
    }:
        return Agency.FIA
    if classification in TRAFFICKING:
        if a.crossed_border:
            return Agency.FIA
        return Agency.POLICE_AND_LABOUR if 4 in fired else Agency.POLICE
    if classification == Classification.BONDED_LABOUR:
        return Agency.POLICE_AND_LABOUR
    if classification == Classification.LABOUR_VIOLATION:
        return Agency.LABOUR
    return Agency.POLICE
