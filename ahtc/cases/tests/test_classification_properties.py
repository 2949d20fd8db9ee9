"""Properties of the assistant that must hold for every answer (issue 12), and
the legal catalogue it draws on."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from ahtc.cases.classification import FACT_KEYS, Answers, Tri, answers, suggest
from ahtc.cases.forms import ClassificationForm
from ahtc.cases.legal import (
    CATALOGUE_CSV,
    FIELDS,
    OPTIONAL_FIELDS,
    CatalogueError,
    catalogue_load,
    charges_in_force,
    provisions_in_force,
    read_rows,
    shipped_in_force,
    shipped_validity,
)
from ahtc.cases.models import LegalProvision
from ahtc.cases.tests.test_classification import TABLE

facts_strategy = st.dictionaries(st.sampled_from(FACT_KEYS), st.sampled_from(list(Tri.values)))
answers_strategy = st.builds(
    Answers,
    facts=facts_strategy,
    age_years=st.one_of(st.none(), st.integers(min_value=0, max_value=90)),
    age_evidence=st.sampled_from(["document", "medical", "stated", "none"]),
    sex=st.sampled_from(["feminine", "masculine", "transgender_feminine", "unknown"]),
    nationality=st.sampled_from(["", "PK", "AF"]),
    direction=st.sets(st.sampled_from(["source", "transit", "destination", "internal"])),
    offence_date=st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31))),
    money_paid_pkr=st.one_of(st.none(), st.integers(min_value=0, max_value=10**7)),
)


@settings(max_examples=300, deadline=None)
@given(answers_strategy)
def test_nothing_is_suggested_outside_its_dates(a: Answers) -> None:
    """No repealed (or not yet enacted) section is suggested for the offence date."""
    s = suggest(a)
    day = a.offence_date or timezone.localdate()
    for code in [*s.provisions, *s.notes]:
        assert shipped_in_force(code, day), (code, day)
    if day > dt.date(2018, 5, 29):
        assert not {"PPC-369A", "PACHTO-3"} & set(s.provisions)


@settings(max_examples=300, deadline=None)
@given(answers_strategy, st.sampled_from(FACT_KEYS))
def test_not_known_never_adds_a_charge(a: Answers, key: str) -> None:
    """A fact not known gives exactly the charges of the same fact answered no:
    "not known" can only ask for review."""
    unknown = dataclasses.replace(a, facts={**a.facts, key: Tri.UNKNOWN})
    no = dataclasses.replace(a, facts={**a.facts, key: Tri.NO})
    assert suggest(unknown).provisions == suggest(no).provisions


@settings(max_examples=200, deadline=None)
@given(answers_strategy)
def test_every_charge_is_explained_and_never_other(a: Answers) -> None:
    s = suggest(a)
    assert s.classification != "other"
    assert list(s.because) == s.provisions
    assert all(s.because.values())
    assert s.agency_reason


BASES: list[Answers] = [
    answers(),
    answers(age_years=12, age_evidence="document", sex="feminine"),
    answers(age_years=30, age_evidence="document", sex="masculine"),
    *(case.answers for case in TABLE.values()),
]


@pytest.mark.parametrize("key", FACT_KEYS)
def test_every_fact_on_the_form_is_read_by_a_rule(key: str) -> None:
    """Answering the fact yes instead of not known changes the suggestion for at
    least one of the table's patterns (or a bare adult or child)."""

    def flipped(base: Answers) -> bool:
        yes = dataclasses.replace(base, facts={**base.facts, key: Tri.YES})
        unknown = dataclasses.replace(base, facts={**base.facts, key: Tri.UNKNOWN})
        return suggest(yes) != suggest(unknown)

    assert any(flipped(b) for b in BASES), key


def test_the_form_asks_every_fact_and_nothing_else() -> None:
    form = ClassificationForm()
    tri = {
        name for name, f in form.fields.items() if getattr(f, "choices", None) == list(Tri.choices)
    }
    assert tri == set(FACT_KEYS)


def test_the_form_reads_yes_no_and_not_known() -> None:
    form = ClassificationForm(
        data={
            "act_recruit": "yes",
            "means_fraud": "no",
            "purpose_labour": "unknown",
            "age_evidence": "none",
            "sex": "unknown",
        }
    )
    assert form.is_valid(), form.errors
    assert form.answers().facts == {"act_recruit": "yes", "means_fraud": "no"}
    bad = ClassificationForm(
        data={"act_recruit": "maybe", "age_evidence": "none", "sex": "unknown"}
    )
    assert not bad.is_valid()
    assert "act_recruit" in bad.errors


# --- the legal catalogue -----------------------------------------------------------------


def in_force(day: dt.date) -> set[str]:
    return set(provisions_in_force(day).values_list("code", flat=True))


def test_every_row_keeps_its_source_and_says_what_was_verified() -> None:
    with CATALOGUE_CSV.open(encoding="utf-8") as fh:
        rows = read_rows(fh)
    assert len(rows) >= 60
    for row in rows:
        assert row["source"], row["code"]
        assert row["date_source"], row["code"]
        assert row["act_ur"], row["code"]
        assert row["title_ur"], row["code"]
        # Trafficking is never called smuggling in Urdu (docs/urdu.md).
        if row["code"].startswith(("PTPA", "PACHTO")):
            assert "اسمگلنگ" not in row["title_ur"], row["code"]
        # A punishment is never shown as verified without its text.
        if row["punishment_verified"]:
            assert row["punishment_en"], row["code"]
            assert row["punishment_ur"], row["code"]


