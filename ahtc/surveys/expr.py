"""A small subset of XPath, the expression language of XForms, for the web
form (collect.py): relevance, constraints and simple calculations.

Parsed once into a JSON-ready tree, so the same tree is evaluated here (the
server decides) and in the browser (static/ahtc/survey-collect.js shows and
hides questions). What is not in the subset raises ExprError: the caller
then treats a relevance as "shown", a constraint as "not checked" and a
calculation as "left out" (Kobo and ODK compute those; docs/surveys.md).

Paths are turned into catalogue paths ("family/advance"): the root element
of an absolute path is dropped, and "../x" / "current()/../x" are resolved
from the field the expression belongs to.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Node = list[Any]

TOKEN = re.compile(
    r"""\s*(?:
      (?P<str>'[^']*'|"[^"]*")
    | (?P<num>\d+(?:\.\d+)?|\.\d+)
    | (?P<rel>(?:current\(\)/)?(?:\.\./)+[A-Za-z_][\w.-]*(?:/[A-Za-z_][\w.-]*)*)
    | (?P<abs>/[A-Za-z_][\w.-]*(?:/[A-Za-z_][\w.-]*)*)
    | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,)
    | (?P<self>\.(?![\w.]))
    | (?P<name>[A-Za-z_][\w-]*)
    )""",
    re.VERBOSE,
)
FUNCTIONS = {
    "selected": 2,
    "count-selected": 1,
    "not": 1,
    "string-length": 1,
    "sum": 1,
    "if": 3,
    "true": 0,
    "false": 0,
    "number": 1,
    "string": 1,
}
COMPARE = {"=", "!=", "<", "<=", ">", ">="}


class ExprError(ValueError):
    """Outside the subset we evaluate, or not well formed."""


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    position = 0
    text = text.strip()
    while position < len(text):
        found = TOKEN.match(text, position)
        if not found or found.end() == position:
            raise ExprError(f"cannot read {text[position:][:20]!r}")
        kind = found.lastgroup or ""
        out.append((kind, found.group(kind)))
        position = found.end()
    return out


def _absolute(path: str) -> str:
    return path.strip("/").split("/", 1)[1] if "/" in path.strip("/") else ""


def _relative(path: str, here: str) -> str:
    steps = path.removeprefix("current()/").split("/")
    base = here.split("/") if here else []
    for step in steps:
        if step == "..":
            if not base:
                raise ExprError("path above the form's root")
            base.pop()
        else:
            base.append(step)
    return "/".join(base)


@dataclass
class _Parser:
    tokens: list[tuple[str, str]]
    here: str
    at: int = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.at] if self.at < len(self.tokens) else ("end", "")

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token[0] == "end" or (value is not None and token[1] != value):
            raise ExprError(f"expected {value or 'more'}")
        self.at += 1
        return token

    def binary(self, operators: set[str], inner: Callable[[], Node], kind: str) -> Node:
        left = inner()
        while self.peek()[1] in operators and self.peek()[0] in {"op", "name"}:
            operator = self.take()[1]
            left = [kind, operator, left, inner()] if kind != "bool" else [operator, left, inner()]
        return left

    def expr(self) -> Node:
        return self.binary({"or"}, self.conjunction, "bool")

    def conjunction(self) -> Node:
        return self.binary({"and"}, self.equality, "bool")

    def equality(self) -> Node:
        return self.binary({"=", "!="}, self.relational, "cmp")

    def relational(self) -> Node:
        return self.binary({"<", "<=", ">", ">="}, self.additive, "cmp")

    def additive(self) -> Node:
        return self.binary({"+", "-"}, self.multiplicative, "arith")

    def multiplicative(self) -> Node:
        return self.binary({"*", "div", "mod"}, self.unary, "arith")

    def unary(self) -> Node:
        if self.peek() == ("op", "-"):
            self.take()
            return ["neg", self.unary()]
        return self.primary()

    def primary(self) -> Node:
        kind, value = self.take()
        if kind == "str":
            return ["lit", value[1:-1]]
        if kind == "num":
            return ["lit", float(value)]
        if kind == "abs":
            return ["path", _absolute(value)]
        if kind == "rel":
            return ["path", _relative(value, self.here)]
        if kind == "self":
            return ["self"]
        if (kind, value) == ("op", "("):
            inner = self.expr()
            self.take(")")
            return inner
        if kind == "name" and self.peek() == ("op", "("):
            return self.call(value)
        raise ExprError(f"unexpected {value!r}")

    def call(self, name: str) -> Node:
        if name not in FUNCTIONS:
            raise ExprError(f"function {name}() is not evaluated here")
        self.take("(")
        args: list[Node] = []
        while self.peek() != ("op", ")"):
            if args:
                self.take(",")
            args.append(self.expr())
        self.take(")")
        if len(args) != FUNCTIONS[name]:
            raise ExprError(f"{name}() takes {FUNCTIONS[name]} arguments")
        return ["call", name, args]


def parse(text: str, *, here: str = "") -> Node:
    """The tree of `text`; `here` is the path of the field it belongs to."""
    parser = _Parser(_tokens(text), here)
    tree = parser.expr()
    if parser.peek()[0] != "end":
        raise ExprError("text after the expression")
    return tree


# --- evaluation ------------------------------------------------------------------------


Lookup = Callable[[str], Any]


@dataclass
class Context:
    """`value(path)`: the answer in reach (same repeat row, else top level);
    `values(path)`: every answer of a field in a repeat (for sum());
    `current`: the answer the constraint is about (".")."""

    value: Lookup
    values: Callable[[str], list[Any]]
    current: Any = ""


def number(value: Any) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return math.nan


def string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return "" if value is None else str(value)


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return not math.isnan(value) and value != 0
    return bool(string(value))


def _compare(operator: str, left: Any, right: Any) -> bool:
    numeric = operator not in {"=", "!="} or any(
        isinstance(v, int | float) and not isinstance(v, bool) for v in (left, right)
    )
    if any(isinstance(v, bool) for v in (left, right)) and operator in {"=", "!="}:
        a: Any = boolean(left)
        b: Any = boolean(right)
    elif numeric:
        a, b = number(left), number(right)
        if math.isnan(a) or math.isnan(b):
            return operator == "!="
    else:
        a, b = string(left), string(right)
    outcome: bool = {
        "=": a == b,
        "!=": a != b,
        "<": a < b,
        "<=": a <= b,
        ">": a > b,
        ">=": a >= b,
    }[operator]
    return outcome


def _arith(operator: str, left: Any, right: Any) -> float:
    a, b = number(left), number(right)
    if operator == "+":
        return a + b
    if operator == "-":
        return a - b
    if operator == "*":
        return a * b
    if b == 0:
        return math.nan
    return a / b if operator == "div" else math.fmod(a, b)


def _call(name: str, args: list[Node], ctx: Context) -> Any:
    if name == "true":
        return True
    if name == "false":
        return False
    if name == "sum":
        if args[0][0] != "path":
            raise ExprError("sum() of something other than a field")
        return sum(number(v) for v in ctx.values(args[0][1]))
    if name == "if":
        return evaluate(args[1] if boolean(evaluate(args[0], ctx)) else args[2], ctx)
    values = [evaluate(a, ctx) for a in args]
    if name == "selected":
        return string(values[1]) in string(values[0]).split()
    if name == "count-selected":
        return float(len(string(values[0]).split()))
    if name == "not":
        return not boolean(values[0])
    if name == "string-length":
        return float(len(string(values[0])))
    if name == "number":
        return number(values[0])
    return string(values[0])


def evaluate(node: Node, ctx: Context) -> Any:
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "path":
        return ctx.value(node[1])
    if kind == "self":
        return ctx.current
    if kind in {"and", "or"}:
        left = boolean(evaluate(node[1], ctx))
        if kind == "and":
            return left and boolean(evaluate(node[2], ctx))
        return left or boolean(evaluate(node[2], ctx))
    if kind == "cmp":
        return _compare(node[1], evaluate(node[2], ctx), evaluate(node[3], ctx))
    if kind == "arith":
        return _arith(node[1], evaluate(node[2], ctx), evaluate(node[3], ctx))
    if kind == "neg":
        return -number(evaluate(node[1], ctx))
    if kind == "call":
        return _call(node[1], node[2], ctx)
    raise ExprError(f"unknown node {kind}")


def bounds(node: Node) -> tuple[float | None, float | None, bool, bool]:
    """min, max and whether each is strict, for constraints made only of
    `. >= n`, `. < n` ... joined by `and` (HTML min and max); else ExprError."""
    low: float | None = None
    high: float | None = None
    low_strict = high_strict = False
    parts = [node]
    while parts:
        part = parts.pop()
        if part[0] == "and":
            parts += [part[1], part[2]]
            continue
        if part[0] != "cmp" or part[1] in {"=", "!="}:
            raise ExprError("not a range")
        operator, left, right = part[1], part[2], part[3]
        if right == ["self"] and left[0] == "lit":
            operator = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[operator]
            left, right = right, left
        if left != ["self"] or right[0] != "lit" or isinstance(right[1], str):
            raise ExprError("not a range")
        if operator in {">", ">="}:
            low, low_strict = float(right[1]), operator == ">"
        else:
            high, high_strict = float(right[1]), operator == "<"
    return low, high, low_strict, high_strict
