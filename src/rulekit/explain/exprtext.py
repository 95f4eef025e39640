"""Print an expression with the values it had: 'max(10 % × 24.000,00 kr., 3.000,00 kr.)'."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..dsl import ast
from ..dsl import types as t
from ..dsl.check import Checked
from ..format import Formatter

_SYMBOLS = {"*": "×", "/": "/", "+": "+", "-": "−", "==": "=", "!=": "≠", "<=": "≤", ">=": "≥", "<": "<",
            ">": ">", "??": "??", "and": "og", "or": "eller", "in": "i", "not in": "ikke i"}
_SYMBOLS_EN = {**_SYMBOLS, "and": "and", "or": "or", "in": "in", "not in": "not in"}
_ARITH_FUNCS = {"max", "min", "round", "abs"}


def shown_as(node: ast.Node, values: Mapping[Any, Any], has_value: Callable[[ast.Node], bool]) -> ast.Node:
    """The node an evaluated `node` prints as: an if/else as the branch it took, a `??` as the side it took
    (`has_value` says whether its left side gave one). Printers bracket by it (ast.bracketed)."""
    while True:
        if isinstance(node, ast.IfElse) and node.cond in values:
            node = node.then if values[node.cond] else node.other
        elif isinstance(node, ast.Binary) and node.op == "??" and node in values:
            node = node.left if has_value(node.left) else node.right
        else:
            return node


def substituted(checked: Checked, values: dict[Any, Any], fmt: Formatter) -> str:
    """The expression with every name, field and data call replaced by the value it had."""
    return _Printer(checked, values, fmt).node(checked.node)


class _Printer:
    def __init__(self, checked: Checked, values: dict[Any, Any], fmt: Formatter) -> None:
        self.c, self.values, self.fmt = checked, values, fmt
        self.symbols = _SYMBOLS if fmt.lang == "da" else _SYMBOLS_EN

    def typ(self, node: ast.Node) -> t.Type | None:
        return self.c.types.get(node)

    def node(self, node: ast.Node) -> str:
        if node in self.values and (isinstance(node, ast.Name | ast.Attr)
                                    or (isinstance(node, ast.Call) and node.fn not in _ARITH_FUNCS)):
            got = self.values[node]
            return f'"{got}"' if isinstance(got, str) else self.fmt.value(got, self.typ(node))
        if isinstance(node, ast.Quantity):
            amount: Any = node.value if node.unit in ("money", "percent") else int(node.value)
            return self.fmt.value(amount, self.typ(node))
        if isinstance(node, ast.Number | ast.DateLit | ast.Bool):
            return self.fmt.value(node.value, self.typ(node))
        if isinstance(node, ast.Text):
            return f'"{node.value}"'
        if isinstance(node, ast.Binary):
            if node not in self.values and node.op in ("??", "and", "or"):
                return self.c.text[node.pos:node.end]  # not evaluated (short-circuited)
            return self.binary(node)
        if isinstance(node, ast.Where):
            return f"{self.node(node.source)} where {self.c.text[node.cond.pos:node.cond.end]}"
        if isinstance(node, ast.Unary):
            word = "ikke " if self.fmt.lang == "da" else "not "
            operand = self.node(node.operand)
            if ast.bracketed(self._shown(node.operand), ast.UNARY):
                operand = f"({operand})"
            return (word if node.op == "not" else "−") + operand
        if isinstance(node, ast.Call):
            return f"{node.fn}(" + ", ".join(self.node(a) for a in node.args) + ")"
        if isinstance(node, ast.IfElse):
            if node.cond in self.values:
                return self.node(node.then if self.values[node.cond] else node.other)
            return self.c.text[node.pos:node.end]
        return self.c.text[node.pos:node.end]

    def binary(self, node: ast.Binary) -> str:
        if node.op == "??":
            return self.node(node.left) if self._has_value(node.left) else self.node(node.right)
        prec = ast.PRECEDENCE.get(node.op, 3)
        parts = []
        for right_of, side in ((None, node.left), (node.op, node.right)):
            text = self.node(side)
            inner = self._shown(side)
            if isinstance(inner, ast.IfElse | ast.Where) or ast.bracketed(inner, prec, right_of):
                text = f"({text})"  # the grouping the writer's brackets gave
            parts.append(text)
        return f"{parts[0]} {self.symbols.get(node.op, node.op)} {parts[1]}"

    def _shown(self, node: ast.Node) -> ast.Node:
        return shown_as(node, self.values, self._has_value)

    def _has_value(self, node: ast.Node) -> bool:
        """Whether `node` produced a value (the left side of ?? was there)."""
        if node in self.values:
            return True
        return isinstance(node, ast.Number | ast.Quantity | ast.Text | ast.DateLit | ast.Bool)
