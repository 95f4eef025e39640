"""How each kind of rule is evaluated: deadlines, recurring duties, judgements, amounts, checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..calendar import add_months, end_of_month
from ..dsl import Missing
from ..dsl import types as t
from ..spec.model import Expr, Rule
from .common import not_applicable as _not_applicable
from .common import obligation_outputs as _obligation_outputs
from .recurring import recurring
from .result import Amount, Finding, Obligation
from .values import money_str

if TYPE_CHECKING:
    from .evaluate import Run

Outputs = dict[str, Any]


# deadlines ----------------------------------------------------------------------------------------

def deadline(run: Run, rule: Rule) -> Outputs:
    if not run.applies(rule):
        return _not_applicable(run, rule, "applies_when")
    if "repeat_start" not in rule.exprs:
        return _deadline_instance(run, rule, None)
    outputs: list[Outputs] = []
    for start, end in _periods(run, rule):
        run.env.period_start, run.env.period_end = start, end
        run.step("period", start=start, end=end)
        outputs.append(_deadline_instance(run, rule, f"{start.isoformat()}/{end.isoformat()}"))
    run.env.period_start = run.env.period_end = None
    return _combine(outputs)


def _periods(run: Run, rule: Rule) -> list[tuple[dt.date, dt.date]]:
    start = run.compute(rule.expr("repeat_start"), "repeat.start")
    step = run.compute(rule.expr("repeat_every"), "repeat.every")
    until = run.compute(rule.expr("repeat_until"), "repeat.until")
    every = rule.exprs["repeat_every"].type
    out: list[tuple[dt.date, dt.date]] = []
    while start <= until and len(out) < 500:
        nxt = shift(run, start, step, every)
        out.append((start, nxt - dt.timedelta(days=1)))
        start = nxt
    return out


def combine(kind: str, outputs: list[Outputs]) -> Outputs:
    """The outputs other rules read from a rule with several instances."""
    if kind in ("penalty", "payment"):
        amounts = [o.get("amount") for o in outputs]
        total = None if None in amounts else sum((a for a in amounts if a is not None), Decimal(0))
        return {"amount": total, "applied": any(o.get("applied") for o in outputs),
                "dated": [d for o in outputs for d in o.get("dated", [])]}
    if kind == "check":
        return {"holds": all(o.get("holds", True) for o in outputs)}
    return _combine(outputs)


def _combine(outputs: list[Outputs]) -> Outputs:
    statuses = [o["status"] for o in outputs if o["status"] != "not_applicable"]
    status = next((s for s in ("breached", "pending", "met") if s in statuses), "not_applicable")
    return _obligation_outputs(status, late_days=sum(o.get("late_days") or 0 for o in outputs),
                               late_working_days=sum(o.get("late_working_days") or 0 for o in outputs))


def shift(run: Run, day: dt.date, n: int, unit: t.Type) -> dt.date:
    if unit == t.WORKING_DAYS:
        return run.contract.calendar.add(day, n)
    if unit == t.MONTHS:
        return add_months(day, n)
    return day + dt.timedelta(days=n * (7 if unit == t.WEEKS else 1))


def _deadline_instance(run: Run, rule: Rule, instance: str | None) -> Outputs:
    try:
        due = _due(run, rule)
    except Missing as exc:
        run.result.obligations.append(Obligation(rule, "not_applicable", instance=instance))
        run.step("not_triggered", what=exc.what)
        return _obligation_outputs("not_applicable", late_days=0, late_working_days=0)
    run.ref_date = due
    fulfilled = run.compute(rule.expr("fulfilled"), "fulfilled", None)
    as_of = run.case.as_of
    end = fulfilled if fulfilled is not None else as_of
    if fulfilled is not None:
        status = "met" if fulfilled <= due else "breached"
    else:
        status = "breached" if as_of > due else "pending"
    late_days = max(0, (end - due).days) if status == "breached" else 0
    late_wd = max(0, run.contract.calendar.count(due, end)) if status == "breached" else 0
    run.result.obligations.append(Obligation(rule, status, due, fulfilled, late_days, late_wd, instance))
    if run.tracing:
        run.step("outcome", status=status, due=due, fulfilled=fulfilled, as_of=as_of)
        if status == "breached":
            cal = run.contract.calendar
            run.step("late", days=cal.working_days(due, end), off=cal.days_off(due, end), late_days=late_days,
                     calendar=cal.name, until=end, open=fulfilled is None)
    return _obligation_outputs(status, due=due, fulfilled=fulfilled, late_days=late_days,
                               late_working_days=late_wd)


def _due(run: Run, rule: Rule) -> dt.date:
    if "due" in rule.exprs:
        due: dt.date = run.compute(rule.expr("due"), "due")
        return due
    start: dt.date = run.compute(rule.expr("from"), "from")
    period_expr = rule.exprs["period"]
    n: int = run.compute(period_expr, "period")
    ext: int = run.compute(rule.expr("extension"), "extension", 0)
    cap = run.compute(rule.expr("max_extension"), "max_extension", None)
    if cap is not None and ext > cap:
        run.result.findings.append(Finding(rule, "warning",
                                           _capped_message(run.result.lang, ext, cap, period_expr.type.name)))
        run.step("extension_capped", asked=ext, cap=cap, unit=period_expr.type.name)
        ext = cap
    unit = period_expr.type
    raw_due = shift(run, start, n + ext, unit)
    if run.tracing:
        cal = run.contract.calendar
        run.step("due", start=start, n=n, extension=ext, unit=unit.name, due=raw_due,
                 off=cal.days_off(start, raw_due) if unit == t.WORKING_DAYS else [], calendar=cal.name)
    return _roll(run, rule, raw_due)


def _capped_message(lang: str, ext: int, cap: int, unit: str) -> str:
    from ..explain.format import Formatter

    fmt = Formatter(lang)
    if lang == "en":
        return (f"the agreed extension of {fmt.duration(ext, unit)} exceeds the maximum of "
                f"{fmt.duration(cap, unit)}; the maximum is used")
    return (f"den aftalte forlængelse på {fmt.duration(ext, unit)} overstiger det højst tilladte "
            f"({fmt.duration(cap, unit)}); maksimum er anvendt")


def _roll(run: Run, rule: Rule, due: dt.date) -> dt.date:
    mode = rule.options.get("roll", "none")
    if mode == "end_of_month":
        rolled = end_of_month(due)
        run.step("rolled", mode=mode, start=due, due=rolled, passed=[])
        return rolled
    if mode in ("next_weekday", "next_working_day"):
        cal = run.contract.weekday_calendar if mode == "next_weekday" else run.contract.calendar
        rolled, passed = cal.roll_forward(due)
        if passed:
            run.step("rolled", mode=mode, start=due, due=rolled, passed=passed)
        return rolled
    return due


# judgements ---------------------------------------------------------------------------------------

def judgement(run: Run, rule: Rule) -> Outputs:
    if not run.applies(rule):
        return _not_applicable(run, rule, "applies_when")
    kind = rule.options.get("judgement_event", "judgement")
    recorded = [e for e in run.case.events.get(kind, ()) if e.get("rule") == rule.id]
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

def amount(run: Run, rule: Rule) -> Outputs:
    if not run.applies(rule):
        run.step("not_applicable", why="applies_when")
        return {"amount": Decimal(0), "applied": False, "dated": []}
    for dep in sorted(rule.deps):
        due = run.env.rules.get(dep, {}).get("due")
        if isinstance(due, dt.date):
            run.ref_date = due
            break
    bucket = run.result.penalties if rule.kind == "penalty" else run.result.payments
    dated: list[dict[str, Any]] = []
    try:
        total = _total(run, rule, dated)
    except Missing as exc:
        bucket.append(Amount(rule, None, missing=[exc.what]))
        run.result.findings.append(Finding(rule, "warning", _missing_message(run.result.lang, exc.what)))
        return {"amount": None, "applied": True, "dated": []}
    waived = bool(run.compute(rule.expr("waived_when"), "waived_when", False))
    total = run.round(total)
    extra = {"dated": [{"date": d["date"].isoformat(), "amount": money_str(d["amount"])} for d in dated]}
    extra = extra if dated else {}
    bucket.append(Amount(rule, total, waived=waived, extra=extra))
    run.step("total", amount=total, waived=waived, currency=run.contract.currency)
    if waived:
        return {"amount": Decimal(0), "applied": True, "dated": []}
    return {"amount": total, "applied": True, "dated": dated}


def _missing_message(lang: str, what: str) -> str:
    if lang == "en":
        return f"the amount cannot be computed: '{what}' is not given"
    return f"beløbet kan ikke beregnes: '{what}' er ikke oplyst"


def _total(run: Run, rule: Rule, dated: list[dict[str, Any]]) -> Decimal:
    if "amount" in rule.exprs:
        total: Decimal = run.compute(rule.expr("amount"), "amount")
    else:
        units = run.compute(rule.expr("units"), "units")
        rate: Decimal = run.compute(rule.expr("rate"), "rate")
        if isinstance(units, list):  # dated units: the total is the sum of the rounded dated amounts
            rate = run.round(rate)
            dated.extend({"date": day, "amount": rate} for day in units)
            run.step("dated", dates=list(units), per=rule.options.get("per"), rate=rate)
            units = len(units)
        total = rate * units
        run.step("accrual", units=units, per=rule.options.get("per"), rate=rate, total=total)
    floor = run.compute(rule.expr("minimum"), "minimum", None)
    if floor is not None and total < floor:
        run.step("minimum", before=total, minimum=floor)
        total = floor
    cap = run.compute(rule.expr("cap"), "cap", None)
    if cap is not None and total > cap:
        run.step("cap", before=total, cap=cap)
        total = cap
    return total


# checks -------------------------------------------------------------------------------------------

def check(run: Run, rule: Rule) -> Outputs:
    if not run.applies(rule):
        run.step("not_applicable", why="applies_when")
        return {"holds": True}
    try:
        holds = bool(run.compute(rule.expr("assert"), "assert"))
    except Missing as exc:
        run.result.unchecked.append((rule, exc.what))
        run.result.findings.append(Finding(rule, "warning", _unchecked_message(run.result.lang, exc.what)))
        return {"holds": True}
    if not holds:
        message = render_message(run, rule)
        run.result.findings.append(Finding(rule, rule.options.get("severity", "error"), message))
        run.step("finding", severity=rule.options.get("severity", "error"), message=message)
    return {"holds": holds}


def _unchecked_message(lang: str, what: str) -> str:
    if lang == "en":
        return f"could not be checked: '{what}' is not given"
    return f"kunne ikke kontrolleres: '{what}' er ikke oplyst"


def display_type(expr: Expr) -> t.Type:
    """The type to show a value by: an enum the expression draws from (`x ?? "ukendt"` is text, but its
    values are still the enum's, with their titles)."""
    if expr.type != t.TEXT:
        return expr.type
    enums = [typ for typ in expr.checked.types.values() if isinstance(typ, t.EnumType) and typ.titles]
    return enums[0] if len(enums) == 1 else expr.type


def render_message(run: Run, rule: Rule) -> str:
    """A check's message in the result's language, with its {expressions} filled in."""
    from ..explain.format import Formatter

    lang = run.result.lang
    parts = rule.messages.get(lang) or rule.messages.get("da")
    if not parts:
        return rule.title.get(lang)
    fmt = Formatter(lang)
    out = []
    for text, expr in parts:
        if expr is None:
            out.append(text)
            continue
        try:
            out.append(fmt.value(expr.fn(run.env), display_type(expr)))
        except Missing:
            out.append("?")
    return "".join(out)


_SKIPPED: dict[str, Outputs] = {"penalty": {"amount": Decimal(0), "applied": False, "dated": []},
                                 "payment": {"amount": Decimal(0), "applied": False, "dated": []},
                                 "check": {"holds": True}, "value": {"value": None}}


def skipped(run: Run, rule: Rule) -> Outputs:
    """The outcome of a rule whose trigger event has not happened (rule.needs): what evaluating it gives."""
    if rule.kind in _SKIPPED:
        return _SKIPPED[rule.kind]
    return _not_applicable(run, rule, "not_triggered")


def value(run: Run, rule: Rule) -> Outputs:
    if not run.applies(rule):
        run.step("not_applicable", why="applies_when")
        return {"value": None}
    result = run.compute(rule.expr("value"), "value", None)
    if result is not None:
        run.result.values.append((rule, result))
    return {"value": result}


EVALUATORS: dict[str, Callable[[Run, Rule], Outputs]] = {
    "value": value, "deadline": deadline, "recurring": recurring, "judgement": judgement, "penalty": amount,
    "payment": amount, "check": check,
}
