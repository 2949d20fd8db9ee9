"""Amounts, file sizes, file kinds and arrows as each language writes them
(`{% load figures %}`, issue 18)."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from ahtc.core.templatetags.figures import file_kind, file_size, lakh_grouping, route, rupees


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (0, "0"),
        (999, "999"),
        (1000, "1,000"),
        (50000, "50,000"),
        (300000, "3,00,000"),
        (12345678, "1,23,45,678"),
        (-150000, "-1,50,000"),
    ],
)
def test_lakh_grouping(value: int, written: str) -> None:
    assert lakh_grouping(value) == written


def test_amounts_are_number_first_in_both_languages() -> None:
    with translation.override("ur"):
        assert rupees(300000) == "3,00,000 روپے"
        assert rupees("") == "—"
    with translation.override("en"):
        assert rupees("150000") == "1,50,000 rupees"
        assert "Rs" not in rupees(5)


def test_file_sizes_and_kinds_are_words_of_the_page() -> None:
    with translation.override("ur"):
        assert file_size(8 * 1024 * 1024) == "8 ایم بی"
        assert file_size(1_572_864) == "1.5 ایم بی"
        assert file_size(40_000) == "39 کے بی"
        assert file_size(10) == "1 کے بی"
        assert file_kind("jpeg") == "تصویر"
        assert file_kind("pdf") == "پی ڈی ایف دستاویز"
        assert file_kind("something-new") == "فائل"
    with translation.override("en"):
        assert file_size(8 * 1024 * 1024) == "8 MB"
        assert file_kind("ogg") == "voice note"


def test_arrows_point_the_way_the_line_is_read() -> None:
    stops = ["منڈی بہاؤالدین", "تہران", "استنبول"]
    with translation.override("ur"):
        assert route(stops) == "منڈی بہاؤالدین ← تہران ← استنبول"
        html = Template("{% load figures %}A {% arrow %} B").render(Context())
        assert html == "A ← B"
    with translation.override("en"):
        assert route(["Lahore", "Tehran"]) == "Lahore → Tehran"
