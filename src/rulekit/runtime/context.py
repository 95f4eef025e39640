"""What a rule kind may use of the evaluation it runs in: the interface between `evaluate.Run` and the
rule kinds (deadline, recurring, judgement, amounts, checks), so the kinds never import the evaluator."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Protocol

from ..dsl import Env
from ..spec.model import Contract, Expr, Rule
from .case import Case
from .result import CaseResult


class Clock(Protocol):
    """The date parameters are read on: a rule's own `reference_date` (fixed), else `ref`."""

    ref: dt.date
    fixed: dt.date | None


class Run(Protocol):
    """One case's evaluation, as a rule kind sees it."""

    contract: Contract
    case: Case
    env: Env
    result: CaseResult
    tracing: bool
    ref_date: dt.date

    @property
    def clock(self) -> Clock:
        """Where a compiled runner resets the reference date for each instance (as `_once` does)."""

    def compute(self, expr: Expr | None, label: str, default: Any = ...) -> Any:
        """Evaluate one of the rule's expressions; Missing propagates unless a default is given."""

    def applies(self, rule: Rule) -> bool:
        """Whether the rule's `applies_when` holds for this case."""

    def step(self, key: str, **data: Any) -> None:
        """Add a line to the trace of the rule being evaluated (when tracing)."""

    def round(self, amount: Decimal) -> Decimal:
        """Round money the way the contract says."""
