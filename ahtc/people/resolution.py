"""The matching model: which person records may be the same human (issue 15).

A probabilistic (Fellegi-Sunter) model run with Splink on an in-memory DuckDB.
It reads plain records (`Features`, built in memory from decrypted people by
people/matches.py, or by the benchmark's generator) and returns scored pairs
with the level each field reached; it writes nothing to the database.

- **Comparisons** (people/names.py keys): name (exact core, any alias or
  script agrees, same consonant skeleton, Jaro-Winkler >= 0.92 / 0.80, same
  first name), father's or husband's name (the same levels), CNIC (full
  agrees, a partial CNIC fits, same first five digits, differs), phone (any
  shared), caste (where both write one), district, age (birth years within
  1, 3, 8). A name that is only "Muhammad" counts as missing. Exact and
  same-skeleton names carry a term-frequency adjustment: "Ahsan Iqbal"
  agreeing says more than "Aslam". The m of "CNIC differs", "caste differs"
  and "age differs" is a fixed prior (typos, titles taken for castes and
  guessed ages happen; training on clean records would make them impossible).
- **Blocking** (the pairs scored at all, `BLOCKING`): same full CNIC; same
  phone (any of the record's); same first seven CNIC digits; the whole given
  name; the name skeleton with the father's first name, the birth-year band
  (4 years) or the district; the first name with the father's skeleton; the
  father's skeleton with the district or the band. Every rule but the two on
  identifiers is capped (`BLOCK_CAP` records a block; the records of a block
  too large are tried again with a third key, `FINER`), so the pairs scored
  grow with the records, not with their square.
- **Parameters**: every level carries prior m and u probabilities (set from
  the benchmark's generator), so a small registry is scored sensibly. With
  `TRAIN_MIN` records or more they are estimated from the data: u by random
  sampling capped at `u_pairs` pairs, m by expectation maximisation on two
  blocks of nearly sure pairs (same full CNIC; same first phone), each
  capped at `em_pairs` pairs (uncapped EM took 20 GB at 1M records here).
- **No plaintext on disk**: the DuckDB database is in memory; spilling to disk
  is off unless `spill_dir` is given, and then it goes to a fresh private
  directory (0700) removed when the run ends, even on failure. Splink's own
  logging is left unconfigured (`log_level=None`): it logs SQL, never values.
"""

from __future__ import annotations

import logging
import math
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from typing import Any

import duckdb
from django.utils.translation import gettext_lazy as _

from ahtc.people.names import ParsedName, parse, skeleton

logger = logging.getLogger(__name__)

TRAIN_MIN = 2000
TF_MIN = 2000
U_PAIRS = 1e6
EM_PAIRS = 2e5
Progress = Callable[[float, Any], None]


@dataclass(slots=True)
class Features:
    """What the model compares, for one person record (never stored)."""

    unique_id: int
    district: str
    name_core: str | None = None
    name_skel: str | None = None
    first_skel: str | None = None
    names_all: list[str] = field(default_factory=list)
    rel_core: str | None = None
    rel_skel: str | None = None
    rel_first: str | None = None
    cnic_full: str | None = None
    cnic_head: str | None = None
    cnic5: str | None = None
    cnic7: str | None = None
    phones: list[str] = field(default_factory=list)
    birth_year: int | None = None
    castes: list[str] = field(default_factory=list)


def features(
    *,
    uid: int,
    district: str,
    names: Sequence[str],
    relative: str = "",
    cnics: Sequence[str] = (),
    phones: Sequence[str] = (),
    birth_year: int | None = None,
) -> Features:
    """Features of one record. `names`: the main name first (Latin, else
    Urdu), then the other script and aliases; `cnics`: normalised CNICs, a
    partial one with ? for unknown digits (people/normalise.py)."""
    parsed = [parse(n, relative) for n in names if n.strip()]
    main = parsed[0] if parsed else ParsedName()
    full = next((c for c in cnics if len(c) == 13 and "?" not in c), None)
    head = full or max((c.split("?")[0] for c in cnics), key=len, default="")
    return Features(
        unique_id=uid,
        district=district,
        name_core=main.core or None,
        name_skel=main.skeleton or None,
        first_skel=_first(main.given),
        names_all=sorted({p.core for p in parsed if p.core}),
        rel_core=_rel(parsed, "relative_core"),
        rel_skel=_rel(parsed, "relative_skeleton"),
        rel_first=next((_first(p.relative) for p in parsed if p.relative), None),
        cnic_full=full,
        cnic_head=head if len(head) >= 5 else None,
        cnic5=head[:5] if len(head) >= 5 else None,
        cnic7=head[:7] if len(head) >= 7 else None,
        phones=sorted(set(phones)),
        birth_year=birth_year,
        castes=sorted({c for p in parsed for c in p.castes}),
    )


