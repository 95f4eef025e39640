"""Deadlines: the life of one obligation instance.

    trigger ──▶ pending ──fulfilled ≤ due──▶ met
                  │  ├──as_of > due, or fulfilled late──▶ breached ──▶ (a penalty remedies it)
                  │  ├──a waiver──▶ waived          (a breach waived: its penalty is 0.00)
                  │  ├──termination before due──▶ discharged
                  │  └──force majeure, still open──▶ suspended (once it ends, the due date moves)
                  └──extensions (dated events, in date order, capped) move the due date

The original due date is the trigger plus the period; each extension and each ended suspension moves it,
and the result lists them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from ..calendar import end_of_month
from ..dsl import Env, Missing, shifter
from ..dsl import types as t
from ..spec.model import Contract, Rule
from .common import NOT_APPLICABLE, expr_fn, not_applicable, obligation_outputs, value_or
from .context import Run
from .result import Finding, Obligation, Outputs
from .values import iso
from .words import message

_OPEN = ("pending", "breached")
_ENDINGS = frozenset({"waived_by", "discharged_by"})
_WORST_FIRST = ("breached", "pending", "suspended", "met", "discharged", "waived")


def deadline(run: Run, rule: Rule) -> Outputs:
    if not run.applies(rule):
        return not_applicable(run, rule, "applies_when")
    if "repeat_start" not in rule.exprs:
        return instance(run, rule, None)
    outputs: list[Outputs] = []
    instances = []
    for start, end in _periods(run, rule):
        run.env.period_start, run.env.period_end = start, end
        run.step("period", start=start, end=end)
        label = f"{iso(start)}/{iso(end)}"
        outputs.append(instance(run, rule, label))
        instances.append((label, None, (start, end), outputs[-1]))
    run.env.period_start = run.env.period_end = None
    return {**combine_obligations(outputs), "instances": tuple(instances)}


def _periods(run: Run, rule: Rule) -> list[tuple[dt.date, dt.date]]:
    start = run.compute(rule.exprs.get("repeat_start"), "repeat.start")
    step = run.compute(rule.exprs.get("repeat_every"), "repeat.every")
    until = run.compute(rule.exprs.get("repeat_until"), "repeat.until")
    every = rule.exprs["repeat_every"].type
    out: list[tuple[dt.date, dt.date]] = []
    while start <= until and len(out) < 500:
        nxt = shift(run, start, step, every)
        out.append((start, nxt - dt.timedelta(days=1)))
        start = nxt
    return out


def combine_obligations(outputs: list[Outputs]) -> Outputs:
    """What other rules read of an obligation with several instances: the worst status, summed lateness."""
    if len(outputs) == 1:  # as obligation_outputs gives them, written out (one instance is the usual case)
        (one,) = outputs
        status = one["status"] if one["status"] in _WORST_FIRST else "not_applicable"
        return {"status": status, "met": status == "met", "breached": status == "breached",
                "applies": status != "not_applicable", "late_days": one.get("late_days") or 0,
                "late_working_days": one.get("late_working_days") or 0}
    statuses = {o["status"] for o in outputs}
    status = next((s for s in _WORST_FIRST if s in statuses), "not_applicable")
    return obligation_outputs(status, late_days=sum(o.get("late_days") or 0 for o in outputs),
                              late_working_days=sum(o.get("late_working_days") or 0 for o in outputs))


def shift(run: Run, day: dt.date, n: int, unit: t.Type) -> dt.date:
    return shifter(unit, run.contract.calendar)(day, n)


def event_label(event: dict[str, Any]) -> str:
    return str(event.get("id") or f"{event['type']} {iso(event['date'])}")


def instance(run: Run, rule: Rule, label: str | None) -> Outputs:
    """One instance: its due date (with extensions and suspensions), fulfilment and lifecycle state."""
    try:
        original, due, moves = due_of(run, rule)
    except Missing as exc:
        return not_triggered(run, rule, label, exc.what)
    return settle(run, rule, label, original, due, moves)


def not_triggered(run: Run, rule: Rule, label: str | None, what: str) -> Outputs:
    """An instance whose due date needs what the case does not have: not applicable."""
    run.result.obligations.append(Obligation(rule, "not_applicable", instance=label))
    if run.tracing:
        run.step("not_triggered", what=what)
    return NOT_APPLICABLE  # shared: outputs are never changed once made


def settle(run: Run, rule: Rule, label: str | None, original: dt.date, due: dt.date,
           moves: list[dict[str, Any]]) -> Outputs:
    """The instance's state, given its due date: suspended, fulfilled, late, waived or discharged."""
    exprs = rule.exprs
    suspended_by = None
    if "suspended_by.events" in exprs and not _none(run, rule, "suspended_by.events"):
        due, moves, suspended_by = _suspensions(run, rule, due, moves, run.env.item)
    run.clock.ref = due  # parameters are read on the due date
    fulfilled = run.compute(exprs["fulfilled"], "fulfilled", None) if "fulfilled" in exprs else None
    as_of = run.case.as_of
    status = _status(fulfilled, due, as_of)
    by = None
    if status in _OPEN and (suspended_by is not None or not _ENDINGS.isdisjoint(rule.expr_groups)):
        status, by = _ended(run, rule, status, due, fulfilled, suspended_by)
    outputs = _entry(run, rule, label, status, original, due, fulfilled, moves, by)
    if run.tracing:
        run.step("outcome", status=status, due=due, fulfilled=fulfilled, as_of=as_of, by=by)
        if outputs["breached"]:
            cal, end = run.contract.calendar, fulfilled if fulfilled is not None else as_of
            run.step("late", days=cal.working_days(due, end), off=cal.days_off(due, end),
                     late_days=outputs["late_days"], calendar=cal.name, until=end, open=fulfilled is None)
    return outputs