def test_the_sections_the_issue_lists_are_there() -> None:
    codes = set(shipped_validity())
    wanted = {
        "PPC-365A", "PPC-363", "PPC-365", "PPC-368", "PPC-369", "PPC-342", "PPC-344",
        "PPC-506", "PPC-420", "PPC-406", "PPC-468", "PPC-471", "PPC-109", "PPC-120B",
        "PPC-498B", "PPC-310A", "PPC-328A", "PPC-292A", "PPC-292B", "PPC-292C", "PPC-377A",
        "PPC-377B", "PPC-333", "PPC-334", "THOTA", "PMWA", "CMRA-5", "PRECA-SERIOUS",
        "EO-17", "EO-18", "EO-22", "PSMA", "PSMA-AGG", "PACHTO-3",
    }  # fmt: skip
    assert wanted <= codes


@pytest.mark.django_db
class TestCatalogue:
    def test_migrations_loaded_every_row_once(self) -> None:
        with CATALOGUE_CSV.open(encoding="utf-8") as fh:
            rows = read_rows(fh)
        assert LegalProvision.objects.count() == len(rows)
        # The first catalogue's rows were updated in place, not duplicated.
        assert LegalProvision.objects.filter(code="PTPA-3-1").count() == 1
        assert LegalProvision.objects.get(code="BLSA-11").valid_from == dt.date(1992, 3, 11)

    def test_ptpa_replaces_the_ordinance_and_369a_on_30_may_2018(self) -> None:
        assert {"PPC-369A", "PACHTO-3"} <= in_force(dt.date(2018, 5, 29))
        assert not {"PTPA-3-1"} & in_force(dt.date(2018, 5, 29))
        assert "PTPA-3-1" in in_force(dt.date(2018, 5, 30))
        assert not {"PPC-369A", "PACHTO-3"} & in_force(dt.date(2018, 5, 30))
        assert "PPC-369A" not in in_force(dt.date(2016, 3, 17))
        assert "PPC-369A" in in_force(dt.date(2016, 3, 18))

    def test_the_base_offence_is_for_any_victim(self) -> None:
        p = LegalProvision.objects.get(code="PTPA-3-1")
        assert "adult man" not in p.title_en
        assert "any victim" in p.title_en

    def test_provisions_that_are_not_offences_are_never_charges(self) -> None:
        charges = set(charges_in_force(dt.date(2024, 1, 1)).values_list("code", flat=True))
        everything = in_force(dt.date(2024, 1, 1))
        assert {"PTPA-VICTIM", "PTPA-CHILD", "CRPC-545", "PSMA-MIGRANT"} <= everything - charges
        assert "PTPA-3-1" in charges

    def test_unverified_punishment_is_not_shown(self) -> None:
        provision = LegalProvision.objects.get(code="PTPA-3-2")
        assert provision.punishment_en
        assert provision.punishment == ""
        assert not provision.verified

    def test_label_and_title_in_urdu(self) -> None:
        p = LegalProvision.objects.get(code="PPC-365B")
        assert p.label == "Pakistan Penal Code s.365-B"
        with translation.override("ur"):
            assert p.label == "دفعہ 365-B تعزیراتِ پاکستان"
            assert p.title == p.title_ur
            assert p.offender == p.offender_ur
            assert "Pakistan" not in LegalProvision.objects.get(code="PSMA").label

    def test_officer_columns(self) -> None:
        p = LegalProvision.objects.get(code="BLSA-11")
        assert (p.cognizable, p.bailable) == ("yes", "yes")
        assert "Magistrate" in p.trial_court
        eo18 = LegalProvision.objects.get(code="EO-18")
        assert "induce" in eo18.offender_en

    def test_an_old_format_file_still_imports(self) -> None:
        text = ",".join(FIELDS) + "\nX-1,Test Act,1,A section,,,,yes,no,2020-01-01,,test\n"
        created, _ = catalogue_load(LegalProvision, io.StringIO(text))
        row = LegalProvision.objects.get(code="X-1")
        assert created == 1
        assert (row.kind, row.date_verified) == ("offence", False)


GOOD: dict[str, Any] = {
    "code": "X-1", "act": "Test Act", "section": "1", "title_en": "A section", "title_ur": "",
    "punishment_en": "", "punishment_ur": "", "section_verified": "yes",
    "punishment_verified": "no", "valid_from": "2020-01-01", "valid_to": "", "source": "test",
    "kind": "offence", "date_verified": "no",
}  # fmt: skip


def csv_text(rows: list[dict[str, str]]) -> io.StringIO:
    fields = FIELDS + OPTIONAL_FIELDS
    lines = [",".join(fields)] + [",".join(r.get(f, "") for f in fields) for r in rows]
    return io.StringIO("\n".join(lines) + "\n")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "charge"}, "kind must be offence or non_offence"),
        ({"cognizable": "maybe"}, "cognizable must be yes, no or empty"),
        ({"date_verified": "Y"}, "date_verified must be yes or no"),
        ({"section_verified": "maybe"}, "section_verified must be yes or no"),
        ({"valid_from": "01/06/2018"}, "valid_from is not a date"),
        ({"valid_to": "2019-12-31"}, "valid_to is before valid_from"),
        ({"code": ""}, "code, act and title_en are required"),
    ],
)
def test_bad_rows_are_refused_with_the_line(change: dict[str, str], message: str) -> None:
    with pytest.raises(CatalogueError, match=message) as caught:
        read_rows(csv_text([GOOD, {**GOOD, "code": "X-2", **change}]))
    assert "line 3" in str(caught.value)
