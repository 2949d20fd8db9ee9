"""People resolution with ground truth: our pipeline against a simple baseline.

    .venv/bin/python bench/people_resolution.py [--sizes 10000 100000] [--seed 15] [--coverage]

A generator makes synthetic Pakistani person records. A true person is a man
or a woman (30 %) with a given name from realistic pools (bench/people_names.py:
422 men's names, 234 women's, 114 castes, Zipf-like frequencies, "Muhammad"
in front of 45 % of men's names), a father (and for most married women a
husband) from the men's pool, often a caste, a district, a CNIC, a phone and
a birth year. Each appears 1-4 times across districts with corruption:
transliteration variants (Mohd/Muhammad, Ahmed/Ahmad, Asalam/Aslam), typos,
dropped or swapped words, honorifics added, Urdu script instead of Latin, a
missing or partial CNIC, phones (normalised as the app does), age drift,
"s/o", "d/o" or "w/o" written into the name, a married woman written with her
father in one record and her husband in another. Values are synthetic and
deterministic by seed.

For each size it runs, in the same process:
- **ours**: people/resolution.py (Splink on in-memory DuckDB, trained with
  capped pairs when there are enough records), pairs with match probability
  ≥ 0.5, plus full-CNIC agreement (linked at once in the product);
- **identities**: the same, with the pairs each identity implies (A-B and
  B-C found put A-C in: linked records form an identity in the product);
- **baseline**: a pair matches when the full CNIC agrees or the normalised
  name and the father's name agree exactly;

and prints pairwise precision, recall, F1 (over the pairs each predicts,
against the true same-person pairs), wall time, the process's peak memory
(ru_maxrss: the peak so far, so run one size per process) and the load
average. Building the features (parsing the names) is timed apart: the
product does it while reading the registry. `--coverage` also counts the
pairs the blocking rules score and the true pairs among them.
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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ahtc.settings")

import django

django.setup()
logging.getLogger("splink").setLevel(logging.WARNING)

from ahtc.people.resolution import (  # noqa: E402
    BLOCKING,
    Features,
    _arrow,
    block_column,
    blocked_table_sql,
    features,
    private_duckdb,
    score,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from people_names import CASTE_POOL, HONORIFICS, VARIANTS, man, urdu, woman  # noqa: E402

DISTRICTS = [f"PK6{n:02d}" for n in range(1, 42)]
WOMEN_SHARE = 0.3


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


def _person(pid: int, rng: random.Random) -> dict[str, Any]:
    """One true person. A woman is written "d/o" her father or, once
    married, often "w/o" her husband; fathers and husbands are men's names."""
    born = rng.randrange(1950, 2005)
    female = rng.random() < WOMEN_SHARE
    married = female and born < 2000 and rng.random() < 0.7
    return {
        "id": pid,
        "given": woman(rng) if female else man(rng),
        "female": female,
        "father": man(rng),
        "husband": man(rng) if married else None,
        "caste": CASTE_POOL.draw(rng) if rng.random() < 0.4 else "",
        "district": rng.choice(DISTRICTS),
        "cnic": f"3{rng.randrange(1000, 9999)}{rng.randrange(10**7):07d}{rng.randrange(10)}",
        "phone": f"+923{rng.randrange(0, 50):02d}{rng.randrange(10**7):07d}",
        "born": born,
    }


def _given(p: dict[str, Any], rng: random.Random) -> list[str]:
    given = list(p["given"])
    if len(given) > 1 and rng.random() < 0.15:
        given.pop(rng.randrange(len(given)))
    if len(given) > 1 and rng.random() < 0.1:
        given.reverse()
    return given


def _relative(p: dict[str, Any], rng: random.Random) -> tuple[str, list[str]]:
    if p["husband"] and rng.random() < 0.5:
        relation, words = "w/o", list(p["husband"])
    else:
        relation, words = ("d/o" if p["female"] else "s/o"), list(p["father"])
    if len(words) > 1 and rng.random() < 0.2:
        words.pop(0 if words[0] == "muhammad" else -1)
    return relation, words


