"""The facts the assistant reads: every one yes, no or not known.

Each fact is a key with a label and a group (the fieldset on the form). The
groups follow DOMAIN.md §2.2 (A act, M means, P purpose, X movement, S
smuggling, E emigration, L labour, AG aggravation, ILO indicators) with the
facts issue 12 added (organ removal, forced marriage, begging, ransom,
kidnapping, confinement, child abuse). Values that are not yes/no (age, sex,
nationality, direction, route, offence date, money paid) are fields of
`Answers` of their own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from ahtc.people.models import Sex

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ANSWERS_VERSION = 2


class Tri(models.TextChoices):
    UNKNOWN = "unknown", _("not known")
    YES = "yes", _("yes")
    NO = "no", _("no")


class AgeEvidence(models.TextChoices):
    DOCUMENT = "document", _("CNIC, B-form or birth certificate")
    MEDICAL = "medical", _("medical age estimate")
    STATED = "stated", _("stated by the person or family")
    NONE = "none", _("no evidence")


class Direction(models.TextChoices):
    """Pakistan's place on the route (HTCDS historic events: recruitment, transit, exploitation)."""

    SOURCE = "source", _("out of Pakistan (Pakistan is the source)")
    TRANSIT = "transit", _("through Pakistan (transit)")
    DESTINATION = "destination", _("into Pakistan (Pakistan is the destination)")
    INTERNAL = "internal", _("within Pakistan only")


@dataclass(frozen=True)
class Fact:
    key: str
    group: str
    label: StrOrPromise


GROUPS: dict[str, StrOrPromise] = {
    "act": _("Act: the person was ..."),
    "means": _("Means used"),
    "purpose": _("Purpose"),
    "movement": _("Movement"),
    "abroad": _("Smuggling, and what happened on the way or abroad"),
    "emigration": _("Overseas jobs and visas"),
    "labour": _("Work and debt"),
    "harm": _("Kidnapping, confinement, sale, marriage, abuse"),
    "aggravation": _("Aggravating circumstances"),
    "ilo": _("ILO indicators of forced labour"),
}

