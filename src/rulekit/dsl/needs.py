"""Which event types and facts an expression cannot do without: if a case has no events of one of those
types, or lacks one of those facts, the expression is missing (`missing_if_empty`) or, as a condition,
false or missing (`false_if_empty`). A fact is named `fact:<name>` (no event type can be called that).
The runtime uses this to skip, cheaply and with the same outcome, rules whose trigger has not happened.
The analysis is conservative: it may find fewer names than there are, never more."""

from __future__ import annotations

from . import ast
from . import types as t
from .check import Checked

_ORDERING = {"first", "last", "min", "max", "avg"}
_THROUGH = {"next_weekday", "next_working_day", "end_of_month", "week_start", "year", "month", "quarter",
            "working_days_between", "days_between", "months", "round", "abs", "is_working_day"}
_STRICT = {"+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=", "in", "not in"}
FACT = "fact:"  # the prefix of a fact among the names an expression needs


def fact_need(name: str) -> str:
    return FACT + name


def missing_if_empty(checked: Checked) -> frozenset[str]:
    return frozenset(_Needs(checked).missing(checked.node))


def false_if_empty(checked: Checked) -> frozenset[str]:
    return frozenset(_Needs(checked).false(checked.node))


class _Needs:
    def __init__(self, checked: Checked) -> None:
        self.c = checked

    def events_of(self, node: ast.Node) -> set[str]:
        """The event type a list expression draws from (`E`, `E where …`, `answers(x, E)`), if it is one."""
        if isinstance(node, ast.Where):
            return self.events_of(node.source)
        if isinstance(node, ast.Call) and node.fn == "answers" and len(node.args) == 2:
            return self.events_of(node.args[1])
        if isinstance(node, ast.Name):
            sym = self.c.symbols.get(node)
            if sym is not None and sym.kind == "events":
                return {node.name}
        return set()

    def missing(self, node: ast.Node) -> set[str]:
        if isinstance(node, ast.Name):
            sym = self.c.symbols.get(node)
            return {fact_need(node.name)} if sym is not None and sym.kind == "fact" else set()
        if isinstance(node, ast.Call):
            if node.fn in _ORDERING and len(node.args) == 1:
                return self.events_of(node.args[0]) | self.missing(node.args[0])
            if node.fn in _THROUGH:
                return set().union(*(self.missing(a) for a in node.args))
            return set()
        if isinstance(node, ast.Attr):
            return self.missing(node.obj)
        if isinstance(node, ast.Where):
            return self.missing(node.source)
        if isinstance(node, ast.Unary):
            return self.missing(node.operand)
        if isinstance(node, ast.Binary):
            if node.op in _STRICT:
                return self.missing(node.left) | self.missing(node.right)
            if node.op in ("and", "or"):
                return self.missing(node.left)
            return set()
        if isinstance(node, ast.IfElse):
            return self.missing(node.cond) | (self.missing(node.then) & self.missing(node.other))
        return set()

    def groups(self, node: ast.Node, limit: int) -> set[frozenset[str]]:
        if isinstance(node, ast.Binary) and node.op == "or":  # false only when both sides are
            left, right = self.groups(node.left, limit), self.groups(node.right, limit)
            found = {a | b for a in left for b in right}
            return found if len(found) <= limit else set()
        if isinstance(node, ast.Binary) and node.op == "and":
            found = self.groups(node.left, limit) | self.groups(node.right, limit)
            return found if len(found) <= limit else set()
        return {frozenset([name]) for name in self.false(node)}

    def false(self, node: ast.Node) -> set[str]:
        if isinstance(node, ast.Call) and node.fn == "exists" and node.args:
            arg = node.args[0]
            return self.events_of(arg) | self.missing(arg)
        if isinstance(node, ast.Binary) and node.op == "and":
            return self.false(node.left) | self.false(node.right)
        if isinstance(node, ast.Binary) and node.op == "??" and isinstance(node.right, ast.Bool) \
                and node.right.value is False:
            return self.missing(node.left)  # `x ?? false`: false when x is missing
        return self.missing(node)


def false_unless_any(checked: Checked, limit: int = 16) -> frozenset[frozenset[str]]:
    """Groups of names, each of which a condition cannot do without all of: if a case has none of a
    group's names, the condition is false or missing. `exists(a) or exists(b)` gives the group {a, b}.
    Groups of one are false_if_empty's names; at most `limit` groups are kept (never a wrong one)."""
    return frozenset(_Needs(checked).groups(checked.node, limit))


