"""The decision table (docs/classification.md) as small named rules.

`suggest(answers)` is pure. Every rule reads facts answered **yes**; a fact
that is not known never adds a charge, it can only add a reason to review. So
for charges, "not known" behaves like "no", and the difference shows in the
review list (tested as a property in tests/test_classification_properties.py).

Each charge carries the reasons that triggered it (fact keys, or derived words
such as "child"), so the page can say in words why it is there. Charges are
filtered by the offence date against the shipped catalogue; the service filters
again against the database (`services.classification`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils import timezone

from ahtc.cases.classification.agency import agency_for
from ahtc.cases.classification.facts import ILO_FACTS, STRONG_ILO, Answers
from ahtc.cases.classification.words import (
    Classification,
    Flag,
    Review,
)
from ahtc.cases.legal import shipped_in_force, shipped_is_offence
from ahtc.people.models import Sex

ENGINE_VERSION = "2026-11-28"
PTPA_IN_FORCE = dt.date(2018, 5, 30)

ACTS = (
    "act_recruit",
    "act_harbour",
    "act_transport",
    "act_provide",
    "act_obtain",
    "act_transfer",
    "act_receive",
    "act_attempt",
)
# PTPA s.3: force, fraud or coercion ("coercion" includes threats due to a
# vulnerable position and schemes that make a person fear harm; a debt scheme
# is one). The ILO indicators that are such means count too.
PTPA_MEANS = (
    "means_force",
    "means_fraud",
    "means_coercion",
    "means_vulnerability",
    "means_debt",
    "means_abduction",
    "ilo_violence",
    "ilo_threats",
    "ilo_deception",
)
PURPOSES = ("purpose_labour", "purpose_sex", "purpose_begging")
RESTRAINT = (
    "means_force",
    "means_coercion",
    "ilo_restriction",
    "ilo_violence",
    "ilo_threats",
    "confined",
)
AGGRAVATIONS = ("agg_injury_or_death", "agg_group", "agg_repeat", "documents_retained")
LABOUR_MARKERS = (
    "child_employed",
    "hazardous_work",
    "below_minimum_wage",
    "no_contract",
    "peshgi_above_cap",
)
EMIGRATION = ("emig_money", "emig_false_inducement", "emig_unlicensed", "emig_forged_documents")

# When several rules fire, the first of these gives the classification.
PRIORITY = [7, 1, 2, 18, 4, 6, 8, 5, 13, 9, 14, 12, 11, 10, 15, 16]


@dataclass
class Suggestion:
    rules: list[int]
    classification: str
    provisions: list[str]
    agency: str
    flags: list[str]
    because: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    agency_reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Work:
    """What the rules build up while they run."""

    a: Answers
    fired: list[int] = field(default_factory=list)
    by_rule: dict[int, str] = field(default_factory=dict)
    because: dict[str, list[str]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)

    def fire(self, rule: int, classification: str | None = None) -> None:
        self.fired.append(rule)
        if classification:
            self.by_rule[rule] = classification

    def charge(self, code: str, *reasons: str) -> None:
        into = self.because if shipped_is_offence(code) else self.notes
        bucket = into.setdefault(code, [])
        bucket.extend(r for r in reasons if r not in bucket)

    def note(self, code: str, *reasons: str) -> None:
        bucket = self.notes.setdefault(code, [])
        bucket.extend(r for r in reasons if r not in bucket)

    def flag(self, flag: str) -> None:
        if flag not in self.flags:
            self.flags.append(flag)

    def ask(self, reason: str) -> None:
        if reason not in self.review:
            self.review.append(reason)

    @property
    def trafficking(self) -> bool:
        return any(r in self.fired for r in (1, 2, 4, 18))


def _age_words(a: Answers) -> list[str]:
    if a.age_years is None:
        return ["age_unknown"]
    return ["child"] if a.child else ["adult"]


def _ptpa(w: _Work, *reasons: str) -> None:
    """PTPA s.3(1) for any victim; s.3(2) as well for a woman or child."""
    a = w.a
    w.charge("PTPA-3-1", *reasons)
    if a.child:
        w.charge("PTPA-3-2", "child")
    elif a.woman:
        w.charge("PTPA-3-2", "woman")
    elif a.sex == Sex.TRANSGENDER_FEMININE:
        w.ask(Review.TRANSGENDER)
    elif a.sex in {Sex.UNKNOWN, ""}:
        w.ask(Review.SEX_UNKNOWN)


def rule_1_child(w: _Work) -> None:
    """A child, an act and an exploitative purpose: no means needed (PTPA, child presumption)."""
    a = w.a
    acts, purposes = a.yes(*ACTS), a.yes(*PURPOSES)
    if a.child and acts and purposes:
        w.fire(1, Classification.TRAFFICKING_CHILD)
        _ptpa(w, *acts, *purposes, "child")
        w.note("PTPA-CHILD", "child", *a.yes("consented"))


def rule_2_adult(w: _Work) -> None:
    """An adult needs act, means and purpose (PTPA s.3(1))."""
    a = w.a
    acts, means, purposes = a.yes(*ACTS), a.yes(*PTPA_MEANS), a.yes(*PURPOSES)
    if a.adult and acts and means and purposes:
        w.fire(2, Classification.TRAFFICKING_ADULT)
        _ptpa(w, *acts, *means, *purposes)
    elif a.adult and acts and purposes:
        w.ask(Review.PAYMENT_ONLY if a.yes("means_payment") else Review.MEANS_UNKNOWN)


def rule_18_age_unknown(w: _Work) -> None:
    """Act and purpose with the age not known: trafficking if a means is shown
    (it holds for an adult and a child alike); otherwise review."""
    a = w.a
    acts, means, purposes = a.yes(*ACTS), a.yes(*PTPA_MEANS), a.yes(*PURPOSES)
    if a.age_years is not None or not (acts and purposes):
        return
    if means:
        w.fire(18, Classification.TRAFFICKING_AGE_UNKNOWN)
        _ptpa(w, *acts, *means, *purposes)
        w.ask(Review.AGE_UNKNOWN)
    else:
        w.ask(Review.AGE_UNKNOWN_NO_MEANS)


def rule_4_debt_bondage(w: _Work) -> None:
    """Bonded debt, work to repay it and restraint: debt bondage is compelled
    labour (PTPA s.3) and bonded labour (BLSA ss.11, 12; PPC 374)."""
    a = w.a
    debt = a.yes("bonded_debt", "work_to_repay")
    restraint = a.yes(*RESTRAINT)
    if len(debt) == 2 and restraint:
        by_age = {
            "child": Classification.TRAFFICKING_CHILD,
            "adult": Classification.TRAFFICKING_ADULT,
        }.get(_age_words(a)[0], Classification.TRAFFICKING_AGE_UNKNOWN)
        w.fire(4, by_age)
        _ptpa(w, *debt, *restraint)
        w.charge("BLSA-11", *debt, *restraint)
        w.charge("BLSA-12", *debt)
        w.charge("PPC-374", *debt, *restraint)


def rule_5_bonded_labour(w: _Work) -> None:
    """Bonded debt with work to repay it or nominal wages, no restraint shown."""
    a = w.a
    signs = a.yes("work_to_repay", "below_minimum_wage")
    if a.yes("bonded_debt") and signs and not a.yes(*RESTRAINT):
        w.fire(5, Classification.BONDED_LABOUR)
        w.charge("BLSA-11", "bonded_debt", *signs)
        w.charge("BLSA-12", "bonded_debt", *signs)
        w.flag(Flag.TRAFFICKING_REVIEW)


def rule_3_sale(w: _Work) -> None:
    """Sale or purchase: PPC 371-A/B for sex; PPC 370 (and 371 if habitual) as a slave."""
    a = w.a
    sold = a.yes("sold_or_bought")
    if not sold:
        return
    if w.trafficking and a.yes("purpose_sex"):
        w.fire(3)
        w.charge("PPC-371A", "sold_or_bought", "purpose_sex")
        w.charge("PPC-371B", "sold_or_bought", "purpose_sex")
    labour = a.yes("purpose_labour", "purpose_begging", "bonded_debt")
    if labour:
        w.fire(3)
        w.charge("PPC-370", "sold_or_bought", *labour)
        if a.yes("agg_repeat"):
            w.charge("PPC-371", "sold_or_bought", "agg_repeat")


def rule_trafficking_extras(w: _Work) -> None:
    """What every trafficking finding adds: s.4 aggravation, abetment, the
    victim's protection, and the child-specific PPC sections with their elements."""
    a = w.a
    if not w.trafficking:
        return
    aggravating = a.yes(*AGGRAVATIONS)
    if aggravating:
        w.charge("PTPA-4", *aggravating)
        if aggravating == ["documents_retained"]:
            w.ask(Review.DOCUMENTS_TRAVEL)
    if a.yes("helpers"):
        w.charge("PTPA-5", "helpers", "trafficking")
    if a.yes("consented"):
        w.flag(Flag.CONSENT_IRRELEVANT)
    if a.yes("purpose_begging"):
        w.ask(Review.BEGGING)
    w.note("PTPA-VICTIM", "trafficking")
    w.note("PTPA-COMP", "trafficking")
    w.flag(Flag.VICTIM_NON_PUNISHABLE)
    if a.child and a.yes("purpose_sex", "sold_or_bought", "bonded_debt", "purpose_begging"):
        w.charge(
            "PRECA-SERIOUS",
            "child",
            *a.yes("purpose_sex", "sold_or_bought", "bonded_debt", "purpose_begging"),
        )
    _old_law(w)


