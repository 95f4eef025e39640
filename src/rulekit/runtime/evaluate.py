"""Evaluate one case against a contract: every rule in dependency order, with a trace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import (
    ROUND_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
    getcontext,
    localcontext,
)
from typing import Any

from ..diagnostics import Diagnostic, did_you_mean
from ..dsl import Env, Missing
from ..errors import EvaluationError, InputError
from ..spec.model import Contract, Expr, Rule
from .case import Case, read_case
from .common import condition_holds
from .compiled import GiveUp, Runner, runners
from .kinds import EVALUATORS, combine, waived_instance
from .links import distinct, link_answers, named, renamed, unread_occurrences
from .plan import Plan, plan_of_case
from .result import NOTHING, CaseResult, Finding, RuleOutputs
from .trace import Formula, TraceNode
from .values import PINNED, QUANTA
from .words import message

_ROUNDING = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN, "up": ROUND_UP}
_RAISE = object()
_new_dict = dict.__new__
# rounded amounts by the places they are rounded to, shared by every case that has them (a rate repeats
# across the cases of a portfolio)
_ROUNDED: dict[int, dict[Any, Decimal]] = {}


def resolve_assumptions(contract: Contract, chosen: Mapping[str, str] | None) -> dict[str, str]:
    """The reading in force for every assumption: the default unless `chosen` switches it."""
    readings = dict(contract.default_readings)
    if not chosen:
        return readings
    diags = []
    for key, reading in (chosen or {}).items():
        if key not in contract.assumptions:
            diags.append(Diagnostic("E310", f"contract '{contract.id}' has no assumption '{key}'", None,
                                    did_you_mean(key, contract.assumptions) or "known: "
                                    + ", ".join(contract.assumptions)))
        elif reading not in contract.assumptions[key].readings:
            options = contract.assumptions[key].readings
            diags.append(Diagnostic("E311", f"assumption '{key}' has no reading '{reading}'", None,
                                    did_you_mean(reading, options) or "readings: " + ", ".join(options)))
        else:
            readings[key] = reading
    if diags:
        raise InputError(diags)
    return readings


def evaluate_case(contract: Contract, case: Case | dict[str, Any], *, assume: Mapping[str, str] | None = None,
                  as_of: dt.date | None = None, trace: bool = True, lang: str = "da") -> CaseResult:
    """Evaluate every rule of `contract` for one case."""
    if not isinstance(case, Case):
        case = read_case(case, contract, as_of=as_of)
    # the default readings are one read-only mapping shared by every result that uses them (a copy per case
    # would be the largest thing a result holds)
    readings = resolve_assumptions(contract, assume) if assume else contract.default_readings
    if trace:
        with localcontext(PINNED):
            run = Run(contract, case, readings, trace, lang)
            run.occurrences()
            for rule in contract.rules:  # every rule, so the trace says why each one did not apply
                run.evaluate(rule)
            return run.result
    if not _pinned_now():
        with localcontext(PINNED):
            return _untraced(contract, case, readings, lang, bool(assume))
    return _untraced(contract, case, readings, lang, bool(assume))


def _pinned_now() -> bool:
    """Whether the thread's decimal context is the pinned one already (Python's default is): then the
    untraced evaluation runs in it as it is (entering a copy costs as much as a small rule), and the only
    trace it leaves there is the flags of what was rounded."""
    now = getcontext()
    return (now.prec == _PREC and now.rounding == _ROUNDS and now.traps == PINNED.traps and now.Emax == _EMAX
            and now.Emin == _EMIN and now.clamp == _CLAMP)


# the pinned context's settings, read once (each read of a context's attribute makes a new object)
_PREC, _ROUNDS, _EMAX, _EMIN, _CLAMP = PINNED.prec, PINNED.rounding, PINNED.Emax, PINNED.Emin, PINNED.clamp


def _untraced(contract: Contract, case: Case, readings: Mapping[str, str], lang: str, switched: bool) -> CaseResult:
    try:
        return _planned(contract, case, readings, lang, switched, runners(contract))
    except (GiveUp, ArithmeticError, ValueError, OverflowError):  # the interpreter says what went wrong
        return _planned(contract, case, readings, lang, switched, {})


def _planned(contract: Contract, case: Case, readings: Mapping[str, str], lang: str, switched: bool,
             compiled: dict[str, Runner]) -> CaseResult:
    """Untraced: the rules the case's plan runs, each by its compiled runner when it has one."""
    run = Run(contract, case, readings, False, lang)
    run.occurrences()
    plan = plan_of_case(contract, case.events, case.facts, case.offering, readings, switched)
    outputs = run.outputs
    outputs.skipped = plan.skipped  # read through, never copied (result.RuleOutputs)
    run.result.skipped = plan.not_applicable
    for rule_id, rule, runner in _steps(plan, compiled):
        if runner is None:
            run.evaluate(rule)
        else:
            outputs[rule_id] = runner(run)
    if plan.undecided:  # once every rule's outputs are there for the conditions to read
        run.result.skipped = _decided(run, plan)
    if not plan.run:  # a dict with nothing stored looks empty to C code (json's encoder): store them all
        outputs.own()
    return run.result