FACTS: list[Fact] = [
    Fact("act_recruit", "act", _("recruited")),
    Fact("act_harbour", "act", _("harboured")),
    Fact("act_transport", "act", _("transported")),
    Fact("act_provide", "act", _("provided to someone")),
    Fact("act_obtain", "act", _("obtained")),
    Fact("act_transfer", "act", _("transferred")),
    Fact("act_receive", "act", _("received")),
    Fact("act_attempt", "act", _("someone attempted one of these")),
    Fact("means_force", "means", _("force")),
    Fact("means_fraud", "means", _("fraud or deception")),
    Fact("means_coercion", "means", _("coercion or threats")),
    Fact("means_vulnerability", "means", _("abuse of vulnerability")),
    Fact("means_debt", "means", _("a debt scheme")),
    Fact("means_payment", "means", _("payment to a person in control of the victim")),
    Fact("means_abduction", "means", _("abduction")),
    Fact("consented", "means", _("the person says they agreed")),
    Fact("purpose_labour", "purpose", _("compelled labour, including debt bondage")),
    Fact("purpose_sex", "purpose", _("commercial sex")),
    Fact("purpose_begging", "purpose", _("begging")),
    Fact("purpose_marriage", "purpose", _("forced marriage")),
    Fact("purpose_organs", "purpose", _("organ removal")),
    Fact("crossed_border", "movement", _("movement into or out of Pakistan is part of it")),
    Fact("travel_happened", "movement", _("the person has already travelled")),
    Fact("departed_without_protector", "movement", _("left without the Protector of Emigrants")),
    Fact("smug_paid_agent", "abroad", _("paid an agent for irregular entry into another country")),
    Fact("smug_ended", "abroad", _("the relationship with the agent ended on arrival")),
    Fact("exploited_en_route", "abroad", _("harmed or exploited on the way or at the destination")),
    Fact("held_for_ransom", "abroad", _("held for ransom")),
    Fact("stranded_abroad", "abroad", _("stranded abroad without the promised job")),
    Fact("emig_money", "emigration", _("money taken for an overseas job or visa")),
    Fact(
        "emig_false_inducement",
        "emigration",
        _("false promises made to get the person to emigrate"),
    ),
    Fact("emig_unlicensed", "emigration", _("recruited by someone without an OEP licence")),
    Fact("emig_forged_documents", "emigration", _("forged visa, contract or travel documents")),
    Fact("child_employed", "labour", _("a child or adolescent employed")),
    Fact("hazardous_work", "labour", _("hazardous work (listed occupations)")),
    Fact("below_minimum_wage", "labour", _("paid below the minimum wage")),
    Fact("no_contract", "labour", _("no written contract")),
    Fact("at_kiln", "labour", _("at a brick kiln")),
    Fact("peshgi_above_cap", "labour", _("peshgi above the Rs 50,000 cap")),
    Fact("bonded_debt", "labour", _("a bonded debt (peshgi)")),
    Fact("work_to_repay", "labour", _("made to work to repay it")),
    Fact("kidnapped", "harm", _("kidnapped or abducted")),
    Fact("confined", "harm", _("locked up or kept confined")),
    Fact("sold_or_bought", "harm", _("sold, bought or hired out")),
    Fact(
        "abducted_for_marriage",
        "harm",
        _("a woman abducted or induced to marry or for illicit intercourse"),
    ),
    Fact(
        "married_as_settlement",
        "harm",
        _("given in marriage to settle a dispute (badal-e-sulh, wanni, swara)"),
    ),
    Fact("child_marriage", "harm", _("married, or being married, under the legal age")),
    Fact("organ_removed", "harm", _("an organ was removed")),
    Fact("sexual_abuse", "harm", _("sexual abuse of a child")),
    Fact("sexual_images", "harm", _("sexual images or videos of a child made or shared")),
    Fact(
        "child_cruelty", "harm", _("a child ill-treated, neglected or abandoned so as to harm it")
    ),
    Fact("helpers", "harm", _("others helped or agreed to it (abetment or conspiracy)")),
    Fact(
        "agg_injury_or_death", "aggravation", _("serious injury, life-threatening illness or death")
    ),
    Fact("agg_group", "aggravation", _("an organised criminal group (two or more, for money)")),
    Fact("agg_repeat", "aggravation", _("a repeat offender")),
    Fact(
        "documents_retained",
        "aggravation",
        _("identity or travel documents taken, kept or destroyed"),
    ),
    Fact("ilo_vulnerability", "ilo", _("abuse of vulnerability")),
    Fact("ilo_deception", "ilo", _("deception")),
    Fact("ilo_restriction", "ilo", _("restriction of movement")),
    Fact("ilo_isolation", "ilo", _("isolation")),
    Fact("ilo_violence", "ilo", _("physical or sexual violence")),
    Fact("ilo_threats", "ilo", _("intimidation and threats")),
    Fact("ilo_wages", "ilo", _("withholding of wages")),
    Fact("ilo_debt_bondage", "ilo", _("debt bondage")),
    Fact("ilo_conditions", "ilo", _("abusive working and living conditions")),
    Fact("ilo_overtime", "ilo", _("excessive overtime")),
]
FACT_KEYS = [f.key for f in FACTS]
FACT_LABELS: dict[str, StrOrPromise] = {f.key: f.label for f in FACTS}
# The ILO's 11 indicators: ten of them are facts of their own; retention of
# identity documents is one fact read both here and as the PTPA s.4 aggravation.
ILO_FACTS = [f.key for f in FACTS if f.group == "ilo"] + ["documents_retained"]
# Rule 11: any one of these alone calls for a forced-labour review.
STRONG_ILO = {"ilo_debt_bondage", "documents_retained", "ilo_restriction", "ilo_violence"}


