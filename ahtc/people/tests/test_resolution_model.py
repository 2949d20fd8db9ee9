"""The matching model's blocking rules and comparisons (people/resolution.py):
pairs the earlier rules never scored, a lone "Muhammad" that says nothing,
and rare names that say more than common ones. Synthetic names only."""

from __future__ import annotations

from typing import Any

import pytest

from ahtc.people import resolution
from ahtc.people.resolution import BLOCKING, COMPARISONS, Features, Scored, features, score


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


def test_blocking_rules_pair_every_name_key_with_a_second_key() -> None:
    # A rule on a name key alone ran out of memory at 100k records (docs/benchmarks.md).
    names = {"name_skel", "first_skel", "rel_skel", "rel_first"}
    for rule in BLOCKING:
        assert not (len(rule) == 1 and rule[0] in names), rule


def _differs(comparison: str) -> dict[str, Any]:
    return COMPARISONS[comparison][-1]


def test_a_differing_cnic_or_age_is_never_impossible_for_the_same_person() -> None:
    # Training on clean data would set m to 0 (a weight of minus infinity);
    # real records carry typos and guessed ages, so m stays at its prior.
    for comparison in ("cnic", "age"):
        level = _differs(comparison)
        assert level["fix_m_probability"] is True
        assert level["m_probability"] > 0