def _decided(run: Run, plan: Plan) -> tuple[tuple[Rule, dict[str, Any]], ...]:
    """The plan's skipped obligations, with the readings on those whose condition is false for this case (the
    trigger is absent either way; evaluation judges the condition first, as Run.applies)."""
    entries = list(plan.not_applicable)
    assume = run.env.assume
    for index in plan.undecided:
        rule = entries[index][0]
        if not run.applies(rule):
            entries[index] = (rule, {"readings": {a: assume[a] for a in rule.condition_assumptions}})
    return tuple(entries)


def _steps(plan: Plan, compiled: dict[str, Runner]) -> Sequence[tuple[str, Rule, Runner | None]]:
    """The plan's rules with their runners (None: interpreted), made once per plan and kept in it."""
    if not compiled:  # the interpreter (after a runner gave up)
        return [(rule.id, rule, None) for rule in plan.run]
    if len(plan.steps) != len(plan.run):  # one slice assignment: a thread sees no steps or all of them
        plan.steps[:] = [(rule.id, rule, compiled.get(rule.id)) for rule in plan.run]
    return plan.steps


def _rounding(contract: Contract) -> tuple[Decimal, dict[Any, Decimal], str]:
    """The contract's rounding: the quantum, the shared rounded amounts for its places, the mode (made once)."""
    cache: dict[Any, Any] = contract.plans
    made: tuple[Decimal, dict[Any, Decimal], str] | None = cache.get("rounding")
    if made is None:
        places = contract.rounding.places
        made = cache["rounding"] = (QUANTA[places] if places in QUANTA else Decimal(1).scaleb(-places),
                                    _ROUNDED.setdefault(places, {}), _ROUNDING[contract.rounding.mode])
    return made


class _ParamClock:
    """`param(name)` for the expressions: the value in force on the reference date. Apart from Run so that
    the Env does not point back at the Run (no reference cycle: a case's result is freed without the GC)."""

    __slots__ = ("fixed", "parameters", "ref")

    def __init__(self, contract: Contract, as_of: dt.date) -> None:
        self.parameters, self.ref = contract.parameters, as_of
        self.fixed: dt.date | None = None

    def __call__(self, name: str) -> Any:
        return self.parameters[name].at(self.fixed or self.ref).value


