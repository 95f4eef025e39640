"""The trace: what each rule computed and from what. Data only; explain/ renders it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..spec.model import Expr, Source, Text


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
