"""The evaluation plan: which rules a case can touch.

A rule whose trigger event type or fact is absent from a case (`rule.needs`, found by static analysis
in dsl/needs.py) gives a known outcome without being evaluated: not applicable, no amount, a check that
holds. Cases with the same event types and facts present (of those some rule looks at) share one plan,
computed once per contract, so a case pays only for the rules its events and facts can trigger. Tracing
runs every rule (the trace shows why each one did not apply); tests/runtime/test_runtime_fastpath.py
checks both paths give the same results.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..dsl import Env, Missing
from ..spec.model import Contract, Rule
from .common import NOT_APPLICABLE, NOT_OBLIGATIONS
from .result import Outputs

_MAX_PLANS = 4096


def skipped_outputs(rule: Rule) -> Outputs:
    """What evaluating a rule whose trigger has not happened gives other rules."""
    return NOT_OBLIGATIONS.get(rule.kind, NOT_APPLICABLE)


@dataclass(frozen=True)
class Plan:
    run: tuple[Rule, ...]  # in dependency order
    skipped: dict[str, Outputs]  # rule id → its constant outputs
    not_applicable: tuple[tuple[Rule, dict[str, Any]], ...]  # skipped obligations: (rule, extra) result entries
    # the places in `not_applicable` of rules whose condition reads a reading and may be false by a fact's value:
    # whether their entry names the readings is decided per case (evaluate._decided), as evaluation says it
    undecided: tuple[int, ...] = ()
    # `run` as (rule id, rule, its compiled runner or None), filled by the untraced evaluation on first use
    steps: list[tuple[str, Rule, Callable[[Any], Outputs] | None]] = field(default_factory=list, compare=False)


def present(contract: Contract, events: dict[str, Any], facts: dict[str, Any]) -> frozenset[str]:
    """The event types a case has, with a `fact:` name for each fact it has that some rule needs."""
    tags = contract.plan_facts
    if not tags:
        return frozenset(events)
    return frozenset([*events, *map(tags.__getitem__, tags.keys() & facts.keys())])


def plan_of_case(contract: Contract, events: dict[str, Any], facts: dict[str, Any], offering: str | None,
                 readings: Mapping[str, str], switched: bool) -> Plan:
    """plan_for a case's event types and facts. With the default readings, through a first cache keyed by
    the names in the order the case gives them: a tuple is quicker to make and to hash than the set of
    names `present` makes (cases list their names in few orders)."""
    if switched:
        return plan_for(contract, present(contract, events, facts), offering, readings, True)
    cache: dict[Any, Any] = contract.plans
    front: dict[Any, Plan] | None = cache.get("front")
    if front is None:
        front = cache["front"] = {}
    key = (offering, tuple(events), tuple(facts))
    plan = front.get(key)
    if plan is None:
        plan = plan_for(contract, present(contract, events, facts), offering, readings, False)
        if len(front) >= 4 * _MAX_PLANS:  # the oldest key makes room
            del front[next(iter(front))]
        front[key] = plan
    return plan


def plan_for(contract: Contract, present: frozenset[str], offering: str | None = None,
             readings: Mapping[str, str] | None = None, switched: bool = True) -> Plan:
    """The plan for a case with these event types, this offering and these readings (cached). `switched`
    False says the readings are the contract's defaults (their key is then computed once)."""
    chosen = tuple(sorted((readings or {}).items())) if switched else contract.default_readings_key
    present = present & contract.plan_types  # cases that differ only in types no rule looks at share a plan
    key = (present, offering, chosen)
    cache: dict[Any, Any] = contract.plans
    plans: dict[Any, Plan] = cache.setdefault("plans", {})
    plan = plans.get(key)
    if plan is None:
        off_key = ("off", offering, chosen)  # rules off for this offering and these readings, whatever the events
        off: dict[str, dict[str, Any]] | None = cache.get(off_key)
        if off is None:
            off = cache[off_key] = _statically_off(contract, offering, readings or {})
        plan = _plan(contract, present, off, readings or {})
        if len(plans) >= _MAX_PLANS:  # the oldest plan makes room (many event-type combinations: 1M cases)
            del plans[next(iter(plans))]
        plans[key] = plan
    return plan


