"""The typed, frozen contract model that the loader builds and the runtime evaluates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from types import MappingProxyType
from typing import Any

from ..calendar import WorkingCalendar
from ..diagnostics import Diagnostic
from ..dsl import Calendars, Checked, Fn, compile_expr, probe_expr
from ..dsl import types as t
from ..source import Span


@dataclass(frozen=True, slots=True)
class Text:
    """A text in Danish, optionally also in English."""

    da: str
    en: str | None = None

    def get(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.da

    @staticmethod
    def of(value: Any) -> Text:
        if isinstance(value, dict):
            return Text(str(value.get("da", "")), value.get("en"))
        return Text(str(value or ""))


@dataclass(frozen=True, slots=True)
class Source:
    """Where a rule comes from: document, section and a short quote in the document's language."""

    doc: str
    section: str
    quote: str
    doc_title: str = ""

    @property
    def label(self) -> str:
        """'Kontrakt pkt. 6.4' — the document's short name and the section (not repeated if the section
        already names the document)."""
        name = self.doc_title or self.doc
        if self.section.lower().startswith(name.lower()):
            return self.section
        return f"{name} {self.section}".strip()

    def cite(self) -> str:
        return f'{self.label}: "{self.quote}"'

    def as_dict(self) -> dict[str, str]:
        return {"doc": self.doc, "section": self.section, "quote": self.quote}


@dataclass(frozen=True)
class Expr:
    """A checked and compiled expression, with the place in the spec it was written. `fn` evaluates it;
    `traced` also records the values an explanation shows, and is compiled on first use (most runs never
    trace, and a contract's objects are fewer for the garbage collector to walk)."""

    text: str
    checked: Checked
    span: Span
    fn: Fn
    cals: Calendars

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled without its function, which is compiled again from the checked tree when unpickled (a trace's
        formula holds the expression it shows)."""
        return _recompiled, (self.text, self.checked, self.span, self.cals)

    @cached_property
    def traced(self) -> Fn:
        return compile_expr(self.checked, self.cals, traced=True)

    @cached_property
    def probe(self) -> Fn | None:
        """Untraced, a function giving None where `fn` raises Missing, when the expression is a probe (a fact,
        an offering attribute, a field, `first(EVENTS).field`): no exception for what is not there yet."""
        return probe_expr(self.checked, self.cals)

    @property
    def type(self) -> t.Type:
        return self.checked.type


def _recompiled(text: str, checked: Checked, span: Span, cals: Calendars) -> Expr:
    return Expr(text, checked, span, compile_expr(checked, cals), cals)


@dataclass(frozen=True, slots=True)
class ParamValue:
    start: dt.date | None
    value: Any
    source: Source | None
    assumption: str | None


@dataclass(frozen=True)
class Parameter:
    name: str
    type: t.Type
    title: Text
    values: tuple[ParamValue, ...]

    def at(self, day: dt.date) -> ParamValue:
        """The value in force on `day` (the earliest one if `day` precedes them all)."""
        chosen = self.values[0]
        for value in self.values:
            if value.start is None or value.start <= day:
                chosen = value
        return chosen


@dataclass(frozen=True)
class Assumption:
    id: str
    title: Text
    question: Text
    default: str
    readings: dict[str, Text]
    source: Source | None


@dataclass(frozen=True)
class InputDecl:
    name: str
    type: t.Type
    title: Text
    minimum: Any = None
    maximum: Any = None
    required: bool = False
    identifier: bool = False  # a pseudonymous identifier: CPR-shaped values are refused


@dataclass(frozen=True)
class EventDecl:
    name: str
    title: Text
    fields: dict[str, InputDecl]
    record: t.Record
    repeatable: bool = False
    answers: tuple[str, ...] = ()  # the event types an event of this type answers (its `ref`)
    match: str = "earliest_open"  # how an answer without `ref` is linked (runtime/links.py)
    match_assumption: str | None = None  # the assumption whose reading names the match mode
    # (answer field, trigger field): what it answers stays open for match until its answers' field reaches its own
    covers: tuple[str, str] | None = None


@dataclass(frozen=True)
class Offering:
    id: str
    title: Text
    source: Source | None
    attributes: dict[str, Any]


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    title: Text
    source: Source
    span: Span
    exprs: dict[str, Expr]
    options: dict[str, Any]
    deps: frozenset[str]
    messages: dict[str, tuple[tuple[str, Expr | None], ...]] = field(default_factory=dict)
    description: Text | None = None
    obliged: str | None = None
    assumptions: frozenset[str] = frozenset()
    needs: frozenset[str] = frozenset()  # event types without which the rule cannot apply (dsl/needs.py)
    remedies: str | None = None  # the obligation this penalty or payment remedies, instance by instance
    single_reads: frozenset[str] = frozenset()  # event types the rule reads one occurrence of (first/last)
    each_needs: frozenset[str] = frozenset()  # `each` draws from these event types: none, no instance
    needs_any: frozenset[frozenset[str]] = frozenset()  # groups the condition needs one of (dsl/needs.py)
    each_needs_any: frozenset[frozenset[str]] = frozenset()  # groups `each`'s filter needs one of: none, no instance
    explain: Text | None = None  # the author's sentence for the outcome, with {output} placeholders
    # (the spec file, the sha256 of it and its imports) of the contract built with it: a pickled rule is that
    # contract's rule of this id (its expressions are functions made at load, which do not pickle)
    origin: tuple[str, str] = field(default=("", ""), compare=False, repr=False)

    def __reduce__(self) -> tuple[Any, ...]:
        from .load import reloaded_rule

        return reloaded_rule, (self.origin, self.id)

    @cached_property
    def sorted_deps(self) -> tuple[str, ...]:
        """The rules this one reads, by id."""
        return tuple(sorted(self.deps))

    @cached_property
    def lets(self) -> tuple[str, ...]:
        """The rule's local names (`let:`), in order."""
        return tuple(key[4:] for key in self.exprs if key.startswith("let."))

    @cached_property
    def condition_needs(self) -> frozenset[str]:
        """Event types without which `applies_when` is false (the rule is then not applicable by it)."""
        from ..dsl.needs import false_if_empty

        condition = self.exprs.get("applies_when")
        return frozenset(false_if_empty(condition.checked)) if condition is not None else frozenset()

    @cached_property
    def condition_assumptions(self) -> tuple[str, ...]:
        """The assumptions `applies_when` reads (their readings decide whether the rule applies)."""
        condition = self.exprs.get("applies_when")
        return tuple(sorted(condition.checked.assumptions)) if condition is not None else ()

    @cached_property
    def expr_groups(self) -> dict[str, tuple[str, ...]]:
        """The expression keys by their first part: `waived_by` → (`waived_by.0`, `waived_by.1`) when a key
        is given as several lists, (`waived_by`,) when as one."""
        groups: dict[str, list[str]] = {}
        for key in self.exprs:
            groups.setdefault(key.split(".", 1)[0], []).append(key)
        return {base: tuple(keys) for base, keys in groups.items()}

    @cached_property
    def listed_from(self) -> dict[str, frozenset[str]]:
        """For the lists a deadline reads besides its trigger (extensions, suspensions, waivers, discharges):
        the event types their elements come from (dsl/needs.py). A case with none of them has none."""
        from ..dsl.needs import listed_from

        parts = ("extensions.events", "suspended_by.events", *self.expr_groups.get("waived_by", ()),
                 *self.expr_groups.get("discharged_by", ()))
        found = {key: listed_from(self.exprs[key].checked) for key in parts if key in self.exprs}
        return {key: names for key, names in found.items() if names}

    def none_listed(self, key: str, events: Any) -> bool:
        """Whether the list `key` is empty for a case with these event types, known without computing it."""
        names = self.listed_from.get(key)
        return names is not None and names.isdisjoint(events)

    def expr(self, key: str) -> Expr | None:
        return self.exprs.get(key)


