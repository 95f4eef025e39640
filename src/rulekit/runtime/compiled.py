"""Compiled runners: the untraced evaluation of one rule, made once per contract.

The interpreter (evaluate.Run with the kinds' functions) reaches a rule's outcome through layers that
tracing needs: `evaluate` → `_each` → `_labelled` → `_once` → the kind's function → `compute` for every
expression, with a dictionary lookup for each. A runner is that path for one rule with its layers
resolved when the contract is compiled: the expressions' functions taken out of the rule, the instance
loop written once, and a check that holds (the usual outcome) judged without the check's function. Each
runner calls the kinds' own functions for everything else (a failed check and its message, a deadline's
extensions, suspensions and endings), so both paths share the meaning of every rule kind; an amount's
instance (kinds.plain_amount) shares its body with kinds.amount, only its expressions are read directly.

A runner that meets an error the interpreter reports with the rule and the case (a division by zero, a
bad date), or that gives up (GiveUp), leaves the case to the interpreter: evaluate_case evaluates it
again without runners, and the interpreter raises the error. tests/runtime/test_runtime_fastpath.py and
test_runtime_compiled.py compare the traced interpreter and the runners on every embedded test, the
example clause specs and generated cases of every contract.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..dsl import Env, Missing
from ..dsl.needs import leading_output
from ..spec.model import Contract, Rule
from .common import HOLDS, NO_AMOUNT, condition_holds, expr_fn, not_applicable
from .context import Run
from .deadline import combine_obligations, due_of, not_triggered, plain_instance, settle
from .kinds import EVALUATORS, check, combine, failed, plain_amount, waived_instance
from .links import label as event_label
from .links import named, renamed
from .recurring import plain_recurring
from .result import CaseResult, Outputs
from .values import iso

Runner = Callable[[Run], Outputs]
Fn = Callable[[Env], Any]
Instance = Callable[[Run, Env, "str | None"], Outputs]
_NEVER_COMPILED = ("reference_date", "repeat_start")  # the interpreter's: a fixed parameter date, periods


def runners(contract: Contract) -> dict[str, Runner]:
    """The contract's runners by rule id (made on first use; a rule without one is interpreted)."""
    cache: dict[Any, Any] = contract.plans
    made: dict[str, Runner] | None = cache.get("runners")
    if made is None:
        rules = {rule.id: rule for rule in contract.rules}
        made = cache["runners"] = {rule.id: runner for rule in contract.rules
                                   if (runner := _runner(rule, rules, contract)) is not None}
    return made


def _runner(rule: Rule, rules: dict[str, Rule], contract: Contract) -> Runner | None:
    if any(key in rule.exprs for key in _NEVER_COMPILED):
        return None
    one = _instance(rule, contract)
    if rule.remedies is not None:  # compiled when what it remedies has instances (`each`, periods)
        target = rules[rule.remedies].exprs
        many = "each" in target or "repeat_start" in target
        if rule.kind not in ("penalty", "payment"):
            return None
        return _remedy(rule, one) if many else _remedy_once(rule, one)
    each = rule.exprs.get("each")
    if each is not None:
        return _each(rule, one, each.fn, expr_fn(rule, "label"))

    def once(run: Run) -> Outputs:
        clock = run.clock
        clock.ref, clock.fixed = run.case.as_of, None  # parameters are read on as_of, unless a due date says
        return one(run, run.env, None)
    return once


def _instance(rule: Rule, contract: Contract) -> Instance:
    """One instance of the rule: the compiled check, deadline, recurring duty or amount, or the kind's own
    function."""
    if rule.kind == "check":
        return _check(rule)
    if rule.kind == "deadline":
        return _deadline(rule, contract)
    if rule.kind == "recurring":
        return plain_recurring(rule)
    if rule.kind in ("penalty", "payment"):
        return plain_amount(rule, contract)
    kind = EVALUATORS[rule.kind]

    def interpreted(run: Run, env: Env, label: str | None) -> Outputs:
        return kind(run, rule)
    return interpreted


def _check(rule: Rule) -> Instance:
    condition = expr_fn(rule, "applies_when")
    test = rule.exprs["assert"].fn

    def one(run: Run, env: Env, label: str | None) -> Outputs:
        if condition is not None and not condition_holds(condition, env):
            return HOLDS
        try:
            holds = test(env)
        except Missing:
            return check(run, rule)  # not known: the check's own note of what could not be checked
        return HOLDS if holds else failed(run, rule)
    return one


def _deadline(rule: Rule, contract: Contract) -> Instance:
    """A deadline's instance: deadline.plain_instance when the case has none of the events of its other lists
    (the usual case), else its due date and state by due_of and settle."""
    condition = expr_fn(rule, "applies_when")
    due_fn = expr_fn(rule, "due")
    plain = plain_instance(rule, contract)
    others, simple = plain if plain is not None else (None, None)

    def one(run: Run, env: Env, label: str | None) -> Outputs:
        if condition is not None and not condition_holds(condition, env):
            outputs = not_applicable(run, rule, "applies_when")
            run.result.obligations[-1].instance = label
            return outputs
        if others is not None and simple is not None and others.isdisjoint(env.events):
            return simple(run, env, label)
        try:
            if due_fn is not None:
                original = due = due_fn(env)
                moves: list[dict[str, Any]] = []
            else:  # from + period, with extensions
                original, due, moves = due_of(run, rule)
        except Missing as exc:
            return not_triggered(run, rule, label, exc.what)
        return settle(run, rule, label, original, due, moves)
    return one


