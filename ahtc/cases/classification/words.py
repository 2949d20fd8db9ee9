"""What the assistant says: classifications, agencies, flags, review reasons
and the words that explain a suggestion. Stored as keys; shown in the reader's
language."""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ahtc.cases.classification.facts import FACT_LABELS


class Classification(models.TextChoices):
    TRAFFICKING_CHILD = "trafficking_child", _("Trafficking in persons (child)")
    TRAFFICKING_ADULT = "trafficking_adult", _("Trafficking in persons (adult)")
    TRAFFICKING_AGE_UNKNOWN = (
        "trafficking_age_unknown",
        _("Trafficking in persons (age not established)"),
    )
    SMUGGLING = "smuggling", _("Smuggling of migrants")
    SMUGGLING_TO_TRAFFICKING = (
        "smuggling_to_trafficking",
        _("Smuggling that turned into trafficking"),
    )
    EMIGRATION_FRAUD = "emigration_fraud", _("Emigration fraud")
    BONDED_LABOUR = "bonded_labour", _("Bonded labour")
    LABOUR_VIOLATION = "labour_violation", _("Labour-law violation (not trafficking)")
    FORCED_MARRIAGE = "forced_marriage", _("Forced or child marriage")
    KIDNAPPING = "kidnapping", _("Kidnapping or abduction")
    NEEDS_REVIEW = "needs_review", _("Needs review: no rule fits")
    OTHER = "other", _("Other (older decisions)")


TRAFFICKING = {
    Classification.TRAFFICKING_CHILD,
    Classification.TRAFFICKING_ADULT,
    Classification.TRAFFICKING_AGE_UNKNOWN,
    Classification.SMUGGLING_TO_TRAFFICKING,
}


class Agency(models.TextChoices):
    POLICE = "police", _("Police")
    FIA = "fia", _("FIA")
    LABOUR = "labour", _("Labour Department")
    POLICE_AND_LABOUR = "police_labour", _("Police, with the Labour Department informed")


class AgencyReason(models.TextChoices):
    FIA_BORDER = (
        "fia_border",
        _(
            "Moving the victim into or out of Pakistan is part of the offence: FIA "
            "investigates (PTPA, investigating agency)."
        ),
    )
    FIA_SMUGGLING = "fia_smuggling", _("Smuggling of migrants: FIA investigates (PSMA).")
    FIA_EMIGRATION = (
        "fia_emigration",
        _("Offences under the Emigration Ordinance: FIA investigates."),
    )
    POLICE_PTPA = "police_ptpa", _("Trafficking within Pakistan: the police investigate (PTPA).")
    POLICE_LABOUR = (
        "police_labour",
        _(
            "Bonded labour: the police register the case; the Labour Department and the "
            "District Vigilance Committee are informed (BLSA)."
        ),
    )
    LABOUR = (
        "labour",
        _(
            "Labour-law violation: the labour inspector acts; the child-labour Acts need "
            "an inspector's complaint."
        ),
    )
    POLICE_PPC = "police_ppc", _("Offences under the Penal Code: the police investigate.")
    POLICE_REVIEW = (
        "police_review",
        _("No rule fits: the police keep the case until the review decides."),
    )


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
        _("Check the elements of PPC 364-A or 367-A before keeping it"),
    )
    CONSENT_IRRELEVANT = (
        "consent_irrelevant",
        _(
            "The person says they agreed: consent does not decide the case once force, "
            "fraud or coercion was used, and never for a child"
        ),
    )