def _old_law(w: _Work) -> None:
    """Before the PTPA: the Ordinance of 2002 (only into or out of Pakistan) and
    PPC 369-A (18 March 2016 to 29 May 2018). The date filter keeps what applied."""
    a = w.a
    if a.offence_date is None or a.offence_date >= PTPA_IN_FORCE:
        return
    w.ask(Review.OLD_LAW)
    if a.yes("crossed_border"):
        w.charge("PACHTO-3", "trafficking", "crossed_border", "before_ptpa")
    w.charge("PPC-369A", "trafficking", "before_ptpa")


def rule_girls_and_kidnapping(w: _Work) -> None:
    """PPC 366-A/366-B for girls, 364-A/367-A/367 only with kidnapping and their purpose."""
    a = w.a
    girl = a.woman and a.age_years is not None
    if girl and a.child and a.yes("purpose_sex"):
        w.charge("PPC-366A", "woman", "child", "purpose_sex")
    if girl and a.age_years < 21 and "destination" in a.direction and a.yes("purpose_sex"):  # type: ignore[operator]
        w.charge("PPC-366B", "woman", "under_21", "into_pakistan", "purpose_sex")
    if not a.yes("kidnapped"):
        return
    young = a.age_years is not None and a.age_years < 14
    purposes = a.yes("purpose_sex", "purpose_labour", "purpose_organs", "sold_or_bought")
    if young and purposes:
        w.charge("PPC-364A", "kidnapped", "under_14", *purposes)
        w.flag(Flag.CHECK_ELEMENTS)
    if a.yes("purpose_sex"):
        w.charge("PPC-367A", "kidnapped", "purpose_sex")
        w.flag(Flag.CHECK_ELEMENTS)
        w.ask(Review.LUST_CHECK)
    if a.yes("purpose_organs", "sold_or_bought"):
        w.charge("PPC-367", "kidnapped", *a.yes("purpose_organs", "sold_or_bought"))


