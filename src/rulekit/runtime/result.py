"""Results: obligations, penalties, payments and findings for a case or a portfolio (DESIGN.md §5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import ItemsView, Iterator, KeysView, Mapping, Sequence, ValuesView
from dataclasses import dataclass, field, fields
from decimal import Decimal, localcontext
from types import MappingProxyType
from typing import Any

from .. import __version__
from ..spec.model import Contract, Rule
from .trace import TraceNode, node_data
from .values import PINNED, iso, json_value, money_str

Outputs = dict[str, Any]  # what a rule gives other rules (by output name); the one definition
NOTHING: Mapping[str, Any] = MappingProxyType({})  # no skipped rules, no offering attributes: shared, read-only


class RuleOutputs(dict[str, Outputs]):
    """What every rule gave one case, as other rules and portfolio expressions read it. The outputs of the
    rules the case's plan evaluated are stored in the dict; those of the rules the plan skipped (their known
    outcome: not applicable, no amount, a check that holds) are read through to the plan's own dict,
    `skipped`, which every case with that plan shares. Reading, `get`, `in`, iterating, `len`, `==`, `|` and
    `copy` see both, so the mapping behaves as a dict of every rule; an operation that removes entries
    (`pop`, `del`, `clear`, …) first takes the skipped rules' outputs into the dict itself. `keys()`,
    `values()` and `items()` are views of a copy. A case pays neither for copying some eighty entries nor
    for the GC visiting them while its result lives."""

    __slots__ = ("skipped",)

    def __init__(self, *args: Any, skipped: Mapping[str, Outputs] = NOTHING, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # as dict's (`type(d)(pairs)` makes one that holds them all)
        self.skipped = skipped

    def __reduce__(self) -> tuple[Any, ...]:
        return RuleOutputs, (self.every(),)  # every rule's outputs in the dict itself (the plan is not pickled)

    def __missing__(self, key: str) -> Outputs:
        return self.skipped[key]

    def get(self, key: str, default: Any = None) -> Any:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        return self.skipped.get(key, default)

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self.skipped

    def every(self) -> dict[str, Outputs]:
        """A plain dict of every rule's outputs."""
        merged = dict(self.skipped)
        merged.update(dict.items(self))
        return merged

    def own(self) -> None:
        """Take the skipped rules' outputs into the dict itself (the plan's dict is not changed)."""
        if self.skipped:
            merged = self.every()  # in every()'s order: the skipped rules, then the stored ones
            dict.clear(self)
            dict.update(self, merged)
            self.skipped = NOTHING

    def __iter__(self) -> Iterator[str]:
        return iter(self.every())

    def __reversed__(self) -> Iterator[str]:
        return reversed(self.every())

    def __len__(self) -> int:
        return len(self.every())

    def keys(self) -> KeysView[str]:  # type: ignore[override]
        return self.every().keys()

    def values(self) -> ValuesView[Outputs]:  # type: ignore[override]
        return self.every().values()

    def items(self) -> ItemsView[str, Outputs]:  # type: ignore[override]
        return self.every().items()

    def copy(self) -> dict[str, Outputs]:
        return self.every()

    def __or__(self, other: Any) -> dict[str, Outputs]:  # type: ignore[override]
        return self.every() | dict(other)

    def __ror__(self, other: Any) -> dict[str, Outputs]:  # type: ignore[override]
        return dict(other) | self.every()

    def __eq__(self, other: object) -> bool:
        return self.every() == (other.every() if isinstance(other, RuleOutputs) else other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # as a dict's

    def __repr__(self) -> str:
        return f"RuleOutputs({self.every()!r})"

    # what removes entries works on a dict that holds them all
    def pop(self, *args: Any) -> Any:
        self.own()
        return dict.pop(self, *args)

    def popitem(self) -> tuple[str, Outputs]:
        self.own()
        return dict.popitem(self)

    def setdefault(self, key: str, default: Any = None) -> Any:
        self.own()
        return dict.setdefault(self, key, default)

    def __delitem__(self, key: str) -> None:
        self.own()
        dict.__delitem__(self, key)

    def clear(self) -> None:
        self.skipped = NOTHING
        dict.clear(self)


@dataclass(slots=True)
class Obligation:
    rule: Rule
    status: str
    due: dt.date | None = None
    fulfilled: dt.date | None = None
    late_days: int | None = None
    late_working_days: int | None = None
    instance: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Amount:
    rule: Rule
    amount: Decimal | None
    waived: bool = False
    missing: Sequence[str] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    instance: str | None = None


@dataclass(slots=True)
class Value:
    """A value rule's value (one per element for a rule with `each`, named by `instance`)."""

    rule: Rule
    value: Any
    instance: str | None = None


@dataclass(slots=True)
class Finding:
    rule: Rule | None  # None: a finding about the input itself (an unlinked answer, unread occurrences)
    severity: str
    message: str
    instance: str | None = None
    subject: str | None = None  # for input findings: the event type it is about
    compared: Sequence[dict[str, Any]] = ()  # a failed check: the figures it compared


@dataclass(slots=True)
class CaseResult:
    # evaluate.Run gives every field in this order, positionally (tests/runtime/test_runtime_outputs.py)
    case: str
    contract: Contract
    as_of: dt.date
    assumptions: Mapping[str, str]
    lang: str = "da"
    obligations: list[Obligation] = field(default_factory=list)
    penalties: list[Amount] = field(default_factory=list)
    payments: list[Amount] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # usually empty: the shared empty tuple until there is something (a list made per case would be one more
    # object for the GC to visit while the result lives)
    values: Sequence[Value] = ()
    unchecked: Sequence[tuple[Rule, str]] = ()
    trace: Sequence[TraceNode] = ()
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    offering: str | None = None
    events_after_as_of: int = 0
    events: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    skipped: tuple[tuple[Rule, dict[str, Any]], ...] = ()  # obligations not evaluated: not applicable

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its contract and rules by reference (spec/model.py): a result crosses to another process
        without the functions the contract holds."""
        state = [getattr(self, f.name) for f in fields(self)]
        state[3] = dict(self.assumptions)  # the shared read-only readings (a mappingproxy does not pickle)
        return _unpickled, tuple(state)

    def all_obligations(self) -> list[Obligation]:
        """Every obligation entry in rule order, with the skipped ones as not applicable."""
        if not self.skipped:
            return self.obligations
        order = self.contract.rule_order
        merged = [*self.obligations, *(Obligation(rule, "not_applicable", extra=dict(extra))
                                       for rule, extra in self.skipped)]
        merged.sort(key=lambda o: order.get(o.rule.id, 0))
        return merged

    def record(self) -> dict[str, Any]:
        """This case as portfolio expressions see it: id, offering, facts, events and every rule's outputs."""
        events = {name: self.events.get(name, []) for name in self.contract.events}
        return {"case": self.case, "offering": self.offering, **self.facts, **events, **self.outputs}

    def total(self, items: list[Amount]) -> Decimal:
        return sum((a.amount for a in items if a.amount is not None and not a.waived), Decimal(0))

    @property
    def complete(self) -> bool:
        return not self.unchecked and not any(a.missing for a in (*self.penalties, *self.payments))

    def to_json(self, *, trace: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"case": self.case, **header(self.contract, self.as_of, self.assumptions)}
        out.update(self.body())
        if trace:
            out["trace"] = [node_data(node, self.lang) for node in self.trace]
        return out

    def summary_json(self) -> dict[str, Any]:
        """The compact form (`--detail summary`): applicable entries only, rules by id (their titles, sources
        and quotes are given once, in `rules_header`), and no contract header (it is the batch's)."""
        out: dict[str, Any] = {"case": self.case, "as_of": iso(self.as_of)}
        out.update(self.body(brief=True))
        return out

    def body(self, *, brief: bool = False) -> dict[str, Any]:
        with localcontext(PINNED):  # totals in rulekit's decimal context, not the caller's
            return self._body(brief)

    def _body(self, brief: bool) -> dict[str, Any]:
        lang, ref = self.lang, (_brief_ref if brief else _rule_ref)
        obligations = self.obligations if brief else self.all_obligations()
        return {
            "obligations": [_obligation(o, lang, ref) for o in obligations
                            if not brief or o.status != "not_applicable"],
            "penalties": [_amount(a, lang, self.contract, ref) for a in self.penalties],
            "payments": [_amount(a, lang, self.contract, ref) for a in self.payments],
            "findings": [_finding(f, lang, self.contract, ref) for f in self.findings],
            "values": [_value(v, lang, ref) for v in self.values],
            "totals": {"penalties": money_str(self.total(self.penalties)),
                       "payments": money_str(self.total(self.payments)), "currency": self.contract.currency},
            "complete": self.complete,
            **({"events_after_as_of": self.events_after_as_of} if self.events_after_as_of else {}),
        }


def _unpickled(*state: Any) -> CaseResult:
    """A pickled CaseResult; the contract's default readings shared again when they are the ones it used."""
    result = CaseResult(*state)
    if result.assumptions == result.contract.default_readings:
        result.assumptions = result.contract.default_readings
    return result


def header(contract: Contract, as_of: dt.date, assumptions: Mapping[str, str]) -> dict[str, Any]:
    return {
        "rulekit": __version__,
        "contract": {"id": contract.id, "version": contract.version, "file": contract.file,
                     "sha256": contract.sha256},
        "as_of": iso(as_of),
        "assumptions": [{"id": k, "reading": v, "default": contract.assumptions[k].default == v}
                        for k, v in assumptions.items()],
    }


def rules_header(contract: Contract, lang: str) -> dict[str, Any]:
    """Each rule's title, kind, source and quote, once: what compact results refer to by rule id."""
    return {rule.id: {"kind": rule.kind, **{k: v for k, v in _rule_ref(rule, lang).items() if k != "rule"}}
            for rule in contract.rules}


def _brief_ref(rule: Rule, lang: str) -> dict[str, Any]:
    return {"rule": rule.id}


def _rule_ref(rule: Rule, lang: str) -> dict[str, Any]:
    return {"rule": rule.id, "title": rule.title.get(lang),
            "source": rule.source.label,
            "quote": rule.source.quote}


def _obligation(o: Obligation, lang: str, ref: Any = _rule_ref) -> dict[str, Any]:
    out = {**ref(o.rule, lang), "kind": o.rule.kind, "status": o.status}
    if o.instance:
        out["instance"] = o.instance
    for key in ("due", "fulfilled", "late_days", "late_working_days"):
        value = getattr(o, key)
        if value is not None:
            out[key] = json_value(value)
    out.update({k: json_value(v) for k, v in o.extra.items()})
    return out


def _amount(a: Amount, lang: str, contract: Contract, ref: Any = _rule_ref) -> dict[str, Any]:
    out = {**ref(a.rule, lang), "amount": money_str(a.amount, contract.rounding.places),
           "currency": contract.currency}
    if a.instance:
        out["instance"] = a.instance
    if a.waived:
        out["waived"] = True
    if a.missing:
        out["missing"] = list(a.missing)
    out.update({k: json_value(v) for k, v in a.extra.items()})
    return out


def _value(v: Value, lang: str, ref: Any = _rule_ref) -> dict[str, Any]:
    out = {**ref(v.rule, lang), "value": json_value(v.value, v.rule.exprs["value"].type)}
    if v.instance:
        out["instance"] = v.instance
    return out


def _finding(f: Finding, lang: str, contract: Contract, ref: Any = _rule_ref) -> dict[str, Any]:
    out: dict[str, Any]
    if f.rule is not None:
        out = ref(f.rule, lang)
    else:  # about the input: named after the event type, with no clause of its own
        decl = contract.events.get(f.subject or "")
        out = {"rule": f"input:{f.subject}", "title": decl.title.get(lang) if decl else str(f.subject),
               "source": "case", "kind": "input"}
    out.update(severity=f.severity, message=f.message)
    if f.compared:
        out["compared"] = json_value(f.compared)
    if f.instance:
        out["instance"] = f.instance
    return out
