"""A derivation as a tree of lines, built from a trace in one language; drawn as text or HTML."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..calendar.workdays import DayOff
from ..dsl import ast
from ..format import Formatter
from ..runtime.result import CaseResult
from ..runtime.trace import Formula, Step, TraceNode
from .exprtext import substituted
from .words import word


@dataclass
class Line:
    text: str
    children: list[Line] = field(default_factory=list)


_LIFECYCLE = ("extensions", "suspended_by", "waived_by", "discharged_by")


def build(result: CaseResult, rule: str | None = None, instance: str | None = None) -> list[Line]:
    """Lines for the rules worth explaining (or for one rule, or one instance of it), each with the rules
    it used beneath."""
    nodes = {n.rule + (f"#{n.instance}" if n.instance else ""): n for n in result.trace}
    builder = _Builder(result, nodes)
    if rule is not None or instance is not None:
        chosen = [n for n in result.trace if rule in (None, n.rule) and instance in (None, n.instance)]
        worth = [n for n in chosen if _worth(n)]
        return [builder.node(n) for n in (worth if instance is None and len(chosen) > 1 and worth else chosen)]
    shown = [n for n in result.trace if _worth(n)]
    beneath = {dep for n in shown for dep in n.uses}
    return [builder.node(n) for n in shown if n.rule not in beneath]


def _reached(node: TraceNode) -> bool:
    """Whether a rule a node used had an outcome worth showing beneath it."""
    if node.kind == "value":
        return node.outcome.get("value") is not None
    return node.outcome.get("status") != "not_applicable"


def _worth(node: TraceNode) -> bool:
    if node.kind in ("penalty", "payment"):
        return bool(node.outcome.get("applied"))
    if node.kind == "check":
        return any(s.key == "finding" for s in node.steps)
    return node.outcome.get("status") in ("breached", "pending")


class _Builder:
    def __init__(self, result: CaseResult, nodes: dict[str, TraceNode]) -> None:
        self.result, self.nodes = result, nodes
        self.lang = result.lang
        self.fmt = Formatter(result.lang)

    def w(self, key: str, **values: str) -> str:
        return word(self.lang, key, **values)

    def node(self, node: TraceNode, seen: frozenset[str] = frozenset()) -> Line:
        line = Line(self.header(node))
        for step in node.steps:
            built = self.step(step)
            if built is not None:
                line.children.append(built)
        for dep in node.uses:
            child = self.nodes.get(f"{dep}#{node.instance}") or self.nodes.get(dep)
            if child is not None and dep not in seen and _reached(child):
                line.children.append(self.node(child, seen | {node.rule}))
        return line

    def header(self, node: TraceNode) -> str:
        title = node.title.get(self.lang)
        src = node.source
        cite = src.cite()
        if node.instance:
            title = f"{title} [{node.instance}]"
        out = node.outcome
        if node.kind in ("penalty", "payment"):
            amount = out.get("amount")
            value = self.fmt.money(amount) if amount is not None else "?"
            return f"{self.w(node.kind)} {value} — {title} ({cite})"
        if node.kind == "value":
            rule = self.result.contract.rule(node.rule)
            typ = rule.exprs["value"].type if rule and "value" in rule.exprs else None
            return f"{self.w('value')}: {title} = {self.fmt.value(out.get('value'), typ)} ({cite})"
        if node.kind == "check":
            status = self.w("check_failed") if not out.get("holds", True) else self.w("met")
            return f"{self.w('check')}: {title} — {status} ({cite})"
        status = str(out.get("status", ""))
        status = self.w("not_kept" if status == "breached" and node.kind != "deadline" else status)
        return f"{self.w(node.kind)}: {title} — {status} ({cite})"

    # steps ----------------------------------------------------------------------------------------
    def step(self, step: Step) -> Line | None:
        method = getattr(self, "s_" + step.key, None)
        if method is None:
            return None
        line: Line | None = method(**step.data)
        return line

    def s_formula(self, formula: Formula) -> Line | None:
        if formula.label in ("applies_when", "events", "value") or isinstance(formula.expr.checked.node, ast.Quantity):
            return None
        if formula.label in _LIFECYCLE and not formula.value:
            return None  # no extension, suspension, waiver or discharge: nothing to say
        typ = formula.expr.type
        filled = substituted(formula.expr.checked, formula.values, self.fmt)
        value = self.fmt.value(formula.value, typ)
        text = f"{self.w(formula.label)}: {' '.join(formula.expr.text.split())}"
        if filled != value:
            text += f" = {filled}"
        line = Line(f"{text} = {value}")
        line.children.extend(self.rolls(formula))
        return line

    def rolls(self, formula: Formula) -> list[Line]:
        """Days that next_weekday()/next_working_day() passed over, and why."""
        out = []
        contract = self.result.contract
        for node, value in formula.values.items():
            if isinstance(node, ast.Call) and node.fn in ("next_weekday", "next_working_day"):
                start = formula.values.get(node.args[0])
                if isinstance(start, dt.date) and isinstance(value, dt.date) and start != value:
                    cal = contract.weekday_calendar if node.fn == "next_weekday" else contract.calendar
                    passed = cal.days_off(start - dt.timedelta(days=1), value - dt.timedelta(days=1), weekends=True)
                    out.append(Line(self.w("rolled", start=self.fmt.day(start), due=self.fmt.day(value))
                                    + ": " + self.days_off(passed)))
        return out

    def days_off(self, days: list[DayOff]) -> str:
        parts = []
        for off in days:
            name = off.name_da if self.lang == "da" else off.name_en
            parts.append(f"{self.fmt.day(off.date)} ({self.w(off.reason)}: {name})" if off.reason != "weekend"
                         else f"{self.fmt.day(off.date)} ({self.w('weekend')})")
        return ", ".join(parts)

    def s_due(self, start: dt.date, n: int, extension: int, unit: str, due: dt.date, off: list[DayOff],
              calendar: str) -> Line:
        period = self.fmt.duration(n, unit)
        if extension:
            period += f" + {self.fmt.duration(extension, unit)} ({self.w('extension')})"
        line = Line(self.w("deadline_eq", due=self.fmt.day(due), start=self.fmt.day(start), period=period))
        if off:
            line.children.append(Line(f"{self.w('skipped')}: {self.days_off(off)}"))
        return line

    def s_rolled(self, mode: str, start: dt.date, due: dt.date, passed: list[DayOff]) -> Line:
        text = self.w("rolled", start=self.fmt.day(start), due=self.fmt.day(due))
        if mode == "end_of_month":
            return Line(f"{text} ({self.w('end_of_month')})")
        return Line(f"{text}: {self.days_off(passed)}")

    def s_outcome(self, status: str, due: dt.date, fulfilled: dt.date | None, as_of: dt.date,
                  by: str | None = None) -> Line:
        done = self.fmt.day(fulfilled) if fulfilled else "—"
        why = f" ({self.w('by_event', event=by)})" if by else ""
        return Line(f"{self.w('status')}: {self.w(status)}{why}; {self.w('due')} {self.fmt.day(due)}, "
                    f"{self.w('fulfilled')} {done}")

    def s_extended(self, event: str, date: dt.date, length: int, unit: str) -> Line:
        return Line(self.w("extended", length=self.fmt.duration(length, unit), event=event, date=self.fmt.day(date)))

    def s_suspended(self, event: str, start: dt.date, until: dt.date, length: int) -> Line:
        return Line(self.w("suspension", event=event, start=self.fmt.day(start), until=self.fmt.day(until),
                           length=self.fmt.duration(length, "working_days")))

    def s_waived(self, event: str | None, date: dt.date | None = None) -> Line:
        return Line(self.w("waived_line", event=event or "—"))

    def s_discharged(self, event: str, date: dt.date) -> Line:
        return Line(self.w("discharged_line", event=event, date=self.fmt.day(date)))

    def s_late(self, days: list[dt.date], off: list[DayOff], late_days: int, calendar: str, until: dt.date,
               open: bool) -> Line:
        counted = ", ".join(self.fmt.day(d) for d in days[:15]) + (" …" if len(days) > 15 else "")
        head = self.w("late_open", until=self.fmt.day(until)) if open else self.w("late")
        line = Line(f"{head}: {self.fmt.duration(len(days), 'working_days')} ({counted}); "
                    f"{self.fmt.duration(late_days, 'days')}")
        if off:
            line.children.append(Line(f"{self.w('skipped')}: {self.days_off(off)}"))
        return line

    def s_dated(self, dates: list[dt.date], per: str | None, rate: Any) -> Line:
        shown = ", ".join(self.fmt.date(d) for d in dates[:24]) + (" …" if len(dates) > 24 else "")
        return Line(self.w("dated", n=str(len(dates)), rate=self.fmt.money(rate), dates=shown or "—"))

    def s_accrual(self, units: int, per: str | None, rate: Any, total: Any) -> Line:
        return Line(self.w("accrual", units=str(units), rate=self.fmt.money(rate), total=self.fmt.money(total)))

    def s_minimum(self, before: Any, minimum: Any) -> Line:
        return Line(self.w("min_applied", before=self.fmt.money(before), minimum=self.fmt.money(minimum)))

    def s_cap(self, before: Any, cap: Any) -> Line:
        return Line(self.w("cap_applied", before=self.fmt.money(before), cap=self.fmt.money(cap)))

    def s_total(self, amount: Any, waived: bool, currency: str) -> Line:
        text = f"{self.w('total')}: {self.fmt.money(amount)}"
        return Line(f"{text} — {self.w('waived')}" if waived else text)

    def s_param(self, name: str, title: Any, type: Any, value: Any, start: dt.date | None, source: Any,
                assumption: str | None, dated: bool, on: dt.date) -> Line:
        text = f"{self.w('param')} {name} = {self.fmt.value(value, type)}"
        if dated and start:
            text += f" ({self.w('since')} {self.fmt.date(start)})"
        if source is not None:
            text += f" — {source.cite()}"
        if assumption:
            text += f" — {self.w('assumed')}: {assumption}"
        return Line(text)

    def s_assumption(self, id: str, reading: str, text: Any) -> Line:
        return Line(f"{self.w('assumption')} {id}: {self.w('reading')} '{reading}' — {text.get(self.lang)}")

    def s_missing(self, label: str, what: str, expr: str) -> Line:
        return Line(f"{self.w('missing')}: {what} ({self.w(label)}: {expr})")

    def s_not_triggered(self, what: str) -> Line:
        return Line(self.w("not_triggered", what=what))

    def s_extension_capped(self, asked: int, cap: int, unit: str) -> Line:
        return Line(self.w("extension_capped", asked=self.fmt.duration(asked, unit), cap=self.fmt.duration(cap, unit)))

    def s_finding(self, severity: str, message: str) -> Line:
        return Line(f"{self.w('finding')} ({severity}): {message}")

    def s_judgement_needed(self, event: str) -> Line:
        return Line(self.w("judgement_needed", event=event))

    def s_judged(self, date: dt.date, outcome: str, note: Any) -> Line:
        return Line(self.w("judged", date=self.fmt.day(date), outcome=self.w(outcome)) + (f" — {note}" if note else ""))

    def s_period(self, start: dt.date, end: dt.date) -> Line:
        return Line(self.w("period_inst", start=self.fmt.date(start), end=self.fmt.date(end)))

    def s_windows(self, windows: list[dict[str, Any]], align: str, n: int, unit: str, start: dt.date,
                  end: dt.date) -> Line:
        missed = [w for w in windows if w["status"] == "breached"]
        line = Line(self.w("windows", count=str(len(windows)), missed=str(len(missed))))
        for w in missed[:12]:
            if align == "gap":
                line.children.append(Line(self.w("gap_line", start=self.fmt.day(w["start"]),
                                                 end=self.fmt.day(w["end"]), limit=self.fmt.day(w["limit"]))))
            else:
                line.children.append(Line(self.w("window_line", start=self.fmt.day(w["start"]),
                                                 end=self.fmt.day(w["end"]), events=self.fmt.events(w["events"]))))
        return line