def _first(tokens: tuple[str, ...]) -> str | None:
    rest = [t for t in tokens if t != "muhammad"]
    return skeleton(rest[0]) if rest else None


def _rel(parsed: list[ParsedName], attr: str) -> str | None:
    for p in parsed:
        value = getattr(p, attr)
        if value:
            return str(value)
    return None


# --- the model --------------------------------------------------------------------------

NULL = "null"
MUHAMMAD = "muhammad"


def _level(key: str, sql: str, m: float, u: float, **extra: Any) -> dict[str, Any]:
    level = {"sql_condition": sql, "label_for_charts": key, "m_probability": m, "u_probability": u}
    return level | extra


def _tf(column: str) -> dict[str, Any]:
    """Term-frequency adjustment: agreeing on a rare name ("Ahsan Iqbal") says
    more than agreeing on a common one ("Muhammad"); u has a floor so that a
    name seen once does not outweigh everything else."""
    return {"tf_adjustment_column": column, "tf_adjustment_weight": 1.0, "tf_minimum_u_value": 1e-4}


def _fixed_m(key: str, m: float, u: float) -> dict[str, Any]:
    """A "differs" level whose m is a prior that training may not move: the
    generator never corrupts a CNIC or an age by much, real records do."""
    return _level(key, "ELSE", m, u, fix_m_probability=True)


def _null(sql: str) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": NULL, "is_null_level": True}


def _missing(core: str) -> str:
    """A name that is missing, or only "Muhammad" (the rest left out), says
    nothing about who this is."""
    sides = (f"coalesce(\"{core}_{side}\", '{MUHAMMAD}') = '{MUHAMMAD}'" for side in "lr")
    return " OR ".join(sides)


def _name_levels(core: str, skel: str, first: str, alias: str | None) -> list[dict[str, Any]]:
    levels = [
        _null(_missing(core)),
        _level("exact", f'"{core}_l" = "{core}_r"', 0.55, 0.002, **_tf(core)),
    ]
    if alias:
        levels.append(
            _level("alias", f'len(list_intersect("{alias}_l", "{alias}_r")) > 0', 0.08, 0.002)
        )
    return [
        *levels,
        _level("sounds_same", f'"{skel}_l" = "{skel}_r"', 0.17, 0.006, **_tf(skel)),
        _level("close", f'jaro_winkler_similarity("{core}_l", "{core}_r") >= 0.92', 0.1, 0.01),
        _level("similar", f'jaro_winkler_similarity("{core}_l", "{core}_r") >= 0.8', 0.06, 0.05),
        _level("first_agrees", f'"{first}_l" = "{first}_r"', 0.03, 0.02),
        _level("differs", "ELSE", 0.02, 0.91),
    ]


def _partial_fits() -> str:
    return (
        '("cnic_full_l" IS NULL OR "cnic_full_r" IS NULL) AND '
        '(starts_with("cnic_head_l", "cnic_head_r") OR starts_with("cnic_head_r", "cnic_head_l"))'
    )


