"""Agency names as people type them: Latin, Urdu and Roman Urdu, misspelt.

Three forms of a name:

- `folded`: NFKC, case-folded, accents and Urdu diacritics dropped, Arabic
  letter forms unified (people.search.words), punctuation gone.
- `skeleton` of each word: a rough sound key that Roman Urdu and Urdu script
  share. Urdu letters are written in Latin (ق → k, ز/ذ/ض/ظ → s ...), digraphs
  become one letter (kh → k, sh → s), then the vowels and the letters that
  Roman Urdu writes as vowels (w, v, y, h, and their Urdu letters) are dropped after
  the first letter, and doubled letters collapse. So "Noor", "Nur" and "نور"
  are all "nr"; "Muhammad", "Mohammed" and "محمد" are all "md".
- `stop words`: words every agency has (travels, tours, overseas, pvt ...)
  are not used to find candidates, only to compare them.

The public search (agencies/verify.py) finds candidates by shared skeleton
words in the database, then ranks at most a few dozen of them with difflib.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from ahtc.people.search import words

URDU_TO_LATIN = str.maketrans(
    {
        "ا": "a",
        "آ": "a",
        "ب": "b",
        "پ": "p",
        "ت": "t",
        "ٹ": "t",
        "ث": "s",
        "ج": "j",
        "چ": "c",
        "ح": "h",
        "خ": "k",
        "د": "d",
        "ڈ": "d",
        "ذ": "s",
        "ر": "r",
        "ڑ": "r",
        "ز": "s",
        "ژ": "s",
        "س": "s",
        "ش": "s",
        "ص": "s",
        "ض": "s",
        "ط": "t",
        "ظ": "s",
        "ع": "a",
        "غ": "g",
        "ف": "f",
        "ق": "k",
        "ک": "k",
        "گ": "g",
        "ل": "l",
        "م": "m",
        "ن": "n",
        "ں": "n",
        "و": "w",
        "ہ": "h",
        "ھ": "h",
        "ء": "",
        "ی": "y",
        "ے": "y",
    }
)
DIGRAPHS = (("kh", "k"), ("gh", "g"), ("ch", "c"), ("sh", "s"), ("th", "t"), ("ph", "f"))
SOUND_ALIKE = str.maketrans({"q": "k", "z": "s", "x": "k", "c": "k"})
SILENT = set("aeiouwvyh")
STOP_WORDS = frozenset(
    {
        "travel",
        "travels",
        "traveller",
        "travellers",
        "tour",
        "tours",
        "agency",
        "agencies",
        "agent",
        "agents",
        "overseas",
        "employment",
        "promoter",
        "promoters",
        "international",
        "intl",
        "services",
        "service",
        "consultant",
        "consultants",
        "consultancy",
        "enterprises",
        "pvt",
        "private",
        "ltd",
        "limited",
        "and",
        "the",
        "al",
        "el",
        "co",
        "company",
        "visa",
        "visas",
        "ٹریول",
        "ٹریولز",
        "ٹورز",
        "اوورسیز",
        "ایجنسی",
        "انٹرنیشنل",
        "اینڈ",
        "پرائیویٹ",
        "لمیٹڈ",
    }
)
MIN_SKELETON = 2


def folded(text: str) -> str:
    return " ".join(words(text))


def skeleton(word: str) -> str:
    """The sound key of one word (see the module's docstring)."""
    latin = word.translate(URDU_TO_LATIN).casefold()
    latin = re.sub(r"[^a-z]", "", latin)
    for pair, one in DIGRAPHS:
        latin = latin.replace(pair, one)
    latin = latin.translate(SOUND_ALIKE)
    if not latin:
        return ""
    kept = latin[0] + "".join(c for c in latin[1:] if c not in SILENT)
    return re.sub(r"(.)\1+", r"\1", kept)


# Misspelt stop words ("travles", "turs") sound like the stop words.
SKELETON_STOP = frozenset(
    key for key in (skeleton(w) for w in STOP_WORDS - {"al", "el"}) if len(key) >= 3
)


def _article_off(word: str) -> str:
    """Urdu writes the article joined ("النور"), Roman Urdu apart ("Al Noor")."""
    return word[2:] if word.startswith("ال") and len(word) > 3 else word


def name_words(text: str) -> list[str]:
    kept = (_article_off(w) for w in words(text) if w not in STOP_WORDS)
    return [w for w in kept if skeleton(w) not in SKELETON_STOP]


def search_keys(text: str) -> set[str]:
    """The skeletons a name is found by: its own words, not the stop words."""
    found = name_words(text)
    # "Alnoor" is also found by "Noor" (the article written joined, in Latin).
    found += [w[2:] for w in found if w.startswith("al") and len(w) >= 6]
    keys = {skeleton(w) for w in found}
    return {k for k in keys if len(k) >= MIN_SKELETON and k not in SKELETON_STOP}


def name_key(text: str) -> str:
    """One string per name for duplicate checks: the folded words, stop words out."""
    return " ".join(name_words(text)) or folded(text)


def similarity(query: str, name: str) -> float:
    """0..1: the better of the folded texts' and the skeletons' likeness."""
    a, b = name_key(query), name_key(name)
    text = SequenceMatcher(None, a.replace(" ", ""), b.replace(" ", "")).ratio()
    sa = " ".join(skeleton(w) for w in a.split())
    sb = " ".join(skeleton(w) for w in b.split())
    sound = SequenceMatcher(None, sa, sb).ratio() if sa and sb else 0.0
    return max(text, sound)


def licence_key(raw: str) -> str:
    """A licence number without spaces, dashes or slashes, upper case."""
    return re.sub(r"[^0-9A-Z]", "", words_digits(raw).upper())


def words_digits(raw: str) -> str:
    """Digits of any script (Urdu phones type Urdu digits) as 0-9."""
    return "".join(str(int(c)) if c.isdecimal() else c for c in raw)
