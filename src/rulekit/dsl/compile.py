"""Compile a checked expression into a Python function `fn(env) -> value`. No eval of spec text, no
attribute access to Python objects: every operation is one of the closures below, chosen by the static
types. These closures are the reference, and what tracing runs; untraced, the nodes that are plain Python
expressions are written out as one generated function (codegen.py), which calls these closures for the
rest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..calendar import WorkingCalendar, add_months, end_of_month, quarter_of
from ..calendar.periods import iso_week_start
from . import ast
from . import types as t
from .check import Checked
from .codegen import Generator
from .env import Env, Missing, MissingField, missing_after, with_alternatives

Fn = Callable[[Env], Any]
_MISS = object()


@dataclass(frozen=True)
class Calendars:
    """The calendars an expression may use: the contract's default and the plain weekday calendar."""

    working: WorkingCalendar
    weekday: WorkingCalendar


def compile_expr(checked: Checked, cals: Calendars, *, traced: bool = False) -> Fn:
    """The closure for a checked expression. With `traced`, names and calls record their values in
    `env.recorder` so that an explanation can show the calculation with numbers filled in."""
    return _Compiler(checked, cals, traced).node(checked.node)


def probe_expr(checked: Checked, cals: Calendars) -> Fn | None:
    """Untraced, a function giving None where the expression would be Missing, for an expression that is a
    probe (a fact, an offering attribute, an element's field, `first(EVENTS).field`); None for any other."""
    generator = _Compiler(checked, cals, False).generator
    return generator.probe_function(checked.node) if generator is not None else None