def rule_6_7_smuggling(w: _Work) -> None:
    """Smuggling (6), or smuggling that turned into trafficking (7)."""
    a = w.a
    facts = a.yes("crossed_border", "smug_paid_agent")
    if len(facts) < 2:
        return
    context = a.yes("consented", "smug_ended", "travel_happened")
    w.charge("PSMA", *facts, *context)
    w.note("PSMA-MIGRANT", "smug_paid_agent")
    w.flag(Flag.SMUGGLED_MIGRANT)
    if a.yes("emig_forged_documents"):
        w.charge("PSMA-DOCS", "emig_forged_documents")
    if a.yes("agg_injury_or_death"):
        w.charge("PSMA-AGG", "agg_injury_or_death")
    left = a.yes("departed_without_protector") or (
        ["out_of_pakistan"] if "source" in a.direction else []
    )
    if left:
        w.charge("EO-17", "smug_paid_agent", *left)
    if a.value("travel_happened") == "no":
        w.ask(Review.NOT_YET_TRAVELLED)
    if a.direction == {"destination"} and a.nationality == "PK":
        w.ask(Review.PAKISTANI_INTO_PAKISTAN)
    if w.trafficking:
        w.fire(7, Classification.SMUGGLING_TO_TRAFFICKING)
    else:
        w.fire(6, Classification.SMUGGLING)


def rule_exploited_en_route(w: _Work) -> None:
    """'Exploited on the way' alone asserts nothing: it asks how."""
    a = w.a
    if a.yes("exploited_en_route") and not w.trafficking and not a.yes("held_for_ransom"):
        w.ask(Review.EN_ROUTE_VAGUE)


