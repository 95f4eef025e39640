"""Recurring duties: at least N events in every window (ISO weeks, blocks from the start) or no gap
longer than the window."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from typing import Any

from ..calendar import add_months
from ..calendar.periods import iso_week_start
from ..dsl import Missing
from ..dsl import types as t
from ..spec.model import Rule
from .common import not_applicable as _not_applicable
from .common import obligation_outputs as _obligation_outputs
from .context import Run
from .result import Obligation


def recurring(run: Run, rule: Rule) -> dict[str, Any]:
    if not run.applies(rule):
        return _not_applicable(run, rule, "applies_when")
    try:
        start: dt.date = run.compute(rule.expr("start"), "start")
    except Missing as exc:
        return _not_applicable(run, rule, "not_triggered", what=exc.what)
    end: dt.date = run.compute(rule.expr("end"), "end", None) or run.case.as_of
    until = min(end, run.case.as_of)
    dates = sorted(e["date"] for e in run.compute(rule.expr("events"), "events", []))
    n: int = run.compute(rule.expr("window"), "window")
    unit = rule.exprs["window"].type
    align = rule.options.get("align", "start")
    if align == "gap":
        windows = _gaps(run, start, until, end, dates, n, unit)
    else:
        at_least = int(rule.options.get("at_least", 1))
        windows = _blocks(start, end, run.case.as_of, dates, n, unit, align, at_least)
    missed = [w for w in windows if w["status"] == "breached"]
    pending = [w for w in windows if w["status"] == "pending"]
    status = "breached" if missed else "pending" if pending or not windows else "met"
    run.result.obligations.append(Obligation(rule, status, extra={
        "windows": len(windows), "missed_windows": len(missed),
        "missed": [{"start": w["start"], "end": w["end"], "required": w.get("required"),
                    "recorded": len(w.get("events") or []), **({"limit": w["limit"]} if "limit" in w else {})}
                   for w in missed]}))
    run.step("windows", windows=windows, align=align, n=n, unit=unit.name, start=start, end=end)
    return _obligation_outputs(status, missed_windows=len(missed))


def _advance(day: dt.date, n: int, unit: t.Type) -> dt.date:
    if unit.name == "months":
        return add_months(day, n)
    return day + dt.timedelta(days=n * (7 if unit.name == "weeks" else 1))


def _blocks(start: dt.date, end: dt.date, as_of: dt.date, dates: list[dt.date], n: int, unit: t.Type,
            align: str, at_least: int) -> list[dict[str, Any]]:
    """Windows of `n` units from the start (or ISO weeks, the first counted whole); a final window cut
    short by the end of the course is not required (it is reported as partial)."""
    windows: list[dict[str, Any]] = []
    until = min(end, as_of)
    lo = iso_week_start(start) if align == "iso_week" else start
    while lo <= end and len(windows) < 2000:
        hi = _advance(lo, n, unit) - dt.timedelta(days=1)
        inside = dates[bisect_left(dates, max(lo, start)):bisect_right(dates, min(hi, end))]
        if hi > until and end >= as_of:  # the window runs past as_of while the course goes on
            status = "pending" if len(inside) < at_least else "met"
        elif hi > end:  # the course ended inside this window: a final window cut short is not required
            status = "partial"
        else:
            status = "met" if len(inside) >= at_least else "breached"
        windows.append({"start": lo, "end": hi, "events": inside, "required": at_least, "status": status})
        lo = hi + dt.timedelta(days=1)
    return windows


def _gaps(run: Run, start: dt.date, until: dt.date, end: dt.date, dates: list[dt.date], n: int,
          unit: t.Type) -> list[dict[str, Any]]:
    """The stretches between the start, each event and the end; each may be at most `n` units."""
    points = [start, *[d for d in dates if start < d <= until]]
    windows = []
    for i, a in enumerate(points):
        last = i == len(points) - 1
        b = until if last else points[i + 1]
        limit = run.contract.calendar.add(a, n) if unit == t.WORKING_DAYS else _advance(a, n, unit)
        if b > limit:
            status = "breached"
        elif last and end >= run.case.as_of:  # the course goes on: the open stretch is not over yet
            status = "pending"
        else:
            status = "met"
        windows.append({"start": a, "end": b, "limit": limit, "status": status,
                        "events": [] if last else [b]})
    return windows