def _record(uid: int, p: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    given = _given(p, rng)
    relation, father = _relative(p, rng)
    name = " ".join(_spell(w, rng) for w in given)
    if p["caste"] and rng.random() < 0.5:
        name += " " + str(p["caste"]).capitalize()
    if rng.random() < 0.2:
        name = rng.choice(HONORIFICS) + " " + name
    relative = " ".join(_spell(w, rng) for w in father) if rng.random() < 0.85 else ""
    if relative and rng.random() < 0.3:
        name, relative = f"{name} {relation} {relative}", ""
    names = [urdu(given) if rng.random() < 0.1 else name]
    cnic = str(p["cnic"])
    roll = rng.random()
    cnics = [] if roll < 0.35 else [cnic[:8] + "?????"] if roll < 0.5 else [cnic]
    phones = [str(p["phone"])] if rng.random() < 0.6 else []
    drift = rng.choice([0, 0, 0, 1, -1, 2, -2, 5])
    born = int(p["born"]) + drift if rng.random() < 0.8 else None
    district = str(p["district"]) if rng.random() < 0.5 else rng.choice(DISTRICTS)
    return {
        "uid": uid,
        "district": district,
        "names": names,
        "relative": relative,
        "cnics": cnics,
        "phones": phones,
        "birth_year": born,
    }


def generate(n_records: int, seed: int) -> tuple[list[dict[str, Any]], dict[int, int]]:
    """Records as typed (the arguments of `features`) and each one's person."""
    rng = random.Random(seed)
    records: list[dict[str, Any]] = []
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


Pair = tuple[int, int]


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


def identities(pairs: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The pairs within each identity the found pairs make (linked records
    form an identity in the product): A-B and B-C found put A-C in too."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[root(a)] = root(b)
    groups: dict[int, list[int]] = defaultdict(list)
    for x in list(parent):
        groups[root(x)].append(x)
    return {(a, b) for g in groups.values() for a, b in itertools.combinations(sorted(g), 2)}


def _rule_pairs(keys: tuple[str, ...], table: str) -> str:
    """The pairs one blocking rule scores, as SQL over the keyed records
    (column names are the module's constants, no input)."""
    if keys == ("phones",):
        side = f"(SELECT unique_id, unnest(phones) AS k FROM {table})"  # noqa: S608
        on = "l.k = r.k"
    else:
        side, on = table, f'l."{block_column(keys)}" = r."{block_column(keys)}"'
    pair = "SELECT l.unique_id a, r.unique_id b"
    return f"{pair} FROM {side} l JOIN {side} r ON {on} AND l.unique_id < r.unique_id"


def blocked(records: list[Features], truth: dict[int, int]) -> tuple[int, int]:
    """How many distinct pairs the blocking rules score, and how many true
    pairs are among them (the recall no threshold can pass)."""
    import pyarrow as pa

    with private_duckdb(memory_limit="4GB") as con:
        con.register("people_arrow", _arrow(records))
        con.execute(f"CREATE TABLE keyed AS {blocked_table_sql('people_arrow')}")
        union = " UNION ".join(_rule_pairs(keys, "keyed") for keys in BLOCKING)
        con.execute(f"CREATE TABLE pairs AS {union}")
        ids = list(truth)
        con.register("truth", pa.table({"uid": ids, "pid": [truth[i] for i in ids]}))
        (pairs,) = con.execute("SELECT count(*) FROM pairs").fetchone() or (0,)
        (true,) = con.execute(
            "SELECT count(*) FROM pairs JOIN truth l ON l.uid = a JOIN truth r ON r.uid = b"
            " WHERE l.pid = r.pid"
        ).fetchone() or (0,)
    return int(pairs), int(true)


def _measure(found: set[tuple[int, int]], true: set[tuple[int, int]]) -> tuple[float, float, float]:
    hits = len(found & true)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(true) if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _row(size: int, label: str, found: set[tuple[int, int]], true: set[Pair], sec: float) -> None:
    p, r, f = _measure(found, true)
    load = os.getloadavg()[0]
    row = f"{size:>7}  {label:<10}  {p:9.3f}  {r:6.3f}  {f:.3f}  {sec:7.1f}"
    print(f"{row}  {_peak_mb():7.0f}  {load:4.1f}", flush=True)


def run(size: int, seed: int, coverage: bool) -> None:
    raw, truth = generate(size, seed)
    start = time.perf_counter()
    records = [features(**kwargs) for kwargs in raw]
    del raw
    print(f"{size:>7}  features    {time.perf_counter() - start:.1f} s", flush=True)
    true = _true_pairs(truth)
    # Ours first: the peak printed is the process's so far, and the baseline's
    # pair set (every pair with the same common name and father) is large.
    start = time.perf_counter()
    found = ours(records)
    _row(size, "ours", found, true, time.perf_counter() - start)
    start = time.perf_counter()
    _row(size, "identities", identities(found), true, time.perf_counter() - start)
    del found
    start = time.perf_counter()
    _row(size, "baseline", baseline(records), true, time.perf_counter() - start)
    if coverage:
        pairs, covered = blocked(records, truth)
        print(
            f"{size:>7}  blocking: {pairs:,} pairs scored, {covered / len(true):.3f} of true pairs"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--coverage", action="store_true", help="count the blocked pairs too")
    args = parser.parse_args()
    print("records  method      precision  recall  F1     seconds  peak MB  load")
    for size in args.sizes:
        run(size, args.seed, args.coverage)


if __name__ == "__main__":
    main()
