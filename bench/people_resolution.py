"""People resolution with ground truth: our pipeline against a simple baseline.

    .venv/bin/python bench/people_resolution.py [--sizes 10000 100000] [--seed 15]

A generator makes synthetic Pakistani person records: a true person has a
given name (Muhammad often in front), a father's name, often a caste, a
district, a CNIC (district-coded first five digits), a phone and a birth
year; each appears 1-4 times across districts with realistic corruption:
transliteration variants (Mohd/Muhammad, Ahmed/Ahmad, Asalam/Aslam), typos,
dropped or swapped words, honorifics added, Urdu script instead of Latin, a
missing or partial CNIC, phones in other formats (normalised as the app does),
age drift, and "s/o" written into the name. Values are synthetic.

For each size it runs, in the same process:
- **baseline**: a pair matches when the full CNIC agrees or the normalised
  name (lower case, spaces collapsed) and the father's name agree exactly;
- **ours**: people/resolution.py (Splink on in-memory DuckDB, trained with
  capped pairs when there are enough records), pairs with match probability
  ≥ 0.5, plus full-CNIC agreement (linked at once in the product).

and prints pairwise precision, recall, F1 (over the pairs each predicts,
against the true same-person pairs), wall time and the process's peak memory
(ru_maxrss: the peak so far, so run one size per process for exact memory).
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import random
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ahtc.settings")

import django

django.setup()
logging.getLogger("splink").setLevel(logging.WARNING)

from ahtc.people.names import URDU_LETTERS  # noqa: E402
from ahtc.people.resolution import Features, features, score  # noqa: E402


def _words(text: str) -> list[str]:
    return text.split()


GIVEN = _words(
    "aslam akram imran irfan tariq khalid zahid javed naveed shahzad bilal usman umar ali"
    " hassan hussain asif arif rashid bashir nazir iqbal yousaf waqas zafar sajjad shafiq"
    " rafiq munir nasir qadir zulfiqar sohail kamran adnan faisal fahad nadeem saleem"
    " shakeel jamil kashif mudassar ahsan ijaz ejaz riaz fayyaz mumtaz ashfaq ishfaq"
    " tanveer tauqeer sarfraz nawaz shahid majid sajid wajid abid"
)
SECOND = _words("ahmad mehmood hussain ali iqbal akhtar rehman ullah khan shah aslam rafiq")
CASTES = _words("gondal warraich cheema bajwa butt jatt gujjar arain awan tarar ranjha sahi")
HONORIFICS = ["Ch.", "Chaudhry", "Malik", "Rana", "Hafiz", "Haji", "Mian"]
VARIANTS = {
    "muhammad": ["Mohammad", "Muhammed", "Mohd", "M.", "Mohammed"],
    "ahmad": ["Ahmed"],
    "aslam": ["Asalam"],
    "hussain": ["Husain", "Hussein"],
    "hassan": ["Hasan"],
    "rehman": ["Rahman"],
    "yousaf": ["Yousuf", "Yusuf"],
    "usman": ["Osman"],
    "umar": ["Omar"],
    "javed": ["Javaid"],
    "shahzad": ["Shehzad"],
    "tariq": ["Tarik"],
    "rashid": ["Rasheed"],
    "bashir": ["Basheer"],
    "nazir": ["Nazeer"],
    "iqbal": ["Ikbal"],
}
URDU = {v: k for k, v in URDU_LETTERS.items() if v and len(v) == 1 and k not in "ۓؤئعے"}
DISTRICTS = [f"PK6{n:02d}" for n in range(1, 42)]


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + word[i + 1 :]
    if kind < 0.7:
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _spell(word: str, rng: random.Random) -> str:
    if word in VARIANTS and rng.random() < 0.5:
        return rng.choice(VARIANTS[word])
    if rng.random() < 0.05:
        word = _typo(word, rng)
    return word.capitalize()


def _urdu(words: list[str]) -> str:
    return " ".join("".join(URDU.get(c, c) for c in w.lower() if c not in "aeiu") for w in words)


def _person(pid: int, rng: random.Random) -> dict[str, object]:
    given = [rng.choice(GIVEN)] + ([rng.choice(SECOND)] if rng.random() < 0.5 else [])
    if rng.random() < 0.55:
        given = ["muhammad", *given]
    father = [rng.choice(GIVEN)] + ([rng.choice(SECOND)] if rng.random() < 0.6 else [])
    district = rng.choice(DISTRICTS)
    cnic = f"3{rng.randrange(1000, 9999)}{rng.randrange(10**7):07d}{rng.randrange(10)}"
    return {
        "id": pid,
        "given": given,
        "father": father,
        "caste": rng.choice(CASTES) if rng.random() < 0.4 else "",
        "district": district,
        "cnic": cnic,
        "phone": f"+923{rng.randrange(0, 50):02d}{rng.randrange(10**7):07d}",
        "born": rng.randrange(1950, 2005),
    }


def _record(uid: int, p: dict[str, object], rng: random.Random) -> Features:
    given = list(p["given"])  # type: ignore[call-overload]
    if len(given) > 1 and rng.random() < 0.15:
        given.pop(rng.randrange(len(given)))
    if len(given) > 1 and rng.random() < 0.1:
        given.reverse()
    father = list(p["father"])  # type: ignore[call-overload]
    if len(father) > 1 and rng.random() < 0.2:
        father.pop()
    name = " ".join(_spell(w, rng) for w in given)
    if p["caste"] and rng.random() < 0.5:
        name += " " + str(p["caste"]).capitalize()
    if rng.random() < 0.2:
        name = rng.choice(HONORIFICS) + " " + name
    relative = " ".join(_spell(w, rng) for w in father) if rng.random() < 0.85 else ""
    if relative and rng.random() < 0.3:
        name, relative = f"{name} s/o {relative}", ""
    names = [_urdu(given) if rng.random() < 0.1 else name]
    cnic = str(p["cnic"])
    roll = rng.random()
    cnics = [] if roll < 0.35 else [cnic[:8] + "?????"] if roll < 0.5 else [cnic]
    phones = [str(p["phone"])] if rng.random() < 0.6 else []
    born = int(p["born"]) + rng.choice([0, 0, 0, 1, -1, 2, -2, 5]) if rng.random() < 0.8 else None  # type: ignore[call-overload]
    district = str(p["district"]) if rng.random() < 0.5 else rng.choice(DISTRICTS)
    return features(
        uid=uid,
        district=district,
        names=names,
        relative=relative,
        cnics=cnics,
        phones=phones,
        birth_year=born,
    )


def generate(n_records: int, seed: int) -> tuple[list[Features], dict[int, int]]:
    rng = random.Random(seed)
    records: list[Features] = []
    truth: dict[int, int] = {}
    pid = 0
    while len(records) < n_records:
        person = _person(pid, rng)
        for _copy in range(rng.choice([1, 1, 2, 2, 3, 4])):
            if len(records) >= n_records:
                break
            uid = len(records) + 1
            records.append(_record(uid, person, rng))
            truth[uid] = pid
        pid += 1
    return records, truth


def _true_pairs(truth: dict[int, int]) -> set[tuple[int, int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for uid, pid in truth.items():
        groups[pid].append(uid)
    return {(a, b) for g in groups.values() for a, b in itertools.combinations(sorted(g), 2)}


def _by_key(records: Iterable[Features], key: str) -> set[tuple[int, int]]:
    groups: dict[object, list[int]] = defaultdict(list)
    for r in records:
        value = getattr(r, key)
        if value:
            groups[value].append(r.unique_id)
    return {(a, b) for g in groups.values() for a, b in itertools.combinations(sorted(g), 2)}


def baseline(records: list[Features]) -> set[tuple[int, int]]:
    by_cnic = _by_key(records, "cnic_full")
    keyed = [
        Features(unique_id=r.unique_id, district="", name_core=f"{r.name_core}|{r.rel_core}")
        for r in records
    ]
    return by_cnic | _by_key(keyed, "name_core")


def ours(records: list[Features]) -> set[tuple[int, int]]:
    result = score(records, threshold_weight=0)
    pairs = {(p.left, p.right) for p in result.pairs if p.match_probability >= 0.5}
    return pairs | _by_key(records, "cnic_full")


def _measure(found: set[tuple[int, int]], true: set[tuple[int, int]]) -> tuple[float, float, float]:
    hits = len(found & true)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(true) if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    print("records  method    precision  recall  F1     seconds  peak MB")
    for size in args.sizes:
        records, truth = generate(size, args.seed)
        true = _true_pairs(truth)
        for label, method in (("baseline", baseline), ("ours", ours)):
            start = time.perf_counter()
            found = method(records)
            seconds = time.perf_counter() - start
            p, r, f = _measure(found, true)
            row = f"{size:>7}  {label:<8}  {p:9.3f}  {r:6.3f}  {f:.3f}  {seconds:7.1f}"
            print(f"{row}  {_peak_mb():7.0f}", flush=True)


if __name__ == "__main__":
    main()