COMPARISONS: dict[str, list[dict[str, Any]]] = {
    "name": _name_levels("name_core", "name_skel", "first_skel", "names_all"),
    "relative": _name_levels("rel_core", "rel_skel", "rel_first", None),
    "cnic": [
        _null('"cnic_head_l" IS NULL OR "cnic_head_r" IS NULL'),
        _level("exact", '"cnic_full_l" = "cnic_full_r"', 0.7, 1e-5),
        _level("partial_fits", _partial_fits(), 0.22, 1e-3),
        _level("same_area", '"cnic5_l" = "cnic5_r"', 0.04, 0.02),
        _fixed_m("differs", 0.04, 0.979),
    ],
    "phone": [
        _null('len("phones_l") = 0 OR len("phones_r") = 0'),
        _level("exact", 'len(list_intersect("phones_l", "phones_r")) > 0', 0.6, 1e-4),
        _level("differs", "ELSE", 0.4, 0.9999),
    ],
    # Caste or clan, where both records write one. "Differs" keeps a fixed
    # prior m: Malik or Rana is a caste to one clerk and a title to another.
    "caste": [
        _null('len("castes_l") = 0 OR len("castes_r") = 0'),
        _level("exact", 'len(list_intersect("castes_l", "castes_r")) > 0', 0.85, 0.04),
        _fixed_m("differs", 0.15, 0.96),
    ],
    "district": [
        _null('"district_l" IS NULL OR "district_r" IS NULL'),
        _level("exact", '"district_l" = "district_r"', 0.6, 0.1),
        _level("differs", "ELSE", 0.4, 0.9),
    ],
    "age": [
        _null('"birth_year_l" IS NULL OR "birth_year_r" IS NULL'),
        _level("within_1", 'abs("birth_year_l" - "birth_year_r") <= 1', 0.6, 0.06),
        _level("within_3", 'abs("birth_year_l" - "birth_year_r") <= 3', 0.3, 0.1),
        _level("within_8", 'abs("birth_year_l" - "birth_year_r") <= 8', 0.08, 0.25),
        _fixed_m("differs", 0.02, 0.59),
    ],
}
# Which pairs are scored at all. Identifiers first (their blocks are small
# by nature), then name keys, each paired with a second key (or, for the
# whole given name, alone). Every rule but the first two is capped: a block
# of more than `BLOCK_CAP` records ("Ali" in one district, born 1990-93) is
# left out, so the pairs scored grow with the records, not with their
# square. Pairs in a dropped block share only a common name and one more
# key; they are found by the other rules when the records share anything
# else. `FINER`: the records of a block that was too large are tried again
# with a third key added (the district, or the birth band: birth years in
# bands of four).
BLOCK_CAP = 60
UNCAPPED = {("cnic_full",), ("phones",)}
BLOCKING: list[tuple[str, ...]] = [
    ("cnic_full",),
    ("phones",),
    ("cnic7",),
    ("name_skel", "rel_first"),
    ("first_skel", "rel_skel"),
    ("name_core",),
    ("name_skel", "band"),
    ("name_skel", "district"),
    ("rel_skel", "district"),
    ("rel_skel", "band"),
    ("name_skel", "rel_first", "band"),
    ("first_skel", "rel_skel", "band"),
    ("name_skel", "district", "band"),
    ("rel_skel", "district", "band"),
]
FINER: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {
    ("name_skel", "rel_first", "band"): (("name_skel", "rel_first"),),
    ("first_skel", "rel_skel", "band"): (("first_skel", "rel_skel"),),
    ("name_skel", "district", "band"): (("name_skel", "district"), ("name_skel", "band")),
    ("rel_skel", "district", "band"): (("rel_skel", "district"), ("rel_skel", "band")),
}


def block_column(keys: tuple[str, ...]) -> str:
    """The column holding a capped rule's block key (NULL: not blocked)."""
    return "block_" + "_".join(keys) if keys not in UNCAPPED else keys[0]


def _key_sql(keys: tuple[str, ...]) -> str:
    present = " AND ".join(f'"{k}" IS NOT NULL' for k in keys)
    quoted = ", ".join(f'"{k}"' for k in keys)
    return f"CASE WHEN {present} THEN hash({quoted}) END"


def _capped_sql(keys: tuple[str, ...], cap: int) -> str:
    column = block_column(keys)
    size = f'count("{column}") OVER (PARTITION BY "{column}")'
    return f'CASE WHEN {size} <= {cap} THEN "{column}" END AS "{column}"'