def _status(fulfilled: dt.date | None, due: dt.date, as_of: dt.date) -> str:
    """Met or breached by when it was fulfilled; if it was not, breached once as_of is past the due date."""
    if fulfilled is not None:
        return "met" if fulfilled <= due else "breached"
    return "breached" if as_of > due else "pending"


def _entry(run: Run, rule: Rule, label: str | None, status: str, original: dt.date, due: dt.date,
           fulfilled: dt.date | None, moves: Sequence[dict[str, Any]], by: str | None) -> Outputs:
    """The instance's entry in the result, with how late it is (to its fulfilment, else to as_of), and its
    outputs (as obligation_outputs gives them: a settled instance applies)."""
    late = status == "breached"
    if late:
        end = fulfilled if fulfilled is not None else run.case.as_of
        late_days, late_wd = max(0, (end - due).days), max(0, run.contract.calendar.count(due, end))
    else:
        late_days = late_wd = 0
    # no extensions: the shared empty tuple (a result keeps no empty list per instance for the GC to visit)
    extra: dict[str, Any] = {"original_due": original, "extensions": moves or ()}
    if by is not None:
        extra["by"] = by
    run.result.obligations.append(Obligation(rule, status, due, fulfilled, late_days, late_wd, label, extra))
    return {"status": status, "met": status == "met", "breached": late, "applies": True, "due": due,
            "fulfilled": fulfilled, "late_days": late_days, "late_working_days": late_wd, "original_due": original,
            "by": by}


Instance = Callable[[Run, Env, "str | None"], Outputs]


def plain_instance(rule: Rule, contract: Contract) -> tuple[frozenset[str], Instance] | None:
    """Untraced, one instance of a deadline in a case without the events its other lists draw from (dated
    extensions, suspensions, waivers, discharges): `due_of` and `settle` with those lists empty and with
    what the rule fixes (its expressions, unit, roll, calendar) looked up once. Returns (those event types,
    the instance); None when a list's event types cannot be told (the rule then always takes the general
    path). A Missing `from`/`period`/`due` is not triggered, as `instance` says it."""
    exprs = rule.exprs
    listed = [key for key in ("extensions.events", "suspended_by.events", *rule.expr_groups.get("waived_by", ()),
                              *rule.expr_groups.get("discharged_by", ())) if key in exprs]
    if "repeat_start" in exprs or any(key not in rule.listed_from for key in listed):
        return None
    others = frozenset().union(*(rule.listed_from[key] for key in listed))
    due_of_case = _plain_due(rule, contract)
    fulfilled_fn = expr_fn(rule, "fulfilled")
    fulfilled_probe = exprs["fulfilled"].probe if "fulfilled" in exprs else None  # None, not Missing (the usual)

    def one(run: Run, env: Env, label: str | None) -> Outputs:
        try:
            dates = due_of_case(run, env)
        except Missing as exc:
            return not_triggered(run, rule, label, exc.what)
        if dates is None:
            return not_triggered(run, rule, label, "from")
        original, due = dates
        run.clock.ref = due  # parameters are read on the due date
        fulfilled = fulfilled_probe(env) if fulfilled_probe is not None else value_or(fulfilled_fn, env, None)
        return _entry(run, rule, label, _status(fulfilled, due, run.case.as_of), original, due, fulfilled, (), None)
    return others, one