@dataclass
class Answers:
    """The officer's answers for one victim. Unlisted facts are not known."""

    facts: dict[str, str] = field(default_factory=dict)
    age_years: int | None = None
    age_evidence: str = AgeEvidence.NONE
    sex: str = Sex.UNKNOWN
    nationality: str = ""
    direction: set[str] = field(default_factory=set)
    route: list[str] = field(default_factory=list)
    offence_date: dt.date | None = None
    money_paid_pkr: int | None = None

    def value(self, key: str) -> str:
        if key not in FACT_LABELS:
            raise KeyError(key)
        return self.facts.get(key, Tri.UNKNOWN)

    def yes(self, *keys: str) -> list[str]:
        """The keys answered yes (a list, so it can both test and explain)."""
        return [k for k in keys if self.value(k) == Tri.YES]

    def unknown(self, *keys: str) -> list[str]:
        return [k for k in keys if self.value(k) == Tri.UNKNOWN]

    @property
    def child(self) -> bool:
        return self.age_years is not None and self.age_years < 18

    @property
    def adult(self) -> bool:
        return self.age_years is not None and self.age_years >= 18

    @property
    def woman(self) -> bool:
        return self.sex == Sex.FEMININE

    def to_json(self) -> dict[str, Any]:
        return {
            "version": ANSWERS_VERSION,
            "facts": {k: v for k, v in sorted(self.facts.items()) if v != Tri.UNKNOWN},
            "age_years": self.age_years,
            "age_evidence": str(self.age_evidence),
            "sex": str(self.sex),
            "nationality": self.nationality,
            "direction": sorted(self.direction),
            "route": list(self.route),
            "offence_date": self.offence_date.isoformat() if self.offence_date else None,
            "money_paid_pkr": self.money_paid_pkr,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Answers:
        if data.get("version") != ANSWERS_VERSION:
            data = legacy_to_v2(data)
        day = data.get("offence_date")
        return cls(
            facts={
                k: v
                for k, v in (data.get("facts") or {}).items()
                if k in FACT_LABELS and v in Tri.values
            },
            age_years=data.get("age_years"),
            age_evidence=data.get("age_evidence") or AgeEvidence.NONE,
            sex=data.get("sex") or Sex.UNKNOWN,
            nationality=data.get("nationality") or "",
            direction=set(data.get("direction") or []),
            route=list(data.get("route") or []),
            offence_date=dt.date.fromisoformat(day) if day else None,
            money_paid_pkr=data.get("money_paid_pkr"),
        )


def answers(*yes: str, no: tuple[str, ...] = (), **values: Any) -> Answers:
    """Answers with the given facts yes (and `no` no), every other fact not known."""
    facts = {k: str(Tri.YES) for k in yes} | {k: str(Tri.NO) for k in no}
    unknown = set(facts) - set(FACT_LABELS)
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    return Answers(facts=facts, **values)


# The first answer format (ticked or not): set name -> fact prefix or mapping.
_LEGACY_SETS: dict[str, dict[str, str]] = {
    "acts": {
        a: f"act_{a}"
        for a in (
            "recruit",
            "harbour",
            "transport",
            "provide",
            "obtain",
            "transfer",
            "receive",
            "attempt",
        )
    },
    "means": {
        m: f"means_{m}" for m in ("force", "fraud", "coercion", "vulnerability", "debt", "payment")
    },
    "purposes": {p: f"purpose_{p}" for p in ("labour", "sex", "organs", "marriage", "begging")},
    "smuggling": {"consented": "consented", "paid_agent": "smug_paid_agent", "ended": "smug_ended"},
    "emigration": {
        "money": "emig_money",
        "false_inducement": "emig_false_inducement",
        "unlicensed": "emig_unlicensed",
    },
    "labour": {
        k: k for k in ("below_minimum_wage", "child_employed", "peshgi_above_cap", "no_contract")
    },
    "aggravations": {
        "injury_or_death": "agg_injury_or_death",
        "group": "agg_group",
        "documents_taken": "documents_retained",
        "repeat": "agg_repeat",
    },
    "ilo": {
        **{
            i: f"ilo_{i}"
            for i in (
                "vulnerability",
                "deception",
                "restriction",
                "isolation",
                "violence",
                "threats",
                "wages",
                "debt_bondage",
                "conditions",
                "overtime",
            )
        },
        "documents": "documents_retained",
    },
}
_LEGACY_FLAGS = {
    "crossed_border": "crossed_border",
    "exploitation_en_route": "exploited_en_route",
    "departed_without_protector": "departed_without_protector",
    "at_kiln": "at_kiln",
    "bonded_debt": "bonded_debt",
    "work_to_repay": "work_to_repay",
    "sale_or_purchase": "sold_or_bought",
    "abducted_for_marriage": "abducted_for_marriage",
    "victim_consented": "consented",
}


def legacy_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Stored answers of the first assistant (ticked or not) in the second
    format. A ticked box is yes; an unticked box becomes "not known", not no:
    the old form could not say no."""
    facts: dict[str, str] = {}
    for name, mapping in _LEGACY_SETS.items():
        for value in data.get(name) or []:
            if value in mapping:
                facts[mapping[value]] = str(Tri.YES)
    for name, key in _LEGACY_FLAGS.items():
        if data.get(name) is True:
            facts[key] = str(Tri.YES)
    return {
        "version": ANSWERS_VERSION,
        "facts": facts,
        "age_years": data.get("age_years"),
        "age_evidence": data.get("age_evidence") or AgeEvidence.NONE,
        "sex": Sex.FEMININE if data.get("woman") else Sex.UNKNOWN,
        "nationality": "",
        "direction": [],
        "route": [],
        "offence_date": None,
        "money_paid_pkr": None,
    }


def legacy_answers(**old: Any) -> Answers:
    """Answers written in the first format's words (sets of ticked boxes and
    flags), e.g. by the demo stories: ticked is yes, the rest is not known."""
    data = {k: sorted(v) if isinstance(v, set) else v for k, v in old.items()}
    return Answers.from_json(data)
