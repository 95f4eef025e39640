"""The evaluation plan: which rules a case can touch.

A rule whose trigger event type is absent from a case (`rule.needs`, found by static analysis in
dsl/needs.py) gives a known outcome without being evaluated: not applicable, no amount, a check that
holds. Cases with the same event types present share one plan, computed once per contract, so a case
pays only for the rules its events can trigger. Tracing runs every rule (the trace shows why each one
did not apply); tests/runtime/test_runtime_fastpath.py checks both paths give the same results.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..spec.model import Contract, Rule
from .common import NOT_APPLICABLE

Outputs = dict[str, Any]
_MAX_PLANS = 4096
_SKIPPED: dict[str, Outputs] = {"penalty": {"amount": Decimal(0), "applied": False, "dated": []},
                                 "payment": {"amount": Decimal(0), "applied": False, "dated": []},
                                 "check": {"holds": True}, "value": {"value": None}}  # never mutated


def skipped_outputs(rule: Rule) -> Outputs:
    """What evaluating a rule whose trigger has not happened gives other rules."""
    return _SKIPPED.get(rule.kind, NOT_APPLICABLE)


@dataclass(frozen=True)
class Plan:
    run: tuple[Rule, ...]  # in dependency order
    skipped: dict[str, Outputs]  # rule id → its constant outputs
    not_applicable: tuple[Rule, ...]  # the skipped obligations: each is a not_applicable result entry


def plan_for(contract: Contract, present: frozenset[str]) -> Plan:
    plans: dict[frozenset[str], Plan] = contract.plans
    plan = plans.get(present)
    if plan is None:
        plan = _plan(contract, present)
        if len(plans) < _MAX_PLANS:
            plans[present] = plan
    return plan


def _plan(contract: Contract, present: frozenset[str]) -> Plan:
    run: list[Rule] = []
    outputs: dict[str, Outputs] = {}
    entries: list[Rule] = []
    no_instances: set[str] = set()  # rules that have no instance in this case
    for rule in contract.rules:
        if rule.needs and not rule.needs <= present:  # its trigger is absent: not applicable
            outputs[rule.id] = skipped_outputs(rule)
            if rule.kind not in _SKIPPED:
                entries.append(rule)
        elif (rule.each_needs and not rule.each_needs <= present) or rule.remedies in no_instances:
            outputs[rule.id] = _NO_INSTANCES.get(rule.kind, _NO_OBLIGATION)  # `each` over nothing
            no_instances.add(rule.id)
        else:
            run.append(rule)
    return Plan(tuple(run), outputs, tuple(entries))


_NO_OBLIGATION: Outputs = {**NOT_APPLICABLE, "instances": []}
_NO_INSTANCES: dict[str, Outputs] = {"penalty": {"amount": Decimal(0), "applied": False, "dated": []},
                                     "payment": {"amount": Decimal(0), "applied": False, "dated": []},
                                     "check": {"holds": True}, "value": {"value": None}}