def _plain_due(rule: Rule, contract: Contract) -> Callable[[Run, Env], tuple[dt.date, dt.date] | None]:
    """(original due date, due date) as `due_of` gives them when no dated extension is listed; None when the
    `from` date is not there (a probe says so without Missing), Missing when another part is not."""
    exprs = rule.exprs
    if "due" in exprs:
        due_fn = exprs["due"].fn

        def given(run: Run, env: Env) -> tuple[dt.date, dt.date] | None:
            due: dt.date = due_fn(env)
            return due, due
        return given
    from_fn, period_fn, unit = exprs["from"].probe or exprs["from"].fn, exprs["period"].fn, exprs["period"].type
    cap_fn, ext_fn = expr_fn(rule, "max_extension"), expr_fn(rule, "extension")
    step = shifter(unit, contract.calendar)
    rolled = rule.options.get("roll", "none") != "none"

    def computed(run: Run, env: Env) -> tuple[dt.date, dt.date] | None:
        start = from_fn(env)
        if start is None:  # the trigger has not happened (its probe gives None)
            return None
        n = period_fn(env)
        original = step(start, n)
        cap, ext = value_or(cap_fn, env, None), value_or(ext_fn, env, 0)
        if cap is not None and ext > cap:
            _capped(run, rule, ext, cap, unit, None)
            ext = cap
        due = step(start, n + ext) if ext else original
        if rolled:
            return _roll(run, rule, original, trace=False), _roll(run, rule, due)
        return original, due
    return computed


def _ended(run: Run, rule: Rule, status: str, due: dt.date, fulfilled: dt.date | None,
           suspended_by: str | None) -> tuple[str, str | None]:
    """An open or breached instance may have been waived, discharged (by termination) or suspended."""
    as_of = run.case.as_of
    for event in _ending(run, rule, "waived_by"):
        if event["date"] <= as_of:
            run.step("waived", event=event_label(event), date=event["date"])
            return "waived", event_label(event)
    for event in _ending(run, rule, "discharged_by"):
        if event["date"] <= min(due, as_of) and (fulfilled is None or event["date"] < fulfilled):
            run.step("discharged", event=event_label(event), date=event["date"])
            return "discharged", event_label(event)
    if suspended_by is not None and fulfilled is None:
        return "suspended", suspended_by
    return status, None


def _ending(run: Run, rule: Rule, key: str) -> list[dict[str, Any]]:
    """The events of `waived_by` / `discharged_by` (one list, or several), in date order."""
    keys = [k for k in rule.expr_groups.get(key, ()) if not _none(run, rule, k)]
    events = [e for k in keys for e in run.compute(rule.exprs[k], key, [])]
    return sorted(events, key=lambda e: e["date"]) if len(keys) > 1 else events


def due_of(run: Run, rule: Rule) -> tuple[dt.date, dt.date, list[dict[str, Any]]]:
    """The original due date, the due date after extensions, and the extensions applied."""
    if "due" in rule.exprs:
        due: dt.date = run.compute(rule.exprs.get("due"), "due")
        return due, due, []
    start: dt.date = run.compute(rule.exprs.get("from"), "from")
    period_expr = rule.exprs["period"]
    unit = period_expr.type
    n: int = run.compute(period_expr, "period")
    original = _roll(run, rule, shift(run, start, n, unit), trace=False)
    cap = run.compute(rule.exprs.get("max_extension"), "max_extension", None)
    ext: int = run.compute(rule.exprs.get("extension"), "extension", 0)
    if cap is not None and ext > cap:
        _capped(run, rule, ext, cap, unit, None)
        ext = cap
    moves: list[dict[str, Any]] = []
    if not _none(run, rule, "extensions.events"):
        for event in run.compute(rule.exprs.get("extensions.events"), "extensions", []):
            ext = _extension(run, rule, event, start, n, ext, cap, unit, moves)
    raw_due = shift(run, start, n + ext, unit)
    if run.tracing:
        cal = run.contract.calendar
        run.step("due", start=start, n=n, extension=ext, unit=unit.name, due=raw_due,
                 off=cal.days_off(start, raw_due) if unit == t.WORKING_DAYS else [], calendar=cal.name)
    return original, _roll(run, rule, raw_due), moves


def _none(run: Run, rule: Rule, key: str) -> bool:
    """Untraced, whether the list `key` is known to be empty without computing it (no event of the types it
    draws from). Traced, it is computed: the trace shows the empty list and the expression it came from."""
    return not run.tracing and rule.none_listed(key, run.env.events)