def _statically_off(contract: Contract, offering: str | None, readings: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """Rules whose `applies_when` is false for this offering and these readings whatever the case holds
    (its `applies.static` part, spec/rules.py), with the readings that condition reads."""
    attrs = contract.offerings[offering].attributes if offering in contract.offerings else {}
    env = Env(facts={}, events={}, as_of=contract.start, offering=offering, offering_attrs=attrs, assume=readings,
              param=lambda name: None, contract_start=contract.start, contract_end=contract.end)
    off: dict[str, dict[str, Any]] = {}
    for rule in contract.rules:
        static = rule.exprs.get("applies.static")
        if static is None:
            continue
        try:
            holds = bool(static.fn(env))
        except Missing:
            holds = False  # as Run.applies: a condition that needs what is not there does not hold
        except Exception:
            continue
        if not holds:
            off[rule.id] = {"readings": {a: readings[a] for a in rule.condition_assumptions}} \
                if rule.condition_assumptions else {}
    return off


def _plan(contract: Contract, present: frozenset[str], off: dict[str, dict[str, Any]],
          readings: Mapping[str, str]) -> Plan:
    run: list[Rule] = []
    outputs: dict[str, Outputs] = {}
    entries: list[tuple[Rule, dict[str, Any]]] = []
    no_instances: set[str] = set()  # rules that have no instance in this case
    undecided: list[int] = []
    for rule, rid, needs, groups, each_needs, each_groups, remedies, obligation, skipped, empty in _facts_of(contract):
        if rid in off:  # its condition is false for this offering and these readings
            outputs[rid] = skipped
            if obligation:
                entries.append((rule, off[rid]))
        elif (needs and not needs <= present) or (groups and _none_of_a_group(rule, present)):
            outputs[rid] = skipped  # not applicable
            if obligation:  # as evaluation says it: by its condition (with readings), or not
                by_condition = rule.condition_assumptions and (not rule.condition_needs <= present
                                                               or _none_of_a_group(rule, present))
                if rule.condition_assumptions and not by_condition and "each" not in rule.exprs:
                    undecided.append(len(entries))  # the condition may still be false, by a value
                entries.append((rule, {"readings": {a: readings[a] for a in rule.condition_assumptions}}
                                if by_condition else {}))
        elif (each_needs and not each_needs <= present) or remedies in no_instances or (
                each_groups and any(present.isdisjoint(group) for group in each_groups)):
            outputs[rid] = empty  # `each` over nothing (or over elements its filter keeps none of)
            no_instances.add(rid)
        elif remedies in outputs and outputs[remedies] is NOT_APPLICABLE:
            outputs[rid] = skipped  # it remedies an obligation that does not apply: nothing
        else:
            run.append(rule)
    return Plan(tuple(run), outputs, tuple(entries), tuple(undecided))


RuleFacts = tuple[Rule, str, frozenset[str], frozenset[frozenset[str]], frozenset[str], frozenset[frozenset[str]],
                  str | None, bool, Outputs, Outputs]


def _facts_of(contract: Contract) -> list[RuleFacts]:
    """What planning reads of each rule, in one tuple per rule (made once per contract)."""
    cache: dict[Any, Any] = contract.plans
    facts: list[RuleFacts] | None = cache.get("rule-facts")
    if facts is None:
        facts = cache["rule-facts"] = [
            (rule, rule.id, rule.needs, rule.needs_any, rule.each_needs, rule.each_needs_any, rule.remedies,
             rule.kind not in NOT_OBLIGATIONS, skipped_outputs(rule), _NO_ELEMENTS.get(rule.kind, _NO_OBLIGATION))
            for rule in contract.rules]
    return facts


def _none_of_a_group(rule: Rule, present: frozenset[str]) -> bool:
    """The case has none of the names of a group the rule's condition needs one of: the condition is false."""
    return any(present.isdisjoint(group) for group in rule.needs_any)


_NO_OBLIGATION: Outputs = {**NOT_APPLICABLE, "instances": ()}
# what a rule with `each` over no elements gives (as its combined instances: kinds.combine of none); a value's is
# the empty list of the elements' values
_NO_ELEMENTS: dict[str, Outputs] = {**NOT_OBLIGATIONS, "value": {"value": [], "instances": ()}}
