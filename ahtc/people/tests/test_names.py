"""Pakistani names normalised for comparison (people/names.py): table-driven,
Latin, Roman Urdu and Urdu script."""

from __future__ import annotations

import pytest

from ahtc.people.names import canonical, parse, skeleton, transliterate

SAME_PERSON = [
    # The issue's own example: one agent, four spellings.
    ("Muhammad Aslam s/o Bashir, Phalia", "M. Aslam"),
    ("Muhammad Aslam", "Mohammad Asalam Ch."),
    ("Mohd Aslam", "محمد اسلم"),
    ("Muhammed Aslam", "Aslam Muhammad"),  # word order
    ("Ch. Imran Gondal", "Imraan"),  # honorific and caste apart, spelling variant
    ("Rana Tariq Mehmood", "Tarik Mehmood Rana"),
    ("Hafiz Abdul Rehman", "Abdul Rahman"),
    ("Usman Butt", "عثمان بٹ"),
    ("Yousaf Khan", "یوسف خان"),
    ("Nasreen Bibi w/o Akram", "Nasreen"),
    ("Haji Ghulam Hussain", "Gulam Husain"),
    ("Malik Javed Iqbal", "Javaid Ikbal"),
    # Heh and hay after a consonant are sounds of their own, not aspiration;
    # a final heh after one lam is the vowel a (only Allah keeps its h).
    ("Zaheer Abbas", "ظہیر عباس"),
    ("Tahseen", "تحسین"),
    ("Jamila Bibi", "جمیلہ بی بی"),
    ("Shakeela", "شکیلہ"),
    ("Abdullah", "عبداللہ"),
    ("Mai Bhagan", "مائی بھاگن"),
]
DIFFERENT = [
    ("Muhammad Aslam", "Muhammad Akram"),
    ("Asif Ali", "Yousaf Ali"),
    ("Imran Khan", "Irfan Khan"),
]


@pytest.mark.parametrize(("one", "other"), SAME_PERSON)
def test_spellings_of_one_name_share_a_key(one: str, other: str) -> None:
    a, b = parse(one), parse(other)
    assert a.core == b.core or a.skeleton == b.skeleton, (a, b)


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    a, b = parse(one), parse(other)
    assert a.core != b.core
    assert a.skeleton != b.skeleton


@pytest.mark.parametrize(
    ("typed", "given", "relation", "relative"),
    [
        ("Muhammad Aslam s/o Bashir, Phalia", ("muhammad", "aslam"), "s/o", ("bashir",)),
        ("Aslam S/O. Bashir Ahmed", ("aslam",), "s/o", ("bashir", "ahmad")),
        ("Kausar d/o Nazir", ("kausar",), "d/o", ("nazir",)),
        ("Shazia w/o Tariq", ("shazia",), "w/o", ("tariq",)),
        ("Bilal son of Rasheed", ("bilal",), "s/o", ("rashid",)),
        ("Ali bin Umar", ("ali",), "s/o", ("umar",)),
        ("محمد اسلم ولد بشیر", ("muhammad", "aslam"), "s/o", ("bashir",)),
        ("کوثر بنت نذیر", ("kausar",), "d/o", ("nazir",)),
        ("شازیہ زوجہ طارق", ("shazia",), "w/o", ("tariq",)),
        ("Zahid Hussain", ("zahid", "hussain"), "", ()),
    ],
)
def test_relation_is_parsed_into_the_relatives_name(
    typed: str, given: tuple[str, ...], relation: str, relative: tuple[str, ...]
) -> None:
    parsed = parse(typed)
    assert parsed.given[: len(given)] == given or parsed.skeleton == parse(" ".join(given)).skeleton
    assert parsed.relation == relation
    assert parsed.relative_skeleton == parse(" ".join(relative)).skeleton


def test_relatives_field_is_used_when_the_name_has_no_s_o() -> None:
    assert parse("Aslam", relative="Bashir Ahmad").relative_core == "ahmad bashir"
    assert parse("Aslam s/o Bashir", relative="ignored").relative_core == "bashir"


@pytest.mark.parametrize(
    ("typed", "honorifics", "castes", "core"),
    [
        ("Ch. Muhammad Aslam Gondal", ("ch",), ("gondal",), "aslam"),
        ("Chaudhry Aslam", ("chaudhry",), (), "aslam"),
        ("Hafiz Haji Bilal", ("hafiz", "haji"), (), "bilal"),
        ("Rana Malik Akram", (), ("rana", "malik"), "akram"),
        ("چوہدری اسلم گوندل", ("ch",), ("gondal",), "aslam"),
        ("Syed Ali Shah", (), ("syed",), "ali shah"),
    ],
)
def test_titles_and_castes_are_set_apart(
    typed: str, honorifics: tuple[str, ...], castes: tuple[str, ...], core: str
) -> None:
    parsed = parse(typed)
    assert parsed.honorifics == honorifics
    assert parsed.castes == castes
    assert parsed.core == core


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("mohd", "muhammad"),
        ("m", "muhammad"),
        ("muhammed", "muhammad"),
        ("ahmed", "ahmad"),
        ("محمد", "muhammad"),
        ("احمد", "ahmad"),
        ("اسلم", "aslam"),
        ("بشیر", "bashir"),
        ("zarmeen", "zarmeen"),  # unknown names pass unchanged
        # Typos of Muhammad (one letter dropped, added, changed, swapped) ...
        ("muammad", "muhammad"),
        ("muhammaad", "muhammad"),
        ("muhamamd", "muhammad"),
        ("muhammd", "muhammad"),
        # ... but not names that only look alike.
        ("mehmood", "mehmood"),
        ("mahmood", "mahmood"),
        ("mushtaq", "mushtaq"),
    ],
)
def test_canonical_spelling(word: str, expected: str) -> None:
    assert canonical(word) == expected


@pytest.mark.parametrize(
    ("urdu", "latin"),
    [("اسلم", "aslm"), ("یوسف", "yosf"), ("وسیم", "wsim"), ("خان", "khan"), ("شاہ", "shah")],
)
def test_urdu_transliteration_table(urdu: str, latin: str) -> None:
    assert transliterate(urdu) == latin


def test_skeleton_ignores_vowels_but_keeps_a_first_vowel() -> None:
    assert skeleton("muhammad") == skeleton("mohammed") == "mhmd"
    assert skeleton("aslam") == skeleton("asalam") == "aslm"
    assert skeleton("usman") == skeleton("osman")
    assert skeleton("yousaf") != skeleton("asif")