def single_reads(checked: Checked) -> list[tuple[str, ast.Node]]:
    """Where the expression reads one occurrence of an event type: `first(E)`, `last(E where …)`. A filter
    that refers to the current `item`, or `answers(x, E)`, picks an occurrence relative to it, and one that asks
    for an `id` (`E where it.id == x`) looks one up: neither is a single read."""
    out: list[tuple[str, ast.Node]] = []
    for node in ast.walk(checked.node):
        if isinstance(node, ast.Call) and node.fn in ("first", "last") and len(node.args) == 1:
            source = node.args[0]
            names = {n.name for n in ast.walk(source) if isinstance(n, ast.Name)}
            if "item" in names or _answers_of(source) or _by_id(source):
                continue
            for event in _Needs(checked).events_of(source):
                out.append((event, node))
    return out


def _by_id(node: ast.Node) -> bool:
    """Whether a list is `E where it.id == x` (or `x == it.id`): one event looked up by its id, which is unique."""
    if not isinstance(node, ast.Where):
        return False
    var = node.var or "it"
    return any(isinstance(c, ast.Binary) and c.op == "==" and any(
        isinstance(side, ast.Attr) and side.name == "id" and isinstance(side.obj, ast.Name) and side.obj.name == var
        for side in (c.left, c.right)) for c in comparisons(node.cond))


def _answers_of(node: ast.Node) -> bool:
    """Whether a list is `answers(x, E)` (filtered or not): the answers of one element, not of the whole case."""
    while isinstance(node, ast.Where):
        node = node.source
    return isinstance(node, ast.Call) and node.fn == "answers"


_COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")


def comparisons(node: ast.Node, limit: int = 6) -> list[ast.Binary]:
    """The comparisons a condition is made of: itself, or each one of a chain joined by `and`."""
    pending: list[ast.Node] = [node]
    found: list[ast.Binary] = []
    while pending and len(found) < limit:
        current = pending.pop(0)
        if isinstance(current, ast.Binary) and current.op == "and":
            pending[:0] = [current.left, current.right]
        elif isinstance(current, ast.Binary) and current.op == "??":
            pending[:0] = [current.left]  # `(a <= b and …) ?? false`: the comparisons on the left
        elif isinstance(current, ast.Binary) and current.op in _COMPARISONS:
            found.append(current)
    return found


def filter_needs_any(checked: Checked, limit: int = 16) -> frozenset[frozenset[str]]:
    """For a list `E where COND`: groups of names COND cannot hold without one of (false_unless_any of COND), so
    that the list is empty when a case has none of a group's names — `invoice_sent where exists(answers(it, W))`
    gives {W}. Empty for any other list."""
    node = checked.node
    if not isinstance(node, ast.Where):
        return frozenset()
    return frozenset(_Needs(checked).groups(node.cond, limit))


def drawn_from(checked: Checked) -> frozenset[str]:
    """The event type a list expression draws its elements from (`E`, `E where …`): empty when the case
    has none of them, whatever the filter."""
    return frozenset(_Needs(checked).events_of(checked.node))


def listed_from(checked: Checked) -> frozenset[str]:
    """The event types every element of a list expression is one of (`E`, `E where …`, `answers(x, E)`, and
    those filtered): the list is empty when the case has none of them. Empty when not known."""
    return frozenset(_listed(checked, checked.node))


def _listed(checked: Checked, node: ast.Node) -> set[str]:
    if isinstance(node, ast.Where):
        return _listed(checked, node.source)
    if isinstance(node, ast.Call) and node.fn == "answers" and len(node.args) == 2:
        return _listed(checked, node.args[1])
    return _Needs(checked).events_of(node)


def conjuncts(node: ast.Node) -> list[ast.Node]:
    """The parts of a condition joined by top-level `and`."""
    if isinstance(node, ast.Binary) and node.op == "and":
        return [*conjuncts(node.left), *conjuncts(node.right)]
    return [node]


def leading_output(checked: Checked) -> tuple[str, str] | None:
    """(rule, output) when a condition's first conjunct is another rule's truth-valued output (`R.breached
    and …`): where that output is false, the condition is false without anything else being read."""
    first = conjuncts(checked.node)[0]
    if not (isinstance(first, ast.Attr) and isinstance(first.obj, ast.Name)):
        return None
    sym = checked.symbols.get(first.obj)
    if sym is None or sym.kind != "rule" or checked.types.get(first) != t.BOOL:
        return None
    return first.obj.name, first.name