def rule_8_emigration(w: _Work) -> None:
    """Emigration fraud, whether or not the person has travelled: each section
    only with its own element."""
    a = w.a
    markers = a.yes(*EMIGRATION)
    if not markers:
        if a.money_paid_pkr and a.yes("crossed_border") and a.value("emig_money") == "unknown":
            w.ask(Review.MONEY_PAID)
        return
    w.fire(8, Classification.EMIGRATION_FRAUD)
    if a.yes("emig_money"):
        w.charge("EO-22", "emig_money")
    if a.yes("emig_false_inducement"):
        w.charge("EO-18", "emig_false_inducement")
    unlawful = a.yes("emig_unlicensed", "departed_without_protector")
    if unlawful:
        w.charge("EO-17", *unlawful)
    deceit = a.yes("emig_false_inducement", "means_fraud", "ilo_deception")
    if a.yes("emig_money") and deceit:
        w.charge("PPC-420", "emig_money", *deceit)
    if a.yes("emig_forged_documents"):
        w.charge("PPC-468", "emig_forged_documents")
        w.charge("PPC-471", "emig_forged_documents")
    if a.yes("stranded_abroad") and not w.trafficking:
        w.ask(Review.STRANDED)
    if a.value("travel_happened") == "no":
        w.ask(Review.NOT_YET_TRAVELLED)


def rule_9_abduction_of_woman(w: _Work) -> None:
    """A woman abducted or induced to marry or for illicit intercourse: PPC 365-B."""
    a = w.a
    if not a.yes("abducted_for_marriage"):
        return
    w.fire(9, Classification.KIDNAPPING)
    w.flag(Flag.KIDNAPPING_REVIEW)
    if a.woman:
        w.charge("PPC-365B", "abducted_for_marriage", "woman")
    else:
        w.ask(Review.SEX_UNKNOWN)


def rule_13_marriage(w: _Work) -> None:
    """Forced marriage, badal-e-sulh and child marriage (not named in PTPA)."""
    a = w.a
    facts = a.yes("purpose_marriage", "married_as_settlement", "child_marriage")
    if not facts:
        return
    w.fire(13, Classification.FORCED_MARRIAGE)
    w.ask(Review.MARRIAGE_NOT_PTPA)
    if a.yes("purpose_marriage") and a.woman:
        w.charge("PPC-498B", "purpose_marriage", "woman")
    if a.yes("married_as_settlement"):
        w.charge("PPC-310A", "married_as_settlement")
    if a.yes("child_marriage"):
        _child_marriage(w)


def _child_marriage(w: _Work) -> None:
    """Federal text of 1929: a child is a boy under 18 or a girl under 16."""
    a = w.a
    girl = a.woman and a.age_years is not None and a.age_years < 16
    boy = a.sex == Sex.MASCULINE and a.child
    if girl or boy:
        words = ["under_16", "woman"] if girl else ["child", "man"]
        w.charge("CMRA-5", "child_marriage", *words)
        w.charge("CMRA-6", "child_marriage", *words)
    else:
        w.ask(Review.CHILD_MARRIAGE_AGE)


def rule_12_organs(w: _Work) -> None:
    """Organ removal: flagged for review with the provisions that do apply."""
    a = w.a
    facts = a.yes("purpose_organs", "organ_removed")
    if not facts:
        return
    w.fire(12, Classification.NEEDS_REVIEW)
    w.ask(Review.ORGANS)
    w.charge("THOTA", *facts)
    if a.yes("organ_removed"):
        w.charge("PPC-333", "organ_removed")
        w.charge("PPC-334", "organ_removed")


def rule_14_ransom(w: _Work) -> None:
    """Held for ransom (after smuggling or not): PPC 365-A, review for trafficking."""
    a = w.a
    if not a.yes("held_for_ransom"):
        return
    w.fire(14, Classification.KIDNAPPING)
    w.charge("PPC-365A", "held_for_ransom")
    w.flag(Flag.KIDNAPPING_REVIEW)
    if not w.trafficking:
        w.ask(Review.RANSOM_NOT_PTPA)


def rule_15_child_abuse(w: _Work) -> None:
    """Sexual abuse, sexual images and cruelty: only for a child."""
    a = w.a
    facts = a.yes("sexual_abuse", "sexual_images", "child_cruelty")
    if not facts:
        return
    if a.age_years is None:
        w.ask(Review.ABUSE_AGE)
        return
    if not a.child:
        return
    w.fire(15)
    pairs = {
        "sexual_abuse": ("PPC-377A", "PPC-377B"),
        "sexual_images": ("PPC-292B", "PPC-292C"),
        "child_cruelty": ("PPC-328A",),
    }
    for fact in facts:
        for code in pairs[fact]:
            w.charge(code, fact, "child")


def rule_16_penal_code(w: _Work) -> None:
    """Kidnapping, confinement, intimidation and abetment, alongside any classification."""
    a = w.a
    if a.yes("kidnapped"):
        w.fire(16, Classification.KIDNAPPING)
        if a.yes("confined"):
            w.charge("PPC-365", "kidnapped", "confined")
        else:
            w.charge("PPC-363", "kidnapped")
    if a.yes("confined"):
        w.charge("PPC-342", "confined")
    threats = a.yes("ilo_threats", "means_coercion")
    if threats:
        w.charge("PPC-506", *threats)
    if a.yes("helpers"):
        w.charge("PPC-109", "helpers")
        w.charge("PPC-120B", "helpers")


