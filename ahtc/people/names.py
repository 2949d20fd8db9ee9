"""Pakistani names, normalised for comparison (issue 15).

The same agent is written "Muhammad Aslam s/o Bashir", "M. Aslam",
"Mohammad Asalam Ch." or "محمد اسلم ولد بشیر". For comparing records this
module turns each into:

- the **given name**: its words in a canonical Latin spelling
  (Mohd/Mohammad/Muhammed → muhammad, Ahmed → ahmad, ...), without honorifics
  (Ch., Chaudhry, Hafiz, Haji, Mian ...) and without caste or clan words
  (Malik, Rana, Butt, Gondal ...), which are kept apart;
- the **relative's name** after s/o, d/o, w/o (son of, ولد, بنت, زوجہ ...), and
  which relation it is;
- keys that ignore word order and vowels: `core` (given name without the
  Muhammad that is often dropped, words sorted) and `skeleton` (consonants
  only), so "Asalam" meets "Aslam" and "اسلم" meets both.

Urdu script is transliterated letter by letter with a small table: good
enough to compare (short vowels are not written in Urdu, which is why the
skeleton drops vowels on both sides), not a transliteration for display.
None of this is stored: names stay encrypted; the resolution job computes
these keys in memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ahtc.people.search import words

# Spelling variants → one canonical spelling. Each line: canonical, variants.
_VARIANTS = """
muhammad mohammad muhammed mohammed mohamad muhamad mohamed muhamed mohd muhd mhd md
muhammad m mohmmad muhamamd mahammad
ahmad ahmed ahmd ehmad
hussain husain hussein hussan hosain husein
hassan hasan hasen
rehman rahman rehmaan rahmaan rehmān
ullah ulla ulah
abdul abdal abd abdel
ghulam gulam ghulaam
iqbal ikbal iqbaal
yousaf yousuf yusuf yusaf yousef yosaf
usman osman othman usmaan
umar omar umer
naveed navid naveid
javed javaid jawed javid
shahzad shehzad shahzaad
tariq tarik tareeq
rashid rasheed rashed
bashir basheer bashier
nazir nazeer
akhtar akhter
aslam asalam aslum
akram akrum
zulfiqar zulfikar
imran imraan
irfan irfaan
asif aasif
arif aarif
khalid khaled
waqas waqqas
zafar zaffar
sajjad sajad
shafiq shafique shafeeq
rafiq rafique rafeeq
tauqeer tauqir touqeer
qadir qadeer kadir
nasir naseer
munir muneer
bibi bb
mai maii
begum begam
fatima fatimah fatma
jatt jat
gujjar gujar
warraich waraich
syed sayed sayyid
sheikh shaikh
chauhan chohan
"""
VARIANTS: dict[str, str] = {
    variant: line.split()[0] for line in _VARIANTS.strip().splitlines() for variant in line.split()
}


def _listed(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Titles and forms of address: dropped from the name.
HONORIFICS = _listed(
    "ch chaudhry chaudhary chaudhri chohdry chaudry choudhry chohadri hafiz haji hajji alhaj"
    " mian mr mrs ms miss dr qari maulana molana molvi maulvi sahib sb sahab janab mst"
    " mussammat musammat mohtarma sardar khawaja khwaja pir"
)
# Caste, clan and family names common in the districts: kept, but apart from
# the given name (one record writes them, the next does not).
CASTES = _listed(
    "malik rana raja mirza butt bhatti jatt jat gujjar gujar arain awan warraich waraich"
    " cheema bajwa gondal tarar khokhar rajput chatha virk sandhu ranjha kahloon hanjra"
    " sahi goraya ghuman dogar ansari qureshi khan niazi mughal abbasi kashmiri chohan"
    " chauhan sipra kharal tiwana syed sayed sayyid sheikh shaikh"
    " alvi athwal baloch bharwana bhidwal bhutta bosal bukhari chadhar chechi chishti daha"
    " dhakku dhillon dhotar dhudhi farooqi gilani harral hashmani hashmi hinjra jafri janjua"
    " jappa joiya kahut kalru kalyar kamboh kasana kathia kazmi khatana khichi langah lodhi"
    " mangat marral mekan minhas naqvi nonari phambra pirzada poswal randhawa rizvi sargana saroya"
    " sial siddiqui sindhu sohal sulehria targar tatla thaheem thathaal usmani wahla wains"
    " waseer wattoo zaidi"
)
# Urdu spellings of titles and castes, compared after transliteration would
# be unreliable, so they are listed as written.
URDU_HONORIFICS = {
    "چوہدری": "ch", "چودھری": "ch", "حافظ": "hafiz", "حاجی": "haji", "میاں": "mian",
    "ڈاکٹر": "dr", "قاری": "qari", "مولانا": "maulana",
}  # fmt: skip
URDU_CASTES = {
    "ملک": "malik", "رانا": "rana", "راجہ": "raja", "مرزا": "mirza", "بٹ": "butt",
    "بھٹی": "bhatti", "جٹ": "jatt", "گجر": "gujjar", "ارائیں": "arain", "اعوان": "awan",
    "چیمہ": "cheema", "باجوہ": "bajwa", "گوندل": "gondal", "تارڑ": "tarar", "خان": "khan",
    "سید": "syed", "شیخ": "sheikh",
}  # fmt: skip
# Words often left out of a name (Muhammad before it, Bibi or Begum after it):
# the core key drops them, unless nothing else is left.
OPTIONAL = frozenset({"muhammad", "bibi", "begum", "khatoon", "mai"})

# "s/o", "d/o", "w/o" in the ways they are written, Latin and Urdu.
_RELATION = re.compile(
    r"(?:^|\s)(?P<rel>s\s*/\s*o|d\s*/\s*o|w\s*/\s*o|s\.\s*o\.?|d\.\s*o\.?|w\.\s*o\.?"
    r"|son\s+of|daughter\s+of|wife\s+of|bin|binte?|bint|walad|ولد|بنت|زوجہ|زوجه|دختر)(?=[\s.,:]|$)",
    re.IGNORECASE,
)
RELATIONS = {"s": "s/o", "son": "s/o", "bin": "s/o", "walad": "s/o", "ولد": "s/o"}
RELATIONS |= {"d": "d/o", "daughter": "d/o", "bint": "d/o", "binte": "d/o", "بنت": "d/o"}
RELATIONS |= {"دختر": "d/o", "w": "w/o", "wife": "w/o", "زوجہ": "w/o", "زوجه": "w/o"}

# Urdu letters to Latin, for comparison. Long vowels (alif, wao, yeh, bari
# yeh) become vowels, which the skeleton then drops; aspiration (do-chashmi
# heh) and the glottal stop (hamza) are h and nothing. Letters with one Latin
# sound share it (se, seen, suad are all s).
URDU_LETTERS = {
    "ا": "a", "آ": "a", "ب": "b", "پ": "p", "ت": "t", "ٹ": "t", "ث": "s", "ج": "j", "چ": "ch",
    "ح": "h", "خ": "kh", "د": "d", "ڈ": "d", "ذ": "z", "ر": "r", "ڑ": "r", "ز": "z", "ژ": "zh",
    "س": "s", "ش": "sh", "ص": "s", "ض": "z", "ط": "t", "ظ": "z", "ع": "a", "غ": "gh", "ف": "f",
    "ق": "q", "ک": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n", "ں": "n", "و": "o", "ہ": "h",
    "ھ": "h", "ء": "", "ئ": "i", "ی": "i", "ے": "e", "ۓ": "e", "ؤ": "o",
}  # fmt: skip
_URDU = re.compile(r"[\u0600-\u06ff]")
_CONSONANTS = "بپتٹثجچدڈذرڑزژسشصضطظغفقکگلمن"
# Consonant skeleton: digraphs first, then single letters; a first vowel is
# kept as "a" (Urdu writes it with alif or ain, Latin with any vowel); other
# vowels, y and w are dropped (Urdu writes only long vowels, Latin spells
# them freely).
_DIGRAPHS: tuple[tuple[str, str], ...] = (("sh", "S"), ("kh", "K"), ("gh", "G"), ("ch", "C"))
_DIGRAPHS += (("ph", "f"), ("th", "t"), ("dh", "d"), ("bh", "b"), ("zh", "Z"), ("ck", "k"))
_DIGRAPHS += (("q", "k"), ("v", "w"))
_VOWELS = re.compile(r"[aeiouyw]")
_REPEATS = re.compile(r"(.)\1+")


def transliterate(text: str) -> str:
    """Urdu letters to rough Latin (other characters unchanged). At the start
    of a word و and ی are the consonants w and y (وسیم Waseem, یوسف Yousaf)."""
    text = re.sub(r"(?<!\w)و", "w", text)
    text = re.sub(r"(?<!\w)ی", "y", text)
    # A final choti heh is mostly the vowel a (شازیہ Shazia, جمیلہ Jamila),
    # except after alif or wao (شاہ Shah) and in Allah (اللہ, عبداللہ).
    text = re.sub(r"(?<=[^\Wاو])(?<!لل)ہ(?!\w)", "a", text)
    # Heh or hay after a consonant is a sound of its own (ظہیر Zaheer, تحسین
    # Tahseen), not aspiration (written with do-chashmi heh: بھٹی Bhatti): an
    # "a" between keeps "zh" or "th" from reading as one letter.
    text = re.sub(f"(?<=[{_CONSONANTS}])([ہح])", r"ا\1", text)
    return "".join(URDU_LETTERS.get(char, char) for char in text)


def is_urdu(word: str) -> bool:
    return bool(_URDU.search(word))


def canonical(word: str) -> str:
    """One normalised word (see search.words) in its canonical Latin spelling."""
    latin = transliterate(word) if is_urdu(word) else word
    known = VARIANTS.get(latin)
    if known is not None:
        return known
    if is_urdu(word):
        # Urdu writes no short vowels: recognise known names by their skeleton.
        return SKELETON_NAMES.get(skeleton(latin), latin)
    if _one_edit_from(latin, "muhammad"):
        return "muhammad"
    return latin


def _one_edit_from(word: str, target: str) -> bool:
    """A typo of `target`: one letter dropped, added, changed or two swapped
    ("muammad", "muhammaad", "muhamamd"). Only for Muhammad, the most common
    word and long enough that no other name is one edit from it (Mehmood,
    with the same skeleton, is three)."""
    if word == target or abs(len(word) - len(target)) > 1 or word[:1] != target[:1]:
        return False
    if len(word) == len(target):
        diff = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1
        return len(diff) == 1 or (swapped and word[diff[0]] == target[diff[1]])
    short, long_ = sorted((word, target), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def skeleton(word: str) -> str:
    """Consonants of a Latin word: 'muhammad' → 'mhmd', 'asalam' → 'aslm'."""
    for digraph, letter in _DIGRAPHS:
        word = word.replace(digraph, letter)
    if not word:
        return ""
    head = "a" if word[0] in "aeiou" else word[0]
    return _REPEATS.sub(r"\1", head + _VOWELS.sub("", word[1:]))


def _unambiguous_skeletons() -> dict[str, str]:
    by_skeleton: dict[str, set[str]] = {}
    for name in set(VARIANTS.values()):
        by_skeleton.setdefault(skeleton(name), set()).add(name)
    return {key: names.pop() for key, names in by_skeleton.items() if len(names) == 1}


# Known names by skeleton, where only one known name has that skeleton.
SKELETON_NAMES = _unambiguous_skeletons()


@dataclass(frozen=True)
class ParsedName:
    given: tuple[str, ...] = ()
    relative: tuple[str, ...] = ()
    relation: str = ""
    castes: tuple[str, ...] = ()
    honorifics: tuple[str, ...] = field(default=())

    @property
    def core(self) -> str:
        """The given name without Muhammad (often dropped or written M.) and
        the like (OPTIONAL), words sorted: the same for "Aslam Muhammad" and
        "M. Aslam"."""
        return core_key(self.given)

    @property
    def skeleton(self) -> str:
        return " ".join(sorted(skeleton(w) for w in _without_optional(self.given)))

    @property
    def relative_core(self) -> str:
        return core_key(self.relative)

    @property
    def relative_skeleton(self) -> str:
        return " ".join(sorted(skeleton(w) for w in _without_optional(self.relative)))


def _without_optional(tokens: tuple[str, ...]) -> tuple[str, ...]:
    rest = tuple(t for t in tokens if t not in OPTIONAL)
    return rest or tokens


def core_key(tokens: tuple[str, ...]) -> str:
    return " ".join(sorted(_without_optional(tokens)))


def _split_relation(text: str) -> tuple[str, str, str]:
    match = _RELATION.search(text)
    if match is None:
        return text, "", ""
    first = match.group("rel").casefold().replace(".", "/").split("/")[0].split()[0]
    return text[: match.start()], RELATIONS.get(first, "s/o"), text[match.end() :]


def _classify(raw_words: list[str]) -> tuple[list[str], list[str], list[str]]:
    given, castes, titles = [], [], []
    for word in raw_words:
        if word in URDU_HONORIFICS or word in HONORIFICS:
            titles.append(URDU_HONORIFICS.get(word) or canonical(word))
        elif word in URDU_CASTES or word in CASTES:
            castes.append(URDU_CASTES.get(word) or canonical(word))
        else:
            given.append(canonical(word))
    return given, castes, titles


def parse(name: str, relative: str = "") -> ParsedName:
    """A name as typed ("Ch. M. Aslam s/o Bashir Ahmed Gondal") into its parts.
    `relative` is the separate father's/husband's name field, used when the
    name itself carries no s/o."""
    head, relation, tail = _split_relation(name.replace("،", ","))
    head, tail = head.split(",")[0], tail.split(",")[0]  # ", Phalia": a place
    if not tail and relative:
        tail = relative
    given, castes, titles = _classify(_words(head))
    rel_given, rel_castes, _rel_titles = _classify(_words(tail))
    return ParsedName(
        given=tuple(given),
        relative=tuple(rel_given),
        relation=relation,
        castes=tuple(dict.fromkeys(castes + rel_castes)),
        honorifics=tuple(titles),
    )


def _words(text: str) -> list[str]:
    # "M." and "Ch." lose their dots in words(); single letters other than m
    # (an initial) carry too little to compare and are dropped.
    return [w for w in words(text) if len(w) > 1 or w == "m"]