class Run:
    """The state of one case's evaluation: the Env the expressions read, and the result being built."""

    def __init__(self, contract: Contract, case: Case, readings: Mapping[str, str], trace: bool, lang: str) -> None:
        self.contract, self.case, self.tracing = contract, case, trace
        offering = contract.offerings.get(case.offering) if case.offering else None
        self.clock = _ParamClock(contract, case.as_of)
        self.env = Env(facts=case.facts, events=case.events, as_of=case.as_of, offering=case.offering,
                       offering_attrs=offering.attributes if offering else NOTHING, assume=readings,
                       param=self.clock, contract_start=contract.start, contract_end=contract.end)
        # the outputs other rules read are the result's outputs (made without RuleOutputs.__init__: a third
        # of the time; _planned gives them the plan's skipped rules)
        self.env.rules = self.outputs = outputs = _new_dict(RuleOutputs)
        outputs.skipped = NOTHING
        # every field given in order (the dataclass's keywords and list factories cost half as much again)
        self.result = CaseResult(case.id, contract, case.as_of, readings, lang, [], [], [], [], (), (), (), outputs,
                                 case.facts, case.offering, case.events_after_as_of, case.events)
        self.node: TraceNode | None = None
        if trace:  # the trace's nodes (untraced, no list is made)
            self.nodes: list[TraceNode] = []
            self.result.trace = self.nodes
        self.quantum, self.rounded, self.rounding = _rounding(contract)

    @property
    def ref_date(self) -> dt.date:
        """The date a parameter's value is read on: the due date of the instance being judged, or as_of."""
        return self.clock.ref

    @ref_date.setter
    def ref_date(self, day: dt.date) -> None:
        self.clock.ref = day

    @property
    def fixed_ref(self) -> dt.date | None:
        """A rule's own `reference_date`, when it has one: it wins over ref_date."""
        return self.clock.fixed

    @fixed_ref.setter
    def fixed_ref(self, day: dt.date | None) -> None:
        self.clock.fixed = day

    def occurrences(self) -> None:
        """Link answers to what they answer; report answers that link to nothing and occurrences of an
        event type beyond the one a rule reads."""
        if not self.contract.answering and not self.contract.single_readers:
            return
        lang = self.result.lang
        unlinked = link_answers(self.contract, self.case.events, self.env.assume) if self.case.loose_answers else ()
        for answer in unlinked:
            decl = self.contract.events[answer["type"]]
            targets = " / ".join(self.contract.events[t].title.get(lang) for t in decl.answers)
            self.result.findings.append(Finding(None, "warning", message(
                lang, "unlinked_answer", title=decl.title.get(lang), event=answer.get("id", ""), date=answer["date"],
                targets=targets), subject=answer["type"], instance=answer.get("id")))
        for name, count, rules in unread_occurrences(self.contract, self.case.events):
            decl = self.contract.events[name]
            self.result.findings.append(Finding(None, "info", message(
                lang, "unread_occurrences", count=count, title=decl.title.get(lang), rules=", ".join(rules)),
                subject=name))

    def evaluate(self, rule: Rule) -> None:
        """Evaluate one rule (its trigger may be absent: the rule then says it does not apply)."""
        self.node = None  # nothing computed before this rule's own node exists lands in another rule's
        if rule.remedies is not None:
            self.env.rules[rule.id] = self._remedy(rule, rule.remedies)
        else:
            self.env.rules[rule.id] = self._each(rule) if "each" in rule.exprs else self._once(rule, None)

    def _once(self, rule: Rule, instance: str | None) -> dict[str, Any]:
        clock = self.clock
        clock.ref, clock.fixed = self.case.as_of, None
        if self.tracing:
            self.node = TraceNode(rule.id, rule.kind, rule.title, rule.source, {}, uses=sorted(rule.deps),
                                  instance=instance)
        try:
            if "reference_date" in rule.exprs:
                self.fixed_ref = self.compute(rule.exprs["reference_date"], "reference_date", None)
            outputs: dict[str, Any] = EVALUATORS[rule.kind](self, rule)
        except (ZeroDivisionError, ArithmeticError, ValueError, OverflowError) as exc:
            raise EvaluationError([Diagnostic("E400", f"rule '{rule.id}' failed for case {self.case.id}: {exc}",
                                              rule.span, "check the rule's expressions for this case's values")]
                                  ) from None
        if self.node is not None and rule.lets:
            self._lets(rule, self.node)
        if self.node is not None:
            self.node.outcome = dict(outputs)
            self._params(rule)
            self.nodes.append(self.node)
        return outputs

    def _lets(self, rule: Rule, node: TraceNode) -> None:
        """The rule's local names with their values, first in its trace. Shown only: a name the outcome
        did not need, and that cannot be computed for this case, is left out, never an error."""
        before = len(node.steps)
        for name in rule.lets:
            try:
                self.compute(rule.exprs[f"let.{name}"], f"let.{name}", None)  # labelled apart from the spec's keys
            except (ArithmeticError, ValueError, OverflowError):
                continue
        node.steps[:] = node.steps[before:] + node.steps[:before]

    def _each(self, rule: Rule) -> dict[str, Any]:
        """One instance of the rule per item of `each`; results are labelled with the item."""
        items = self.compute(rule.exprs.get("each"), "each", [])
        outputs = []
        instances = []
        label_fn = rule.exprs["label"].fn if "label" in rule.exprs else None  # untraced: a name, not a derivation
        seen: set[str] = set()
        for number, item in enumerate(items, start=1):
            self.env.item = item
            label = named(label_fn, self.env, item, number)
            label = renamed(self.result, rule, label, seen) if label in seen else distinct(label, seen)
            outputs.append(self._labelled(rule, label))
            instances.append((label, item, None, outputs[-1]))
        self.env.item = None
        combined = combine(rule.kind, outputs)  # a new dict
        combined["instances"] = tuple(instances)
        return combined

    def _labelled(self, rule: Rule, label: str) -> dict[str, Any]:
        """Evaluate one instance; every entry it adds to the result carries its label."""
        result = self.result
        lists: tuple[list[Any], ...] = (result.obligations, result.penalties, result.payments, result.findings)
        before = (len(result.obligations), len(result.penalties), len(result.payments), len(result.findings))
        values = len(result.values)  # a new list once a value is added (it starts as the shared empty tuple)
        outputs = self._once(rule, label)
        for entries, start in zip((*lists, result.values), (*before, values), strict=True):
            if len(entries) > start:
                for entry in entries[start:]:
                    entry.instance = entry.instance or label
        return outputs

    def _remedy(self, rule: Rule, target: str) -> dict[str, Any]:
        """A penalty or payment per instance of the obligation it remedies: inside it, the obligation's
        name reads that instance's outputs, and `item` (or the period) is that instance's."""
        whole = self.env.rules[target]
        instances = whole.get("instances")
        if whole.get("status") == "not_applicable" and not instances:
            return combine(rule.kind, [])  # nothing to remedy
        if instances is None:
            if whole.get("status") == "waived":
                return waived_instance(self, rule, whole.get("by"))
            return self._once(rule, None)
        outputs, own = [], []
        for label, item, period, outs in instances:
            self.env.rules[target], self.env.item = outs, item
            self.env.period_start, self.env.period_end = period or (None, None)
            try:
                if outs["status"] == "not_applicable":
                    continue
                if outs["status"] == "waived":
                    before = len(self.result.penalties) + len(self.result.payments)
                    outputs.append(waived_instance(self, rule, outs.get("by")))
                    bucket = self.result.penalties if rule.kind == "penalty" else self.result.payments
                    if len(self.result.penalties) + len(self.result.payments) > before:
                        bucket[-1].instance = label
                else:
                    outputs.append(self._labelled(rule, label))
                own.append((label, item, period, outputs[-1]))
            finally:
                self.env.rules[target] = whole
                self.env.item = None
                self.env.period_start = self.env.period_end = None
        combined = combine(rule.kind, outputs)  # a new dict: with each instance's outputs, for instance()
        combined["instances"] = tuple(own)
        return combined

    def compute(self, expr: Expr | None, label: str, default: Any = _RAISE) -> Any:
        """Evaluate one of the rule's expressions; Missing propagates unless a default is given."""
        if expr is None:
            if default is _RAISE:
                raise Missing(label)
            return default
        if not self.tracing:
            try:
                return expr.fn(self.env)
            except Missing:
                if default is _RAISE:
                    raise
                return default
        self.env.recorder = {}
        try:
            value = expr.traced(self.env)
        except Missing as exc:
            self.step("missing", label=label, what=exc.what, expr=expr.text, alternatives=list(exc.alternatives))
            if default is _RAISE:
                raise
            return default
        finally:
            values, self.env.recorder = self.env.recorder, None
        if self.node is not None:
            self.node.add("formula", formula=Formula(label, expr, values or {}, value))
        return value

    def applies(self, rule: Rule) -> bool:
        """Whether the rule applies to this case: no condition, or a condition that holds. A condition
        that needs data the case does not have does not hold."""
        expr = rule.exprs.get("applies_when")
        if expr is None or not self.tracing:
            return condition_holds(expr.fn if expr is not None else None, self.env)
        try:
            return bool(self.compute(expr, "applies_when"))
        except Missing:
            return False

    def step(self, key: str, **data: Any) -> None:
        if self.tracing and self.node is not None:
            self.node.add(key, **data)

    def round(self, amount: Decimal) -> Decimal:
        rounded = amount.quantize(self.quantum, rounding=self.rounding)
        if len(self.rounded) >= 65536:
            return rounded
        # keyed by value: all have the same places, so equal values have equal digits, but for the sign of
        # zero (-0.00 == 0.00), keyed by its sign and digits
        return self.rounded.setdefault(rounded if rounded else rounded.as_tuple(), rounded)

    def _params(self, rule: Rule) -> None:
        names = sorted({p for e in rule.exprs.values() for p in e.checked.params})
        for name in names:
            param = self.contract.parameters[name]
            chosen = param.at(self.fixed_ref or self.ref_date)
            self.step("param", name=name, title=param.title, type=param.type, value=chosen.value,
                      start=chosen.start, source=chosen.source, assumption=chosen.assumption,
                      dated=len(param.values) > 1, on=self.fixed_ref or self.ref_date)
        for name in sorted(rule.assumptions):
            self.step("assumption", id=name, reading=self.env.assume[name],
                      text=self.contract.assumptions[name].readings[self.env.assume[name]])
