"""rulekit's own frozen AST for expressions. Every node knows its offset in the expression text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Node:
    pos: int
    end: int


@dataclass(frozen=True, slots=True)
class Number(Node):
    value: Decimal
    is_int: bool


@dataclass(frozen=True, slots=True)
class Quantity(Node):
    """A number with a unit: `3000 DKK`, `5 working_days`, `10%` (unit 'percent')."""

    value: Decimal
    unit: str
    currency: str | None = None  # money: the ISO 4217 code written (`kr` is DKK)


@dataclass(frozen=True, slots=True)
class DateLit(Node):
    value: dt.date


@dataclass(frozen=True, slots=True)
class DateTimeLit(Node):
    value: dt.datetime


@dataclass(frozen=True, slots=True)
class Text(Node):
    value: str


@dataclass(frozen=True, slots=True)
class Bool(Node):
    value: bool


@dataclass(frozen=True, slots=True)
class Name(Node):
    name: str


@dataclass(frozen=True, slots=True)
class Attr(Node):
    obj: Node
    name: str


@dataclass(frozen=True, slots=True)
class Call(Node):
    fn: str
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class ListLit(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Unary(Node):
    op: str  # '-' or 'not'
    operand: Node


@dataclass(frozen=True, slots=True)
class Binary(Node):
    op: str  # + - * / == != < <= > >= and or ?? in notin
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class IfElse(Node):
    cond: Node
    then: Node
    other: Node


@dataclass(frozen=True, slots=True)
class Where(Node):
    source: Node
    cond: Node
    var: str | None = None  # `LIST where e: COND` names the element `e` (else it is `it`)


@dataclass(frozen=True, slots=True)
class Map(Node):
    """`[BODY for VAR in SOURCE]`: BODY for every element of SOURCE, in order."""

    body: Node
    var: str
    source: Node


def children(node: Node) -> list[Node]:
    """The nodes directly inside `node`, in source order."""
    out: list[Node] = []
    for name in node.__slots__:  # each concrete node class lists only its own fields
        value = getattr(node, name)
        if isinstance(value, Node):
            out.append(value)
        elif isinstance(value, tuple):
            out.extend(v for v in value if isinstance(v, Node))
    return out


def walk(node: Node) -> list[Node]:
    """`node` and every node inside it."""
    out, stack = [], [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(reversed(children(current)))
    return out


# how tightly each binary operator binds (grammar.lark): a printer brackets a side that binds looser
PRECEDENCE = {"??": 0, "or": 1, "and": 2, "==": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4, "in": 4, "not in": 4,
              "+": 5, "-": 5, "*": 6, "/": 6}
UNARY = 7  # `not x`, `-x`


def bracketed(shown: Node, outer: int, right_of: str | None = None) -> bool:
    """Whether a side that prints as `shown` goes in brackets inside an operation binding as tightly as `outer`
    (the side is right of the operator `right_of`): it binds looser, or as loosely right of − or /. This is
    the grouping the writer's brackets gave, so a printed expression reads as it computes."""
    if not isinstance(shown, Binary):
        return False
    inner = PRECEDENCE.get(shown.op, 3)
    return inner < outer or (inner == outer and right_of in ("-", "/"))
