"""The matching model's blocking rules and comparisons (people/resolution.py):
pairs the earlier rules never scored, a lone "Muhammad" that says nothing,
and rare names that say more than common ones. Synthetic names only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from ahtc.people import resolution
from ahtc.people.resolution import (
    BLOCKING,
    COMPARISONS,
    UNCAPPED,
    Features,
    Scored,
    block_column,
    features,
    score,
)


def _pair(records: list[Features], a: int, b: int) -> Scored | None:
    result = score(records, threshold_weight=-60, train=False)
    return next((p for p in result.pairs if (p.left, p.right) == (a, b)), None)


def _noise(start: int) -> list[Features]:
    """Unrelated people, so that the pair is not alone in the registry."""
    return [
        features(uid=start + i, district="PK601", names=[f"Zarmeen{i} Noone"], relative="Xyz")
        for i in range(5)
    ]


def test_partial_cnic_finds_a_record_whose_name_is_only_muhammad() -> None:
    # "Muhammad Zafar s/o Ashfaq" written "Muhammad" alone in one district,
    # with the first eight CNIC digits only: no name key agrees, the number does.
    records = [
        features(
            uid=1,
            district="PK605",
            names=["Zafar"],
            relative="Ashfaq Iqbal",
            cnics=["36888480?????"],
        ),
        features(uid=2, district="PK620", names=["Muhammad"], relative="", cnics=["3688848012345"]),
        *_noise(10),
    ]
    pair = _pair(records, 1, 2)
    assert pair is not None
    assert pair.evidence["cnic"] == "partial_fits"
    assert pair.evidence["name"] == "null"  # "Muhammad" alone: as good as no name


def test_same_name_in_the_same_district_is_scored_without_other_keys() -> None:
    records = [
        features(uid=1, district="PK621", names=["Qadir Gondal"]),
        features(uid=2, district="PK621", names=["Ch. Qadir"]),
        *_noise(10),
    ]
    pair = _pair(records, 1, 2)
    assert pair is not None
    assert (pair.evidence["name"], pair.evidence["district"]) == ("exact", "exact")


def test_ages_a_year_apart_share_a_band_or_another_key() -> None:
    records = [
        features(uid=1, district="PK601", names=["Tauqeer Mehmood"], birth_year=1967),
        features(uid=2, district="PK634", names=["Mehmood Tauqeer"], birth_year=1966),
        *_noise(10),
    ]
    assert _pair(records, 1, 2) is not None


def test_a_rare_name_weighs_more_than_a_common_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resolution, "TF_MIN", 10)  # on from 2,000 records in the product
    common = [
        features(uid=i, district="PK620", names=["Aslam"], relative="Bashir") for i in range(1, 31)
    ]
    rare = [
        features(uid=i, district="PK620", names=["Zarmeen Aslam"], relative="Bashir")
        for i in (101, 102)
    ]
    records = [*common, *rare]
    result = score(records, threshold_weight=-60, train=False)
    weight = {(p.left, p.right): p.match_weight for p in result.pairs}
    assert weight[(101, 102)] > weight[(1, 2)] + 2


def test_every_blocking_rule_on_a_name_is_capped() -> None:
    # Uncapped, name-keyed blocks grow with the square of their size (a rule
    # on a name key alone ran out of memory at 100k records, docs/benchmarks.md).
    names = {"name_core", "name_skel", "first_skel", "rel_skel", "rel_first"}
    for rule in BLOCKING:
        assert rule in UNCAPPED or block_column(rule).startswith("block_"), rule
        assert not (rule in UNCAPPED and names & set(rule)), rule


def _aslams(born: Sequence[tuple[str, int | None]], start: int = 1) -> list[Features]:
    """Men written only "Aslam", in a district, with a birth year or none."""
    return [
        features(uid=start + i, district=district, names=["Aslam"], birth_year=year)
        for i, (district, year) in enumerate(born)
    ]


def _scored_pairs(records: list[Features]) -> set[tuple[int, int]]:
    result = score(records, threshold_weight=-60, train=False)
    return {(p.left, p.right) for p in result.pairs}


@pytest.mark.parametrize(("cap", "scored"), [(10, True), (3, False)])
def test_a_block_larger_than_the_cap_is_not_scored(
    monkeypatch: pytest.MonkeyPatch, cap: int, scored: bool
) -> None:
    # Five men written only "Aslam" in one district, no age, nothing else:
    # with a cap of 3 the name block is too common to say anything.
    monkeypatch.setattr(resolution, "BLOCK_CAP", cap)
    records = [*_aslams([("PK620", None)] * 5), *_noise(10)]
    assert ((1, 2) in _scored_pairs(records)) is scored


def test_a_block_too_large_is_tried_again_with_the_birth_band(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "Aslam" in PK620 (4 records) and "Aslam" born 1980-83 (5 records) are
    # both over the cap; "Aslam" in PK620 born 1980-83 (2 records) is not.
    monkeypatch.setattr(resolution, "BLOCK_CAP", 3)
    born = [("PK620", 1980), ("PK620", 1981), ("PK620", 1990), ("PK620", 1991)]
    records = [*_aslams(born), *_aslams([("PK621", 1980)] * 3, start=20), *_noise(40)]
    pairs = _scored_pairs(records)
    assert (1, 2) in pairs
    assert (3, 4) in pairs  # born 1988-91: a block of two
    assert (1, 20) not in pairs  # PK620 and PK621, born 1980: only the too-common keys


def test_a_shared_phone_is_scored_however_common_the_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(resolution, "BLOCK_CAP", 3)
    records = [*_aslams([("PK620", None)] * 5), *_noise(10)]
    records[0].phones = records[4].phones = ["+923001234567"]
    pairs = _scored_pairs(records)
    assert (1, 5) in pairs
    assert (1, 2) not in pairs


def test_a_caste_written_in_both_records_is_compared() -> None:
    records = [
        features(uid=1, district="PK621", names=["Ch. Qadir Gondal"], relative="Bashir"),
        features(uid=2, district="PK605", names=["Qadir Gondal s/o Basheer"]),
        features(uid=3, district="PK605", names=["Qadir Warraich s/o Bashir"]),
        *_noise(10),
    ]
    assert records[0].castes == ["gondal"]
    same, other = _pair(records, 1, 2), _pair(records, 1, 3)
    assert same is not None
    assert other is not None
    assert (same.evidence["caste"], other.evidence["caste"]) == ("exact", "differs")
    assert same.match_weight > other.match_weight


def _differs(comparison: str) -> dict[str, Any]:
    return COMPARISONS[comparison][-1]


def test_a_differing_cnic_or_age_is_never_impossible_for_the_same_person() -> None:
    # Training on clean data would set m to 0 (a weight of minus infinity);
    # real records carry typos and guessed ages, so m stays at its prior.
    for comparison in ("cnic", "age"):
        level = _differs(comparison)
        assert level["fix_m_probability"] is True
        assert level["m_probability"] > 0
