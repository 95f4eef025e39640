"""How each kind of rule is evaluated: deadlines, recurring duties, judgements, amounts, checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..dsl import Env, Fn, Missing
from ..dsl import types as t
from ..dsl.needs import comparisons
from ..format import Formatter
from ..spec.model import Contract, Expr, Rule
from .common import HOLDS, NO_AMOUNT, NO_VALUE, condition_holds, expr_fn, value_or
from .common import not_applicable as _not_applicable
from .common import obligation_outputs as _obligation_outputs
from .context import Run
from .deadline import combine_obligations, deadline
from .recurring import recurring
from .result import Amount, Finding, Obligation, Outputs, Value
from .values import DatedAmount, iso, money_str


def combine(kind: str, outputs: list[Outputs]) -> Outputs:
    """The outputs other rules read from a rule with several instances."""
    if kind in ("penalty", "payment"):
        amounts = [o.get("amount") for o in outputs]
        total = None if None in amounts else sum((a for a in amounts if a is not None), Decimal(0))
        return {"amount": total, "applied": any(o.get("applied") for o in outputs),
                "dated": [d for o in outputs for d in o.get("dated", [])]}
    if kind == "check":
        return {"holds": all(o.get("holds", True) for o in outputs)}
    if kind == "value":  # a value with `each`: the elements' values (those it has one for), in their order
        return {"value": [o["value"] for o in outputs if o.get("value") is not None]}
    return combine_obligations(outputs)


# judgements ---------------------------------------------------------------------------------------

def judgement(run: Run, rule: Rule) -> Outputs:
    if not run.applies(rule):
        return _not_applicable(run, rule, "applies_when")
    kind = rule.options.get("judgement_event", "judgement")
    recorded = [e for e in run.case.events.get(kind, ()) if e.get("rule") == rule.id]
    item = run.env.item
    if isinstance(item, dict) and "_key" in item:  # one instance per trigger: its own judgements (by ref)
        recorded = [e for e in recorded if e.get("_answers") == item["_key"]]
    if not recorded:
        run.result.obligations.append(Obligation(rule, "pending", extra={"needs_judgement": True}))
        run.step("judgement_needed", event=kind)
        return _obligation_outputs("pending")
    last = recorded[-1]
    status = "breached" if last.get("outcome") == "breached" else "met"
    run.result.obligations.append(Obligation(rule, status, fulfilled=last["date"],
                                             extra={"judged": last["date"]}))
    run.step("judged", date=last["date"], outcome=status, note=last.get("note"))
    return _obligation_outputs(status, fulfilled=last["date"])


# amounts ------------------------------------------------------------------------------------------

class _Shape:
    """A penalty or payment as its evaluation reads it: facts of the rule (its bucket, `per`, the rules it
    reads) and each expression as a function of the Env that raises Missing when its value is not there,
    None when the rule has no such expression (`units` and `rate`: one that says they are missing)."""

    __slots__ = ("amount", "basis", "cap", "deps", "minimum", "penalty", "per", "rate", "rule", "units", "waived")

    def __init__(self, rule: Rule, reader: Callable[[Expr, str], Fn]) -> None:
        exprs = rule.exprs

        def read(key: str) -> Fn | None:
            expr = exprs.get(key)
            return reader(expr, key) if expr is not None else None
        self.rule, self.deps, self.penalty = rule, rule.sorted_deps, rule.kind == "penalty"
        self.per: Any = rule.options.get("per")
        self.basis, self.amount, self.minimum, self.cap, self.waived = map(
            read, ("basis", "amount", "minimum", "cap", "waived_when"))
        self.units, self.rate = read("units") or _absent("units"), read("rate") or _absent("rate")


def _own(expr: Expr, key: str) -> Fn:
    """Untraced: the expression's own function."""
    return expr.fn


def _absent(key: str) -> Fn:
    """For an expression the rule does not have: Missing, as Run.compute says it without a default."""

    def missing(env: Env) -> Any:
        raise Missing(key)
    return missing


def amount(run: Run, rule: Rule) -> Outputs:
    """A penalty or payment by the interpreter (traced, or a rule the compiled runners leave to it)."""
    if not run.applies(rule):
        if run.tracing:
            run.step("not_applicable", why="applies_when")
        return NO_AMOUNT
    return _amount(run, run.env, _shape(run, rule))


def _shape(run: Run, rule: Rule) -> _Shape:
    """The rule's shape: traced, each expression through Run.compute (its formula in the trace); untraced,
    the expressions' own functions, made once per contract."""
    if run.tracing:
        return _Shape(rule, lambda expr, key: lambda env: run.compute(expr, key))
    return _untraced_shape(run.contract, rule)


def _untraced_shape(contract: Contract, rule: Rule) -> _Shape:
    """The rule's shape with its expressions' own functions, made once per contract (the interpreter's
    untraced path and plain_amount share it)."""
    cache: dict[Any, Any] = contract.plans
    found: _Shape | None = cache.get(("amount", rule.id))
    if found is None:
        found = cache[("amount", rule.id)] = _Shape(rule, _own)
    return found


