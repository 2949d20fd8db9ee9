"""The stories of the demo's Mandi Bahauddin year in cases: who, where, the
route, the facts for the classification assistant and how far each case goes
(built by demo/cases.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ahtc.cases.classification import Answers, legacy_answers
from ahtc.cases.models import (
    Status,
    VerdictOutcome,
)
from ahtc.portal.models import TipCategory

if TYPE_CHECKING:
    pass

MALE = ["Bilal", "Usman", "Imran", "Kashif", "Naveed", "Asif", "Tariq", "Zeeshan", "Waqas"]
FEMALE = ["Sana", "Rubina", "Nasreen", "Shazia", "Farzana", "Amna", "Kiran"]
MALE_UR = ["بلال", "عثمان", "عمران", "کاشف", "نوید", "آصف", "طارق", "ذیشان", "وقاص"]
FEMALE_UR = ["ثنا", "روبینہ", "نسرین", "شازیہ", "فرزانہ", "آمنہ", "کرن"]
LETTERS = "ABCDEFGHKLMNRS"


@dataclass
class Story:
    """One scenario; `stop` is the status the case is left in."""

    key: str
    title: str
    category: str
    answers: Answers
    route: list[tuple[str, str, str, int | None]]  # kind, country, place, amount
    victims: int
    suspects: list[str]
    stop: str
    child: bool = False
    woman: bool = False
    refer_to: str = ""  # "fia", "labour", "cpb"
    verdict: str = ""
    warned: bool = False
    consent_override: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _sea_route() -> Answers:
    return legacy_answers(
        acts={"recruit", "transport"},
        means={"fraud", "coercion"},
        purposes={"labour"},
        age_years=24,
        age_evidence="document",
        crossed_border=True,
        smuggling={"consented", "paid_agent"},
        exploitation_en_route=True,
        aggravations={"injury_or_death", "group"},
        ilo={"deception", "restriction"},
    )


def _ransom() -> Answers:
    return legacy_answers(
        acts={"transport", "harbour"},
        means={"force", "coercion"},
        purposes={"labour"},
        age_years=22,
        age_evidence="document",
        crossed_border=True,
        smuggling={"consented", "paid_agent"},
        exploitation_en_route=True,
        aggravations={"group"},
        ilo={"restriction", "violence", "threats"},
    )


def _visa_fraud() -> Answers:
    return legacy_answers(
        emigration={"money", "false_inducement", "unlicensed"},
        age_years=30,
        age_evidence="document",
    )


def _kiln(child: bool = False) -> Answers:
    return legacy_answers(
        acts={"recruit", "harbour"},
        means={"debt", "coercion"},
        purposes={"labour"},
        age_years=13 if child else 35,
        age_evidence="document" if child else "stated",
        bonded_debt=True,
        work_to_repay=True,
        at_kiln=True,
        labour={"below_minimum_wage", "peshgi_above_cap", "no_contract"}
        | ({"child_employed"} if child else set()),
        ilo={"debt_bondage", "restriction", "wages"},
    )


def _workshop_child() -> Answers:
    return legacy_answers(
        acts={"recruit", "obtain"},
        purposes={"labour"},
        age_years=12,
        age_evidence="medical",
        labour={"child_employed", "below_minimum_wage"},
        ilo={"conditions", "overtime"},
    )


def _child_labour_only() -> Answers:
    return legacy_answers(
        labour={"child_employed", "no_contract"}, age_years=14, age_evidence="document"
    )


def _sex_child() -> Answers:
    return legacy_answers(
        acts={"recruit", "harbour"},
        means={"fraud"},
        purposes={"sex"},
        age_years=16,
        age_evidence="document",
        woman=True,
        sale_or_purchase=True,
        ilo={"isolation", "threats"},
    )


def _forced_marriage() -> Answers:
    return legacy_answers(
        abducted_for_marriage=True,
        woman=True,
        age_years=19,
        age_evidence="document",
        means={"coercion"},
        purposes={"marriage"},
    )


def _smuggler_only() -> Answers:
    return legacy_answers(
        crossed_border=True,
        smuggling={"consented", "paid_agent", "ended"},
        age_years=27,
        age_evidence="document",
    )


STORIES: list[Story] = [
    # Boat tragedy: sea route from Libya; FIA takes it.
    *[
        Story(
            f"boat{i}",
            "Visit visa to Libya, then the sea route",
            TipCategory.MISSING_ABROAD,
            _sea_route(),
            [
                ("Recruitment", "PK", "Phalia", 300_000),
                ("Transit", "AE", "Dubai", None),
                ("Transit", "LY", "Benghazi", 1_200_000),
                ("Exploitation", "LY", "Zuwara", None),
                ("Rescue", "GR", "off Pylos", None),
                ("Return", "PK", "Islamabad airport", None),
            ],
            victims=2,
            suspects=["BrokerTravelAgent", "RecruiterOrIntermediary"],
            stop=Status.TRANSFERRED_FIA,
            refer_to="fia",
        )
        for i in range(4)
    ],
    Story(
        "ransom1",
        "Held for ransom in Iran on the land route",
        TipCategory.HELD_FOR_RANSOM,
        _ransom(),
        [
            ("Recruitment", "PK", "Malakwal", 250_000),
            ("Transit", "PK", "Taftan", None),
            ("Exploitation", "IR", "Zahedan", 800_000),
            ("Return", "PK", "Taftan", None),
        ],
        victims=1,
        suspects=["Smuggler", "Kidnapper"],
        stop=Status.TRANSFERRED_FIA,
        refer_to="fia",
    ),
    Story(
        "ransom2",
        "Held for ransom in Libya",
        TipCategory.HELD_FOR_RANSOM,
        _ransom(),
        [
            ("Recruitment", "PK", "Mandi Bahauddin", 400_000),
            ("Transit", "TR", "Istanbul", None),
            ("Exploitation", "LY", "Tripoli", 1_500_000),
        ],
        victims=1,
        suspects=["BrokerTravelAgent"],
        stop=Status.INQUIRY,
        refer_to="fia",
        extra={"pending_referral": True},
    ),
    # Gulf job money taken, nobody moved: emigration fraud, FIA.
    *[
        Story(
            f"visa{i}",
            "Money taken for jobs in Dubai, no visas",
            TipCategory.FAKE_AGENT,
            _visa_fraud(),
            [("Payment", "PK", "Mandi Bahauddin", 700_000)],
            victims=2 + i,
            suspects=["BrokerTravelAgent"],
            stop=Status.TRANSFERRED_FIA,
            refer_to="fia",
        )
        for i in range(3)
    ],
    # Known smugglers questioned and warned.
    *[
        Story(
            f"warn{i}",
            "Known smuggler questioned and warned",
            TipCategory.OTHER,
            _smuggler_only(),
            [("Transit", "IR", "border", None)],
            victims=1,
            suspects=["Smuggler"],
            stop=Status.INQUIRY,
            warned=True,
        )
        for i in range(3)
    ],
    # Kiln families in bonded labour: through to verdict.
    Story(
        "kiln1",
        "Kiln family held over peshgi",
        TipCategory.FORCED_LABOUR,
        _kiln(),
        [
            ("Recruitment", "PK", "Phalia", 150_000),
            ("Exploitation", "PK", "kiln, Phalia", None),
            ("Rescue", "PK", "kiln, Phalia", None),
        ],
        victims=3,
        suspects=["Exploiter"],
        stop=Status.CONVICTED,
        refer_to="labour",
        verdict=VerdictOutcome.CONVICTED,
    ),
    Story(
        "kiln2",
        "Kiln family held over peshgi",
        TipCategory.FORCED_LABOUR,
        _kiln(child=True),
        [
            ("Recruitment", "PK", "Malakwal", 120_000),
            ("Exploitation", "PK", "kiln, Malakwal", None),
            ("Rescue", "PK", "kiln, Malakwal", None),
        ],
        victims=2,
        suspects=["Exploiter", "ControlledIndividual"],
        stop=Status.TRIAL,
        child=True,
        refer_to="labour",
        # A parent and a child, classified person by person.
        extra={"family": _kiln},
    ),
    Story(
        "kiln3",
        "Kiln workers, advance above the cap",
        TipCategory.FORCED_LABOUR,
        _kiln(),
        [("Exploitation", "PK", "kiln, Mandi Bahauddin", None)],
        victims=2,
        suspects=["Exploiter"],
        stop=Status.COMPOUNDED,
        verdict=VerdictOutcome.COMPOUNDED,
    ),
    Story(
        "kiln4",
        "Kiln family, debt and threats",
        TipCategory.FORCED_LABOUR,
        _kiln(),
        [("Exploitation", "PK", "kiln, Phalia", None)],
        victims=2,
        suspects=["Exploiter"],
        stop=Status.INVESTIGATION,
        refer_to="labour",
    ),
    # Children in workshops and homes.
    Story(
        "workshop1",
        "Children in a workshop",
        TipCategory.CHILD_LABOUR,
        _workshop_child(),
        [
            ("Recruitment", "PK", "Mandi Bahauddin", 20_000),
            ("Exploitation", "PK", "workshop", None),
            ("Rescue", "PK", "workshop", None),
        ],
        victims=4,
        suspects=["Exploiter"],
        stop=Status.CONVICTED,
        child=True,
        refer_to="cpb",
        verdict=VerdictOutcome.CONVICTED,
    ),
    Story(
        "workshop2",
        "Children in a workshop",
        TipCategory.CHILD_LABOUR,
        _workshop_child(),
        [("Exploitation", "PK", "workshop, Phalia", None)],
        victims=3,
        suspects=["Exploiter"],
        stop=Status.CHALLAN_SUBMITTED,
        child=True,
        refer_to="cpb",
    ),
    Story(
        "workshop3",
        "Child employed in a motor workshop",
        TipCategory.CHILD_LABOUR,
        _child_labour_only(),
        [("Exploitation", "PK", "motor workshop", None)],
        victims=1,
        suspects=["Exploiter"],
        stop=Status.CLOSED_NO_OFFENCE,
        child=True,
        refer_to="labour",
    ),
    Story(
        "domestic1",
        "Child domestic worker",
        TipCategory.CHILD_LABOUR,
        _workshop_child(),
        [("Recruitment", "PK", "Phalia", 30_000), ("Exploitation", "PK", "Lahore", None)],
        victims=1,
        suspects=["RecruiterOrIntermediary", "Exploiter"],
        stop=Status.FIR_REGISTERED,
        child=True,
        consent_override=True,
    ),
    # Sexual exploitation of a girl; acquitted.
    Story(
        "sex1",
        "Girl sold for sexual exploitation",
        TipCategory.SEXUAL_EXPLOITATION,
        _sex_child(),
        [
            ("Recruitment", "PK", "Mandi Bahauddin", None),
            ("Exploitation", "PK", "Gujranwala", None),
        ],
        victims=1,
        suspects=["RecruiterOrIntermediary", "Exploiter"],
        stop=Status.ACQUITTED,
        child=True,
        woman=True,
        verdict=VerdictOutcome.ACQUITTED,
    ),
    Story(
        "marriage1",
        "Woman abducted for a forced marriage",
        TipCategory.FORCED_MARRIAGE,
        _forced_marriage(),
        [("Recruitment", "PK", "Malakwal", None)],
        victims=1,
        suspects=["Kidnapper"],
        stop=Status.INVESTIGATION,
        woman=True,
    ),
    Story(
        "new1",
        "Agent advertising visit visas to Turkey",
        TipCategory.FAKE_AGENT,
        _visa_fraud(),
        [],
        victims=0,
        suspects=["BrokerTravelAgent"],
        stop=Status.REPORTED,
    ),
    Story(
        "new2",
        "Children begging at the crossing",
        TipCategory.FORCED_BEGGING,
        Answers(),
        [],
        victims=0,
        suspects=[],
        stop=Status.REPORTED,
    ),
]
