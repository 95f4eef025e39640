"""Recurring duties: at least N events in every window (ISO weeks, blocks from the start) or no gap
longer than the window."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from itertools import pairwise
from operator import itemgetter
from typing import Any

from ..calendar import WorkingCalendar, add_months
from ..calendar.periods import iso_week_start
from ..dsl import Env, Missing
from ..dsl import types as t
from ..spec.model import Rule
from .common import condition_holds, expr_fn, value_or
from .common import not_applicable as _not_applicable
from .context import Run
from .result import Obligation

_DATE_OF = itemgetter("date")
_FIRST = itemgetter(0)


def recurring(run: Run, rule: Rule) -> dict[str, Any]:
    if not run.applies(rule):
        return _not_applicable(run, rule, "applies_when")
    try:
        start: dt.date = run.compute(rule.exprs.get("start"), "start")
    except Missing as exc:
        return _not_applicable(run, rule, "not_triggered", what=exc.what)
    end: dt.date = run.compute(rule.exprs.get("end"), "end", None) or run.case.as_of
    events = run.compute(rule.exprs.get("events"), "events", [])
    n: int = run.compute(rule.exprs.get("window"), "window")
    shape = _Shape(rule)
    if not shape.measured:
        return _judge(run, rule, start, end, events, n, shape)
    try:  # the requirement's derivation is traced; each event's measure shows in its window's sum
        need = run.compute(rule.exprs["at_least"], "at_least")
        weights = _weights(run.env, events, rule.exprs["measure"].fn)
    except Missing as exc:
        return _not_applicable(run, rule, "not_triggered", what=exc.what)
    return _judge(run, rule, start, end, events, n, shape, (weights, need))


class _Shape:
    """What a recurring rule fixes: its window's unit, its alignment, the events a window needs (None: gaps),
    and whether each event counts its `measure` instead of 1 (`at_least` is then an expression)."""

    __slots__ = ("align", "at_least", "measured", "unit", "working")

    def __init__(self, rule: Rule) -> None:
        self.unit = rule.exprs["window"].type
        self.working = self.unit == t.WORKING_DAYS  # counted on the contract's calendar (a type compares slowly)
        self.align = rule.options.get("align", "start")
        self.measured = "measure" in rule.exprs
        self.at_least = None if self.align == "gap" else 0 if self.measured else int(rule.options.get("at_least", 1))


# the events' measures and what a window must come to (a recurring duty with `measure:`)
Measured = tuple[list[Any], Any]


def plain_recurring(rule: Rule) -> Callable[[Run, Env, str | None], dict[str, Any]]:
    """Untraced, one instance of `recurring` with the rule's expressions and shape looked up once."""
    exprs, shape = rule.exprs, _Shape(rule)
    condition, start_fn, end_fn, events_fn = (expr_fn(rule, key) for key in ("applies_when", "start", "end", "events"))
    window_fn = exprs["window"].fn
    measure_fn, need_fn = (exprs["measure"].fn, exprs["at_least"].fn) if shape.measured else (_none, _none)

    def one(run: Run, env: Env, label: str | None) -> dict[str, Any]:
        if not condition_holds(condition, env):
            return _not_applicable(run, rule, "applies_when")
        try:
            if start_fn is None:
                raise Missing("start")
            start: dt.date = start_fn(env)
        except Missing as exc:
            return _not_applicable(run, rule, "not_triggered", what=exc.what)
        end = value_or(end_fn, env, None) or run.case.as_of
        events = value_or(events_fn, env, [])
        if not shape.measured:
            return _judge(run, rule, start, end, events, window_fn(env), shape)
        try:
            measured = (_weights(env, events, measure_fn), need_fn(env))
        except Missing as exc:
            return _not_applicable(run, rule, "not_triggered", what=exc.what)
        return _judge(run, rule, start, end, events, window_fn(env), shape, measured)
    return one


def _none(env: Env) -> None:
    """A rule without `measure:` reads neither a measure nor a requirement."""


def _weights(env: Env, events: Sequence[dict[str, Any]], measure: Callable[[Env], Any]) -> list[Any]:
    """Each event's measure, read with `it` the event."""
    weights = []
    try:
        for event in events:
            env.it = event
            weights.append(measure(env))
    finally:
        env.it = None
    return weights