class _Compiler:
    def __init__(self, checked: Checked, cals: Calendars, traced: bool) -> None:
        self.c, self.cals, self.traced = checked, cals, traced
        self.generator = None if traced else Generator(self)

    def type(self, node: ast.Node) -> t.Type:
        return self.c.types[node]

    def node(self, node: ast.Node) -> Fn:
        """The function for a node: untraced, generated Python where the node has a Python text
        (codegen.py), else its closure."""
        if self.generator is not None:
            return self.generator.function(node)
        return self.closure(node)

    def closure(self, node: ast.Node) -> Fn:
        """The node's closure (its children through node())."""
        fn: Fn = getattr(self, "n_" + type(node).__name__)(node)
        if self.traced and isinstance(node, ast.Name | ast.Attr | ast.Call | ast.Binary | ast.Unary):
            return _recording(node, fn)
        return fn

    # literals -----------------------------------------------------------------------------------
    def n_Number(self, node: ast.Number) -> Fn:
        return _const(int(node.value) if node.is_int else node.value)

    def n_Quantity(self, node: ast.Quantity) -> Fn:
        return _const(node.value if node.unit in ("money", "percent") else int(node.value))

    def n_DateLit(self, node: ast.DateLit) -> Fn:
        return _const(node.value)

    def n_DateTimeLit(self, node: ast.DateTimeLit) -> Fn:
        return _const(node.value)

    def n_Text(self, node: ast.Text) -> Fn:
        return _const(node.value)

    def n_Bool(self, node: ast.Bool) -> Fn:
        return _const(node.value)

    def n_ListLit(self, node: ast.ListLit) -> Fn:
        items = [self.node(i) for i in node.items]
        return lambda env: [f(env) for f in items]

    # names --------------------------------------------------------------------------------------
    def n_Name(self, node: ast.Name) -> Fn:
        sym = self.c.symbols[node]
        name = node.name
        if sym.kind == "fact":
            def fact(env: Env) -> Any:
                value = env.facts.get(name, _MISS)
                if value is _MISS:
                    raise Missing(name)
                return value
            return fact
        if sym.kind == "events":
            return lambda env: env.events.get(name, ())
        if sym.kind == "param":
            return lambda env: env.param(name)
        if sym.kind == "rule":
            return lambda env: env.rules[name]
        if sym.kind == "it":
            return lambda env: env.it
        if sym.kind == "item":
            return lambda env: env.item
        if sym.kind == "var":
            return lambda env: env.vars[name]
        if sym.kind == "let":
            let: Fn = sym.ref.fn
            return let
        if sym.kind == "as_of":
            return lambda env: env.as_of
        if sym.kind == "offering":
            def offering(env: Env) -> Any:
                if env.offering is None:
                    raise Missing("offering")
                return env.offering
            return offering
        if sym.kind == "period":
            return _period(name)
        if sym.kind == "cases":
            return lambda env: env.cases
        if sym.kind == "value":
            def value(env: Env) -> Any:
                got = env.rules.get(name, {}).get("value")
                if got is None:
                    raise Missing(name)
                return got
            return value
        return lambda env: None  # `assume` and `contract`: only their fields are read

    def n_Attr(self, node: ast.Attr) -> Fn:
        name, obj = node.name, node.obj
        if isinstance(obj, ast.Name) and obj.name in ("offering", "assume", "contract"):
            return _namespace(obj.name, name)
        base = self.node(obj)
        label = _label(obj, name)
        if isinstance(self.type(obj), t.ListType):
            flatten = isinstance(self.type(node), t.ListType) and _field_is_list(self.type(obj), name)

            def project(env: Env) -> Any:
                out: list[Any] = []
                for item in base(env):
                    value = item.get(name, _MISS)
                    if value is _MISS or value is None:
                        raise Missing(label)
                    if flatten:
                        out.extend(value)
                    else:
                        out.append(value)
                return out
            return project

        of_item = isinstance(obj, ast.Name) and self.c.symbols.get(obj) is not None \
            and self.c.symbols[obj].kind in ("it", "var")
        missing = MissingField if of_item else Missing

        def field(env: Env) -> Any:
            value = base(env).get(name, _MISS)
            if value is _MISS or value is None:
                raise missing(label)
            return value
        return field

    # operators ----------------------------------------------------------------------------------
    def n_Unary(self, node: ast.Unary) -> Fn:
        inner = self.node(node.operand)
        if node.op == "not":
            return lambda env: not inner(env)
        return lambda env: -inner(env)

    def n_IfElse(self, node: ast.IfElse) -> Fn:
        cond, a, b = self.node(node.cond), self.node(node.then), self.node(node.other)
        return lambda env: a(env) if cond(env) else b(env)

    def n_Where(self, node: ast.Where) -> Fn:
        src, cond = self.node(node.source), self.node(node.cond)
        if node.var is not None:
            return _named_where(src, cond, node.var)

        def where(env: Env) -> Any:
            saved, out = env.it, []
            try:
                for item in src(env):
                    env.it = item
                    try:
                        keep = cond(env)
                    except MissingField:  # an element without the field the filter asks about does not match
                        continue
                    if keep:
                        out.append(item)
            finally:
                env.it = saved
            return out
        return where

    def n_Map(self, node: ast.Map) -> Fn:
        src, body, var = self.node(node.source), self.node(node.body), node.var

        def each(env: Env) -> Any:
            saved, out = env.vars.get(var, _MISS), []
            try:
                for item in src(env):
                    env.vars[var] = item
                    out.append(body(env))
            finally:
                _restore(env, var, saved)
            return out
        return each

    def n_Binary(self, node: ast.Binary) -> Fn:
        if node.op == "??" and not self.traced:
            return self.coalesce(node)
        a, b = self.node(node.left), self.node(node.right)
        op = node.op
        if op in _LOGIC:
            return _LOGIC[op](a, b)
        if op in _COMPARE:
            cmp = _COMPARE[op]
            return lambda env: cmp(a(env), b(env))
        return self.arithmetic(node, a, b)

    def coalesce(self, node: ast.Binary) -> Fn:
        """`a ?? b ?? c` as one step through its operands: the first that is there and not none. A fact or
        offering attribute is probed (no exception when it is absent); the last operand is evaluated as it
        is (if it is missing, so is the whole)."""
        operands: list[ast.Node] = []
        current: ast.Node = node
        while isinstance(current, ast.Binary) and current.op == "??":  # `??` groups to the left
            operands.insert(0, current.right)
            current = current.left
        operands.insert(0, current)
        steps = [self.probe(o) or self.node(o) for o in operands[:-1]]
        others = [self.node(o) for o in operands[:-1]]  # what each side misses, when all are missing
        last = self.node(operands[-1])

        def coalesce(env: Env) -> Any:
            for step in steps:
                try:
                    value = step(env)
                except Missing:
                    continue
                if value is not None:
                    return value
            try:
                return last(env)
            except Missing as exc:
                raise with_alternatives(exc, env, others) from None
        return coalesce

    def arithmetic(self, node: ast.Binary, a: Fn, b: Fn) -> Fn:
        lt, rt = self.type(node.left), self.type(node.right)
        if t.DATE in (lt, rt) and node.op in "+-":
            return self.date_arith(node.op, a, b, lt, rt)
        if t.DATETIME in (lt, rt) and node.op in "+-":
            return instant_arith(node.op, a, b, lt, rt, self.cals.working)
        if node.op == "/":
            return _divide(a, b, int_result=False)
        return _ARITH[node.op](a, b)

    def date_arith(self, op: str, a: Fn, b: Fn, lt: t.Type, rt: t.Type) -> Fn:
        if lt == rt == t.DATE:
            return lambda env: (a(env) - b(env)).days
        date_fn, dur_fn, unit = (a, b, rt) if lt == t.DATE else (b, a, lt)
        sign = -1 if op == "-" else 1
        shift = shifter(unit, self.cals.working)
        return lambda env: shift(date_fn(env), sign * dur_fn(env))

    def n_Call(self, node: ast.Call) -> Fn:
        args = [self.node(a) for a in node.args]
        local = self.c.symbols.get(node)
        if local is not None and local.kind == "function":
            return _local_call(local.ref, args, node if self.traced else None)
        maker = getattr(self, "f_" + node.fn, None)
        if maker is not None:
            fn: Fn = maker(node, args)
            return fn
        extra = EXTRA.get(node.fn)
        if extra is not None:
            return extra(self, node, args)
        impl = _SIMPLE[node.fn]
        if len(args) == 1:
            (x,) = args
            return lambda env: impl(x(env))
        return lambda env: impl(*[f(env) for f in args])

    def probe(self, node: ast.Node) -> Fn | None:
        """For a fact or an offering attribute — the usual operand of exists() and ?? — a getter that gives
        None instead of raising Missing (an exception costs more than the lookup). Not when tracing."""
        sym = self.c.symbols.get(node.obj if isinstance(node, ast.Attr) else node)
        if self.traced or sym is None:
            return None
        if isinstance(node, ast.Name) and sym.kind == "fact":
            name = node.name
            return lambda env: env.facts.get(name)
        if isinstance(node, ast.Attr) and isinstance(node.obj, ast.Name) and sym.kind == "offering":
            attr = node.name
            return lambda env: env.offering_attrs.get(attr)
        if isinstance(node, ast.Attr) and isinstance(node.obj, ast.Name) and sym.kind in ("item", "it", "var") \
                and not isinstance(self.type(node.obj), t.ListType):
            return _field_probe(self.node(node.obj), node.name)  # an event's optional field
        return None

    def f_exists(self, node: ast.Call, args: list[Fn]) -> Fn:
        probe = self.probe(node.args[0])
        listed = isinstance(self.type(node.args[0]), t.ListType)
        if probe is not None:  # a list (a case record's events, say) exists when it has elements
            return (lambda env: bool(probe(env))) if listed else (lambda env: probe(env) is not None)
        (x,) = args
        if listed and isinstance(node.args[0], ast.Attr):  # a list field: not given is no elements (as its probe)
            def elements(env: Env) -> bool:
                try:
                    return bool(x(env))
                except Missing:
                    return False
            return elements
        if listed:
            return lambda env: bool(x(env))  # a list exists when it has elements; unknowns inside propagate

        def exists(env: Env) -> bool:
            try:
                return x(env) is not None
            except Missing:
                return False
        return exists

    def source(self, node: ast.Node) -> str:
        return " ".join(self.c.text[node.pos:node.end].split())

    def f_first(self, node: ast.Call, args: list[Fn]) -> Fn:
        return _pick(args[0], 0, self.source(node))

    def f_last(self, node: ast.Call, args: list[Fn]) -> Fn:
        return _pick(args[0], -1, self.source(node))

    def f_min(self, node: ast.Call, args: list[Fn]) -> Fn:
        return _extreme(min, args, self.source(node))

    def f_max(self, node: ast.Call, args: list[Fn]) -> Fn:
        return _extreme(max, args, self.source(node))

    def f_sum(self, node: ast.Call, args: list[Fn]) -> Fn:
        (x,) = args
        zero: Any = Decimal(0) if self.c.types[node] in (t.MONEY, t.PERCENT, t.DEC) else 0
        return lambda env: sum(x(env), zero)

    def f_avg(self, node: ast.Call, args: list[Fn]) -> Fn:
        (x,) = args
        label = self.source(node)

        def avg(env: Env) -> Any:
            items = x(env)
            if not items:
                raise Missing(label)
            return Decimal(sum(items, Decimal(0))) / len(items)
        return avg

    def f_share(self, node: ast.Call, args: list[Fn]) -> Fn:
        part, whole = args
        label = "share() of an empty list"

        def share(env: Env) -> Any:
            total = len(whole(env))
            if total == 0:
                raise Missing(label)
            return Decimal(len(part(env))) / total
        return share

    def f_percent(self, node: ast.Call, args: list[Fn]) -> Fn:
        (x,) = args
        return lambda env: Decimal(x(env))

    def f_round(self, node: ast.Call, args: list[Fn]) -> Fn:
        x = args[0]
        if self.type(node.args[0]) == t.INT:
            return x  # a whole number is already rounded
        places = int(node.args[1].value) if isinstance(node.args[1], ast.Number) else 0
        quantum = Decimal(1).scaleb(-places)
        if self.type(node) == t.INT:
            return lambda env: int(Decimal(x(env)).quantize(quantum, rounding=ROUND_HALF_UP))
        return lambda env: Decimal(x(env)).quantize(quantum, rounding=ROUND_HALF_UP)

    def f_answers(self, node: ast.Call, args: list[Fn]) -> Fn:
        event, answers = args

        def answering(env: Env) -> Any:
            key = event(env).get("_key")
            return [e for e in answers(env) if e.get("_answers") == key]
        return answering

    def f_months(self, node: ast.Call, args: list[Fn]) -> Fn:
        a, b = args
        return lambda env: month_starts(a(env), b(env))

    def f_working_days_between(self, node: ast.Call, args: list[Fn]) -> Fn:
        a, b, cal = args[0], args[1], self.cals.working
        return lambda env: cal.count(a(env), b(env))

    def f_is_working_day(self, node: ast.Call, args: list[Fn]) -> Fn:
        a, cal = args[0], self.cals.working
        return lambda env: cal.is_working_day(a(env))

    def f_next_weekday(self, node: ast.Call, args: list[Fn]) -> Fn:
        a, cal = args[0], self.cals.weekday
        return lambda env: cal.next_working(a(env))

    def f_next_working_day(self, node: ast.Call, args: list[Fn]) -> Fn:
        a, cal = args[0], self.cals.working
        return lambda env: cal.next_working(a(env))