def rule_10_labour(w: _Work) -> None:
    """Labour-law offences, each with its own age (never for adults or for
    16-17-year-olds where the Act says under 14 or 15)."""
    a = w.a
    markers = a.yes(*LABOUR_MARKERS)
    # Employed, or made to work (trafficked for labour, working off a debt).
    working = a.yes("child_employed", "purpose_labour", "work_to_repay")
    if a.yes("child_employed") or (a.child and working):
        _child_labour(w, working)
    if a.yes("at_kiln", "peshgi_above_cap") == ["at_kiln", "peshgi_above_cap"]:
        w.charge("PBKCLA-PESHGI", "at_kiln", "peshgi_above_cap")
    if a.yes("at_kiln", "no_contract") == ["at_kiln", "no_contract"]:
        w.charge("PBKCLA-CONTRACT", "at_kiln", "no_contract")
    if a.yes("below_minimum_wage"):
        w.charge("PMWA", "below_minimum_wage")
    if markers:
        w.fire(10, Classification.LABOUR_VIOLATION)
        if not a.yes(*ILO_FACTS) and len(a.unknown(*ILO_FACTS)) == len(ILO_FACTS):
            w.ask(Review.ILO_UNCHECKED)


def _child_labour(w: _Work, working: list[str]) -> None:
    a = w.a
    if a.age_years is None:
        w.ask(Review.CHILD_LABOUR_AGE)
        return
    if not a.child:
        if a.yes("child_employed"):
            w.ask(Review.CHILD_LABOUR_ADULT)
        return
    if a.age_years < 15:
        w.charge("PRECA-11", *working, "under_15")
    if a.age_years < 14 and a.yes("at_kiln"):
        w.charge("PBKCLA", "at_kiln", "under_14", *working)
    if a.age_years >= 15 and a.yes("hazardous_work"):
        w.charge("PRECA-ADOL", "hazardous_work", "adolescent", *working)


def rule_11_forced_labour(w: _Work) -> None:
    """Two ILO indicators, or one strong one: possible forced labour."""
    a = w.a
    found = a.yes(*ILO_FACTS)
    if len(found) >= 2 or set(found) & STRONG_ILO:
        w.fire(11, Classification.NEEDS_REVIEW)
        w.flag(Flag.POSSIBLE_FORCED_LABOUR)
    elif found and not w.trafficking:
        w.ask(Review.ONE_WEAK_INDICATOR)


RULES: list[Callable[[_Work], None]] = [
    rule_1_child,
    rule_2_adult,
    rule_18_age_unknown,
    rule_4_debt_bondage,
    rule_5_bonded_labour,
    rule_3_sale,
    rule_trafficking_extras,
    rule_girls_and_kidnapping,
    rule_6_7_smuggling,
    rule_exploited_en_route,
    rule_8_emigration,
    rule_9_abduction_of_woman,
    rule_13_marriage,
    rule_12_organs,
    rule_14_ransom,
    rule_15_child_abuse,
    rule_16_penal_code,
    rule_10_labour,
    rule_11_forced_labour,
]


def suggest(a: Answers) -> Suggestion:
    w = _Work(a)
    for rule in RULES:
        rule(w)
    classification = next(
        (w.by_rule[r] for r in PRIORITY if r in w.by_rule), Classification.NEEDS_REVIEW
    )
    if classification == Classification.NEEDS_REVIEW and not w.review:
        w.ask(Review.NOTHING if not a.facts else Review.NO_RULE_FITS)
    if a.age_years is None or a.age_evidence in {"none", "stated"}:
        w.flag(Flag.AGE_UNPROVEN)
    if a.yes("crossed_border") and w.trafficking:
        w.note("PTPA-INV", "crossed_border")
    day = a.offence_date or timezone.localdate()
    because = {c: r for c, r in w.because.items() if shipped_in_force(c, day)}
    agency, agency_reason = agency_for(
        str(classification), border=bool(w.a.yes("crossed_border")), debt_bondage=4 in w.fired
    )
    return Suggestion(
        rules=sorted(set(w.fired)),
        classification=str(classification),
        provisions=list(because),
        agency=str(agency),
        flags=[str(f) for f in w.flags],
        because=because,
        notes=[c for c in w.notes if shipped_in_force(c, day)],
        review=[str(r) for r in w.review],
        agency_reason=str(agency_reason),
    )