def plain_amount(rule: Rule, contract: Contract) -> Callable[[Run, Env, str | None], Outputs]:
    """Untraced, one instance of `amount` with the rule's expressions and shape looked up once."""
    shape = _untraced_shape(contract, rule)
    condition = expr_fn(rule, "applies_when")

    def one(run: Run, env: Env, label: str | None) -> Outputs:
        if condition is not None and not condition_holds(condition, env):
            return NO_AMOUNT
        return _amount(run, env, shape)
    return one


def _amount(run: Run, env: Env, shape: _Shape) -> Outputs:
    """A penalty or payment that applies: its entry and its outputs."""
    rules = env.rules
    for dep in shape.deps:  # parameters are read on the due date of the first rule it reads that has one
        due = rules.get(dep, {}).get("due")
        if isinstance(due, dt.date):
            run.clock.ref = due
            break
    rule, result = shape.rule, run.result
    bucket = result.penalties if shape.penalty else result.payments
    dated: list[DatedAmount] = []
    details: dict[str, Any] = {"minimum_applied": False, "cap_applied": False}
    try:
        total = _total(run, shape, env, dated, details)
    except Missing as exc:
        bucket.append(Amount(rule, None, missing=list(exc.names)))
        result.findings.append(Finding(rule, "warning", _missing_message(result.lang, exc.names)))
        return {"amount": None, "applied": True, "dated": []}
    waived = bool(value_or(shape.waived, env, False))
    total = run.round(total)
    if dated:
        details["dated"] = [{"date": iso(d["date"]), "amount": money_str(d["amount"])} for d in dated]
    bucket.append(Amount(rule, total, waived=waived, extra=details))
    if run.tracing:
        run.step("total", amount=total, waived=waived, currency=run.contract.currency)
    if waived:
        return {"amount": Decimal(0), "applied": True, "dated": []}
    return {"amount": total, "applied": True, "dated": dated}


def waived_instance(run: Run, rule: Rule, by: str | None) -> Outputs:
    """The amount for a remedied instance that was waived: 0.00, naming the waiver."""
    bucket = run.result.penalties if rule.kind == "penalty" else run.result.payments
    bucket.append(Amount(rule, Decimal(0), waived=True, extra={"waived_by": by}))
    run.step("waived", event=by)
    return NO_AMOUNT


def _missing_message(lang: str, names: tuple[str, ...]) -> str:
    if lang == "en":
        return f"the amount cannot be computed: {not_given(lang, names)}"
    return f"beløbet kan ikke beregnes: {not_given(lang, names)}"


def not_given(lang: str, names: tuple[str, ...]) -> str:
    """'x' is not given; neither 'x' nor 'y' is given (the sides of a `??`); none of 'x', 'y' and 'z' is given."""
    quoted = [f"'{n}'" for n in names]
    if len(quoted) == 1:
        return f"{quoted[0]} is not given" if lang == "en" else f"{quoted[0]} er ikke oplyst"
    if len(quoted) == 2:
        return f"neither {quoted[0]} nor {quoted[1]} is given" if lang == "en" \
            else f"hverken {quoted[0]} eller {quoted[1]} er oplyst"
    listed = ", ".join(quoted[:-1])
    return f"none of {listed} and {quoted[-1]} is given" if lang == "en" \
        else f"ingen af {listed} og {quoted[-1]} er oplyst"


def _total(run: Run, shape: _Shape, env: Env, dated: list[DatedAmount], details: dict[str, Any]) -> Decimal:
    if shape.basis is not None:
        details["basis"] = money_str(shape.basis(env))
    if shape.amount is not None:
        total: Decimal = shape.amount(env)
    else:
        units = shape.units(env)
        rate: Decimal = shape.rate(env)
        per = shape.per
        if isinstance(units, list):  # dated units: the total is the sum of the rounded dated amounts
            rate = run.round(rate)
            dated.extend(DatedAmount(day, rate) for day in units)
            if run.tracing:
                run.step("dated", dates=list(units), per=per, rate=rate)
            units = len(units)
        total = rate * units
        details.update(units=units, rate=money_str(run.round(rate)), per=per)
        if run.tracing:
            run.step("accrual", units=units, per=per, rate=rate, total=total)
    floor = value_or(shape.minimum, env, None)
    if floor is not None and total < floor:
        run.step("minimum", before=total, minimum=floor)
        total, details["minimum_applied"] = floor, True
    cap = value_or(shape.cap, env, None)
    if cap is not None and total > cap:
        run.step("cap", before=total, cap=cap)
        total, details["cap_applied"] = cap, True
    return total


# checks -------------------------------------------------------------------------------------------