class Review(models.TextChoices):
    """Why the officer must look again; shown as a list under the suggestion."""

    NOTHING = "nothing", _("Nothing is answered yet.")
    NO_RULE_FITS = (
        "no_rule_fits",
        _("No rule fits these answers: look at the facts marked 'not known'."),
    )
    AGE_UNKNOWN = (
        "age_unknown",
        _("The age is not known: PTPA s.3(2) applies to a child, and a child needs no means."),
    )
    AGE_UNKNOWN_NO_MEANS = (
        "age_unknown_no_means",
        _(
            "An act and a purpose are recorded, no means, and the age is not known: for "
            "a child that is trafficking, for an adult it needs force, fraud or "
            "coercion."
        ),
    )
    MEANS_UNKNOWN = (
        "means_unknown",
        _(
            "An adult, an act and a purpose, but no means answered yes: PTPA needs "
            "force, fraud or coercion."
        ),
    )
    ACT_UNKNOWN = (
        "act_unknown",
        _("A purpose is recorded but no act (recruiting, moving, harbouring, obtaining)."),
    )
    PURPOSE_UNKNOWN = (
        "purpose_unknown",
        _(
            "An act and a means are recorded but no purpose: PTPA needs compelled labour "
            "or commercial sex."
        ),
    )
    EN_ROUTE_VAGUE = (
        "en_route_vague",
        _(
            "'Exploited on the way' alone supports no section: say how (forced work, "
            "commercial sex, ransom, documents taken)."
        ),
    )
    RANSOM_NOT_PTPA = (
        "ransom_not_ptpa",
        _(
            "Held for ransom is kidnapping (PPC 365-A); it is trafficking only if the "
            "person was also made to work or sold for sex."
        ),
    )
    ORGANS = (
        "organs",
        _(
            "Organ removal is exploitation under the Palermo Protocol but PTPA 2018 does "
            "not name it: the organ transplant law and the Penal Code apply."
        ),
    )
    MARRIAGE_NOT_PTPA = (
        "marriage_not_ptpa",
        _(
            "PTPA 2018 does not name forced marriage: the Penal Code and the "
            "child-marriage law apply; if she was made to work or sold for sex, answer "
            "those facts."
        ),
    )
    BEGGING = (
        "begging",
        _(
            "Begging is read as compelled labour (forced labour or services): confirm "
            "that it was forced."
        ),
    )
    PAYMENT_ONLY = (
        "payment_only",
        _(
            "Payment to a person in control is a Palermo means that PTPA does not name: "
            "check for force, fraud or coercion."
        ),
    )
    STRANDED = (
        "stranded",
        _(
            "Stranded abroad: check whether the person was made to work, confined or had "
            "documents taken, and answer those facts."
        ),
    )
    ONE_WEAK_INDICATOR = (
        "one_weak_indicator",
        _("One forced-labour indicator: the ILO says one can be enough in some cases; review."),
    )
    ILO_UNCHECKED = (
        "ilo_unchecked",
        _(
            "The forced-labour indicators are not answered: check them before calling "
            "this only a labour-law violation."
        ),
    )
    SEX_UNKNOWN = (
        "sex_unknown",
        _("The victim's sex is not recorded: PTPA s.3(2) applies if the victim is a woman."),
    )
    TRANSGENDER = (
        "transgender",
        _("PTPA s.3(2) names women: whether it covers a transgender woman is not settled; review."),
    )
    CHILD_LABOUR_AGE = (
        "child_labour_age",
        _(
            "A child is employed but the age is not known: the child-labour offence "
            "depends on it (under 14 at a kiln, under 15, 15 to 17 in hazardous work)."
        ),
    )
    CHILD_LABOUR_ADULT = (
        "child_labour_adult",
        _("'A child employed' is answered yes but the age recorded is 18 or more: check the age."),
    )
    CHILD_MARRIAGE_AGE = (
        "child_marriage_age",
        _(
            "Child marriage: the age decides (federal text: a boy under 18, a girl under "
            "16); check the age and the law in force."
        ),
    )
    ABUSE_AGE = (
        "abuse_age",
        _(
            "Abuse of a child is recorded but the age is not known: PPC 377-A, 292-B and "
            "328-A need a child."
        ),
    )
    PAKISTANI_INTO_PAKISTAN = (
        "pakistani_into_pakistan",
        _(
            "A Pakistani entering Pakistan is not smuggled into it: check the direction "
            "of movement."
        ),
    )
    NOT_YET_TRAVELLED = (
        "not_yet_travelled",
        _(
            "The journey has not happened: the emigration-fraud facts stand, and PSMA "
            "and PTPA also cover attempts."
        ),
    )
    MONEY_PAID = (
        "money_paid",
        _("The case records money paid: say whether it was for an overseas job or visa."),
    )
    DOCUMENTS_TRAVEL = (
        "documents_travel",
        _("PTPA s.4 names travel documents: check that the document taken was a travel document."),
    )
    LUST_CHECK = (
        "lust_check",
        _("PPC 367-A needs the intent of unnatural lust: check before keeping it."),
    )
    OLD_LAW = (
        "old_law",
        _(
            "The offence is before 30 May 2018: the Ordinance of 2002 applied to "
            "trafficking into or out of Pakistan, and PPC 369-A from 18 March 2016."
        ),
    )


# Words for reasons that are not facts: what the rule derived from the answers.
DERIVED: dict[str, Promise] = {
    "child": _("a child (under 18)"),
    "adult": _("an adult (18 or over)"),
    "under_14": _("under 14"),
    "under_15": _("under 15"),
    "under_16": _("under 16"),
    "under_21": _("under 21"),
    "adolescent": _("15 to 17 years old"),
    "woman": _("a woman or girl"),
    "man": _("a man or boy"),
    "age_unknown": _("age not known"),
    "trafficking": _("the elements of trafficking"),
    "into_pakistan": _("brought into Pakistan"),
    "out_of_pakistan": _("taken out of Pakistan"),
    "restraint": _("force, threats, violence or confinement"),
    "before_ptpa": _("an offence before 30 May 2018"),
}


def reason_label(key: str) -> Promise | str:
    return FACT_LABELS.get(key) or DERIVED.get(key) or key