def _extension(run: Run, rule: Rule, event: dict[str, Any], start: dt.date, n: int, ext: int, cap: int | None,
               unit: t.Type, moves: list[dict[str, Any]]) -> int:
    """Apply one dated extension; one agreed after the due date, or beyond the cap, is a finding naming it."""
    run.env.it = event
    try:
        length: int = run.compute(rule.exprs.get("extensions.length"), "extensions.length", 0)
    finally:
        run.env.it = None
    current = _roll(run, rule, shift(run, start, n + ext, unit), trace=False)
    label = event_label(event)
    move: dict[str, Any] = {"event": label, "date": event["date"], "length": length, "unit": unit.name}
    if event["date"] > current:
        move["agreed_after_due"] = True
        _finding(run, rule, "extension_after_due", event=label, date=event["date"], due=current)
    if cap is not None and ext + length > cap:
        _capped(run, rule, ext + length, cap, unit, label)
        length = max(0, cap - ext)
        move["capped_to"] = length
    moves.append(move)
    run.step("extended", event=label, date=event["date"], length=length, unit=unit.name)
    return ext + length


def _suspensions(run: Run, rule: Rule, due: dt.date, moves: list[dict[str, Any]], item: Any
                 ) -> tuple[dt.date, list[dict[str, Any]], str | None]:
    """Force majeure: an ended suspension moves the due date by the days it covered between the duty's
    start (the trigger, else the start of its period) and the due date; one still running at as_of
    suspends the instance."""
    if "suspended_by.events" not in rule.exprs:
        return due, moves, None
    began = _began(run, rule, item)
    unit = t.WORKING_DAYS if "period" in rule.exprs and rule.exprs["period"].type == t.WORKING_DAYS else t.DAYS
    counted_to = began  # the period's days start after the trigger; days up to counted_to are counted
    open_by = None
    for event in run.compute(rule.exprs.get("suspended_by.events"), "suspended_by", []):  # in date order
        if event["date"] > min(due, run.case.as_of):  # after the (moved) due date: it takes nothing from it
            continue
        run.env.it = event
        try:
            until = run.compute(rule.exprs.get("suspended_by.until"), "suspended_by.until", None)
        finally:
            run.env.it = None
        if until is None or until > run.case.as_of:
            open_by = event_label(event)
            continue
        first = max(event["date"], counted_to + dt.timedelta(days=1) if counted_to > dt.date.min else counted_to)
        last = min(until, due)
        covered = _covered(run, first, last, unit)  # 0 if it ended before the duty arose, or overlaps only
        counted_to = max(counted_to, last)
        if covered > 0:
            due = shift(run, due, covered, unit)
            moves.append({"event": event_label(event), "date": event["date"], "until": until, "length": covered,
                          "unit": unit.name, "suspension": True})
            run.step("suspended", event=event_label(event), start=event["date"], until=until, length=covered)
    return due, moves, open_by


def _began(run: Run, rule: Rule, item: Any) -> dt.date:
    """When the duty arose: its `from` date, else its trigger's date, else its period's start."""
    if "from" in rule.exprs:
        try:
            began: dt.date = rule.exprs["from"].fn(run.env)  # computed (and traced) once already by _due
            return began
        except Missing:
            pass
    if isinstance(item, dict) and isinstance(item.get("date"), dt.date):
        day: dt.date = item["date"]
        return day
    return run.env.period_start or dt.date.min


def _covered(run: Run, first: dt.date, last: dt.date, unit: t.Type) -> int:
    """The (working) days in [first, last]: what a suspension took from the period."""
    if last < first:
        return 0
    if unit == t.WORKING_DAYS:
        return run.contract.calendar.count(first - dt.timedelta(days=1), last)
    return (last - first).days + 1


def _capped(run: Run, rule: Rule, asked: int, cap: int, unit: t.Type, event: str | None) -> None:
    _finding(run, rule, "extension_capped", asked=asked, cap=cap, unit=unit.name, event=event)
    run.step("extension_capped", asked=asked, cap=cap, unit=unit.name)


def _finding(run: Run, rule: Rule, key: str, **data: Any) -> None:
    run.result.findings.append(Finding(rule, "warning", message(run.result.lang, key, **data)))


def _roll(run: Run, rule: Rule, due: dt.date, *, trace: bool = True) -> dt.date:
    mode = rule.options.get("roll", "none")
    if mode == "end_of_month":
        rolled = end_of_month(due)
        if trace:
            run.step("rolled", mode=mode, start=due, due=rolled, passed=[])
        return rolled
    if mode in ("next_weekday", "next_working_day"):
        cal = run.contract.weekday_calendar if mode == "next_weekday" else run.contract.calendar
        rolled, passed = cal.roll_forward(due)
        if passed and trace:
            run.step("rolled", mode=mode, start=due, due=rolled, passed=passed)
        return rolled
    return due