def blocked_table_sql(source: str, cap: int | None = None) -> str:
    """SQL that adds the capped block keys to `source`'s records (every
    name in it is one of this module's constants, none comes from input)."""
    cap = BLOCK_CAP if cap is None else cap
    capped = [keys for keys in BLOCKING if keys not in UNCAPPED]
    coarse = [keys for keys in capped if keys not in FINER]
    raw = ", ".join(f'{_key_sql(k)} AS "{block_column(k)}"' for k in coarse)
    sized = ", ".join(
        f'count("{block_column(k)}") OVER (PARTITION BY "{block_column(k)}") AS "n_{i}"'
        for i, k in enumerate(coarse)
    )
    finer = ", ".join(
        f"CASE WHEN {' OR '.join(f'n_{coarse.index(p)} > {cap}' for p in parents)}"
        f' THEN {_key_sql(keys)} END AS "{block_column(keys)}"'
        for keys, parents in FINER.items()
    )
    drop = ", ".join(f'"n_{i}"' for i in range(len(coarse)))
    band = "floor(birth_year / 4)::INTEGER AS band, phones[1] AS phone1"
    keyed = f"keyed AS (SELECT *, {band}, {raw} FROM {source})"  # noqa: S608
    capping = ", ".join(_capped_sql(k, cap) for k in capped)
    parts = [
        f"WITH {keyed}, sized AS (SELECT *, {sized} FROM keyed),",  # noqa: S608
        f"finer AS (SELECT * EXCLUDE ({drop}), {finer} FROM sized)",  # noqa: S608
        f"SELECT * REPLACE ({capping}) FROM finer",  # noqa: S608
    ]
    return " ".join(parts)


LevelWeights = dict[str, list[tuple[str, float]]]


def level_weights(model: dict[str, Any]) -> LevelWeights:
    """Each comparison's levels with their match weight, log2(m/u), from a
    Splink model (the trained one, or the priors)."""
    out: LevelWeights = {}
    for comparison in model["comparisons"]:
        levels = []
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                levels.append((NULL, 0.0))
            else:
                m, u = level.get("m_probability"), level.get("u_probability")
                weight = math.log2(m / u) if m and u else 0.0
                levels.append((level["label_for_charts"], weight))
        out[comparison["output_column_name"]] = levels
    return out


def evidence_of(row: dict[str, Any], weights: LevelWeights) -> dict[str, str]:
    """The level each field reached ("exact", "differs" ...), read back from
    the field's match weight in the prediction (Splink returns the comparison
    vector only together with the compared values, which we do not keep)."""
    out = {}
    for name, levels in weights.items():
        mw = row.get(f"mw_{name}")
        if mw is None:
            continue
        label, _weight = min(levels, key=lambda lw: abs(lw[1] - float(mw)))
        out[name] = label
    return out


def _settings(n_records: int) -> dict[str, Any]:
    from splink import block_on

    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": min(1e-3, 1.5 / max(n_records, 2)),
        "comparisons": [
            {"output_column_name": name, "comparison_levels": _levels(levels, n_records)}
            for name, levels in COMPARISONS.items()
        ],
        "blocking_rules_to_generate_predictions": [_rule(block_on, cols) for cols in BLOCKING],
        "retain_matching_columns": False,
        # The comparison vector (gamma_*) is the evidence shown to reviewers.
        "retain_intermediate_calculation_columns": True,
    }


def _levels(levels: list[dict[str, Any]], n_records: int) -> list[dict[str, Any]]:
    """Without term-frequency adjustments below `TF_MIN` records: in a small
    registry three Aslams out of six would make "Aslam" look common."""
    if n_records >= TF_MIN:
        return levels
    return [{k: v for k, v in level.items() if not k.startswith("tf_")} for level in levels]


def _rule(block_on: Any, cols: tuple[str, ...]) -> Any:
    if cols == ("phones",):
        return block_on("phones", arrays_to_explode=["phones"])
    return block_on(block_column(cols))


@dataclass
class Scored:
    left: int
    right: int
    match_weight: float
    match_probability: float
    evidence: dict[str, str]


@dataclass
class Result:
    pairs: list[Scored]
    trained: bool
    model_json: str
    blocked_pairs: int = 0