def check(run: Run, rule: Rule) -> Outputs:
    if not run.applies(rule):
        run.step("not_applicable", why="applies_when")
        return HOLDS
    try:
        holds = bool(run.compute(rule.exprs.get("assert"), "assert"))
    except Missing as exc:
        run.result.unchecked = [*run.result.unchecked, (rule, exc.what)]
        run.result.findings.append(Finding(rule, "warning", _unchecked_message(run.result.lang, exc.names)))
        return HOLDS
    return HOLDS if holds else failed(run, rule)


def failed(run: Run, rule: Rule) -> Outputs:
    """A check whose `assert` is false: its finding, with the message and the figures it compared."""
    message = render_message(run, rule)
    run.result.findings.append(Finding(rule, rule.options.get("severity", "error"), message,
                                       compared=_compared(run, rule)))
    run.step("finding", severity=rule.options.get("severity", "error"), message=message)
    return _FAILS


_FAILS: Outputs = {"holds": False}  # shared, as HOLDS: outputs are never changed once made


def _compared(run: Run, rule: Rule) -> list[dict[str, Any]]:
    """The figures a failed check compared, as data: left, operator, right, and whether each held."""
    out = []
    for op, left, right, left_text, right_text in _comparisons(run, rule):
        sides = []
        for expr in (left, right):
            try:
                sides.append(expr.fn(run.env) if expr is not None else None)
            except Missing:
                sides.append(None)
        out.append({"left": sides[0], "op": op, "right": sides[1], "left_text": left_text, "right_text": right_text})
    return out


Comparison = tuple[str, Expr | None, Expr | None, str, str]


def _comparisons(run: Run, rule: Rule) -> list[Comparison]:
    """The comparisons of a check's `assert`: operator, the two sides' expressions and texts (once per rule)."""
    cache: dict[Any, Any] = run.contract.plans
    found: list[Comparison] | None = cache.get(("comparisons", rule.id))
    if found is None:
        text = rule.exprs["assert"].text
        found = cache[("comparisons", rule.id)] = [
            (node.op, rule.exprs.get(f"compare.{i}.left"), rule.exprs.get(f"compare.{i}.right"),
             " ".join(text[node.left.pos:node.left.end].split()), " ".join(text[node.right.pos:node.right.end].split()))
            for i, node in enumerate(comparisons(rule.exprs["assert"].checked.node))]
    return found


def _unchecked_message(lang: str, names: tuple[str, ...]) -> str:
    if lang == "en":
        return f"could not be checked: {not_given(lang, names)}"
    return f"kunne ikke kontrolleres: {not_given(lang, names)}"


def display_type(expr: Expr) -> t.Type:
    """The type to show a value by: an enum the expression draws from (`x ?? "ukendt"` is text, but its
    values are still the enum's, with their titles)."""
    if expr.type != t.TEXT:
        return expr.type
    enums = [typ for typ in expr.checked.types.values() if isinstance(typ, t.EnumType) and typ.titles]
    return enums[0] if len(enums) == 1 else expr.type


def _is_offering(expr: Expr) -> bool:
    """`{offering}` in a message: shown by the offering's title, not its id."""
    sym = expr.checked.symbols.get(expr.checked.node)
    return sym is not None and sym.kind == "offering"


def render_message(run: Run, rule: Rule) -> str:
    """A check's message in the result's language, with its {expressions} filled in."""
    lang = run.result.lang
    parts = _message_parts(run, rule, lang)
    if parts is None:
        return rule.title.get(lang)
    fmt = Formatter(lang, run.contract.currency)
    out = []
    for text, expr, offering_valued, typ in parts:
        if expr is None:
            out.append(text)
            continue
        try:
            value = expr.fn(run.env)
            offering = run.contract.offerings.get(value) if offering_valued else None
            out.append(offering.title.get(lang) if offering else fmt.said(value, typ))
        except Missing:
            out.append("?")
    return "".join(out)


MessagePart = tuple[str, Expr | None, bool, t.Type | None]


def _message_parts(run: Run, rule: Rule, lang: str) -> list[MessagePart] | None:
    """The message's text and expressions, each with whether it names an offering and the type to show it
    by (once per rule and language); None when the rule has no message."""
    cache: dict[Any, Any] = run.contract.plans
    key = ("message", rule.id, lang)
    if key not in cache:
        parts = rule.messages.get(lang) or rule.messages.get("da")
        cache[key] = [(text, expr, expr is not None and _is_offering(expr),
                       display_type(expr) if expr is not None else None) for text, expr in parts] if parts else None
    found: list[MessagePart] | None = cache[key]
    return found


def value(run: Run, rule: Rule) -> Outputs:
    if not run.applies(rule):
        run.step("not_applicable", why="applies_when")
        return NO_VALUE
    result = run.compute(rule.exprs.get("value"), "value", None)
    if result is not None:
        run.result.values = [*run.result.values, Value(rule, result)]
    return {"value": result}


EVALUATORS: dict[str, Callable[[Run, Rule], Outputs]] = {
    "value": value, "deadline": deadline, "recurring": recurring, "judgement": judgement, "penalty": amount,
    "payment": amount, "check": check,
}
