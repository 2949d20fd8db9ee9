"""The classification assistant (DOMAIN.md §2.2) and the dated legal catalogue."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.utils import translation

from ahtc.cases.classification import (
    STRONG_ILO,
    Agency,
    Answers,
    Classification,
    Flag,
    IloIndicator,
    Suggestion,
    suggest,
)
from ahtc.cases.legal import CATALOGUE_CSV, FIELDS, CatalogueError, provisions_in_force, read_rows
from ahtc.cases.models import LegalProvision

# --- the scenarios -----------------------------------------------------------------------


def child_labour(**changes: Any) -> Answers:
    values: dict[str, Any] = {
        "acts": {"recruit"},
        "purposes": {"labour"},
        "age_years": 12,
        "age_evidence": "document",
    }
    values.update(changes)
    return Answers(**values)


def adult(**changes: Any) -> Answers:
    values: dict[str, Any] = {
        "acts": {"recruit"},
        "means": {"fraud"},
        "purposes": {"labour"},
        "age_years": 30,
        "age_evidence": "document",
    }
    values.update(changes)
    return Answers(**values)


def smuggled(**changes: Any) -> Answers:
    values: dict[str, Any] = {
        "smuggling": {"consented", "paid_agent"},
        "crossed_border": True,
        "age_years": 24,
        "age_evidence": "document",
    }
    values.update(changes)
    return Answers(**values)


def kiln_debt(**changes: Any) -> Answers:
    values: dict[str, Any] = {
        "bonded_debt": True,
        "work_to_repay": True,
        "at_kiln": True,
        "age_years": 40,
        "age_evidence": "medical",
    }
    values.update(changes)
    return Answers(**values)


SCENARIOS: dict[str, Answers] = {
    "rule 1": child_labour(),
    "rule 1 girl sex": child_labour(woman=True, purposes={"sex"}, age_years=15),
    "rule 2": adult(),
    "rule 3": adult(woman=True, purposes={"sex"}, sale_or_purchase=True),
    "rule 4": kiln_debt(ilo={"restriction"}),
    "rule 5": kiln_debt(work_to_repay=False, labour={"below_minimum_wage"}),
    "rule 6": smuggled(),
    "rule 7": smuggled(exploitation_en_route=True, aggravations={"documents_taken"}),
    "rule 8": Answers(emigration={"money", "unlicensed"}),
    "rule 9": Answers(woman=True, abducted_for_marriage=True, purposes={"sex"}),
    "rule 10": Answers(labour={"child_employed", "no_contract"}, at_kiln=True),
    "rule 11": Answers(labour={"no_contract"}, ilo={"debt_bondage"}),
    "everything": Answers(
        acts={"recruit", "transfer"},
        means={"force", "fraud", "debt"},
        purposes={"labour", "sex", "organs"},
        age_years=13,
        age_evidence="stated",
        woman=True,
        crossed_border=True,
        smuggling={"paid_agent"},
        exploitation_en_route=True,
        emigration={"money"},
        departed_without_protector=True,
        labour={"below_minimum_wage", "child_employed"},
        at_kiln=True,
        bonded_debt=True,
        work_to_repay=True,
        sale_or_purchase=True,
        abducted_for_marriage=True,
        aggravations={"group", "documents_taken"},
        ilo={"violence", "deception"},
    ),
}


def has(suggestion: Suggestion, *codes: str) -> bool:
    return set(codes) <= set(suggestion.provisions)


# --- one test per rule ----------------------------------------------------------------------


class TestRule1ChildTrafficking:
    def test_child_act_and_labour_purpose_need_no_means(self) -> None:
        s = suggest(child_labour(at_kiln=True))
        assert s.rules == [1]
        assert s.classification == Classification.TRAFFICKING_CHILD
        assert has(s, "PTPA-3-2", "PTPA-CHILD", "PRECA-11", "PBKCLA", "PPC-364A")
        assert "PTPA-3-1" not in s.provisions
        assert s.agency == Agency.POLICE
        assert Flag.CHECK_ELEMENTS in s.flags

    def test_girl_for_commercial_sex_adds_ppc_sections(self) -> None:
        s = suggest(SCENARIOS["rule 1 girl sex"])
        assert 1 in s.rules
        assert s.classification == Classification.TRAFFICKING_CHILD
        assert has(s, "PTPA-3-2", "PPC-366A", "PPC-367A")
        # 15 is not under 14: PPC 364A is not offered.
        assert "PPC-364A" not in s.provisions
        assert Flag.CHECK_ELEMENTS not in s.flags

    def test_aggravation_adds_section_4(self) -> None:
        assert "PTPA-4" in suggest(child_labour(aggravations={"group"})).provisions
        assert "PTPA-4" not in suggest(child_labour()).provisions

    def test_crossing_the_border_makes_it_fia(self) -> None:
        s = suggest(child_labour(crossed_border=True))
        assert s.classification == Classification.TRAFFICKING_CHILD
        assert s.agency == Agency.FIA

    def test_a_child_without_exploitative_purpose_is_not_rule_1(self) -> None:
        s = suggest(child_labour(purposes={"organs"}))
        assert 1 not in s.rules
        assert s.classification == Classification.OTHER

    def test_seventeen_is_a_child_eighteen_is_not(self) -> None:
        assert 1 in suggest(child_labour(age_years=17)).rules
        s = suggest(child_labour(age_years=18))
        assert 1 not in s.rules
        # An adult needs a means: without one no trafficking rule fires.
        assert 2 not in s.rules
        assert s.classification == Classification.OTHER


class TestRule2AdultTrafficking:
    def test_adult_man_with_act_means_purpose(self) -> None:
        s = suggest(adult())
        assert s.rules == [2]
        assert s.classification == Classification.TRAFFICKING_ADULT
        assert "PTPA-3-1" in s.provisions
        assert "PTPA-3-2" not in s.provisions
        assert s.agency == Agency.POLICE

    def test_woman_gets_section_3_2_and_aggravation_section_4(self) -> None:
        s = suggest(adult(woman=True, aggravations={"injury_or_death"}))
        assert s.rules == [2]
        assert has(s, "PTPA-3-2", "PTPA-4")
        assert "PTPA-3-1" not in s.provisions

    def test_no_means_no_rule_2(self) -> None:
        s = suggest(adult(means=set()))
        assert s.rules == []
        assert s.classification == Classification.OTHER
        assert s.agency == Agency.POLICE

    def test_crossing_the_border_makes_it_fia(self) -> None:
        s = suggest(adult(crossed_border=True))
        assert s.classification == Classification.TRAFFICKING_ADULT
        assert s.agency == Agency.FIA


class TestRule3SaleForSex:
    def test_sale_for_sex_adds_371a_and_371b(self) -> None:
        s = suggest(SCENARIOS["rule 3"])
        assert s.rules == [2, 3]
        assert s.classification == Classification.TRAFFICKING_ADULT
        assert has(s, "PTPA-3-2", "PPC-371A", "PPC-371B")
        assert s.agency == Agency.POLICE

    def test_with_a_child(self) -> None:
        s = suggest(child_labour(purposes={"sex"}, sale_or_purchase=True))
        assert s.rules == [1, 3]
        assert has(s, "PPC-371A", "PPC-371B")

    def test_sale_without_sex_purpose_or_without_rule_1_or_2(self) -> None:
        assert 3 not in suggest(adult(sale_or_purchase=True)).rules
        no_means = adult(means=set(), purposes={"sex"}, sale_or_purchase=True)
        assert 3 not in suggest(no_means).rules


class TestRule4DebtBondageTrafficking:
    def test_bonded_debt_work_and_restriction(self) -> None:
        s = suggest(SCENARIOS["rule 4"])
        assert 4 in s.rules
        assert s.classification == Classification.TRAFFICKING_ADULT
        assert has(s, "PTPA-3-1", "BLSA-11", "BLSA-12", "PPC-374")
        assert "PPC-370" not in s.provisions
        assert s.agency == Agency.POLICE_AND_LABOUR

    @pytest.mark.parametrize(
        "restraint",
        [{"ilo": {"violence"}}, {"ilo": {"threats"}}, {"means": {"coercion"}}],
    )
    def test_any_restraint_will_do(self, restraint: dict[str, set[str]]) -> None:
        assert 4 in suggest(kiln_debt(**restraint)).rules

    def test_sale_of_persons_adds_370_and_371(self) -> None:
        s = suggest(kiln_debt(ilo={"restriction"}, sale_or_purchase=True))
        assert has(s, "PPC-370", "PPC-371")

    def test_child_in_debt_bondage(self) -> None:
        s = suggest(kiln_debt(ilo={"restriction"}, age_years=11, age_evidence="document"))
        assert s.classification == Classification.TRAFFICKING_CHILD
        assert "PTPA-3-2" in s.provisions

    def test_without_restraint_no_rule_4(self) -> None:
        assert 4 not in suggest(kiln_debt()).rules


class TestRule5BondedLabour:
    def test_bonded_debt_and_nominal_wages_without_coercion(self) -> None:
        s = suggest(SCENARIOS["rule 5"])
        assert 5 in s.rules
        assert s.classification == Classification.BONDED_LABOUR
        assert has(s, "BLSA-11", "BLSA-12")
        assert "PTPA-3-1" not in s.provisions
        assert Flag.TRAFFICKING_REVIEW in s.flags
        assert s.agency == Agency.POLICE_AND_LABOUR

    def test_restraint_turns_it_into_rule_4(self) -> None:
        s = suggest(kiln_debt(labour={"below_minimum_wage"}, ilo={"restriction"}))
        assert 4 in s.rules
        assert 5 not in s.rules
        assert s.classification == Classification.TRAFFICKING_ADULT

    def test_rule_5_wins_over_rule_10(self) -> None:
        # Labour markers only and no ILO indicator: rule 10 fires too, but
        # bonded labour is the more serious reading.
        s = suggest(SCENARIOS["rule 5"])
        assert s.rules == [5, 10]
        assert s.classification == Classification.BONDED_LABOUR


class TestRule6Smuggling:
    def test_smuggling_across_the_border(self) -> None:
        s = suggest(SCENARIOS["rule 6"])
        assert s.rules == [6]
        assert s.classification == Classification.SMUGGLING
        assert has(s, "PSMA", "EO-17")
        assert not any(c.startswith("PTPA") for c in s.provisions)
        assert s.agency == Agency.FIA
        assert Flag.SMUGGLED_MIGRANT in s.flags
        assert Flag.VICTIM_NON_PUNISHABLE not in s.flags

    def test_no_border_no_smuggling(self) -> None:
        s = suggest(smuggled(crossed_border=False))
        assert s.rules == []
        assert s.classification == Classification.OTHER


class TestRule7SmugglingTurnedTrafficking:
    def test_exploitation_en_route(self) -> None:
        s = suggest(SCENARIOS["rule 7"])
        assert s.rules == [7]
        assert s.classification == Classification.SMUGGLING_TO_TRAFFICKING
        assert has(s, "PTPA-3-1", "PTPA-4", "PSMA")
        assert s.agency == Agency.FIA
        assert Flag.SMUGGLED_MIGRANT in s.flags
        assert Flag.VICTIM_NON_PUNISHABLE in s.flags

    def test_documents_taken_adds_section_4_only_then(self) -> None:
        assert "PTPA-4" not in suggest(smuggled(exploitation_en_route=True)).provisions

    def test_rules_6_and_7_exclude_each_other(self) -> None:
        assert 6 not in suggest(SCENARIOS["rule 7"]).rules
        assert 7 not in suggest(SCENARIOS["rule 6"]).rules

    def test_rule_7_wins_over_rule_1(self) -> None:
        s = suggest(
            child_labour(smuggling={"paid_agent"}, crossed_border=True, exploitation_en_route=True)
        )
        assert s.rules == [1, 7]
        assert s.classification == Classification.SMUGGLING_TO_TRAFFICKING
        assert s.agency == Agency.FIA
        # The child's sections stay on offer.
        assert has(s, "PTPA-3-2", "PTPA-CHILD", "PSMA")

    def test_rule_7_wins_over_rule_2(self) -> None:
        s = suggest(
            adult(smuggling={"paid_agent"}, crossed_border=True, exploitation_en_route=True)
        )
        assert s.rules == [2, 7]
        assert s.classification == Classification.SMUGGLING_TO_TRAFFICKING
        assert s.agency == Agency.FIA


class TestRule8EmigrationFraud:
    def test_money_for_a_job_abroad_before_anyone_moved(self) -> None:
        s = suggest(SCENARIOS["rule 8"])
        assert s.rules == [8]
        assert s.classification == Classification.EMIGRATION_FRAUD
        assert has(s, "EO-17", "EO-18", "EO-22")
        assert s.agency == Agency.FIA

    def test_departure_without_the_protector_still_counts(self) -> None:
        fired = suggest(
            Answers(emigration={"money"}, crossed_border=True, departed_without_protector=True)
        )
        assert 8 in fired.rules
        assert 8 not in suggest(Answers(emigration={"money"}, crossed_border=True)).rules


class TestRule9Kidnapping:
    def test_woman_abducted_for_marriage(self) -> None:
        s = suggest(Answers(woman=True, abducted_for_marriage=True))
        assert s.rules == [9]
        assert s.classification == Classification.OTHER
        assert s.provisions == ["PPC-365B"]
        assert Flag.KIDNAPPING_REVIEW in s.flags
        assert s.agency == Agency.POLICE

    def test_commercial_sex_purpose_adds_ptpa_3_2(self) -> None:
        s = suggest(SCENARIOS["rule 9"])
        assert has(s, "PPC-365B", "PTPA-3-2")


class TestRule10LabourViolation:
    def test_labour_markers_only(self) -> None:
        s = suggest(SCENARIOS["rule 10"])
        assert s.rules == [10]
        assert s.classification == Classification.LABOUR_VIOLATION
        assert has(s, "PRECA-11", "PBKCLA")
        assert "BLSA-11" not in s.provisions
        assert s.agency == Agency.LABOUR
        assert Flag.VICTIM_NON_PUNISHABLE not in s.flags

    def test_bonded_debt_adds_blsa(self) -> None:
        s = suggest(Answers(labour={"peshgi_above_cap"}, bonded_debt=True))
        assert s.rules == [10]
        assert has(s, "PRECA-11", "BLSA-11", "BLSA-12")

    @pytest.mark.parametrize("indicator", list(IloIndicator))
    def test_not_with_any_ilo_indicator(self, indicator: IloIndicator) -> None:
        s = suggest(Answers(labour={"no_contract"}, ilo={indicator}))
        assert 10 not in s.rules
        assert s.classification != Classification.LABOUR_VIOLATION

    def test_not_with_a_means(self) -> None:
        assert 10 not in suggest(Answers(labour={"no_contract"}, means={"debt"})).rules


class TestRule11ForcedLabourReview:
    @pytest.mark.parametrize("indicator", sorted(STRONG_ILO))
    def test_one_strong_indicator_is_enough(self, indicator: str) -> None:
        s = suggest(Answers(labour={"no_contract"}, ilo={indicator}))
        assert 11 in s.rules
        assert Flag.POSSIBLE_FORCED_LABOUR in s.flags

    def test_two_weaker_indicators(self) -> None:
        s = suggest(Answers(labour={"no_contract"}, ilo={"deception", "overtime"}))
        assert s.rules == [11]
        assert Flag.POSSIBLE_FORCED_LABOUR in s.flags
        # The flag suggests no classification of its own.
        assert s.classification == Classification.OTHER

    @pytest.mark.parametrize("indicator", sorted(set(IloIndicator) - STRONG_ILO))
    def test_one_weak_indicator_is_not(self, indicator: str) -> None:
        s = suggest(Answers(labour={"no_contract"}, ilo={indicator}))
        assert 11 not in s.rules
        assert Flag.POSSIBLE_FORCED_LABOUR not in s.flags

    def test_the_strong_set_is_the_one_in_domain_md(self) -> None:
        assert {str(i) for i in STRONG_ILO} == {
            "debt_bondage",
            "documents",
            "restriction",
            "violence",
        }


# --- guard rails ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_ppc_369a_is_never_suggested(name: str) -> None:
    assert "PPC-369A" not in suggest(SCENARIOS[name]).provisions


@pytest.mark.parametrize("name", ["rule 6", "rule 7"])
def test_smuggled_migrant_flag(name: str) -> None:
    assert Flag.SMUGGLED_MIGRANT in suggest(SCENARIOS[name]).flags


@pytest.mark.parametrize("name", ["rule 1", "rule 2", "rule 4", "rule 7"])
def test_trafficking_victim_is_not_punishable(name: str) -> None:
    s = suggest(SCENARIOS[name])
    assert s.classification in {
        Classification.TRAFFICKING_CHILD,
        Classification.TRAFFICKING_ADULT,
        Classification.SMUGGLING_TO_TRAFFICKING,
    }
    assert Flag.VICTIM_NON_PUNISHABLE in s.flags
    assert "PTPA-VICTIM" in s.provisions


@pytest.mark.parametrize("name", ["rule 5", "rule 6", "rule 8", "rule 9", "rule 10"])
def test_no_victim_flag_outside_trafficking(name: str) -> None:
    s = suggest(SCENARIOS[name])
    assert Flag.VICTIM_NON_PUNISHABLE not in s.flags
    assert "PTPA-VICTIM" not in s.provisions


@pytest.mark.parametrize(
    ("evidence", "flagged"),
    [("stated", True), ("none", True), ("document", False), ("medical", False)],
)
def test_age_unproven_flag(evidence: str, flagged: bool) -> None:
    s = suggest(child_labour(age_evidence=evidence))
    assert (Flag.AGE_UNPROVEN in s.flags) is flagged
    # The flag never changes the rule: it asks the officer to check.
    assert s.rules == [1]


def test_flags_and_provisions_have_no_repeats() -> None:
    s = suggest(SCENARIOS["everything"])
    assert len(s.flags) == len(set(s.flags))
    assert len(s.provisions) == len(set(s.provisions))
    assert s.rules == sorted(set(s.rules))


def test_everything_at_once_is_smuggling_turned_trafficking() -> None:
    s = suggest(SCENARIOS["everything"])
    assert s.rules == [1, 3, 4, 7, 8, 9, 11]
    assert s.classification == Classification.SMUGGLING_TO_TRAFFICKING
    assert s.agency == Agency.FIA
    assert {Flag.AGE_UNPROVEN, Flag.SMUGGLED_MIGRANT, Flag.VICTIM_NON_PUNISHABLE} <= set(s.flags)


def test_empty_answers_suggest_nothing() -> None:
    s = suggest(Answers())
    assert s.rules == []
    assert s.classification == Classification.OTHER
    assert s.provisions == []
    # Nothing is known, not even the age: the only flag asks for age evidence.
    assert s.flags == [Flag.AGE_UNPROVEN]


def test_unknown_age_is_flagged_because_child_and_adult_rules_differ() -> None:
    adult_means = Answers(acts={"recruit"}, means={"fraud"}, purposes={"labour"})
    assert Flag.AGE_UNPROVEN in suggest(adult_means).flags
    proven = Answers(
        acts={"recruit"},
        means={"fraud"},
        purposes={"labour"},
        age_years=30,
        age_evidence="document",
    )
    assert Flag.AGE_UNPROVEN not in suggest(proven).flags


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_suggested_code_is_in_the_catalogue(name: str) -> None:
    codes = set(LegalProvision.objects.values_list("code", flat=True))
    assert set(suggest(SCENARIOS[name]).provisions) <= codes


# --- serialisation -------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_answers_round_trip_through_json(name: str) -> None:
    answers = SCENARIOS[name]
    data = json.loads(json.dumps(answers.to_json()))
    again = Answers.from_json(data)
    assert again == answers
    assert suggest(again) == suggest(answers)


def test_answers_json_holds_sorted_lists_and_ignores_unknown_keys() -> None:
    data = adult(acts={"transport", "harbour"}).to_json()
    assert data["acts"] == ["harbour", "transport"]
    assert data["age_years"] == 30
    data["retired_question"] = True
    assert Answers.from_json(data).acts == {"harbour", "transport"}


def test_suggestion_to_json() -> None:
    s = suggest(adult())
    data = json.loads(json.dumps(s.to_json()))
    assert data["rules"] == [2]
    assert data["classification"] == "trafficking_adult"
    assert data["agency"] == "police"
    assert Suggestion(**data) == s


# --- the legal catalogue -----------------------------------------------------------------


def in_force(day: dt.date) -> set[str]:
    return set(provisions_in_force(day).values_list("code", flat=True))


@pytest.mark.django_db
class TestCatalogue:
    def test_migration_loaded_every_row(self) -> None:
        with CATALOGUE_CSV.open(encoding="utf-8") as fh:
            rows = read_rows(fh)
        assert LegalProvision.objects.count() == len(rows) > 20

    def test_ppc_369a_only_before_the_ptpa(self) -> None:
        assert "PPC-369A" in in_force(dt.date(2017, 5, 1))
        assert "PPC-369A" in in_force(dt.date(2018, 6, 1))
        assert "PPC-369A" not in in_force(dt.date(2018, 6, 2))
        assert "PPC-369A" not in in_force(dt.date(2024, 3, 1))

    def test_ptpa_only_from_2018(self) -> None:
        assert "PTPA-3-1" not in in_force(dt.date(2017, 5, 1))
        assert "PTPA-3-1" in in_force(dt.date(2024, 3, 1))
        assert "PPC-365B" in in_force(dt.date(2017, 5, 1))

    def test_today_by_default(self) -> None:
        codes = set(provisions_in_force().values_list("code", flat=True))
        assert "PTPA-3-1" in codes
        assert "PPC-369A" not in codes

    def test_unverified_punishment_is_not_shown(self) -> None:
        provision = LegalProvision.objects.get(code="PTPA-3-2")
        assert provision.punishment_en  # text exists but is not verified
        assert provision.punishment == ""

    def test_verified_punishment_is_shown_in_the_language(self) -> None:
        provision = LegalProvision.objects.get(code="PPC-365B")
        assert provision.punishment == "Life imprisonment and fine"
        with translation.override("ur"):
            assert provision.punishment == provision.punishment_ur != ""

    def test_label(self) -> None:
        assert LegalProvision.objects.get(code="PPC-365B").label == "Pakistan Penal Code s.365B"
        assert LegalProvision.objects.get(code="PSMA").label == "PSMA 2018"


GOOD_ROW = {
    "code": "X-1",
    "act": "Test Act",
    "section": "1",
    "title_en": "A section",
    "title_ur": "",
    "punishment_en": "",
    "punishment_ur": "",
    "section_verified": "yes",
    "punishment_verified": "no",
    "valid_from": "2020-01-01",
    "valid_to": "",
    "source": "test",
}


def csv_text(rows: list[dict[str, str]], fields: list[str] = FIELDS) -> io.StringIO:
    lines = [",".join(fields)]
    lines += [",".join(row.get(f, "") for f in fields) for row in rows]
    return io.StringIO("\n".join(lines) + "\n")


class TestReadRows:
    def test_good_row(self) -> None:
        (row,) = read_rows(csv_text([GOOD_ROW]))
        assert row["section_verified"] is True
        assert row["punishment_verified"] is False
        assert row["valid_from"] == dt.date(2020, 1, 1)
        assert row["valid_to"] is None

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"section_verified": "maybe"}, "section_verified must be yes or no"),
            ({"punishment_verified": "Y"}, "punishment_verified must be yes or no"),
            ({"valid_from": "01/06/2018"}, "valid_from is not a date"),
            ({"valid_to": "2018-13-01"}, "valid_to is not a date"),
            ({"valid_from": ""}, "valid_from is required"),
            ({"valid_to": "2019-12-31"}, "valid_to is before valid_from"),
            ({"code": ""}, "code, act and title_en are required"),
        ],
    )
    def test_bad_values_are_refused_with_the_line(
        self, change: dict[str, str], message: str
    ) -> None:
        with pytest.raises(CatalogueError, match=message) as caught:
            read_rows(csv_text([GOOD_ROW, {**GOOD_ROW, "code": "X-2", **change}]))
        assert "line 3" in str(caught.value)

    def test_missing_column_is_refused(self) -> None:
        fields = [f for f in FIELDS if f != "valid_to"]
        with pytest.raises(CatalogueError, match="missing columns: valid_to"):
            read_rows(csv_text([GOOD_ROW], fields))