def _judge(run: Run, rule: Rule, start: dt.date, end: dt.date, events: Sequence[dict[str, Any]], n: int,
           shape: _Shape, measured: Measured | None = None) -> dict[str, Any]:
    """The windows from `start` to `end` (or as_of), the events in each (or, with `measured`, what their
    measures come to), and the duty's state."""
    until = min(end, run.case.as_of)
    weights: list[Any] | None = None
    if measured is None:
        dates = sorted(map(_DATE_OF, events))
    else:  # the dates in order, each with its measure
        pairs = sorted(zip(map(_DATE_OF, events), measured[0], strict=True), key=_FIRST)
        dates, weights = [d for d, _ in pairs], [w for _, w in pairs]
    unit, align = shape.unit, shape.align
    at_least = shape.at_least if measured is None else measured[1]
    windows: list[Window] | None = [] if run.tracing else None  # each window, for the trace only
    if at_least is None:
        count, missed, pending = _gaps(run, start, until, end, dates, n, unit, windows)
    else:
        calendar = run.contract.calendar if shape.working else None
        count, missed, pending = _blocks(start, end, run.case.as_of, dates, n, unit, align, at_least, windows,
                                         calendar, weights)
    status = "breached" if missed else "pending" if not count or pending else "met"
    # none missed: the shared empty tuple (then the entry's extra holds no list for the GC to visit)
    run.result.obligations.append(Obligation(rule, status, extra={
        "windows": count, "missed_windows": len(missed),
        "missed": [{"start": lo, "end": hi, "required": at_least, "recorded": recorded,
                    **({"limit": limit} if limit is not None else {})} for lo, hi, recorded, limit in missed]
        if missed else ()}))
    if windows is not None:
        typed = {"measured": rule.exprs["measure"].type.name} if measured is not None else {}  # the measure's type
        run.step("windows", windows=[_window(w, at_least) for w in windows], align=align, n=n, unit=unit.name,
                 start=start, end=end, **typed)
    # as obligation_outputs(status, missed_windows=…) gives them
    return {"status": status, "met": status == "met", "breached": status == "breached", "applies": True,
            "missed_windows": len(missed)}


# a window: (start, end, the events inside it, status, limit, recorded); the limit only for gaps
Window = tuple[dt.date, dt.date, list[dt.date], str, dt.date | None, Any]  # …, what the window came to
# a missed window: (start, end, the events recorded in it, limit)
Missed = tuple[dt.date, dt.date, int, dt.date | None]
# what the windows come to: how many there are, the missed ones, whether one is still open (pending)
Windows = tuple[int, list[Missed], bool]


def _window(w: Window, at_least: Any) -> dict[str, Any]:
    """A window as the trace shows it."""
    lo, hi, inside, status, limit, recorded = w
    if limit is not None:
        return {"start": lo, "end": hi, "limit": limit, "status": status, "events": inside}
    return {"start": lo, "end": hi, "events": inside, "required": at_least, "recorded": recorded, "status": status}


def _blocks(start: dt.date, end: dt.date, as_of: dt.date, dates: list[dt.date], n: int, unit: t.Type,
            align: str, at_least: Any, windows: list[Window] | None,
            calendar: WorkingCalendar | None = None, weights: list[Any] | None = None) -> Windows:
    """Windows of `n` units from the start (or ISO weeks, the first counted whole); a final window cut
    short by the end of the course is not required (it is reported as partial). Each window is added to
    `windows` when it is given (for the trace). A window of working days is counted on `calendar`: it runs
    from its first day to its n-th working day (counting the first day when it is one), and the next begins
    the day after."""
    lo = iso_week_start(start) if align == "iso_week" else start
    days = None if calendar is not None else _fixed_days(unit, n)
    if windows is None and days is not None and days > 0:
        return _counted(start, end, as_of, dates, lo, days, at_least, weights)
    count, pending = 0, False
    missed: list[Missed] = []
    until = min(end, as_of)
    one = dt.timedelta(days=1)
    step = None if days is None else dt.timedelta(days=days)
    running = end >= as_of  # the course goes on after as_of
    while lo <= end and count < 2000:
        hi = calendar.add(lo - one, n) if calendar is not None \
            else (lo + step if step is not None else add_months(lo, n)) - one
        first = bisect_left(dates, lo if lo > start else start) if dates else 0
        after = bisect_right(dates, hi if hi < end else end) if dates else 0
        # what the window's events come to, added in date order from 0 as _counted adds them
        recorded = (after - first if weights is None else sum(weights[first:after], 0)) if after > first else 0
        if hi > until and running:  # the window runs past as_of while the course goes on
            status = "pending" if recorded < at_least else "met"
            pending = pending or recorded < at_least
        elif hi > end:  # the course ended inside this window: a final window cut short is not required
            status = "partial"
        elif recorded >= at_least:
            status = "met"
        else:
            status = "breached"
            missed.append((lo, hi, recorded, None))
        if windows is not None:
            windows.append((lo, hi, dates[first:after], status, None, recorded))
        count += 1
        lo = hi + one
    return count, missed, pending


