"""Traces as JSON: the same derivation, as data (for auditors' tools and the HTML view)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..calendar.workdays import DayOff
from ..format import Formatter
from ..runtime.result import CaseResult
from ..runtime.trace import Formula, TraceNode
from ..runtime.values import json_value
from ..spec.model import Source, Text
from .exprtext import substituted
from .tree import Line, build


def trace_json(node: TraceNode, lang: str = "da") -> dict[str, Any]:
    fmt = Formatter(lang)
    return {"rule": node.rule, "kind": node.kind, "title": node.title.get(lang),
            "source": node.source.as_dict(), "outcome": {k: json_value(v) for k, v in node.outcome.items()},
            "uses": node.uses, "steps": [{"step": s.key, **_data(s.data, fmt)} for s in node.steps]}


def lines_json(lines: list[Line]) -> list[dict[str, Any]]:
    return [{"text": line.text, "children": lines_json(line.children)} for line in lines]


def explanation_json(result: CaseResult, rule: str | None = None, instance: str | None = None) -> dict[str, Any]:
    """The explain command's JSON: the rendered tree plus the underlying trace."""
    nodes = [n for n in result.trace if rule is None or n.rule == rule]
    return {"case": result.case, "lang": result.lang, "tree": lines_json(build(result, rule, instance)),
            "trace": [trace_json(n, result.lang) for n in nodes]}


def _data(data: dict[str, Any], fmt: Formatter) -> dict[str, Any]:
    return {k: _value(v, fmt) for k, v in data.items()}


def _value(value: Any, fmt: Formatter) -> Any:
    if isinstance(value, Formula):
        return {"label": value.label, "expr": value.expr.text, "value": json_value(value.value, value.expr.type),
                "type": str(value.expr.type), "with_values": substituted(value.expr.checked, value.values, fmt)}
    if isinstance(value, DayOff):
        return {"date": value.date.isoformat(), "reason": value.reason,
                "name": value.name_da if fmt.lang == "da" else value.name_en}
    if isinstance(value, Source):
        return value.as_dict()
    if isinstance(value, Text):
        return value.get(fmt.lang)
    if isinstance(value, list):
        return [_value(v, fmt) for v in value]
    if isinstance(value, dict):
        return {k: _value(v, fmt) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "name") and not isinstance(value, str):
        return str(value)
    return json_value(value)