@dataclass(frozen=True)
class SpecTest:
    id: str
    title: Text
    case: dict[str, Any] | None
    expect: dict[str, Any]
    assume: dict[str, str]
    span: Span
    covers: tuple[str, ...] = ()
    portfolio: dict[str, Any] | None = None
    lang: str = "da"  # the language its messages are rendered (and matched) in


@dataclass(frozen=True)
class Figure:
    """A portfolio-level value, statistic or settlement: its expressions and options."""

    id: str
    kind: str  # value | statistic | settlement
    title: Text
    source: Source | None
    span: Span
    exprs: dict[str, Expr]
    options: dict[str, Any]
    tiers: tuple[tuple[Expr | None, Expr], ...] = ()
    assumptions: frozenset[str] = frozenset()
    messages: dict[str, tuple[tuple[str, Expr | None], ...]] = field(default_factory=dict)

    def expr(self, key: str) -> Expr | None:
        return self.exprs.get(key)


@dataclass(frozen=True)
class PortfolioSpec:
    facts: dict[str, InputDecl] = field(default_factory=dict)
    events: dict[str, EventDecl] = field(default_factory=dict)
    values: tuple[Figure, ...] = ()
    statistics: tuple[Figure, ...] = ()
    settlements: tuple[Figure, ...] = ()
    checks: tuple[Figure, ...] = ()
    rules: tuple[Rule, ...] = ()  # the portfolio's own rules (runtime/portfolio.py evaluates them once)


@dataclass(frozen=True)
class Rounding:
    places: int = 2
    mode: str = "half_up"


