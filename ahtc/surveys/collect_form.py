"""The web form of one instrument version, built from our field catalogue:
what to show (a tree of groups, repeats and questions), how a POST becomes
answers, and what is wrong with them.

Names in the HTML form are catalogue paths, with the row of each repeat in
brackets: `kiln_name`, `family[0]/advance`, `a[1]/b[0]/c`. Each repeat row
carries a marker `family[0]#row` (rows removed in the browser simply have
none) and each repeat a count `family#rows` (the next free row number).
Form-level inputs start with "#", which no XLSForm name can hold.

Relevance is evaluated again here from the answers in document order, and
the answers of a question that is not relevant are dropped, as ODK does:
the browser's hiding is a convenience, never the rule.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from defusedxml import ElementTree  # type: ignore[import-untyped]
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.surveys import expr
from ahtc.surveys.models import InstrumentVersion
from ahtc.surveys.xform import ITEXT_REF, XF, H, _itext, label_in

CONTAINERS = {"group", "repeat"}
INPUT_TYPES = {
    "text": "text",
    "integer": "number",
    "decimal": "number",
    "date": "date",
    "time": "time",
    "datetime": "datetime-local",
    "geopoint": "text",
    "barcode": "text",
}
CHOICE_TYPES = {"select_one", "select_multiple"}
# Filled in by the server, never asked: the metadata XLSForm can declare.
TODAY = "today"


@dataclass
class Node:
    spec: dict[str, Any]
    children: list[Node] = field(default_factory=list)
    relevant: expr.Node | None = None
    constraint: expr.Node | None = None

    @property
    def path(self) -> str:
        return str(self.spec["path"])

    @property
    def kind(self) -> str:
        return str(self.spec["type"])


def _asked(spec: dict[str, Any]) -> bool:
    """Questions shown on the form: containers, and controls of the form's body
    (they have a label); calculations and metadata are not asked."""
    if spec["path"].startswith("meta/") or spec["type"] == "calculate":
        return False
    return spec["type"] in CONTAINERS or bool(spec["labels"])


def _parsed(text: str, here: str) -> expr.Node | None:
    if not text:
        return None
    try:
        return expr.parse(text, here=here)
    except expr.ExprError:
        return None  # outside the subset: shown, not checked (module docstring)


def build_tree(catalogue: list[dict[str, Any]]) -> list[Node]:
    """Catalogue order is the form's order; a field belongs to the deepest
    group or repeat whose path prefixes its own."""
    root: list[Node] = []
    containers: dict[str, Node] = {}
    for spec in catalogue:
        if not _asked(spec):
            continue
        node = Node(spec, [], _parsed(spec["relevant"], spec["path"]))
        node.constraint = _parsed(spec["constraint"], spec["path"])
        parent_path = spec["path"].rsplit("/", 1)[0] if "/" in spec["path"] else ""
        while parent_path and parent_path not in containers:
            parent_path = parent_path.rsplit("/", 1)[0] if "/" in parent_path else ""
        (containers[parent_path].children if parent_path else root).append(node)
        if node.kind in CONTAINERS:
            containers[node.path] = node
    return root


@lru_cache(maxsize=64)
def _texts(xform: str) -> dict[str, dict[str, str]]:
    try:
        model = ElementTree.fromstring(xform).find(f"{H}head").find(f"{XF}model")
    except Exception:  # an XForm we imported once is readable; stay safe anyway
        return {}
    return _itext(model) if model is not None else {}


def constraint_message(version: InstrumentVersion, spec: dict[str, Any], language: str) -> str:
    """The form's own message, in the page's language where it has one."""
    raw = str(spec.get("constraint_message") or "")
    found = ITEXT_REF.search(raw)
    if found:
        return label_in(_texts(version.xform).get(found.group(1), {}), language)
    return raw


# --- names -------------------------------------------------------------------------------

Rows = list[tuple[str, int | str]]  # (repeat path, row number), outermost first


def prefix(rows: Rows) -> str:
    """`a[0]/b[1]` for rows [("a", 0), ("a/b", 1)]."""
    out, consumed = "", ""
    for path, index in rows:
        step = path[len(consumed) + 1 :] if consumed else path
        out = f"{out}/{step}[{index}]" if out else f"{step}[{index}]"
        consumed = path
    return out


def name_of(path: str, rows: Rows) -> str:
    if not rows:
        return path
    rest = path[len(rows[-1][0]) + 1 :]
    return f"{prefix(rows)}/{rest}"


def html_id(name: str) -> str:
    return "q-" + re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")


def row_numbers(post: QueryDict | None, repeat_name: str) -> list[int]:
    """Rows of a repeat present in the POST, in order; one row on a new form."""
    if post is None:
        return [0]
    try:
        count = min(int(post.get(f"{repeat_name}#rows", "0")), 500)
    except ValueError:
        count = 0
    return [i for i in range(count) if f"{repeat_name}[{i}]#row" in post]


# --- reading the POST ---------------------------------------------------------------------


@dataclass
class Reading:
    """Answers (shaped as store.py stores them) and errors by HTML name."""

    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _number(text: str, whole: bool) -> int | float:
    value = float(text)
    if whole:
        if not value.is_integer():
            raise ValueError
        return int(value)
    return value


def _value(node: Node, raw: list[str]) -> Any:
    """The typed value of an answer, or ValueError with the message to show."""
    kind = node.kind
    if kind == "select_multiple":
        allowed = [str(c["value"]) for c in node.spec["choices"]]
        if any(v not in allowed for v in raw):
            raise ValueError(_("Choose among the answers shown."))
        return " ".join(v for v in allowed if v in raw)
    text = raw[0].strip() if raw else ""
    if kind == "select_one" and text not in {str(c["value"]) for c in node.spec["choices"]}:
        raise ValueError(_("Choose one of the answers shown."))
    try:
        if kind == "integer":
            return _number(text, whole=True)
        if kind == "decimal":
            return _number(text, whole=False)
        if kind == "date":
            return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(
            {
                "integer": _("Enter a whole number, in digits."),
                "decimal": _("Enter a number, in digits."),
                "date": _("Enter a date (year-month-day)."),
            }[kind]
        ) from None
    return text


@dataclass
class Reader:
    version: InstrumentVersion
    post: QueryDict
    language: str
    reading: Reading = field(default_factory=Reading)

    def context(self, scope: list[dict[str, Any]], rows: Rows, current: Any = "") -> expr.Context:
        data = self.reading.data
        in_reach = {path for path, _n in rows}

        def value(path: str) -> Any:
            spec = self.version.field(path)
            repeat = str(spec["repeat"]) if spec else ""
            if not repeat:
                return data.get(path, "")
            if repeat not in in_reach:
                raise expr.ExprError("a repeat's answer from outside it")
            row = scope[[p for p, _n in rows].index(repeat)]
            return row.get(path, "")

        def values(path: str) -> list[Any]:
            found: list[Any] = []
            stack: list[dict[str, Any]] = [data]
            while stack:
                here = stack.pop()
                for key, item in here.items():
                    if key == path:
                        found.append(item)
                    elif isinstance(item, list):
                        stack += [r for r in item if isinstance(r, dict)]
            return found

        return expr.Context(value, values, current)

    def relevant(self, node: Node, scope: list[dict[str, Any]], rows: Rows) -> bool:
        if node.relevant is None:
            return True
        try:
            return expr.boolean(expr.evaluate(node.relevant, self.context(scope, rows)))
        except expr.ExprError:
            return True

    def read(
        self, nodes: list[Node], target: dict[str, Any], scope: list[dict[str, Any]], rows: Rows
    ) -> None:
        for node in nodes:
            if not self.relevant(node, scope, rows):
                continue  # its answers are dropped, its errors never shown
            if node.kind == "group":
                self.read(node.children, target, scope, rows)
            elif node.kind == "repeat":
                self.read_repeat(node, target, scope, rows)
            elif node.kind != "note":
                self.answer(node, target, scope, rows)

    def read_repeat(
        self, node: Node, target: dict[str, Any], scope: list[dict[str, Any]], rows: Rows
    ) -> None:
        found: list[dict[str, Any]] = []
        for number in row_numbers(self.post, name_of(node.path, rows)):
            row: dict[str, Any] = {}
            self.read(node.children, row, [*scope, row], [*rows, (node.path, number)])
            found.append(row)
        if found:
            target[node.path] = found

    def answer(
        self, node: Node, target: dict[str, Any], scope: list[dict[str, Any]], rows: Rows
    ) -> None:
        name = name_of(node.path, rows)
        raw = [v for v in self.post.getlist(name) if v.strip()]
        if not raw:
            if node.spec["required"]:
                self.reading.errors[name] = _("This question needs an answer.")
            return
        try:
            value = _value(node, raw)
        except ValueError as exc:
            self.reading.errors[name] = str(exc)
            return
        if node.constraint is not None:
            try:
                ok = expr.boolean(expr.evaluate(node.constraint, self.context(scope, rows, value)))
            except expr.ExprError:
                ok = True
            if not ok:
                own = constraint_message(self.version, node.spec, self.language)
                self.reading.errors[name] = own or _("This answer is outside what the form allows.")
                return
        target[node.path] = value


def calculations(version: InstrumentVersion, data: dict[str, Any]) -> None:
    """Top-level calculations in the subset (sum() of a repeat's answers, if(),
    arithmetic) are stored as Kobo and ODK would store them; the others are
    left out. A calculation on a missing answer is left out too."""
    reader = Reader(version, QueryDict(), "en", Reading(data=data))
    for spec in version.catalogue:
        if spec["type"] != "calculate" or spec["repeat"] or not spec["calculate"]:
            continue
        tree = _parsed(spec["calculate"], spec["path"])
        if tree is None or _missing(tree, data):
            continue
        try:
            value = expr.evaluate(tree, reader.context([], []))
        except expr.ExprError:
            continue
        data[spec["path"]] = (
            int(value) if isinstance(value, float) and value.is_integer() else value
        )


def _missing(tree: expr.Node, data: dict[str, Any]) -> bool:
    text = json.dumps(tree)
    paths = re.findall(r'\["path", "([^"]+)"\]', text)
    sums = set(re.findall(r'\["call", "sum", \[\["path", "([^"]+)"\]', text))
    return any(p not in sums and data.get(p, "") == "" for p in paths)


def read_answers(version: InstrumentVersion, post: QueryDict, language: str) -> Reading:
    reader = Reader(version, post, language)
    reader.read(build_tree(version.catalogue), reader.reading.data, [], [])
    if any(f["name"] == TODAY and not f["repeat"] for f in version.catalogue):
        reader.reading.data[TODAY] = timezone.localdate().isoformat()
    calculations(version, reader.reading.data)
    return reader.reading


# --- what the template shows -----------------------------------------------------------------


def _bounds(node: Node) -> dict[str, str]:
    if node.kind not in {"integer", "decimal"}:
        return {}
    whole = node.kind == "integer"
    shown: dict[str, str] = {"step": "1" if whole else "any"}
    if node.constraint is None:
        return shown
    try:
        low, high, low_strict, high_strict = expr.bounds(node.constraint)
    except expr.ExprError:
        return shown  # checked on the server only
    for key, value, strict, step in (("min", low, low_strict, 1), ("max", high, high_strict, -1)):
        if value is None or (strict and not whole):
            continue
        if whole:
            value = float(int(value) + step) if strict else value
        shown[key] = expr.string(value)
    return shown


@dataclass
class Renderer:
    post: QueryDict | None
    errors: dict[str, str]
    language: str
    tehsils: list[dict[str, Any]] = field(default_factory=list)

    def items(
        self, nodes: list[Node], rows: Rows, conditional: bool = False
    ) -> list[dict[str, Any]]:
        return [self.item(node, rows, conditional) for node in nodes]

    def base(self, node: Node, rows: Rows) -> dict[str, Any]:
        name = name_of(node.path, rows)
        return {
            "kind": node.kind,
            "path": node.path,
            "name": name,
            "id": html_id(name),
            "label": label_in(node.spec["labels"], self.language) or node.spec["name"],
            "hint": label_in(node.spec["hints"], self.language),
            "relevant": json.dumps(node.relevant) if node.relevant is not None else "",
            "error": self.errors.get(name, ""),
        }

    def item(self, node: Node, rows: Rows, conditional: bool) -> dict[str, Any]:
        shown = self.base(node, rows)
        conditional = conditional or node.relevant is not None
        if node.kind == "group":
            shown["children"] = self.items(node.children, rows, conditional)
        elif node.kind == "repeat":
            shown.update(self.repeat(node, rows, conditional))
        elif node.kind != "note":
            shown.update(self.question(node, shown["name"], conditional))
        return shown

    def repeat(self, node: Node, rows: Rows, conditional: bool) -> dict[str, Any]:
        name = name_of(node.path, rows)
        numbers = row_numbers(self.post, name)
        placeholder = f"__i{len(rows)}__"
        return {
            "rows": [
                {
                    "prefix": prefix([*rows, (node.path, n)]),
                    "number": n,
                    "children": self.items(node.children, [*rows, (node.path, n)], conditional),
                }
                for n in numbers
            ],
            "next": (max(numbers) + 1) if numbers else 0,
            "placeholder": placeholder,
            "template": {
                "prefix": prefix([*rows, (node.path, placeholder)]),
                "number": placeholder,
                "children": Renderer(None, {}, self.language, self.tehsils).items(
                    node.children, [*rows, (node.path, placeholder)], conditional
                ),
            },
        }

    def question(self, node: Node, name: str, conditional: bool) -> dict[str, Any]:
        given = self.post.getlist(name) if self.post is not None else []
        shown: dict[str, Any] = {
            "value": given[0] if given else "",
            "required": node.spec["required"] and not conditional,
            "input_type": INPUT_TYPES.get(node.kind, "text"),
            **_bounds(node),
        }
        if node.kind in CHOICE_TYPES:
            shown["choices"] = [
                {
                    "value": str(c["value"]),
                    "label": label_in(c["labels"], self.language) or str(c["value"]),
                    "checked": str(c["value"]) in given,
                    "id": f"{html_id(name)}-{n}",
                }
                for n, c in enumerate(node.spec["choices"])
            ]
        elif node.path == "tehsil" and node.kind == "text" and self.tehsils:
            shown["kind"] = "tehsil"
            shown["districts"] = self.tehsils
        return shown


def form_items(
    version: InstrumentVersion,
    *,
    post: QueryDict | None,
    errors: dict[str, str],
    language: str,
    tehsils: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    renderer = Renderer(post, errors, language, tehsils)
    return renderer.items(build_tree(version.catalogue), [])


def error_summary(items: list[dict[str, Any]]) -> list[dict[str, str]]:
    """(id, label, error) of every question with an error, in form order."""
    found: list[dict[str, str]] = []
    for item in items:
        if item.get("error"):
            found.append({"id": item["id"], "label": item["label"], "error": item["error"]})
        found += error_summary(item.get("children", []))
        for row in item.get("rows", []):
            found += error_summary(row["children"])
    return found