def _field_probe(base: Fn, name: str) -> Fn:
    def probe(env: Env) -> Any:
        record = base(env)  # an event, a dated amount, a case: each has `get`, as n_Attr's `field` reads it
        return record.get(name) if record is not None else None
    return probe


def _named_where(src: Fn, cond: Fn, var: str) -> Fn:
    def where(env: Env) -> Any:
        saved, out = env.vars.get(var, _MISS), []
        try:
            for item in src(env):
                env.vars[var] = item
                try:
                    keep = cond(env)
                except MissingField:
                    continue
                if keep:
                    out.append(item)
        finally:
            _restore(env, var, saved)
        return out
    return where


def _local_call(fn: Any, args: list[Fn], traced: ast.Call | None) -> Fn:
    """`NAME(arg, …)` of a local function (scope.LocalFunction): its body with each parameter bound to its
    argument's value (in env.vars, as a named element is), given back as it was after. Traced (`traced` is the
    call's node), the body's own values are recorded apart, under ("calls", node) in the caller's recorder:
    (the arguments, the body's values, its value) for each call, which explanations show beneath the caller."""
    names = [name for name, _ in fn.params]
    body: Fn = fn.body.traced if traced is not None else fn.body.fn

    def call(env: Env) -> Any:
        values = [arg(env) for arg in args]  # in the caller's bindings, before any is changed
        saved = [env.vars.get(name, _MISS) for name in names]
        env.vars.update(zip(names, values, strict=True))
        outer = env.recorder
        if outer is not None:
            env.recorder = {}
        try:
            value = body(env)
        finally:
            inner, env.recorder = env.recorder, outer
            for name, old in zip(names, saved, strict=True):
                _restore(env, name, old)
        if outer is not None and traced is not None:
            outer.setdefault(("calls", traced), []).append((tuple(values), inner, value))
        return value
    return call


