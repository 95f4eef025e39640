"""Traces as JSON: the same derivation, as data (for auditors' tools and the HTML view). The runtime's plain
trace data (runtime/trace.node_data) plus what only a renderer knows: each formula with its values filled in
and in words."""

from __future__ import annotations

from typing import Any

from ..runtime.result import CaseResult
from ..runtime.trace import Formula, TraceNode, node_data
from .exprtext import substituted
from .fmt import PlainFormatter
from .plain import Names, in_words
from .tree import Line, build


def trace_json(node: TraceNode, lang: str = "da", contract: Any = None) -> dict[str, Any]:
    data = node_data(node, lang)
    fmt = PlainFormatter(lang, contract)
    names = Names(contract, lang) if contract is not None else None
    for step, raw in zip(data["steps"], node.steps, strict=True):
        formula = raw.data.get("formula")
        if isinstance(formula, Formula):
            step["formula"]["with_values"] = substituted(formula.expr.checked, formula.values, fmt)
            if names is not None:
                step["formula"]["in_words"] = in_words(formula.expr.checked, formula.values, fmt, names)
    return data


def lines_json(lines: list[Line]) -> list[dict[str, Any]]:
    return [{"text": line.text, "children": lines_json(line.children)} for line in lines]


def explanation_json(result: CaseResult, rule: str | None = None, instance: str | None = None,
                     detail: bool = False) -> dict[str, Any]:
    """The explain command's JSON: the rendered tree plus the underlying trace (with raw expressions)."""
    nodes = [n for n in result.trace if rule is None or n.rule == rule]
    return {"case": result.case, "lang": result.lang, "tree": lines_json(build(result, rule, instance, detail)),
            "trace": [trace_json(n, result.lang, result.contract) for n in nodes]}
