"""The classification assistant, second version (issue 12): the decision table
as fact patterns written from the statutes, two or more on each side of every
boundary. Sources per rule: docs/classification.md."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import pytest

from ahtc.cases.classification import (
    FACT_KEYS,
    Agency,
    AgencyReason,
    Answers,
    Classification,
    Flag,
    Review,
    Suggestion,
    answers,
    legacy_answers,
    legacy_to_v2,
    suggest,
)

C = Classification
DOC: dict[str, Any] = {"age_evidence": "document"}
MAN: dict[str, Any] = {"sex": "masculine", **DOC}
WOMAN: dict[str, Any] = {"sex": "feminine", **DOC}
AFTER = dt.date(2024, 3, 1)


def man(age: int, *yes: str, **values: Any) -> Answers:
    return answers(
        *yes, age_years=age, offence_date=values.pop("offence_date", AFTER), **{**MAN, **values}
    )


def woman(age: int, *yes: str, **values: Any) -> Answers:
    return answers(
        *yes, age_years=age, offence_date=values.pop("offence_date", AFTER), **{**WOMAN, **values}
    )


LABOUR_TRAFFICKING = ("act_recruit", "means_fraud", "purpose_labour")
SMUGGLED = ("crossed_border", "smug_paid_agent", "consented")
KILN = ("bonded_debt", "work_to_repay", "at_kiln")


@dataclass
class Case:
    answers: Answers
    classification: str
    has: tuple[str, ...] = ()
    lacks: tuple[str, ...] = ()
    review: tuple[str, ...] = ()
    agency: str | None = None
    flags: tuple[str, ...] = field(default_factory=tuple)


TABLE: dict[str, Case] = {
    # --- rule 1 / rule 2: child needs no means, adult does (PTPA s.3; child presumption)
    "child 12 recruited for labour, no means": Case(
        man(12, "act_recruit", "purpose_labour"),
        C.TRAFFICKING_CHILD,
        ("PTPA-3-1", "PTPA-3-2", "PRECA-11"),
        agency=Agency.POLICE,
    ),
    "child 17 transported for sex, no means": Case(
        woman(17, "act_transport", "purpose_sex"),
        C.TRAFFICKING_CHILD,
        ("PTPA-3-1", "PTPA-3-2", "PPC-366A"),
        ("PRECA-11",),
    ),
    "adult 18 transported for sex, no means: review": Case(
        woman(18, "act_transport", "purpose_sex"),
        C.NEEDS_REVIEW,
        (),
        ("PTPA-3-1", "PPC-366A"),
        (Review.MEANS_UNKNOWN,),
    ),
    "adult 19 recruited for labour, no means: review": Case(
        man(19, "act_recruit", "purpose_labour"),
        C.NEEDS_REVIEW,
        (),
        ("PTPA-3-1",),
        (Review.MEANS_UNKNOWN,),
    ),
    "adult man recruited by fraud for labour": Case(
        man(30, *LABOUR_TRAFFICKING),
        C.TRAFFICKING_ADULT,
        ("PTPA-3-1",),
        ("PTPA-3-2", "PRECA-11"),
        agency=Agency.POLICE,
    ),
    "adult woman recruited by fraud for labour gets s.3(2)": Case(
        woman(30, *LABOUR_TRAFFICKING), C.TRAFFICKING_ADULT, ("PTPA-3-1", "PTPA-3-2")
    ),
    "adult, sex not recorded: s.3(1) and a review": Case(
        answers(*LABOUR_TRAFFICKING, age_years=30, **DOC),
        C.TRAFFICKING_ADULT,
        ("PTPA-3-1",),
        ("PTPA-3-2",),
        (Review.SEX_UNKNOWN,),
    ),
    "transgender woman: review for s.3(2)": Case(
        answers(*LABOUR_TRAFFICKING, age_years=25, sex="transgender_feminine", **DOC),
        C.TRAFFICKING_ADULT,
        ("PTPA-3-1",),
        ("PTPA-3-2",),
        (Review.TRANSGENDER,),
    ),
    "adult, payment to controller only: review": Case(
        man(30, "act_recruit", "means_payment", "purpose_labour"),
        C.NEEDS_REVIEW,
        (),
        ("PTPA-3-1",),
        (Review.PAYMENT_ONLY,),
    ),
    "adult, threats (ILO) count as coercion": Case(
        man(30, "act_harbour", "purpose_labour", "ilo_threats"),
        C.TRAFFICKING_ADULT,
        ("PTPA-3-1", "PPC-506"),
    ),
    # --- age not known
    "age unknown, means shown: trafficking, age not established": Case(
        answers(*LABOUR_TRAFFICKING, sex="masculine"),
        C.TRAFFICKING_AGE_UNKNOWN,
        ("PTPA-3-1",),
        ("PTPA-3-2", "PRECA-11"),
        (Review.AGE_UNKNOWN,),
    ),
    "age unknown, no means: review, no charge": Case(
        answers("act_recruit", "purpose_labour", sex="masculine"),
        C.NEEDS_REVIEW,
        (),
        ("PTPA-3-1",),
        (Review.AGE_UNKNOWN_NO_MEANS,),
    ),
    # --- consent of a child; consent of an adult
    "child 15 who agreed is still trafficked": Case(
        woman(15, "act_recruit", "purpose_sex", "consented"),
        C.TRAFFICKING_CHILD,
        ("PTPA-3-2",),
        flags=(Flag.CONSENT_IRRELEVANT,),
    ),
    "child 16 who agreed, for labour": Case(
        man(16, "act_recruit", "purpose_labour", "consented"),
        C.TRAFFICKING_CHILD,
        ("PTPA-3-2",),
        ("PRECA-11",),
        flags=(Flag.CONSENT_IRRELEVANT,),
    ),
    "adult who agreed, fraud used: consent does not decide": Case(
        man(28, *LABOUR_TRAFFICKING, "consented"),
        C.TRAFFICKING_ADULT,
        ("PTPA-3-1",),
        flags=(Flag.CONSENT_IRRELEVANT,),
    ),
    "adult who agreed, no means: not trafficking": Case(
        man(28, "act_recruit", "purpose_labour", "consented"), C.NEEDS_REVIEW, (), ("PTPA-3-1",)
    ),
    # --- documents retained: ILO indicator and PTPA s.4
    "trafficking with documents retained adds s.4": Case(
        man(30, *LABOUR_TRAFFICKING, "documents_retained"),
        C.TRAFFICKING_ADULT,
        ("PTPA-4",),
        review=(Review.DOCUMENTS_TRAVEL,),
    ),
    "trafficking by an organised group adds s.4": Case(
        man(30, *LABOUR_TRAFFICKING, "agg_group"), C.TRAFFICKING_ADULT, ("PTPA-4",)
    ),
    "trafficking without aggravation: no s.4": Case(
        man(30, *LABOUR_TRAFFICKING), C.TRAFFICKING_ADULT, (), ("PTPA-4",)
    ),
    "documents retained at work, no act: possible forced labour": Case(
        man(30, "no_contract", "documents_retained"),
        C.NEEDS_REVIEW,
        (),
        ("PTPA-4", "PTPA-3-1"),
        flags=(Flag.POSSIBLE_FORCED_LABOUR,),
    ),
    # --- ILO: one weak indicator vs two vs one strong
    "labour marker with one weak indicator: violation, review": Case(
        man(30, "no_contract", "ilo_overtime"),
        C.LABOUR_VIOLATION,
        (),
        review=(Review.ONE_WEAK_INDICATOR,),
        agency=Agency.LABOUR,
    ),
    "working child 12 with one weak indicator: child-labour offence": Case(
        man(12, "child_employed", "ilo_conditions"),
        C.LABOUR_VIOLATION,
        ("PRECA-11",),
        review=(Review.ONE_WEAK_INDICATOR,),
    ),
    "labour marker with two weak indicators: possible forced labour": Case(
        man(30, "no_contract", "ilo_overtime", "ilo_isolation"),
        C.NEEDS_REVIEW,
        flags=(Flag.POSSIBLE_FORCED_LABOUR,),
    ),
    "working child 12 with two indicators: review, charge kept": Case(
        man(12, "child_employed", "ilo_conditions", "ilo_wages"),
        C.NEEDS_REVIEW,
        ("PRECA-11",),
        flags=(Flag.POSSIBLE_FORCED_LABOUR,),
    ),
    "labour marker with restriction of movement (strong)": Case(
        man(30, "below_minimum_wage", "ilo_restriction"),
        C.NEEDS_REVIEW,
        ("PMWA",),
        flags=(Flag.POSSIBLE_FORCED_LABOUR,),
    ),
    "labour marker, indicators all not known: violation, ask": Case(
        man(30, "below_minimum_wage"), C.LABOUR_VIOLATION, ("PMWA",), review=(Review.ILO_UNCHECKED,)
    ),
    # --- child-labour ages (never for adults; kiln under 14; PRECA under 15; 15-17 hazardous)
    "child 13 at a kiln": Case(
        man(13, "child_employed", "at_kiln"), C.LABOUR_VIOLATION, ("PRECA-11", "PBKCLA")
    ),
    "child 14 at a kiln: PRECA only": Case(
        man(14, "child_employed", "at_kiln"), C.LABOUR_VIOLATION, ("PRECA-11",), ("PBKCLA",)
    ),
    "adolescent 15 in hazardous work": Case(
        man(15, "child_employed", "hazardous_work"),
        C.LABOUR_VIOLATION,
        ("PRECA-ADOL",),
        ("PRECA-11",),
    ),
    "adolescent 16 not in hazardous work: no child-labour charge": Case(
        man(16, "child_employed"), C.LABOUR_VIOLATION, (), ("PRECA-11", "PRECA-ADOL", "PBKCLA")
    ),
    "adolescent 17 at a kiln: no kiln child offence": Case(
        man(17, "child_employed", "at_kiln", "no_contract"),
        C.LABOUR_VIOLATION,
        ("PBKCLA-CONTRACT",),
        ("PBKCLA", "PRECA-11"),
    ),
    "adult 18 marked child employed: review": Case(
        man(18, "child_employed"),
        C.LABOUR_VIOLATION,
        (),
        ("PRECA-11", "PRECA-ADOL"),
        (Review.CHILD_LABOUR_ADULT,),
    ),
    "adult 40 at a kiln: never a child-labour offence": Case(
        man(40, "at_kiln", "peshgi_above_cap"),
        C.LABOUR_VIOLATION,
        ("PBKCLA-PESHGI",),
        ("PRECA-11", "PBKCLA"),
    ),
    "child employed, age not known: review": Case(
        answers("child_employed"),
        C.LABOUR_VIOLATION,
        (),
        ("PRECA-11", "PBKCLA"),
        (Review.CHILD_LABOUR_AGE,),
    ),
    # --- debt bondage (rule 4) vs bonded labour (rule 5)
    "kiln debt with restriction: trafficking and bonded labour": Case(
        man(40, *KILN, "ilo_restriction"),
        C.TRAFFICKING_ADULT,
        ("PTPA-3-1", "BLSA-11", "BLSA-12", "PPC-374"),
        agency=Agency.POLICE_AND_LABOUR,
    ),
    "kiln debt with confinement": Case(
        man(40, *KILN, "confined"), C.TRAFFICKING_ADULT, ("BLSA-11", "PPC-342")
    ),
    "kiln debt, no restraint: bonded labour": Case(
        man(40, *KILN),
        C.BONDED_LABOUR,
        ("BLSA-11", "BLSA-12"),
        ("PTPA-3-1",),
        agency=Agency.POLICE_AND_LABOUR,
        flags=(Flag.TRAFFICKING_REVIEW,),
    ),
    "debt and nominal wages, no restraint: bonded labour": Case(
        man(35, "bonded_debt", "below_minimum_wage"),
        C.BONDED_LABOUR,
        ("BLSA-11", "PMWA"),
        ("PTPA-3-1",),
    ),
    "child 11 in debt bondage with threats": Case(
        man(11, *KILN, "ilo_threats"),
        C.TRAFFICKING_CHILD,
        ("PTPA-3-2", "BLSA-11", "PRECA-SERIOUS", "PBKCLA"),
    ),
    # --- smuggling; smuggling turned trafficking; ransom after smuggling
    "smuggled adult, journey done": Case(
        man(24, *SMUGGLED, "travel_happened", "departed_without_protector"),
        C.SMUGGLING,
        ("PSMA", "EO-17"),
        ("PTPA-3-1",),
        agency=Agency.FIA,
        flags=(Flag.SMUGGLED_MIGRANT,),
    ),
    "smuggled adult, journey not yet made": Case(
        man(24, *SMUGGLED, no=("travel_happened",)),
        C.SMUGGLING,
        ("PSMA",),
        ("EO-17",),
        (Review.NOT_YET_TRAVELLED,),
    ),
    "no border crossed: no smuggling": Case(
        man(24, "smug_paid_agent", "consented"), C.NEEDS_REVIEW, (), ("PSMA",)
    ),
    "exploited on the way, nothing more: smuggling, ask how": Case(
        man(24, *SMUGGLED, "exploited_en_route"),
        C.SMUGGLING,
        ("PSMA",),
        ("PTPA-3-1", "PTPA-4"),
        (Review.EN_ROUTE_VAGUE,),
    ),
    "exploited on the way, no smuggling facts: nothing asserted": Case(
        man(24, "exploited_en_route"), C.NEEDS_REVIEW, (), ("PTPA-3-1",), (Review.EN_ROUTE_VAGUE,)
    ),
    "ransom after smuggling: kidnapping for ransom, not PTPA": Case(
        man(24, *SMUGGLED, "held_for_ransom"),
        C.SMUGGLING,
        ("PSMA", "PPC-365A"),
        ("PTPA-3-1",),
        (Review.RANSOM_NOT_PTPA,),
        Agency.FIA,
    ),
    "ransom with forced work after smuggling: turned trafficking": Case(
        man(24, *SMUGGLED, "held_for_ransom", "act_harbour", "means_force", "purpose_labour"),
        C.SMUGGLING_TO_TRAFFICKING,
        ("PSMA", "PPC-365A", "PTPA-3-1"),
    ),
    "forced work at the destination after smuggling": Case(
        man(24, *SMUGGLED, "act_receive", "means_coercion", "purpose_labour", "documents_retained"),
        C.SMUGGLING_TO_TRAFFICKING,
        ("PSMA", "PTPA-3-1", "PTPA-4"),
        agency=Agency.FIA,
    ),
    "ransom at home, no smuggling": Case(
        man(30, "held_for_ransom", "kidnapped"),
        C.KIDNAPPING,
        ("PPC-365A", "PPC-363"),
        agency=Agency.POLICE,
    ),
    # --- emigration fraud: travel happened or not, each section with its element
    "visa money before travel": Case(
        man(30, "emig_money", no=("travel_happened",)),
        C.EMIGRATION_FRAUD,
        ("EO-22",),
        ("EO-18", "EO-17", "PPC-420"),
        (Review.NOT_YET_TRAVELLED,),
        Agency.FIA,
    ),
    "visa money and false promises before travel": Case(
        man(30, "emig_money", "emig_false_inducement", "crossed_border", no=("travel_happened",)),
        C.EMIGRATION_FRAUD,
        ("EO-22", "EO-18", "PPC-420"),
    ),
    "visa fraud, travelled and stranded abroad": Case(
        man(
            30,
            "emig_money",
            "emig_false_inducement",
            "crossed_border",
            "travel_happened",
            "stranded_abroad",
        ),
        C.EMIGRATION_FRAUD,
        ("EO-22", "EO-18"),
        review=(Review.STRANDED,),
    ),
    "unlicensed recruiter only": Case(
        man(30, "emig_unlicensed"), C.EMIGRATION_FRAUD, ("EO-17",), ("EO-18", "EO-22")
    ),
    "forged visa": Case(
        man(30, "emig_money", "emig_forged_documents"),
        C.EMIGRATION_FRAUD,
        ("PPC-468", "PPC-471", "EO-22"),
    ),
    "no inducement: no s.18": Case(
        man(30, "emig_money", "emig_unlicensed"), C.EMIGRATION_FRAUD, ("EO-22", "EO-17"), ("EO-18",)
    ),
    # --- sale
    "woman sold for sex by fraud": Case(
        woman(25, "act_transfer", "means_fraud", "purpose_sex", "sold_or_bought"),
        C.TRAFFICKING_ADULT,
        ("PPC-371A", "PPC-371B", "PTPA-3-2"),
    ),
    "man sold for labour": Case(
        man(30, *LABOUR_TRAFFICKING, "sold_or_bought"),
        C.TRAFFICKING_ADULT,
        ("PPC-370",),
        ("PPC-371A", "PPC-371"),
    ),
    # --- PPC 364-A / 367-A only with their elements
    "child 12 for sex, not kidnapped: no 364-A or 367-A": Case(
        woman(12, "act_recruit", "purpose_sex"),
        C.TRAFFICKING_CHILD,
        ("PPC-366A",),
        ("PPC-364A", "PPC-367A"),
    ),
    "child 12 kidnapped for sex: 364-A and 367-A to check": Case(
        woman(12, "act_recruit", "purpose_sex", "kidnapped"),
        C.TRAFFICKING_CHILD,
        ("PPC-364A", "PPC-367A"),
        review=(Review.LUST_CHECK,),
        flags=(Flag.CHECK_ELEMENTS,),
    ),
    "child 14 kidnapped for labour: no 364-A": Case(
        man(14, "act_recruit", "purpose_labour", "kidnapped"),
        C.TRAFFICKING_CHILD,
        ("PPC-363",),
        ("PPC-364A", "PPC-367A"),
    ),
    "girl 19 brought into Pakistan for sex by force: 366-B": Case(
        woman(
            19,
            "act_transport",
            "means_force",
            "purpose_sex",
            "crossed_border",
            direction={"destination"},
        ),
        C.TRAFFICKING_ADULT,
        ("PPC-366B",),
        ("PPC-366A",),
        agency=Agency.FIA,
    ),
    # --- organ removal
    "organ removed after recruitment by fraud": Case(
        man(30, "act_recruit", "means_fraud", "purpose_organs", "organ_removed"),
        C.NEEDS_REVIEW,
        ("THOTA", "PPC-333", "PPC-334"),
        ("PTPA-3-1",),
        (Review.ORGANS,),
    ),
    "recruited for organs, not yet removed": Case(
        man(30, "act_recruit", "purpose_organs"),
        C.NEEDS_REVIEW,
        ("THOTA",),
        ("PPC-334", "PTPA-3-1"),
        (Review.ORGANS,),
    ),
    "child kidnapped for organs": Case(
        man(12, "kidnapped", "purpose_organs"),
        C.NEEDS_REVIEW,
        ("THOTA", "PPC-367", "PPC-364A"),
        review=(Review.ORGANS,),
    ),
    # --- forced marriage, badal-e-sulh, child marriage
    "woman compelled to marry, no abduction box": Case(
        woman(22, "purpose_marriage", "means_coercion"),
        C.FORCED_MARRIAGE,
        ("PPC-498B",),
        ("PTPA-3-1",),
        (Review.MARRIAGE_NOT_PTPA,),
        Agency.POLICE,
    ),
    "woman abducted to marry": Case(
        woman(22, "abducted_for_marriage", "purpose_marriage"),
        C.FORCED_MARRIAGE,
        ("PPC-365B", "PPC-498B"),
        flags=(Flag.KIDNAPPING_REVIEW,),
    ),
    "girl given in badal-e-sulh": Case(
        woman(15, "married_as_settlement"), C.FORCED_MARRIAGE, ("PPC-310A",), ("PPC-498B",)
    ),
    "girl 15 married: child marriage": Case(
        woman(15, "child_marriage"), C.FORCED_MARRIAGE, ("CMRA-5", "CMRA-6")
    ),
    "girl 17 married: age decides, review": Case(
        woman(17, "child_marriage"),
        C.FORCED_MARRIAGE,
        (),
        ("CMRA-5",),
        (Review.CHILD_MARRIAGE_AGE,),
    ),
    "woman abducted for illicit intercourse, sold for sex by force": Case(
        woman(25, "abducted_for_marriage", "act_transport", "means_force", "purpose_sex"),
        C.TRAFFICKING_ADULT,
        ("PPC-365B", "PTPA-3-2"),
    ),
    # --- begging
    "child 9 made to beg": Case(
        man(9, "act_obtain", "purpose_begging"),
        C.TRAFFICKING_CHILD,
        ("PTPA-3-2", "PRECA-SERIOUS"),
        review=(Review.BEGGING,),
    ),
    "adult made to beg by force": Case(
        man(40, "act_harbour", "means_force", "purpose_begging"),
        C.TRAFFICKING_ADULT,
        ("PTPA-3-1",),
        review=(Review.BEGGING,),
    ),
    "adult begging, no means: review": Case(
        man(40, "act_harbour", "purpose_begging"),
        C.NEEDS_REVIEW,
        (),
        ("PTPA-3-1",),
        (Review.MEANS_UNKNOWN,),
    ),
    # --- child abuse
    "child 13 sexually abused": Case(
        man(13, "sexual_abuse"), C.NEEDS_REVIEW, ("PPC-377A", "PPC-377B"), ("PTPA-3-1",)
    ),
    "adult: no child-abuse section": Case(
        man(20, "sexual_abuse"), C.NEEDS_REVIEW, (), ("PPC-377A",)
    ),
    # --- offence dates either side of the Acts
    "child trafficked abroad in 2017: Ordinance and 369-A": Case(
        man(
            12,
            "act_transport",
            "purpose_labour",
            "crossed_border",
            offence_date=dt.date(2017, 5, 1),
        ),
        C.TRAFFICKING_CHILD,
        ("PACHTO-3", "PPC-369A"),
        ("PTPA-3-1", "PTPA-3-2"),
        (Review.OLD_LAW,),
    ),
    "adult trafficked on 29 May 2018: 369-A, no PTPA": Case(
        man(30, *LABOUR_TRAFFICKING, offence_date=dt.date(2018, 5, 29)),
        C.TRAFFICKING_ADULT,
        ("PPC-369A",),
        ("PTPA-3-1", "PACHTO-3"),
    ),
    "adult trafficked on 30 May 2018: PTPA, no 369-A": Case(
        man(30, *LABOUR_TRAFFICKING, offence_date=dt.date(2018, 5, 30)),
        C.TRAFFICKING_ADULT,
        ("PTPA-3-1",),
        ("PPC-369A", "PACHTO-3"),
    ),
    "adult trafficked in 2015 inside Pakistan: neither 369-A nor the Ordinance": Case(
        man(30, *LABOUR_TRAFFICKING, offence_date=dt.date(2015, 1, 1)),
        C.TRAFFICKING_ADULT,
        (),
        ("PPC-369A", "PACHTO-3", "PTPA-3-1"),
        (Review.OLD_LAW,),
    ),
    "forced marriage in 2011 before 498-B": Case(
        woman(22, "purpose_marriage", offence_date=dt.date(2011, 12, 25)),
        C.FORCED_MARRIAGE,
        (),
        ("PPC-498B",),
    ),
    "forced marriage on 26 December 2011": Case(
        woman(22, "purpose_marriage", offence_date=dt.date(2011, 12, 26)),
        C.FORCED_MARRIAGE,
        ("PPC-498B",),
    ),
    "child abuse in 2015 before 377-A": Case(
        man(13, "sexual_abuse", offence_date=dt.date(2015, 6, 1)), C.NEEDS_REVIEW, (), ("PPC-377A",)
    ),
    "child abuse in 2017 after 377-A": Case(
        man(13, "sexual_abuse", offence_date=dt.date(2017, 6, 1)), C.NEEDS_REVIEW, ("PPC-377A",)
    ),
    "smuggling in April 2018, before PSMA": Case(
        man(24, *SMUGGLED, offence_date=dt.date(2018, 4, 1)), C.SMUGGLING, (), ("PSMA",)
    ),
    "smuggling in June 2018, after PSMA": Case(
        man(24, *SMUGGLED, offence_date=dt.date(2018, 6, 15)), C.SMUGGLING, ("PSMA",)
    ),
    # --- nothing fits
    "nothing answered": Case(answers(), C.NEEDS_REVIEW, review=(Review.NOTHING,)),
    "only a nationality": Case(answers(nationality="AF"), C.NEEDS_REVIEW, review=(Review.NOTHING,)),
}


def test_the_table_is_large_enough() -> None:
    assert len(TABLE) >= 60


@pytest.mark.parametrize("name", sorted(TABLE))
def test_fact_pattern(name: str) -> None:
    case = TABLE[name]
    s = suggest(case.answers)
    assert s.classification == case.classification, (s.classification, s.review)
    assert set(case.has) <= set(s.provisions), s.provisions
    assert not set(case.lacks) & set(s.provisions), s.provisions
    assert set(case.review) <= set(s.review), s.review
    assert set(case.flags) <= set(s.flags), s.flags
    if case.agency is not None:
        assert s.agency == case.agency


@pytest.mark.parametrize("name", sorted(TABLE))
def test_every_section_says_why(name: str) -> None:
    s = suggest(TABLE[name].answers)
    assert set(s.because) == set(s.provisions)
    assert all(s.because[c] for c in s.provisions)
    assert s.agency_reason in AgencyReason.values


@pytest.mark.parametrize("name", sorted(TABLE))
def test_no_rule_fits_is_never_silent(name: str) -> None:
    s = suggest(TABLE[name].answers)
    assert s.classification != C.OTHER
    if s.classification == C.NEEDS_REVIEW:
        assert s.review or Flag.POSSIBLE_FORCED_LABOUR in s.flags


def test_explanation_names_the_facts() -> None:
    s = suggest(man(12, "act_recruit", "purpose_labour", "at_kiln", "child_employed"))
    assert s.because["PTPA-3-1"] == ["act_recruit", "purpose_labour", "child"]
    assert s.because["PBKCLA"][:2] == ["at_kiln", "under_14"]
    assert s.agency_reason == AgencyReason.POLICE_PTPA


def test_border_makes_trafficking_fia_with_its_reason() -> None:
    s = suggest(man(30, *LABOUR_TRAFFICKING, "crossed_border"))
    assert (s.agency, s.agency_reason) == (Agency.FIA, AgencyReason.FIA_BORDER)
    assert "PTPA-INV" in s.notes


def test_provisions_that_are_not_offences_are_notes_never_charges() -> None:
    s = suggest(woman(15, "act_recruit", "purpose_sex", *SMUGGLED))
    assert {"PTPA-VICTIM", "PTPA-CHILD", "PTPA-COMP", "PSMA-MIGRANT"} <= set(s.notes)
    assert not {"PTPA-VICTIM", "PTPA-CHILD", "PTPA-COMP", "PSMA-MIGRANT"} & set(s.provisions)


def test_travel_not_happened_keeps_emigration_facts() -> None:
    before = suggest(
        man(30, "emig_money", "emig_false_inducement", "crossed_border", no=("travel_happened",))
    )
    after = suggest(
        man(30, "emig_money", "emig_false_inducement", "crossed_border", "travel_happened")
    )
    assert before.provisions == after.provisions
    assert before.classification == after.classification == C.EMIGRATION_FRAUD


def test_money_paid_from_the_case_asks_what_it_was_for() -> None:
    s = suggest(answers("crossed_border", age_years=30, money_paid_pkr=3_000_000))
    assert Review.MONEY_PAID in s.review


def test_pakistani_smuggled_into_pakistan_is_questioned() -> None:
    s = suggest(man(30, *SMUGGLED, direction={"destination"}, nationality="PK"))
    assert Review.PAKISTANI_INTO_PAKISTAN in s.review
    foreigner = suggest(man(30, *SMUGGLED, direction={"destination"}, nationality="AF"))
    assert Review.PAKISTANI_INTO_PAKISTAN not in foreigner.review


@pytest.mark.parametrize(
    ("evidence", "flagged"),
    [("stated", True), ("none", True), ("document", False), ("medical", False)],
)
def test_age_unproven_flag(evidence: str, flagged: bool) -> None:
    s = suggest(man(12, "act_recruit", "purpose_labour", age_evidence=evidence))
    assert (Flag.AGE_UNPROVEN in s.flags) is flagged
    assert s.rules == [1]


# --- the answer format ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(TABLE))
def test_answers_round_trip_through_json(name: str) -> None:
    a = TABLE[name].answers
    again = Answers.from_json(json.loads(json.dumps(a.to_json())))
    assert again == a
    assert suggest(again) == suggest(a)


def test_unknown_fact_keys_are_refused_when_building_and_dropped_when_reading() -> None:
    with pytest.raises(KeyError):
        answers("no_such_fact")
    data = answers("act_recruit").to_json()
    data["facts"]["retired_fact"] = "yes"
    data["facts"]["act_harbour"] = "maybe"
    assert Answers.from_json(data).facts == {"act_recruit": "yes"}


def test_first_format_answers_are_read_ticked_as_yes_rest_not_known() -> None:
    old = {
        "acts": ["recruit"],
        "means": ["fraud"],
        "purposes": ["labour"],
        "age_years": 30,
        "age_evidence": "document",
        "woman": True,
        "crossed_border": False,
        "aggravations": ["documents_taken"],
        "ilo": ["documents", "wages"],
        "sale_or_purchase": True,
        "victim_consented": True,
    }
    a = Answers.from_json(old)
    assert a.facts == {
        "act_recruit": "yes",
        "means_fraud": "yes",
        "purpose_labour": "yes",
        "documents_retained": "yes",
        "ilo_wages": "yes",
        "sold_or_bought": "yes",
        "consented": "yes",
    }
    assert a.value("crossed_border") == "unknown"
    assert a.sex == "feminine"
    assert legacy_to_v2(old)["version"] == 2
    assert legacy_answers(acts={"recruit"}).facts == {"act_recruit": "yes"}


def test_suggestion_to_json() -> None:
    s = suggest(man(30, *LABOUR_TRAFFICKING))
    data = json.loads(json.dumps(s.to_json()))
    assert data["classification"] == "trafficking_adult"
    assert data["because"]["PTPA-3-1"] == ["act_recruit", "means_fraud", "purpose_labour"]
    assert Suggestion(**data) == s


def test_fact_keys_are_unique() -> None:
    assert len(FACT_KEYS) == len(set(FACT_KEYS))
