"""Helpers shared by the rule kinds: the outputs an obligation gives other rules."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..dsl import Env, Missing
from ..spec.model import Rule
from .context import Run
from .result import Obligation, Outputs


def obligation_outputs(status: str, **more: Any) -> Outputs:
    return {"status": status, "met": status == "met", "breached": status == "breached",
            "applies": status != "not_applicable", **more}


NOT_APPLICABLE: Outputs = obligation_outputs("not_applicable", late_days=0, late_working_days=0)  # never mutated
# What a penalty/payment, check or value gives when it does not apply: shared by every case that has it
# (outputs are never changed once made; a portfolio keeps the outputs its expressions read of each case).
NO_AMOUNT: Outputs = {"amount": Decimal(0), "applied": False, "dated": []}
HOLDS: Outputs = {"holds": True}
NO_VALUE: Outputs = {"value": None}
NOT_OBLIGATIONS: dict[str, Outputs] = {"penalty": NO_AMOUNT, "payment": NO_AMOUNT, "check": HOLDS, "value": NO_VALUE}


def not_applicable(run: Run, rule: Rule, why: str, **data: Any) -> Outputs:
    extra: dict[str, Any] = {}
    if why == "applies_when" and rule.condition_assumptions:
        # a condition that reads an assumption: the reading in force is part of why the rule does not apply
        extra["readings"] = {a: run.env.assume[a] for a in rule.condition_assumptions}
    run.result.obligations.append(Obligation(rule, "not_applicable", extra=extra))
    if run.tracing:
        run.step("not_applicable", why=why, **data)
    return NOT_APPLICABLE


def expr_fn(rule: Rule, key: str) -> Callable[[Env], Any] | None:
    """The function of one of the rule's expressions, None when the rule has no such expression."""
    expr = rule.exprs.get(key)
    return expr.fn if expr is not None else None


def value_or(fn: Callable[[Env], Any] | None, env: Env, default: Any) -> Any:
    """Untraced, an expression's value, or `default` when there is none or it is Missing (as Run.compute with
    a default)."""
    if fn is None:
        return default
    try:
        return fn(env)
    except Missing:
        return default


def condition_holds(condition: Callable[[Env], Any] | None, env: Env) -> bool:
    """Untraced, `applies_when` as Run.applies says it: none holds; one that needs what is not there does not."""
    if condition is None:
        return True
    try:
        return bool(condition(env))
    except Missing:
        return False