@dataclass(frozen=True)
class Contract:
    id: str
    version: str
    title: Text
    file: str
    sha256: str
    start: dt.date
    end: dt.date
    currency: str
    documents: dict[str, str]
    calendars: dict[str, WorkingCalendar]
    calendar: WorkingCalendar
    weekday_calendar: WorkingCalendar
    rounding: Rounding
    parameters: dict[str, Parameter]
    assumptions: dict[str, Assumption]
    facts: dict[str, InputDecl]
    events: dict[str, EventDecl]
    offering_attrs: dict[str, InputDecl]
    offerings: dict[str, Offering]
    rules: tuple[Rule, ...]
    tests: tuple[SpecTest, ...]
    files: tuple[str, ...]
    is_library: bool = False
    portfolio: PortfolioSpec = field(default_factory=PortfolioSpec)
    warnings: tuple[Diagnostic, ...] = ()
    origin: tuple[str, str] = ("", "")  # (the spec file's absolute path, sha256): what a pickled contract names

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled by reference: the spec file and its sha256. Unpickling loads the file (once per process) and
        refuses a file that has changed since (spec/load.py, reloaded)."""
        from .load import reloaded

        return reloaded, (self.origin,)

    @cached_property
    def plans(self) -> dict[Any, Any]:
        """The runtime's caches for this contract: evaluation plans by the event types a case has
        (runtime/plan.py) and the compiled case reader (runtime/readfast.py)."""
        return {}

    @cached_property
    def portfolio_reads(self) -> frozenset[str]:
        """Every name and field name the portfolio's expressions mention: a superset of the case-record
        fields they read (a portfolio keeps only those of each case)."""
        from ..dsl import ast

        spec = self.portfolio
        names: set[str] = set()
        readers: tuple[Figure | Rule, ...] = (*spec.values, *spec.statistics, *spec.settlements, *spec.checks,
                                              *spec.rules)
        for fig in readers:
            tiers = fig.tiers if isinstance(fig, Figure) else ()  # the portfolio's own rules read `cases` too
            exprs = [*fig.exprs.values(), *(e for tier in tiers for e in tier if e is not None),
                     *(e for parts in fig.messages.values() for _, e in parts if e is not None)]
            for expr in exprs:
                for node in ast.walk(expr.checked.node):
                    if isinstance(node, ast.Name | ast.Attr):
                        names.add(node.name)
        return frozenset(names)

    @cached_property
    def plan_types(self) -> frozenset[str]:
        """The event types (and `fact:` names) whose presence decides an evaluation plan (runtime/plan.py):
        those some rule needs, draws its instances from or needs for its condition. Any other type or fact
        changes no plan."""
        types: set[str] = set()
        for rule in self.rules:
            types |= rule.needs | rule.each_needs | rule.condition_needs
            for group in (*rule.needs_any, *rule.each_needs_any):
                types |= group
        return frozenset(types)

    @cached_property
    def plan_facts(self) -> dict[str, str]:
        """The facts among plan_types: fact name → its `fact:` name."""
        from ..dsl.needs import FACT

        return {name[len(FACT):]: name for name in self.plan_types if name.startswith(FACT)}

    @cached_property
    def default_readings(self) -> Mapping[str, str]:
        """Every assumption's default reading: the `assumptions` of every result evaluated with them, shared and
        read-only (resolve_assumptions copies it to switch a reading)."""
        return MappingProxyType({k: a.default for k, a in self.assumptions.items()})

    @cached_property
    def default_readings_key(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(self.default_readings.items()))

    @cached_property
    def rule_order(self) -> dict[str, int]:
        return {rule.id: i for i, rule in enumerate(self.rules)}

    @cached_property
    def answering(self) -> tuple[tuple[str, EventDecl], ...]:
        """The event types that answer another, with their declarations."""
        return tuple((name, decl) for name, decl in self.events.items() if decl.answers)

    @cached_property
    def answering_order(self) -> dict[str, int]:
        """Answering event type → its place in `answering`."""
        return {name: i for i, (name, _) in enumerate(self.answering)}

    @cached_property
    def single_readers(self) -> dict[str, list[str]]:
        """Event type → the rules that read one occurrence of it (first/last) without saying why."""
        out: dict[str, list[str]] = {}
        for rule in self.rules:
            if "single_occurrence" in rule.options:
                continue  # the spec says why one occurrence is the right one to read
            for name in sorted(rule.single_reads):
                out.setdefault(name, []).append(rule.id)
        return out

    def rule(self, rule_id: str) -> Rule | None:
        """The rule of this id: a case rule, else one of the portfolio's own."""
        for rule in (*self.rules, *self.portfolio.rules):
            if rule.id == rule_id:
                return rule
        return None

    @cached_property
    def portfolio_duties(self) -> Contract:
        """The portfolio's own rules as a contract of their own, whose facts and events are the portfolio's:
        runtime/portfolio.py evaluates it as one case."""
        spec = self.portfolio
        return replace(self, facts=spec.facts, events=spec.events, offerings={}, rules=spec.rules, tests=(),
                       portfolio=PortfolioSpec())