def _restore(env: Env, var: str, saved: Any) -> None:
    if saved is _MISS:
        env.vars.pop(var, None)
    else:
        env.vars[var] = saved


def month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of every month from `first`'s month to `last`'s month (at most 1200)."""
    out: list[dt.date] = []
    day = first.replace(day=1)
    while day <= last and len(out) < 1200:
        out.append(day)
        day = add_months(day, 1)
    return out


def _field_is_list(list_type: t.Type, name: str) -> bool:
    elem = list_type.elem if isinstance(list_type, t.ListType) else None
    return isinstance(elem, t.Record) and isinstance(elem.field(name), t.ListType)


def _const(value: Any) -> Fn:
    return lambda env: value


def _recording(node: ast.Node, fn: Fn) -> Fn:
    def record(env: Env) -> Any:
        value = fn(env)
        if env.recorder is not None:
            env.recorder[node] = value
        return value
    return record


def _label(node: ast.Node, what: str) -> str:
    if isinstance(node, ast.Name):
        return f"{node.name}.{what}"
    if isinstance(node, ast.Attr):
        return f"{_label(node.obj, node.name)}.{what}" if not isinstance(node.obj, ast.Name) else \
            f"{node.obj.name}.{node.name}.{what}"
    if isinstance(node, ast.Where):
        return _label(node.source, what)
    if isinstance(node, ast.Call) and node.args:
        return _label(node.args[0], what)
    return what


def _period(name: str) -> Fn:
    def period(env: Env) -> Any:
        value = env.period_start if name == "period_start" else env.period_end
        if value is None:
            raise Missing(name)
        return value
    return period


def _namespace(space: str, name: str) -> Fn:
    if space == "assume":
        return lambda env: env.assume[name]
    if space == "contract":
        return (lambda env: env.contract_start) if name == "start" else (lambda env: env.contract_end)

    def attr(env: Env) -> Any:
        value = env.offering_attrs.get(name, _MISS)
        if value is _MISS:
            raise Missing(f"offering.{name}")
        return value
    return attr


def _pick(src: Fn, index: int, label: str) -> Fn:
    def pick(env: Env) -> Any:
        items = src(env)
        if not items:
            raise Missing(label)
        return items[index]
    return pick


def _extreme(which: Callable[..., Any], args: list[Fn], label: str) -> Fn:
    if len(args) == 1:
        (src,) = args

        def of_list(env: Env) -> Any:
            items = src(env)
            if not items:
                raise Missing(label)
            return which(items)
        return of_list
    return lambda env: which(f(env) for f in args)


def _divide(a: Fn, b: Fn, *, int_result: bool) -> Fn:
    def divide(env: Env) -> Any:
        num, den = a(env), b(env)
        if den == 0:
            raise ZeroDivisionError("division by zero")
        return Decimal(num) / Decimal(den)
    return divide


def shifter(unit: t.Type, cal: WorkingCalendar) -> Callable[[dt.date, int], dt.date]:
    """`day + n units` for one unit (working days by `cal`), the unit's choice made once."""
    if unit == t.WORKING_DAYS:
        return cal.add
    if unit == t.MONTHS:
        return add_months
    step = 7 if unit == t.WEEKS else 1
    return lambda day, n: day + dt.timedelta(days=step * n)


