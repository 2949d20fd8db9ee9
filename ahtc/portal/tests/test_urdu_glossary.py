"""scripts/check_glossary.py: the Urdu catalogue uses the glossary's terms."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def glossary() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "check_glossary", ROOT / "scripts/check_glossary.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def po(*entries: tuple[str, str], fuzzy: bool = False) -> str:
    flag = "#, fuzzy\n" if fuzzy else ""
    body = "".join(f'\n#: x.py\n{flag}msgid "{en}"\nmsgstr "{ur}"\n' for en, ur in entries)
    return f'msgid ""\nmsgstr ""\n"Language: ur\\n"\n{body}'


def test_the_catalogue_follows_the_glossary(glossary: ModuleType) -> None:
    assert glossary.main(["check_glossary.py"]) == 0


@pytest.mark.parametrize(
    ("english", "urdu"),
    [
        ("Signs of trafficking", "انسانی اسمگلنگ کی نشانیاں"),
        ("Choose a district.", "ڈسٹرکٹ چنیں۔"),
        ("Police station", "پولیس اسٹیشن"),
        ("FIR number", "ایف آئی آر نمبر"),
        ("debt bondage", "قرض کے بدلے بیگار"),
        ("Police anti-trafficking cell", "پولیس کا اینٹی ٹریفکنگ سیل"),
        ("Someone held for ransom", "کسی کو تاوان کے لیے قید کیا گیا"),
        ("paid: Rs %(amount)s", "ادا شدہ: Rs %(amount)s"),
        ("statement (s.161 CrPC)", "بیان (s.161 CrPC)"),
    ],
)
def test_a_banned_or_missing_term_is_a_fault(glossary: ModuleType, english: str, urdu: str) -> None:
    assert glossary.faults(po((english, urdu)))


def test_standard_terms_pass_and_titles_may_keep_district(glossary: ModuleType) -> None:
    text = po(
        ("Signs of trafficking", "انسانی تجارت کی نشانیاں"),
        ("District Public Prosecutor, %(district)s", "ڈسٹرکٹ پبلک پراسیکیوٹر، %(district)s"),
        ("The rollout of %(district)s is saved.", "%(district)s کی تفصیلات محفوظ ہو گئیں۔"),
        ("police stations", "تھانے"),
    )
    assert glossary.faults(text) == []


def test_untranslated_and_fuzzy_entries_are_left_to_their_owner(glossary: ModuleType) -> None:
    assert glossary.faults(po(("Choose a district.", ""))) == []
    assert glossary.faults(po(("Choose a district.", "ڈسٹرکٹ چنیں"), fuzzy=True)) == []