def _fixed_days(unit: t.Type, n: int) -> int | None:
    """A window of `n` units in calendar days (weeks × 7, days as n); None for months, whose length varies.
    (A window of working days is stepped on the calendar: _blocks and _gaps never ask for it here.)"""
    return None if unit.name == "months" else n * (7 if unit.name == "weeks" else 1)


def _counted(start: dt.date, end: dt.date, as_of: dt.date, dates: list[dt.date], first: dt.date, days: int,
             at_least: Any, weights: list[Any] | None = None) -> Windows:
    """What _blocks gives for windows of a fixed number of days, counted without walking them one by one
    (untraced: no window is shown). Window k runs from `first` + k·days; an event on a day d from the start to
    the end lies in window (d − first) // days. A window ending on or before min(end, as_of) is judged; a later
    one is pending while the course goes on (end on or after as_of), else cut short by the end (partial).
    tests/runtime/test_runtime_recurring.py compares it with the walk on random windows."""
    if end < first:
        return 0, [], False
    count = min(2000, (end - first).days // days + 1)
    _ = first + dt.timedelta(days=count * days)  # the walk's last step: past the last date there is, it overflows
    until = min(end, as_of)
    judged = min(count, max(0, ((until - first).days + 1) // days))
    recorded: dict[int, Any] = {}
    for i, day in enumerate(dates):
        if start <= day <= end:
            k = (day - first).days // days
            recorded[k] = recorded.get(k, 0) + (1 if weights is None else weights[i])
    missed: list[Missed] = []
    for k in range(judged):
        got = recorded.get(k, 0)
        if got < at_least:
            lo = first + dt.timedelta(days=k * days)
            missed.append((lo, lo + dt.timedelta(days=days - 1), got, None))
    pending = end >= as_of and any(recorded.get(k, 0) < at_least for k in range(judged, count))
    return count, missed, pending


def _gaps(run: Run, start: dt.date, until: dt.date, end: dt.date, dates: list[dt.date], n: int,
          unit: t.Type, windows: list[Window] | None) -> Windows:
    """The stretches between the start, each event and the end; each may be at most `n` units."""
    points = [start, *[d for d in dates if start < d <= until]]
    calendar = run.contract.calendar if unit == t.WORKING_DAYS else None  # (a type compares slowly: once)
    days = None if calendar is not None else _fixed_days(unit, n)
    step = None if days is None else dt.timedelta(days=days)
    if windows is None and calendar is None and step is not None:
        return _stretched(points, until, end >= run.case.as_of, step)
    missed: list[Missed] = []
    pending = False
    last_i = len(points) - 1
    going_on = end >= run.case.as_of  # the course goes on: the open stretch is not over yet
    for i, a in enumerate(points):
        last = i == last_i
        b = until if last else points[i + 1]
        limit = calendar.add(a, n) if calendar is not None else a + step if step is not None \
            else add_months(a, n)
        if b > limit:
            status = "breached"
            missed.append((a, b, 0 if last else 1, limit))
        elif last and going_on:
            status, pending = "pending", True
        else:
            status = "met"
        if windows is not None:
            windows.append((a, b, [] if last else [b], status, limit, None))
    return len(points), missed, pending


def _stretched(points: list[dt.date], until: dt.date, going_on: bool, step: dt.timedelta) -> Windows:
    """What _gaps gives for a window of a fixed number of days, untraced (no window shown): each stretch from
    a point to the next one longer than `step` missed; the open stretch from the last point to `until`
    missed too, else pending while the course goes on."""
    missed: list[Missed] = [(a, b, 1, limit) for a, b in pairwise(points) if b > (limit := a + step)]
    last = points[-1]
    limit = last + step
    if until > limit:
        missed.append((last, until, 0, limit))
        return len(points), missed, False
    return len(points), missed, going_on