def _and(a: Fn, b: Fn) -> Fn:
    return lambda env: a(env) and b(env)


def _or(a: Fn, b: Fn) -> Fn:
    return lambda env: a(env) or b(env)


def _coalesce(a: Fn, b: Fn) -> Fn:
    """Traced, `a ?? b` one side at a time (each side's value is recorded); a Missing from `b` names what `a`
    missed too, as coalesce's does."""
    def coalesce(env: Env) -> Any:
        try:
            value = a(env)
        except Missing as missed:
            try:
                return b(env)
            except Missing as exc:
                raise missing_after(missed.names, exc) from None
        return b(env) if value is None else value
    return coalesce


def _in(a: Fn, b: Fn) -> Fn:
    return lambda env: a(env) in b(env)


def _not_in(a: Fn, b: Fn) -> Fn:
    return lambda env: a(env) not in b(env)


_LOGIC: dict[str, Callable[[Fn, Fn], Fn]] = {"and": _and, "or": _or, "??": _coalesce, "in": _in,
                                              "not in": _not_in}
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": lambda x, y: x == y, "!=": lambda x, y: x != y, "<": lambda x, y: x < y,
    "<=": lambda x, y: x <= y, ">": lambda x, y: x > y, ">=": lambda x, y: x >= y}
_ARITH: dict[str, Callable[[Fn, Fn], Fn]] = {
    "+": lambda a, b: lambda env: a(env) + b(env),
    "-": lambda a, b: lambda env: a(env) - b(env),
    "*": lambda a, b: lambda env: a(env) * b(env),
}
from .compilefns import EXTRA, instant_arith  # noqa: E402  (they use the helpers above)

_SIMPLE: dict[str, Callable[..., Any]] = {
    "count": len, "abs": abs, "days_between": lambda a, b: (b - a).days,
    "end_of_month": end_of_month, "week_start": iso_week_start, "year": lambda d: d.year, "month": lambda d: d.month,
    "quarter": quarter_of,
}
