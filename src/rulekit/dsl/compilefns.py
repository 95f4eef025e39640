"""Closures for whole numbers, dated parameters, periods, interest and time of day (see checkfns.py)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from ..calendar import hours as h
from ..calendar.periods import period_starts
from ..calendar.workdays import WorkingCalendar
from . import ast
from . import types as t
from .env import Env, Missing

Fn = Callable[[Env], Any]
Maker = Callable[[Any, ast.Call, list[Fn]], Fn]


def _ceil(c: Any, node: ast.Call, args: list[Fn]) -> Fn:
    (x,) = args
    return lambda env: int(Decimal(x(env)).to_integral_value(ROUND_CEILING))


def _floor(c: Any, node: ast.Call, args: list[Fn]) -> Fn:
    (x,) = args
    return lambda env: int(Decimal(x(env)).to_integral_value(ROUND_FLOOR))


def started_periods(amount: Any, per: Any) -> int:
    """How many periods of length `per` have begun in `amount` (0 for nothing or less)."""
    if per <= 0:
        raise ValueError("started(): the period must be longer than zero")
    if amount <= 0:
        return 0
    return int((Decimal(amount) / Decimal(per)).to_integral_value(ROUND_CEILING))


def _started(c: Any, node: ast.Call, args: list[Fn]) -> Fn:
    a, b = args
    return lambda env: started_periods(a(env), b(env))


def _at(c: Any, node: ast.Call, args: list[Fn]) -> Fn:
    param = c.c.symbols[node.args[0]].ref  # the Parameter: values with the dates they take effect
    day = args[1]
    return lambda env: param.at(day(env)).value


def day_fraction(start: dt.date, end: dt.date, basis: str) -> Decimal:
    """The year fraction from `start` to `end` under a day-count convention."""
    if basis == "30/360":
        d1, d2 = min(start.day, 30), end.day
        if d2 == 31 and d1 == 30:
            d2 = 30
        days = 360 * (end.year - start.year) + 30 * (end.month - start.month) + d2 - d1
        return Decimal(days) / 360
    return Decimal((end - start).days) / (360 if basis == "act/360" else 365)


def stretches(start: dt.date, end: dt.date, rates: list[tuple[dt.date, Decimal]]) -> list[
        tuple[dt.date, dt.date, Decimal]]:
    """(from, to, annual rate): the period cut at every change of rate (`rates`: (from, rate) in date
    order; the first applies before them all)."""
    if end <= start:
        return []
    cuts = [start, *(d for d, _ in rates if start < d < end), end]
    out = []
    for lo, hi in itertools.pairwise(cuts):
        rate = rates[0][1]
        for since, value in rates:
            if since <= lo:
                rate = value
        out.append((lo, hi, rate))
    return out


def accrue(principal: Decimal, start: dt.date, end: dt.date, rates: list[tuple[dt.date, Decimal]],
           basis: str) -> Decimal:
    """Interest on `principal` from `start` to `end`: each stretch at the rate in force at its start.
    Not rounded."""
    return sum((principal * rate * day_fraction(lo, hi, basis) for lo, hi, rate in stretches(start, end, rates)),
               Decimal(0))


class Accrued(Decimal):
    """An interest amount that remembers its stretches (from, to, rate), for explanations."""

    explained: tuple[Any, ...] = ()


def _accrued(principal: Decimal, start: dt.date, end: dt.date, rates: list[tuple[dt.date, Decimal]],
             basis: str) -> Accrued:
    out = Accrued(accrue(principal, start, end, rates, basis))
    out.explained = tuple(stretches(start, end, rates))
    return out


def _interest(c: Any, node: ast.Call, args: list[Fn]) -> Fn:
    principal, start, end, rate = args[:4]
    basis = node.args[4].value if len(node.args) == 5 and isinstance(node.args[4], ast.Text) else "act/365"
    sym = c.c.symbols.get(node.args[3]) if isinstance(node.args[3], ast.Name) else None
    how = _accrued if c.traced else accrue  # traced: the explanation lists the stretches
    if sym is not None and sym.kind == "param" and sym.ref is not None:
        values = [(v.start or dt.date.min, v.value) for v in sym.ref.values]
        return lambda env: how(principal(env), start(env), end(env), values, basis)
    return lambda env: how(principal(env), start(env), end(env), [(dt.date.min, rate(env))], basis)


def _periods(months: int) -> Maker:
    def make(c: Any, node: ast.Call, args: list[Fn]) -> Fn:
        a, b = args
        return lambda env: period_starts(a(env), b(env), months)
    return make


def instance_of(outputs: Any, element: Any, label: str) -> Any:
    """The outputs of the instance a rule with `each` has for `element` (an event by its key, any other
    element by equality); Missing when it has none (its trigger is not there, or the rule did not apply)."""
    return instance_read(outputs, element, label)[1]


def instance_read(outputs: Any, element: Any, label: str) -> tuple[str, Any]:
    """instance_of, with the instance's name."""
    key = element.get("_key", _NO_KEY) if type(element) is dict else _NO_KEY
    for name, item, _, outs in outputs.get("instances", ()):
        if item is element or (item == element if key is _NO_KEY else type(item) is dict and item.get("_key") == key):
            return name, outs
    raise Missing(label)


