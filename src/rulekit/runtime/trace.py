"""The trace: what each rule computed and from what. Data only; explain/ renders it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..calendar.workdays import DayOff
from ..spec.model import Expr, Source, Text
from .values import json_value


@dataclass(frozen=True)
class Step:
    """One line of a derivation. `key` names what kind of line it is (renderers know the wording);
    `data` holds the values (dates, amounts, day lists) it shows."""

    key: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Formula:
    """An expression and the values its names and calls had: for 'max(10 % × 24.000 kr., …)'."""

    label: str
    expr: Expr
    values: dict[Any, Any]
    value: Any


@dataclass
class TraceNode:
    """The derivation of one rule's outcome for one case."""

    rule: str
    kind: str
    title: Text
    source: Source
    outcome: dict[str, Any]
    steps: list[Step] = field(default_factory=list)
    uses: list[str] = field(default_factory=list)
    instance: str | None = None

    def add(self, key: str, **data: Any) -> None:
        self.steps.append(Step(key, data))


def node_data(node: TraceNode, lang: str = "da") -> dict[str, Any]:
    """A trace node as plain JSON data: what `evaluate --trace` prints. Renderers (explain/) add wording."""
    return {"rule": node.rule, "kind": node.kind, "title": node.title.get(lang), "source": node.source.as_dict(),
            "outcome": {k: json_value(v) for k, v in node.outcome.items()}, "uses": node.uses,
            **({"instance": node.instance} if node.instance else {}),
            "steps": [{"step": s.key, **{k: step_value(v, lang) for k, v in s.data.items()}} for s in node.steps]}


def step_value(value: Any, lang: str) -> Any:
    """One value of a step as JSON: formulas with their expression, days off with their reasons."""
    if isinstance(value, Formula):
        return {"label": value.label, "expr": value.expr.text, "value": json_value(value.value, value.expr.type),
                "type": str(value.expr.type)}
    if isinstance(value, DayOff):
        return {"date": value.date.isoformat(), "reason": value.reason,
                "name": value.name_da if lang == "da" else value.name_en}
    if isinstance(value, Source):
        return value.as_dict()
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, list):
        return [step_value(v, lang) for v in value]
    if isinstance(value, dict):
        return {k: step_value(v, lang) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "name") and not isinstance(value, str):
        return str(value)
    return json_value(value)