def _each(rule: Rule, one: Instance, items_fn: Fn, label_fn: Fn | None) -> Runner:
    kind = rule.kind
    # the result's lists an instance may add entries to, to be named with the instance (a deadline names
    # its obligation itself; a check adds findings only)
    findings_only = kind in ("check", "deadline")

    def each(run: Run) -> Outputs:
        env, result = run.env, run.result
        try:
            items = items_fn(env)
        except Missing:
            items = []
        outputs, instances = [], []
        as_of = run.case.as_of
        clock = run.clock
        seen: set[str] = set()
        try:
            for number, item in enumerate(items, start=1):
                env.item = item
                if label_fn is not None:  # the rule's `label:`
                    label = named(label_fn, env, item, number)
                else:  # links.label, written out for the usual event
                    label = (str(item.get("id") or f"{number}: {iso(item['date'])}")
                             if type(item) is dict else event_label(item, number))
                if label in seen:  # an earlier instance has the name: this one gets another, and a finding
                    label = renamed(result, rule, label, seen)
                else:
                    seen.add(label)
                clock.ref, clock.fixed = as_of, None
                if findings_only:
                    before = len(result.findings)
                    out = one(run, env, label)
                    if len(result.findings) > before:
                        _label(result.findings, before, label)
                else:
                    out = _labelled(result, one, run, env, label)
                outputs.append(out)
                instances.append((label, item, None, out))
        finally:
            env.item = None
        combined = combine_obligations(outputs) if kind == "deadline" else combine(kind, outputs)
        # a tuple: once the GC sees it holds nothing the GC tracks, it stops visiting it (a list it always visits)
        combined["instances"] = tuple(instances)
        return combined
    return each


def _remedy(rule: Rule, one: Instance) -> Runner:
    target, kind = rule.remedies or "", rule.kind
    gate = _gate(rule)  # an instance whose `breached` is false gets no amount, its condition unread

    def remedy(run: Run) -> Outputs:
        env, result = run.env, run.result
        whole = env.rules[target]
        instances = whole.get("instances")
        if instances is None:  # a remedied rule with `each` that did not apply as a whole
            raise GiveUp
        bucket = result.penalties if kind == "penalty" else result.payments
        outputs, own = [], []
        clock, as_of = run.clock, run.case.as_of
        try:
            for label, item, period, outs in instances:
                status = outs["status"]
                if status == "not_applicable":
                    continue
                if gate is not None and outs.get(gate) is False and status != "waived":
                    outputs.append(NO_AMOUNT)  # what the amount gives when its condition is false
                    own.append((label, item, period, NO_AMOUNT))
                    continue
                env.rules[target], env.item = outs, item
                env.period_start, env.period_end = period or (None, None)
                amounts, findings = len(bucket), len(result.findings)
                if status == "waived":
                    outputs.append(waived_instance(run, rule, outs.get("by")))
                else:
                    clock.ref, clock.fixed = as_of, None
                    outputs.append(one(run, env, label))
                if len(bucket) > amounts:
                    _label(bucket, amounts, label)
                if len(result.findings) > findings:
                    _label(result.findings, findings, label)
                own.append((label, item, period, outputs[-1]))
        finally:
            env.rules[target] = whole
            env.item = env.period_start = env.period_end = None
        # what combining them gives (no instance was breached: the usual case), with each instance's for instance()
        combined = {**NO_AMOUNT} if outputs and all(out is NO_AMOUNT for out in outputs) else combine(kind, outputs)
        combined["instances"] = tuple(own)
        return combined
    return remedy


def _remedy_once(rule: Rule, one: Instance) -> Runner:
    """A penalty or payment remedying an obligation with one instance, as Run._remedy: nothing when it does
    not apply, 0.00 when it was waived, no amount when the gate (`target.breached and …`) is false."""
    target, kind, gate = rule.remedies or "", rule.kind, _gate(rule)

    def remedy(run: Run) -> Outputs:
        outs = run.env.rules[target]
        if "instances" in outs:  # not one instance after all (a rule whose instances vary by case)
            raise GiveUp
        status = outs["status"]
        if status == "not_applicable":
            return combine(kind, [])
        if status == "waived":
            return waived_instance(run, rule, outs.get("by"))
        if gate is not None and outs.get(gate) is False:
            return NO_AMOUNT  # what the amount gives when its condition is false
        clock = run.clock
        clock.ref, clock.fixed = run.case.as_of, None
        return one(run, run.env, None)
    return remedy


def _gate(rule: Rule) -> str | None:
    """The output of the remedied obligation whose being false makes the amount's condition false, if the
    condition leads with `target.output and …` (dsl/needs.leading_output)."""
    condition = rule.exprs.get("applies_when")
    leading = leading_output(condition.checked) if condition is not None else None
    return leading[1] if leading is not None and leading[0] == rule.remedies else None


def _labelled(result: CaseResult, one: Instance, run: Run, env: Env, label: str) -> Outputs:
    """One instance of a kind evaluated by its own function: every entry it adds is named with the instance."""
    obligations, penalties, payments, findings = result.obligations, result.penalties, result.payments, result.findings
    before = len(obligations), len(penalties), len(payments), len(findings)
    values = len(result.values)
    out = one(run, env, label)
    if len(obligations) > before[0]:
        _label(obligations, before[0], label)
    if len(penalties) > before[1]:
        _label(penalties, before[1], label)
    if len(payments) > before[2]:
        _label(payments, before[2], label)
    if len(findings) > before[3]:
        _label(findings, before[3], label)
    if len(result.values) > values:  # a new list once a value is added
        _label(result.values, values, label)
    return out


class GiveUp(Exception):
    """The runner leaves this rule, for this case, to the interpreter."""


def _label(entries: Sequence[Any], start: int, label: str | None) -> None:
    """Name the instance on the entries added since `start` that do not name one yet."""
    for entry in entries[start:]:
        entry.instance = entry.instance or label