_NO_KEY = object()


def _instance(c: Any, node: ast.Call, args: list[Fn]) -> Fn:
    """Traced, each instance read is recorded as ("instances", RULE) → its names, for the explanation to show it."""
    outputs, element = args
    label = " ".join(c.c.text[node.pos:node.end].split())
    rule = node.args[0].name if isinstance(node.args[0], ast.Name) else ""

    def instance(env: Env) -> Any:
        name, outs = instance_read(outputs(env), element(env), label)
        if env.recorder is not None:
            env.recorder.setdefault(("instances", rule), []).append(name)
        return outs
    return instance


def _date(c: Any, node: ast.Call, args: list[Fn]) -> Fn:
    cal: WorkingCalendar = c.cals.working
    if len(args) == 1:
        (x,) = args
        return lambda env: h.local_date(cal, x(env))
    y, m, d = args
    return lambda env: dt.date(y(env), m(env), d(env))


def _instant(c: Any, node: ast.Call, args: list[Fn]) -> Fn:
    cal: WorkingCalendar = c.cals.working
    time = h.parse_time(node.args[1].value) if len(node.args) == 2 and isinstance(node.args[1], ast.Text) \
        else dt.time(0, 0)
    day = args[0]
    return lambda env: h.at_time(cal, day(env), time)


class Counted(int):
    """A count that remembers what it counted, for explanations: the working days, or (day, seconds) of
    working hours. Arithmetic on it gives a plain int."""

    explained: tuple[Any, ...] = ()

    @staticmethod
    def of(value: int, days: list[Any]) -> Counted:
        out = Counted(value)
        out.explained = tuple(days)
        return out


def _service_hours_between(c: Any, node: ast.Call, args: list[Fn]) -> Fn:
    a, b, cal = args[0], args[1], c.cals.working
    if c.traced:  # explanations name the hours counted on each day
        return lambda env: Counted.of(h.service_seconds(cal, a(env), b(env)), h.served_days(cal, a(env), b(env)))
    return lambda env: h.service_seconds(cal, a(env), b(env))


def _hours_between(c: Any, node: ast.Call, args: list[Fn]) -> Fn:
    a, b = args
    return lambda env: h.seconds(b(env) - a(env))


def _started_working_days(c: Any, node: ast.Call, args: list[Fn]) -> Fn:
    a, b, cal = args[0], args[1], c.cals.working
    if c.traced:  # explanations name the working days counted
        return lambda env: Counted.of(h.started_working_days(cal, a(env), b(env)), h.started_days(cal, a(env), b(env)))
    return lambda env: h.started_working_days(cal, a(env), b(env))


def instant_arith(op: str, a: Fn, b: Fn, lt: t.Type, rt: t.Type, cal: WorkingCalendar) -> Fn:
    """instant − instant (seconds), instant ± hours, instant + service_hours."""
    if lt == rt == t.DATETIME:
        return lambda env: h.seconds(a(env) - b(env))
    instant, span, unit = (a, b, rt) if lt == t.DATETIME else (b, a, lt)
    sign = -1 if op == "-" else 1
    if unit == t.SERVICE_HOURS:
        return lambda env: h.add_service(cal, instant(env), sign * span(env))
    return lambda env: instant(env) + dt.timedelta(seconds=sign * span(env))


EXTRA: dict[str, Maker] = {
    "ceil": _ceil, "floor": _floor, "started": _started, "at": _at, "interest": _interest,
    "quarters": _periods(3), "half_years": _periods(6), "years": _periods(12), "date": _date,
    "instant": _instant, "service_hours_between": _service_hours_between, "hours_between": _hours_between,
    "started_working_days": _started_working_days, "instance": _instance,
}
