"""A derivation as a tree of lines, built from a trace in one language; drawn as text or HTML."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..calendar.workdays import DayOff
from ..dsl import ast
from ..dsl import types as t
from ..runtime.result import CaseResult
from ..runtime.trace import Formula, Step, TraceNode
from ..spec.model import Rule
from .exprtext import substituted
from .fmt import PlainFormatter
from .plain import Names, humane, in_words, item_words, missing_words
from .words import label_word, word


@dataclass
class Line:
    text: str
    children: list[Line] = field(default_factory=list)


_LIFECYCLE = ("extensions", "suspended_by", "waived_by", "discharged_by")


def build(result: CaseResult, rule: str | None = None, instance: str | None = None,
          detail: bool = False) -> list[Line]:
    """Lines for the rules worth explaining (or for one rule, or one instance of it), each with the rules
    it used beneath. `detail` adds the raw expressions and identifiers beneath the sentences."""
    nodes = {n.rule + (f"#{n.instance}" if n.instance else ""): n for n in result.trace}
    builder = _Builder(result, nodes, detail)
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


def _instances_read(node: TraceNode) -> list[tuple[str, str]]:
    """(rule, instance) of every instance the node's formulas read with instance(), in the order they were read
    (also inside its local functions' calls)."""
    out: list[tuple[str, str]] = []

    def gather(values: dict[Any, Any]) -> None:
        for key, made in values.items():
            if isinstance(key, tuple) and key[0] == "instances":
                out.extend((key[1], name) for name in made)
            elif isinstance(key, tuple) and key[0] == "calls":
                for _, inner, _ in made:
                    gather(inner)
    for step in node.steps:
        formula = step.data.get("formula")
        if isinstance(formula, Formula):
            gather(formula.values)
    return list(dict.fromkeys(out))


def check_status(node: TraceNode, rule: Rule | None) -> str:
    """What a check's trace says of it: it fails; it could not be checked (its condition or its requirement
    needs what the case does not have: the `missing` lines beneath say what); it does not apply (its condition
    is false); else it is met. A check that was not checked or does not apply gives other rules `holds: true`,
    but it was not met, and the explanation says so."""
    if not node.outcome.get("holds", True):
        return "check_failed"
    if any(s.key == "not_applicable" for s in node.steps):
        condition = rule.exprs.get("applies_when") if rule is not None else None
        read = {"applies_when"} | ({f"let.{sym.name}" for sym in condition.checked.symbols.values()
                                    if sym.kind == "let"} if condition is not None else set())
        missing = any(s.key == "missing" and s.data.get("label") in read for s in node.steps)
        return "not_checked" if missing else "not_applicable"
    if any(s.key == "missing" and s.data.get("label") == "assert" for s in node.steps):
        return "not_checked"
    return "met"


class _Builder:
    def __init__(self, result: CaseResult, nodes: dict[str, TraceNode], detail: bool = False) -> None:
        self.result, self.nodes, self.detail = result, nodes, detail
        self.lang = result.lang
        self.fmt = PlainFormatter(result.lang, result.contract)
        self.names = Names(result.contract, result.lang)
        self.top = True

    def w(self, key: str, **values: str) -> str:
        return word(self.lang, key, **values)

    def node(self, node: TraceNode, seen: frozenset[str] = frozenset()) -> Line:
        line = Line(self.header(node))
        authored = self.authored(node)
        if authored:
            line.children.append(Line(authored))
        if self.detail:
            line.children.append(Line(f"{self.w('rule_id')}: {node.rule}"))
        if node.kind == "deadline":
            summary = self.deadline_summary(node)
            if summary:
                line.children.append(Line(summary))
        self.names.item = self.each_title(node)
        self.top = not seen  # the node explained, not one it read
        rule = self.result.contract.rule(node.rule)
        self.names.lets = rule.options.get("let_titles", {}) if rule is not None else {}
        said: set[str] = set()
        for step in node.steps:
            built = self.step(step)
            if built is not None and built.text not in said:  # a date computed twice is said once
                said.add(built.text)
                line.children.append(built)
        self.names.item, self.names.lets = None, {}
        shown: set[int] = set()
        for dep in node.uses:
            child = self.nodes.get(f"{dep}#{node.instance}") or self.nodes.get(dep)
            if child is not None and dep not in seen and _reached(child):
                shown.add(id(child))
                line.children.append(self.node(child, seen | {node.rule}))
        for dep, name in _instances_read(node):  # instance(RULE, e) of other elements than its own
            child = self.nodes.get(f"{dep}#{name}")
            if child is not None and id(child) not in shown and dep not in seen and _reached(child):
                shown.add(id(child))
                line.children.append(self.node(child, seen | {node.rule}))
        return line

    def authored(self, node: TraceNode) -> str | None:
        """The rule's own `explain:` sentence, its {placeholders} filled from the outcome (unknown ones kept)."""
        rule = self.result.contract.rule(node.rule)
        if rule is None or rule.explain is None:
            return None
        values: dict[str, Any] = {}
        for dep in node.uses:  # the outputs of what it read (its obligation's instance), then its own
            used = self.nodes.get(f"{dep}#{node.instance}") or self.nodes.get(dep)
            if used is not None:
                values.update(used.outcome)
        for entry in (*self.result.penalties, *self.result.payments):
            if entry.rule.id == node.rule and entry.instance == node.instance:
                values.update(entry.extra)  # units, rate, basis
        values.update(node.outcome)
        values["instance"] = self.fmt.instance(node.instance) if node.instance else ""

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in values or values[name] is None:
                return match.group(0)
            value = values[name]
            if name == "status":
                return self.w(str(value))
            if name in ("amount", "rate", "basis") and isinstance(value, Decimal | str):
                return self.fmt.money(Decimal(value))  # result entries hold amounts as decimal strings
            return self.fmt.value(value)
        return re.sub(r"\{([a-z_][a-z0-9_]*)\}", fill, rule.explain.get(self.lang))

    def header(self, node: TraceNode) -> str:
        title = node.title.get(self.lang)
        src = node.source
        cite = src.cite()
        if node.instance:
            title = f"{title} [{self.fmt.instance(node.instance)}]"
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
            status = check_status(node, self.result.contract.rule(node.rule))
            return f"{self.w('check')}: {title} — {self.w(status)} ({cite})"
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

    def label(self, label: str) -> str:
        """What a formula's label is called: a local name by its title when `let:` gives one."""
        name = label.removeprefix("let.")
        if name != label and name in self.names.lets:
            return self.names.lets[name].get(self.lang)
        return label_word(self.lang, label)

    def s_formula(self, formula: Formula) -> Line | None:
        if formula.label in ("applies_when", "events") or isinstance(formula.expr.checked.node, ast.Quantity):
            return None
        if formula.label == "value" and not self.top:
            return None  # a value read beneath another rule: its headline gives it (its derivation is its own)
        if formula.label in _LIFECYCLE and not formula.value:
            return None  # no extension, suspension, waiver or discharge: nothing to say
        typ = formula.expr.type
        value = self.fmt.value(formula.value, typ)
        said = in_words(formula.expr.checked, formula.values, self.fmt, self.names)
        text = f"{self.w('computed_as') if formula.label == 'value' else self.label(formula.label)}: "
        passed_on = said == value
        if passed_on:  # the expression passes a value on: say where it comes from
            said = in_words(formula.expr.checked, formula.values, self.fmt, self.names, named=True)
        text += f"{said} = {value}" if said is not None and said != value and len(said) < 240 else value
        line = Line(text)
        if not passed_on:
            line.children.extend(self.facts(formula))
        line.children.extend(self.rolls(formula))
        line.children.extend(self.calls(formula))
        if self.detail:
            raw = " ".join(formula.expr.text.split())
            filled = substituted(formula.expr.checked, formula.values, self.fmt)
            line.children.append(Line(f"{self.w('expression')}: {raw}" + (f" = {filled}" if filled != value else "")))
        return line

    def facts(self, formula: Formula) -> list[Line]:
        """The case's own facts the formula read, by their titles."""
        out = []
        for node, value in formula.values.items():
            sym = formula.expr.checked.symbols.get(node)
            if isinstance(node, ast.Name) and sym is not None and sym.kind == "fact":
                title = self.names.title("fact", node.name) or node.name
                shown = self.fmt.value(value, formula.expr.checked.types.get(node))
                out.append(Line(f"{self.w('given')}: «{title}» = {shown}"))
        return out

    def calls(self, formula: Formula) -> list[Line]:
        """Each call of a local function (`let` with `params`) the formula made: the function by its title, its
        arguments, and its body's derivation with the values of that call (the facts it read beneath)."""
        out = []
        for key, made in formula.values.items():
            if not (isinstance(key, tuple) and key[0] == "calls"):
                continue
            sym = formula.expr.checked.symbols.get(key[1])
            if sym is None or sym.kind != "function":
                continue
            fn, title = sym.ref, self.names.lets.get(sym.name)
            name = title.get(self.lang) if title else sym.name
            for args, values, value in made:
                given = ", ".join(self.fmt.value(v, typ) for v, (_, typ) in zip(args, fn.params, strict=True))
                body = Formula(sym.name, fn.body, values, value)
                shown = self.fmt.value(value, fn.body.type)
                said = in_words(fn.body.checked, values, self.fmt, self.names)
                worded = said is not None and said != shown and len(said) < 240
                line = Line(f"{name} ({given}): " + (f"{said} = {shown}" if worded else shown))
                line.children.extend([*self.facts(body), *self.rolls(body), *self.calls(body)])
                out.append(line)
        return out

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

    def event_label(self, label: str | None) -> str:
        """An event as the runtime labels it (its id, or 'type ISO-date'), with the type's title."""
        if not label:
            return "—"
        kind, _, day = label.partition(" ")
        if day and kind in self.result.contract.events:
            try:
                return f"«{self.fmt.event_title(kind)}» {self.fmt.day(dt.date.fromisoformat(day))}"
            except ValueError:
                pass
        return label

    def what(self, name: str) -> str:
        """A name the runtime reports as missing, by its title."""
        return missing_words(name, self.names)

    def deadline_summary(self, node: TraceNode) -> str:
        """One sentence: trigger; period → due date (days that did not count); fulfilment: how late."""
        steps = {s.key: s.data for s in node.steps}
        due = steps.get("due")
        if due is None:
            return ""
        formulas = {s.data["formula"].label: s.data["formula"] for s in node.steps if s.key == "formula"}
        trigger = self.trigger_title(node, formulas.get("from"), "from")
        period = self.fmt.duration(due["n"] + due["extension"], due["unit"])
        text = f"{trigger} {self.fmt.day(due['start'])}; {self.w('period')} {period} → {self.fmt.day(due['due'])}"
        named = [off for off in due["off"] if off.reason != "weekend" and off.date.weekday() < 5]
        if named:
            text += f" ({self.w('not_counted', days=self.listed([self.holiday(o) for o in named]))})"
        outcome = steps.get("outcome", {})
        done = outcome.get("fulfilled")
        if isinstance(done, dt.date):
            text += f"; {self.trigger_title(node, formulas.get('fulfilled'), 'fulfilled')} {self.fmt.day(done)}"
        late = steps.get("late")
        if late is not None and late["days"]:
            how = self.fmt.duration(len(late["days"]), "working_days")
            text += f": {self.w('too_late', n=how)}"
        elif outcome.get("status") == "met":
            text += f": {self.w('in_time')}"
        return text

    def each_title(self, node: TraceNode) -> str | None:
        """How `item` reads in a rule with `each:` (or remedying one): plain.item_words."""
        contract = self.result.contract
        rule = contract.rule(node.rule)
        if rule is not None and rule.remedies is not None and "each" not in rule.exprs:
            rule = contract.rule(rule.remedies)
        expr = rule.exprs.get("each") if rule is not None else None
        return item_words(expr.checked if expr is not None else None, self.names)

    def trigger_title(self, node: TraceNode, formula: Formula | None, fallback: str) -> str:
        """The title of the event type a date formula reads ('Ordregiver har sendt påkrav …'); for a duty that
        arises per event (`each:`), the type of that event."""
        if formula is None:
            return self.w(fallback).capitalize()
        checked = [formula.expr.checked]
        rule = self.result.contract.rule(node.rule)
        if rule is not None and "each" in rule.exprs:
            checked.append(rule.exprs["each"].checked)
        for c in checked:
            for part in ast.walk(c.node):
                sym = c.symbols.get(part)
                if isinstance(part, ast.Name) and sym is not None and sym.kind == "events":
                    return self.names.title("events", part.name) or humane(part.name)
        return self.w(fallback).capitalize()

    def holiday(self, off: DayOff) -> str:
        name = off.name_da if self.lang == "da" else off.name_en
        return name.lower() if self.lang == "da" else name

    def listed(self, parts: list[str]) -> str:
        if len(parts) < 2:
            return "".join(parts)
        return ", ".join(parts[:-1]) + f" {self.w('and')} " + parts[-1]

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
        why = f" ({self.w('by_event', event=self.event_label(by))})" if by else ""
        return Line(f"{self.w('status')}: {self.w(status)}{why}; {self.w('due')} {self.fmt.day(due)}, "
                    f"{self.w('fulfilled')} {done}")

    def s_extended(self, event: str, date: dt.date, length: int, unit: str) -> Line:
        return Line(self.w("extended", length=self.fmt.duration(length, unit), event=self.event_label(event),
                           date=self.fmt.day(date)))

    def s_suspended(self, event: str, start: dt.date, until: dt.date, length: int) -> Line:
        return Line(self.w("suspension", event=self.event_label(event), start=self.fmt.day(start),
                           until=self.fmt.day(until),
                           length=self.fmt.duration(length, "working_days")))

    def s_waived(self, event: str | None, date: dt.date | None = None) -> Line:
        return Line(self.w("waived_line", event=self.event_label(event)))

    def s_discharged(self, event: str, date: dt.date) -> Line:
        return Line(self.w("discharged_line", event=self.event_label(event), date=self.fmt.day(date)))

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
        shown = title.get(self.lang) if title is not None and title.get(self.lang) else name
        shown = humane(name) if shown == name else shown  # no title of its own: at least no identifier
        text = f"{self.w('param')} «{shown}» = {self.fmt.value(value, type)}"
        if dated and start:
            text += f" ({self.w('since')} {self.fmt.date(start)})"
        if source is not None:
            text += f" — {source.cite()}"
        if assumption:
            text += f" — {self.w('assumed')}: {assumption}"
        line = Line(text)
        if self.detail:
            line.children.append(Line(f"{self.w('name')}: {name}"))
        return line

    def s_assumption(self, id: str, reading: str, text: Any) -> Line:
        decl = self.result.contract.assumptions.get(id)
        title = decl.title.get(self.lang) if decl is not None else humane(id)
        line = Line(f"{self.w('assumption')} «{title}»: {text.get(self.lang)}")
        if self.detail:
            line.children.append(Line(f"{self.w('name')}: {id}={reading}"))
        return line

    def s_missing(self, label: str, what: str, expr: str, alternatives: Sequence[str] = ()) -> Line:
        """What a formula needed and the case does not give; with `??`, every side it could have come from
        ('«order value» or «hourly price»')."""
        said = f" {self.w('or')} ".join(self.what(name) for name in (*alternatives, what))
        line = Line(f"{self.w('missing')}: {said} ({self.label(label)})")
        if self.detail:
            line.children.append(Line(f"{self.w('expression')}: {expr}"))
        return line

    def s_not_triggered(self, what: str) -> Line:
        return Line(self.w("not_triggered", what=self.what(what)))

    def s_extension_capped(self, asked: int, cap: int, unit: str) -> Line:
        return Line(self.w("extension_capped", asked=self.fmt.duration(asked, unit), cap=self.fmt.duration(cap, unit)))

    def s_finding(self, severity: str, message: str) -> Line:
        return Line(f"{self.w('finding')} ({self.w('severity_' + severity)}): {message}")

    def s_judgement_needed(self, event: str) -> Line:
        return Line(self.w("judgement_needed", event=self.fmt.event_title(event)))

    def s_judged(self, date: dt.date, outcome: str, note: Any) -> Line:
        return Line(self.w("judged", date=self.fmt.day(date), outcome=self.w(outcome)) + (f" — {note}" if note else ""))

    def s_period(self, start: dt.date, end: dt.date) -> Line:
        return Line(self.w("period_inst", start=self.fmt.date(start), end=self.fmt.date(end)))

    def s_windows(self, windows: list[dict[str, Any]], align: str, n: int, unit: str, start: dt.date,
                  end: dt.date, measured: str | None = None) -> Line:
        """The windows and the missed ones; with `measure:` (`measured` names its type) what each came to."""
        missed = [w for w in windows if w["status"] == "breached"]
        line = Line(self.w("windows", count=str(len(windows)), missed=str(len(missed))))
        for w in missed[:12]:
            if align == "gap":
                line.children.append(Line(self.w("gap_line", start=self.fmt.day(w["start"]),
                                                 end=self.fmt.day(w["end"]), limit=self.fmt.day(w["limit"]))))
            else:
                events = self.fmt.events(w["events"])
                if measured:  # a measure: what the window came to, of what it needs
                    typ = t.SCALARS.get(measured)
                    events += " " + self.w("measured", recorded=self.fmt.value(w.get("recorded"), typ),
                                           required=self.fmt.value(w.get("required"), typ))
                line.children.append(Line(self.w("window_line", start=self.fmt.day(w["start"]),
                                                 end=self.fmt.day(w["end"]), events=events)))
        return line