@contextmanager
def private_duckdb(
    *, memory_limit: str = "4GB", spill_dir: str | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB that writes nothing to disk (spilling off), or, with
    `spill_dir`, spills only into a new private directory under it, removed
    when the block ends."""
    private = tempfile.mkdtemp(prefix="ahtc-er-", dir=spill_dir) if spill_dir else ""
    con = duckdb.connect(":memory:", config={"memory_limit": memory_limit})
    try:
        con.execute("SET temp_directory = ?", [private])
        con.execute("SET enable_external_access = false")
        yield con
    finally:
        con.close()
        if private:
            shutil.rmtree(private, ignore_errors=True)


def _arrow(records: list[Features]) -> Any:
    """The records as an Arrow table, built column by column (no dict per
    record: a million of them)."""
    import pyarrow as pa  # type: ignore[import-untyped]

    types = {"unique_id": pa.int64(), "birth_year": pa.int32()}
    lists = {"names_all", "phones", "castes"}
    columns = {}
    for column in fields(Features):
        kind = pa.list_(pa.string()) if column.name in lists else pa.string()
        values = [getattr(r, column.name) for r in records]
        columns[column.name] = pa.array(values, type=types.get(column.name, kind))
    return pa.table(columns)


def _linker(con: duckdb.DuckDBPyConnection, records: list[Features], model: str | None) -> Any:
    import json

    from splink import DuckDBAPI, Linker

    con.register("people_arrow", _arrow(records))
    con.execute(f"CREATE TABLE people_records AS {blocked_table_sql('people_arrow')}")
    con.unregister("people_arrow")
    db_api = DuckDBAPI(connection=con)
    table = db_api.register("people_records", table_name="people_records_in")
    settings = json.loads(model) if model else _settings(len(records))
    return Linker(table, settings, log_level=None)


def _train(linker: Any, *, u_pairs: float, em_pairs: float, progress: Progress) -> None:
    from splink import block_on

    progress(0.2, _("Estimating how often fields agree by chance (sampled)."))
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=15)
    # EM on pairs that are nearly all the same person: the same full CNIC
    # (estimates every field's m but the CNIC's), then the same first phone
    # (the CNIC's m). A block on a common name is mostly different people
    # and left EM with m values far from the truth on the benchmark.
    rules = (block_on("cnic_full"), block_on("phone1"))
    for step, rule in enumerate(rules):
        progress(0.3 + 0.1 * step, _("Estimating how often fields agree for the same person."))
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, max_pairs=em_pairs, estimate_without_term_frequencies=True
        )


def score(
    records: list[Features],
    *,
    threshold_weight: float,
    new_ids: set[int] | None = None,
    model_json: str = "",
    train: bool | None = None,
    u_pairs: float = U_PAIRS,
    em_pairs: float = EM_PAIRS,
    spill_dir: str | None = None,
    memory_limit: str = "4GB",
    progress: Progress | None = None,
) -> Result:
    """Score the blocked pairs of `records`; keep those at or above
    `threshold_weight`. With `new_ids`, only pairs that involve a new record
    (incremental mode: the new records against everyone, with `model_json`
    from the last full run)."""
    report = progress or (lambda fraction, message: None)
    if len(records) < 2:
        return Result(pairs=[], trained=False, model_json=model_json)
    train = len(records) >= TRAIN_MIN and not model_json if train is None else train
    with private_duckdb(memory_limit=memory_limit, spill_dir=spill_dir) as con:
        linker = _linker(con, records, model_json or None)
        if train:
            _train(linker, u_pairs=u_pairs, em_pairs=em_pairs, progress=report)
        report(0.5, _("Scoring the pairs that share a name, number or phone."))
        if new_ids is None:
            predicted = linker.inference.predict(
                threshold_match_weight=threshold_weight, warning_mode="never"
            )
        else:
            predicted = _predict_new(con, linker, new_ids, threshold_weight)
        rows = predicted.as_record_list()
        model = linker.misc.save_model_to_json()
    weights = level_weights(model)
    scored = (_scored(row, weights) for row in rows)
    pairs = list({(p.left, p.right): p for p in scored if p.left != p.right}.values())
    return Result(pairs=pairs, trained=bool(train), model_json=_json(model))


def _predict_new(con: Any, linker: Any, new_ids: set[int], threshold: float) -> Any:
    """New records against all records (both ways round, once each pair)."""
    db_api = linker._db_api
    con.execute(
        "CREATE TABLE new_records AS SELECT * FROM people_records"
        " WHERE list_contains(?, unique_id)",
        [sorted(new_ids)],
    )
    left = db_api.register("new_records", table_name="new_side")
    right = db_api.register("people_records", table_name="all_side")
    return linker.inference.predict_between(
        left, right, threshold_match_weight=threshold, warning_mode="never"
    )


def _scored(row: dict[str, Any], weights: LevelWeights) -> Scored:
    left, right = sorted((int(row["unique_id_l"]), int(row["unique_id_r"])))
    weight = float(row["match_weight"])
    probability = float(row["match_probability"])
    if math.isnan(probability):
        probability = 0.0
    return Scored(left, right, weight, probability, evidence_of(row, weights))


def _json(model: Any) -> str:
    import json

    return json.dumps(model, default=str)
