"""A case on a date axis, as geometry for an inline SVG: one row of events, one row per obligation instance
(due date, fulfilment, the late span, recurring windows), one row of penalties and payments; holidays and the
contract's own days as thin marks; the evaluation date as a line. The template draws it; nothing here is SVG."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..runtime.result import CaseResult, Obligation
from .fmt import PlainFormatter
from .words import word

LEFT, WIDTH, ROW, TOP = 260, 1000, 28, 34  # label column, plot width, row height, axis height
MAX_ROWS = 40


@dataclass
class Mark:
    x: float
    y: float
    kind: str  # event | due | fulfilled | penalty | payment
    label: str
    title: str
    date: str
    status: str = ""


@dataclass
class Span:
    x1: float
    x2: float
    y: float
    kind: str  # late | window-met | window-breached | suspended
    title: str


@dataclass
class Timeline:
    rows: list[tuple[float, str]] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    days_off: list[tuple[float, str, str]] = field(default_factory=list)  # x, title, reason
    as_of: tuple[float, str] | None = None
    width: int = LEFT + WIDTH + 20
    height: int = TOP + ROW
    left: int = LEFT
    more: int = 0  # obligation rows left out

    @property
    def plot_bottom(self) -> float:
        return self.height - 8


class _Axis:
    def __init__(self, start: dt.date, end: dt.date) -> None:
        self.start, self.days = start, max(1, (end - start).days)

    def x(self, day: dt.date) -> float:
        share = min(max((day - self.start).days / self.days, 0.0), 1.0)  # outside the axis: at its edge
        return round(LEFT + share * WIDTH, 1)


def _dates(result: CaseResult) -> list[dt.date]:
    out = [e["date"] for items in result.events.values() for e in items if isinstance(e.get("date"), dt.date)]
    for o in result.obligations:
        out.extend(d for d in (o.due, o.fulfilled) if isinstance(d, dt.date))
    for node in result.trace:
        for step in node.steps:
            if step.key == "windows":
                out.extend(d for w in step.data["windows"] if w["start"] <= result.as_of
                           for d in (w["start"], w["end"]))
    out.append(result.as_of)
    return out


def _shown(o: Obligation) -> bool:
    return o.status != "not_applicable" and (o.due is not None or "windows" in o.extra or o.status != "met")


def build_timeline(result: CaseResult) -> Timeline:
    fmt = PlainFormatter(result.lang, result.contract)
    lang = result.lang
    dates = _dates(result)
    start, end = min(dates) - dt.timedelta(days=3), max(dates) + dt.timedelta(days=3)
    axis = _Axis(start, end)
    tl = Timeline()
    y = TOP + ROW / 2
    tl.rows.append((y, word(lang, "events").capitalize()))
    for items in result.events.values():
        for e in items:
            if isinstance(e.get("date"), dt.date):
                title = f"{fmt.event_title(e['type'])} — {fmt.day(e['date'])}"
                tl.marks.append(Mark(axis.x(e["date"]), y, "event", "", title, e["date"].isoformat()))
    windows = _windows(result)
    chosen = [o for o in result.obligations if _shown(o)]
    tl.more = max(0, len(chosen) - MAX_ROWS)
    for o in chosen[:MAX_ROWS]:
        y += ROW
        label = o.rule.title.get(lang) + (f" [{fmt.instance(o.instance)}]" if o.instance else "")
        tl.rows.append((y, label))
        _obligation(tl, axis, fmt, o, y, windows.get((o.rule.id, o.instance), []), result.as_of)
    y += ROW
    tl.rows.append((y, word(lang, "amounts")))
    for a in (*result.penalties, *result.payments):
        when = _amount_date(result, a.rule.remedies, a.instance)
        if a.amount is None or when is None:
            continue
        kind = a.rule.kind
        title = f"{a.rule.title.get(lang)}: {fmt.money(a.amount)}"
        tl.marks.append(Mark(axis.x(when), y, kind, fmt.money(a.amount), title, when.isoformat()))
    tl.height = int(y + ROW)
    tl.ticks = _ticks(axis, start, end, fmt)
    cal = result.contract.calendar
    for off in cal.days_off(start, end):
        name = off.name_da if lang == "da" else off.name_en
        tl.days_off.append((axis.x(off.date), f"{fmt.day(off.date)}: {name} ({word(lang, off.reason)})", off.reason))
    tl.as_of = (axis.x(result.as_of), f"{word(lang, 'as_of_label')} {fmt.date(result.as_of)}")
    return tl


def _obligation(tl: Timeline, axis: _Axis, fmt: PlainFormatter, o: Obligation, y: float,
                windows: list[dict[str, Any]], as_of: dt.date) -> None:
    lang = fmt.lang
    status = word(lang, o.status)
    for w in windows:
        kind = "window-breached" if w["status"] == "breached" else "window-met"
        title = f"{fmt.day(w['start'])} – {fmt.day(w['end'])}: {word(lang, w['status'])}"
        tl.spans.append(Span(axis.x(w["start"]), axis.x(w["end"] + dt.timedelta(days=1)), y, kind, title))
    if o.due is not None:
        if o.status == "breached":
            end = o.fulfilled or as_of
            if end > o.due:
                late = fmt.duration(o.late_working_days or 0, "working_days")
                tl.spans.append(Span(axis.x(o.due), axis.x(end), y, "late", f"{word(lang, 'late')}: {late}"))
        tl.marks.append(Mark(axis.x(o.due), y, "due", fmt.date(o.due)[:5] if lang == "da" else fmt.date(o.due),
                             f"{word(lang, 'due')} {fmt.day(o.due)} — {status}", o.due.isoformat(), o.status))
    if o.fulfilled is not None:
        tl.marks.append(Mark(axis.x(o.fulfilled), y, "fulfilled", "",
                             f"{word(lang, 'fulfilled')} {fmt.day(o.fulfilled)}", o.fulfilled.isoformat(), o.status))


def _windows(result: CaseResult) -> dict[tuple[str, str | None], list[dict[str, Any]]]:
    out: dict[tuple[str, str | None], list[dict[str, Any]]] = {}
    for node in result.trace:
        for step in node.steps:
            if step.key == "windows":
                out[(node.rule, node.instance)] = step.data["windows"]
    return out


def _amount_date(result: CaseResult, remedies: str | None, instance: str | None) -> dt.date | None:
    """Where a penalty or payment sits on the axis: the end of the breach it remedies, else the evaluation date."""
    for o in result.obligations:
        if remedies is not None and o.rule.id == remedies and o.instance == instance:
            return o.fulfilled or (result.as_of if o.due is not None else None) or o.due
    return result.as_of


def _ticks(axis: _Axis, start: dt.date, end: dt.date, fmt: PlainFormatter) -> list[tuple[float, str]]:
    months = (end.year - start.year) * 12 + end.month - start.month
    step = 1 if months <= 14 else 3 if months <= 40 else 12
    out = []
    day = dt.date(start.year, start.month, 1)
    while day <= end:
        if day >= start and (day.month - 1) % step == 0:
            out.append((axis.x(day), fmt.month(day) if step < 12 else str(day.year)))
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    if (end - start).days < 70:  # a short case: weekly ticks on Mondays
        out = []
        day = start + dt.timedelta(days=(7 - start.weekday()) % 7)
        while day <= end:
            out.append((axis.x(day), fmt.date(day)))
            day += dt.timedelta(days=7)
    return [(x, label) for x, label in out if x < LEFT + WIDTH - 60]  # a label needs room to the right
