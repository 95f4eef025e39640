"""Parse expression text with lark (LALR) and convert the lark tree at once into rulekit's AST."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput, UnexpectedToken, VisitError

from . import ast

MAX_LENGTH = 2000
MAX_NESTING = 32
MAX_OPERATORS = 120

_UNITS = {"kr": "money", "working_days": "working_days", "working_day": "working_days",
          "days": "days", "day": "days", "weeks": "weeks", "week": "weeks", "months": "months", "month": "months",
          "hours": "hours", "hour": "hours", "minutes": "hours", "minute": "hours",
          "service_hours": "service_hours", "service_hour": "service_hours"}
_SECONDS = {"hours": 3600, "hour": 3600, "minutes": 60, "minute": 60, "service_hours": 3600, "service_hour": 3600}
_OPERATOR = re.compile(r"[-+*/<>=!?.]|\b(?:and|or|not|where|in|if|for)\b")
_STRINGS = re.compile(r'"[^"\n]*"|\'[^\'\n]*\'')


class ParseError(Exception):
    """A syntax problem at `offset` in the expression text (turned into a Diagnostic by the caller)."""

    def __init__(self, message: str, offset: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.offset, self.hint = message, offset, hint


@lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = resources.files("rulekit.dsl").joinpath("grammar.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=True)


def parse(text: str) -> ast.Node:
    """Parse one expression into the rulekit AST, or raise ParseError."""
    _check_bounds(text)
    try:
        tree = _parser().parse(text)
    except UnexpectedCharacters as exc:
        at = exc.pos_in_stream or 0
        raise ParseError(f"unexpected character {text[at]!r}", at, _char_hint(text[at])) from None
    except UnexpectedToken as exc:
        tok = exc.token
        where = len(text) if tok.type == "$END" or tok.start_pos is None else tok.start_pos
        what = "end of expression" if tok.type == "$END" else repr(str(tok))
        raise ParseError(f"unexpected {what}", where, _token_hint(exc.expected)) from None
    except UnexpectedInput as exc:
        raise ParseError("syntax error", getattr(exc, "pos_in_stream", 0) or 0) from None
    except LarkError as exc:
        raise ParseError(f"syntax error: {exc}", 0) from None
    try:
        node: ast.Node = _Build().transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, ParseError):
            raise exc.orig_exc from None
        raise
    return node


def _check_bounds(text: str) -> None:
    """Bound what the (recursive) tree building and checking will see: length, bracket nesting and the
    number of operators (each sign, dot and keyword counts), with string contents left out."""
    if len(text) > MAX_LENGTH:
        raise ParseError(f"expression is {len(text)} characters long; the limit is {MAX_LENGTH}", 0,
                         "split it into parameters or separate rules")
    code = _STRINGS.sub(lambda m: '"' + " " * (len(m.group(0)) - 2) + '"', text)
    level = 0
    for i, ch in enumerate(code):
        level += 1 if ch in "([" else -1 if ch in ")]" else 0
        if level > MAX_NESTING:
            raise ParseError(f"brackets nested deeper than {MAX_NESTING} levels", i, "simplify the expression")
    if len(_OPERATOR.findall(code)) > MAX_OPERATORS:
        raise ParseError(f"more than {MAX_OPERATORS} operators in one expression", 0,
                         "split it into parameters or separate rules")


def _char_hint(ch: str) -> str | None:
    if ch in "=" :
        return "compare with '==' (a single '=' is not an operator)"
    if ch.isupper():
        return ("names are lower_snake_case; units are a currency code (DKK, EUR, …), days, working_days, weeks, "
                "months, hours, minutes, service_hours")
    if ch in "&|":
        return "write 'and' / 'or'"
    return None


def _token_hint(expected: set[str]) -> str | None:
    nice = sorted(e for e in expected if e in {"RPAR", "RSQB", "THEN", "ELSE", "NAME", "NUMBER", "COMMA"})
    names = {"RPAR": "')'", "RSQB": "']'", "THEN": "'then'", "ELSE": "'else'", "NAME": "a name",
             "NUMBER": "a number", "COMMA": "','"}
    return ("expected " + " or ".join(names[n] for n in nice)) if nice else None


def _pos(meta: Any) -> tuple[int, int]:
    return (meta.start_pos, meta.end_pos) if not meta.empty else (0, 0)


@v_args(meta=True)
class _Build(Transformer[Token, ast.Node]):
    """lark tree → rulekit AST. Nothing else in rulekit looks at lark trees."""

    def quantity(self, meta: Any, c: list[Token]) -> ast.Node:
        unit = str(c[1])
        if unit in _SECONDS:  # a time span is held in whole seconds
            return ast.Quantity(*_pos(meta), Decimal(str(c[0])) * _SECONDS[unit], _UNITS[unit])
        return ast.Quantity(*_pos(meta), Decimal(str(c[0])), _UNITS[unit], "DKK" if unit == "kr" else None)

    def money(self, meta: Any, c: list[Token]) -> ast.Node:
        return ast.Quantity(*_pos(meta), Decimal(str(c[0])), "money", str(c[1]))

    def permille(self, meta: Any, c: list[Token]) -> ast.Node:
        return ast.Quantity(*_pos(meta), Decimal(str(c[0])) / 1000, "percent")

    def datetime(self, meta: Any, c: list[Token]) -> ast.Node:
        text = str(c[0]).replace("Z", "+00:00")
        try:
            return ast.DateTimeLit(*_pos(meta), dt.datetime.fromisoformat(text))
        except ValueError:
            raise ParseError(f"impossible time {c[0]}", c[0].start_pos or 0,
                             "write YYYY-MM-DDTHH:MM with a UTC offset, e.g. 2024-03-01T16:00+01:00") from None

    def percent(self, meta: Any, c: list[Token]) -> ast.Node:
        return ast.Quantity(*_pos(meta), Decimal(str(c[0])) / 100, "percent")

    def number(self, meta: Any, c: list[Token]) -> ast.Node:
        s = str(c[0])
        return ast.Number(*_pos(meta), Decimal(s), "." not in s)

    def date(self, meta: Any, c: list[Token]) -> ast.Node:
        try:
            return ast.DateLit(*_pos(meta), dt.date.fromisoformat(str(c[0])))
        except ValueError:
            raise ParseError(f"impossible date {c[0]}", c[0].start_pos or 0,
                             "check the day and month (e.g. February has 28 or 29 days)") from None

    def string(self, meta: Any, c: list[Token]) -> ast.Node:
        return ast.Text(*_pos(meta), str(c[0])[1:-1])

    def true(self, meta: Any, c: list[Token]) -> ast.Node:
        return ast.Bool(*_pos(meta), True)

    def false(self, meta: Any, c: list[Token]) -> ast.Node:
        return ast.Bool(*_pos(meta), False)

    def name(self, meta: Any, c: list[Token]) -> ast.Node:
        return ast.Name(*_pos(meta), str(c[0]))

    def attr(self, meta: Any, c: list[Any]) -> ast.Node:
        return ast.Attr(*_pos(meta), c[0], str(c[1]))

    def call(self, meta: Any, c: list[Any]) -> ast.Node:
        args = tuple(a for a in c[1:] if a is not None)
        return ast.Call(*_pos(meta), str(c[0]), args)

    def list_(self, meta: Any, c: list[Any]) -> ast.Node:
        return ast.ListLit(*_pos(meta), tuple(a for a in c if a is not None))

    def neg(self, meta: Any, c: list[Any]) -> ast.Node:
        return ast.Unary(*_pos(meta), "-", c[0])

    def not_(self, meta: Any, c: list[Any]) -> ast.Node:
        return ast.Unary(*_pos(meta), "not", c[0])

    def binop(self, meta: Any, c: list[Any]) -> ast.Node:
        return ast.Binary(*_pos(meta), str(c[1]), c[0], c[2])

    def compare(self, meta: Any, c: list[Any]) -> ast.Node:
        return ast.Binary(*_pos(meta), str(c[1]), c[0], c[2])

    def and_(self, meta: Any, c: list[Any]) -> ast.Node:
        return ast.Binary(*_pos(meta), "and", c[0], c[1])

    def or_(self, meta: Any, c: list[Any]) -> ast.Node:
        return ast.Binary(*_pos(meta), "or", c[0], c[1])

    def coalesce(self, meta: Any, c: list[Any]) -> ast.Node:
        return ast.Binary(*_pos(meta), "??", c[0], c[1])

    def in_(self, meta: Any, c: list[Any]) -> ast.Node:
        return ast.Binary(*_pos(meta), "in", c[0], c[1])

    def not_in(self, meta: Any, c: list[Any]) -> ast.Node:
        return ast.Binary(*_pos(meta), "not in", c[0], c[1])

    def ifelse(self, meta: Any, c: list[Any]) -> ast.Node:
        return ast.IfElse(*_pos(meta), c[0], c[1], c[2])

    def where(self, meta: Any, c: list[Any]) -> ast.Node:
        return ast.Where(*_pos(meta), c[0], c[1])

    def where_named(self, meta: Any, c: list[Any]) -> ast.Node:
        return ast.Where(*_pos(meta), c[0], c[2], str(c[1]))

    def comprehension(self, meta: Any, c: list[Any]) -> ast.Node:
        return ast.Map(*_pos(meta), c[0], str(c[1]), c[2])
