"""Check the Urdu catalogue against the project's glossary (docs/urdu.md).

Every translated entry whose English names a glossary concept must use the
standard Urdu term, and no entry may use a banned rendering (for example
«انسانی اسمگلنگ» for trafficking, which everyday Pakistani Urdu reads as
smuggling of migrants). Untranslated and fuzzy entries are skipped: they are
not shown, and whoever fills them in is checked next time.

    python scripts/check_glossary.py [path/to/django.po]

Exits 0 when the catalogue follows the glossary; otherwise lists each fault
with its line and exits 1. Standard library only (run in CI and `make lint`).
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_PO = Path(__file__).resolve().parent.parent / "ahtc/locale/ur/LC_MESSAGES/django.po"

# (why, banned Urdu) anywhere in a translation.
BANNED: list[tuple[str, re.Pattern[str]]] = [
    ("trafficking is انسانی تجارت, never smuggling", re.compile("انسانی اسمگل|افراد کی اسمگل")),
    ("re-trafficking is دوبارہ انسانی تجارت", re.compile("دوبارہ اسمگلنگ")),
    (
        "district is ضلع (ڈسٹرکٹ only inside titles)",
        re.compile("ڈسٹرکٹ(?! (پبلک|پولیس|ہیلتھ|ایجوکیشن|ویجیلنس))"),
    ),
    ("police station is تھانہ", re.compile("پولیس اسٹیشن")),
    ("FIR number is مقدمہ نمبر", re.compile("ایف آئی آر نمبر")),
    ("bonded labour is قرض (پیشگی) کے بدلے جبری مشقت, never بیگار", re.compile("بیگار")),
    ("the cell's one name is اینٹی ہیومن ٹریفکنگ سیل", re.compile("اینٹی ٹریفکنگ سیل")),
    ("held for ransom is یرغمال, not قید", re.compile("تاوان کے لیے قید")),
    ("forced marriage is زبردستی کی شادی", re.compile("زبردستی شادی")),
    ("Emigrants is ایمیگرنٹس", re.compile("(?<!ی)امیگرنٹس")),
    ("amounts: number first, then روپے", re.compile(r"\bRs\b")),
    ("law abbreviations in Urdu: ت پ، ض ف", re.compile(r"\b(PPC|CrPC)\b")),
    ("a voice note is وائس نوٹ", re.compile("وائس میسج")),
]

# (English concept, standard Urdu terms: one of them must appear).
REQUIRED: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    (re.compile(r"Anti-Human Trafficking Cell"), re.compile("اینٹی ہیومن ٹریفکنگ سیل")),
    (re.compile(r"(?i)organ trafficking"), re.compile("اعضا کی خرید و فروخت")),
    (re.compile(r"(?i)traffick"), re.compile("انسانی تجارت|ٹریفکر|ٹریفکنگ|خرید و فروخت")),
    (re.compile(r"(?i)smuggl"), re.compile("اسمگل")),
    (
        re.compile(r"(?i)\bdistricts?\b(?! (public|police|health|education|vigilance))"),
        re.compile("ضلع|اضلاع"),
    ),
    (re.compile(r"(?i)police stations?"), re.compile("تھانہ|تھانے")),
    (re.compile(r"FIR number"), re.compile("مقدمہ نمبر")),
    (re.compile(r"(?i)bonded labour|debt bondage"), re.compile(r"قرض \(پیشگی\) کے بدلے جبری مشقت")),
    (re.compile(r"(?i)forced marriage"), re.compile("زبردستی کی شادی|جبری شادی")),
    (re.compile(r"(?i)held .*for ransom"), re.compile("یرغمال")),
    (re.compile(r"(?i)receipt code"), re.compile("رسید کوڈ")),
    (re.compile(r"\bPPC\b"), re.compile("ت پ")),
    (re.compile(r"\bCrPC\b"), re.compile("ض ف")),
    (re.compile(r"\bMB\b"), re.compile("ایم بی")),
]


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgid_plural: str = ""
    msgstrs: list[str] = field(default_factory=list)
    fuzzy: bool = False


def entries(text: str) -> list[Entry]:
    """The entries of a .po file (enough of the format for this check)."""
    found: list[Entry] = []
    current = Entry(line=1)
    target: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current.msgstrs:  # comments open the next entry
                found.append(current)
                current = Entry(line=number)
            if line.startswith("#,") and "fuzzy" in line:
                current.fuzzy = True
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            value, keyword = ast.literal_eval(line), target or ""
        else:
            value = ast.literal_eval(rest) if rest else ""
            if keyword in ("msgctxt", "msgid") and current.msgstrs:
                found.append(current)
                current = Entry(line=number)
            if keyword.startswith("msgstr"):
                current.msgstrs.append("")
        target = keyword
        if keyword == "msgid":
            current.msgid += value
        elif keyword == "msgid_plural":
            current.msgid_plural += value
        elif keyword.startswith("msgstr"):
            current.msgstrs[-1] += value
    found.append(current)
    return [e for e in found if e.msgid]


def faults(text: str) -> list[str]:
    problems = []
    for entry in entries(text):
        if entry.fuzzy or not all(entry.msgstrs):
            continue
        english = PLACEHOLDER.sub("", f"{entry.msgid} {entry.msgid_plural}")
        for urdu in entry.msgstrs:
            for why, banned in BANNED:
                if banned.search(urdu):
                    problems.append(f"line {entry.line}: {why}: {entry.msgid!r} -> {urdu!r}")
            for concept, standard in REQUIRED:
                if concept.search(english) and not standard.search(urdu):
                    wanted = standard.pattern
                    problems.append(f"line {entry.line}: use {wanted}: {entry.msgid!r} -> {urdu!r}")
                    break
    return problems


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_PO
    problems = faults(path.read_text(encoding="utf-8"))
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} glossary faults in {path} (docs/urdu.md has the terms)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
