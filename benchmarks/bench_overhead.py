"""Engine overhead: rulekit against a hand-written plain-Python implementation of the same rules.

    .venv/bin/python benchmarks/bench_overhead.py            # 100,000 cases
    .venv/bin/python benchmarks/bench_overhead.py -n 20000 --seed 3

N generated København cases (benchmarks/generate.py) go through
  (a) rulekit: `evaluate_case(contract, case_dict, trace=False)` — input validation included;
  (b) the hand-written code below: the rules those cases exercise, coded directly in Python with a
      working-day calendar of its own (the `holidays` package plus 24/12, 31/12 and 5/6).
Both start from the same dicts, as `json.loads(line, parse_float=Decimal)` gives them. Every case's
results are compared (status, due date, late working days, missed windows, penalty and payment
amounts, finding rule ids and severities, totals); every rule the hand-written code does not
implement must be not_applicable / absent in rulekit's result. The first mismatch aborts the run.
The target: rulekit at most 3× the hand-written time (the long-term goal is 1.5×).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
import time
from bisect import bisect_left, bisect_right
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import holidays

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from benchutil import machine  # noqa: E402

from rulekit.cli.batch import encode  # noqa: E402

CONTRACT = ROOT / "contracts" / "kobenhavn.yaml"

# =================================================================================================
# The hand-written implementation
# =================================================================================================
D = dt.date
ONE = dt.timedelta(days=1)
CENT = Decimal("0.01")
TEN_PERCENT = Decimal("0.10")
MIN_DAILY = Decimal(3000)
fromiso = dt.date.fromisoformat


class Calendar:
    """Working days: Mon–Fri except Danish public holidays, 24/12, 31/12 and 5/6. O(1) add and count
    from a cumulative count per day."""

    def __init__(self, first: int = 2015, last: int = 2032) -> None:
        years = range(first, last + 1)
        self.public = frozenset(holidays.country_holidays("DK", years=years))
        closed = set(self.public) | {D(y, m, d) for y in years for m, d in ((12, 24), (12, 31), (6, 5))}
        self.base = D(first, 1, 1).toordinal()
        span = D(last, 12, 31).toordinal() - self.base + 1
        self.cum: list[int] = []
        self.ords: list[int] = []
        n = 0
        for i in range(span):
            day = D.fromordinal(self.base + i)
            if day.weekday() < 5 and day not in closed:
                n += 1
                self.ords.append(self.base + i)
            self.cum.append(n)

    def add(self, day: D, n: int) -> D:
        """The n-th working day strictly after `day` (n ≥ 1)."""
        if n == 0:
            return day
        return D.fromordinal(self.ords[self.cum[day.toordinal() - self.base] + n - 1])

    def count(self, start: D, end: D) -> int:
        """Working days in (start, end]."""
        base = self.base
        return self.cum[end.toordinal() - base] - self.cum[start.toordinal() - base]

    def next_weekday(self, day: D) -> D:
        """`day` or the next Monday–Friday that is not a public holiday (pkt. 5.3.2, literal reading)."""
        public = self.public
        while day.weekday() >= 5 or day in public:
            day += ONE
        return day


CAL = Calendar()

# offering: max_duration (weeks), hours_min, hours_max, weekly_followup, visit_interval (weeks),
#           placement_followup_interval (days), match_deadline (weeks)
_H = Decimal
OFFERINGS: dict[str, tuple[int | None, Decimal | None, Decimal | None, bool, int | None, int | None, int | None]] = {
    "A1-1A": (26, _H(2), _H(4), False, None, 14, None),
    "A1-1B": (26, _H(5), _H(7), False, None, 14, None),
    "A1-1C": (26, _H(8), _H(14), False, None, 14, 6),
    "A1-1D": (26, _H(15), _H(25), False, None, 14, 6),
    "A1-2A": (12, _H("0.5"), _H("0.5"), True, 6, None, None),
    "A1-2B": (12, _H(1), _H(3), True, 4, None, None),
    "A1-3": (12, _H(5), _H(10), False, None, None, None),
    "A1-4": (26, _H(1), _H(4), False, None, None, None),
    "A1-5": (26, _H(5), _H(9), False, None, 14, None),
    "A1-E1": (None, _H(1), None, False, None, None, None),
    "A1-E2": (None, _H("0.5"), _H("0.5"), False, None, None, None),
    "A1-E3": (None, None, None, False, None, None, None),
    "A2-1A": (13, _H(3), _H(5), False, None, 14, 13),
    "A2-1B": (13, _H(4), _H(6), False, None, 14, 6),
    "A2-1C": (13, _H(7), _H(15), False, None, 14, 6),
    "A2-2A": (12, _H("0.5"), _H("0.5"), True, 6, None, None),
    "A2-2B": (12, _H(1), _H(3), True, 4, None, None),
    "A2-3": (6, _H(2), _H(6), False, None, None, None),
    "A2-E1": (None, _H(1), None, False, None, None, None),
    "A2-E2": (None, _H("0.5"), _H("0.5"), False, None, None, None),
    "A2-E3": (None, None, None, False, None, None, None),
    "A3": (None, None, None, False, None, None, None),
    "A4": (10, _H(1), _H(1), False, None, None, None),
}
NO_OFFERING = (None, None, None, False, None, None, None)

IMPLEMENTED = (
    "documentation_on_demand", "daily_penalty_documentation", "account_on_demand", "daily_penalty_account",
    "payment_due", "late_payment_interest", "order_delivery", "daily_penalty_order_delivery",
    "duration_within_typical", "weekly_hours_within_range", "weekly_followup", "company_visits_blocks",
    "placement_followup", "match_milestone", "a4_schedule_at_start", "a4_weekly_sessions",
    "a4_psychiatrist_session",
)


def _dec(value: Any) -> Decimal:
    return value if type(value) is Decimal else Decimal(value)


def _money(value: Decimal) -> str:
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):f}"


def _paid_in_full(paid: list[tuple[D, Decimal]], amount: Decimal) -> D | None:
    """The day the payments (in date order) reach the invoice amount, if they do."""
    so_far = Decimal(0)
    for day, part in paid:
        so_far += part
        if so_far >= amount:
            return day
    return None


def _interest(paid: list[tuple[D, Decimal]], amount: Decimal, due: D, until: D, rate: Decimal) -> Decimal:
    """Simple interest (pkt. 6.1.3): on each part paid after the due date from the due date to its day, and on what
    is unpaid the day before `until` from the due date to `until`; 365 days a year."""
    late = sum((part * (day - due).days * rate / 365 for day, part in paid if due < day < until), Decimal(0))
    rest = amount - sum((part for day, part in paid if day < until), Decimal(0))
    return late + rest * (until - due).days * rate / 365


def _deadline(due: D, fulfilled: D | None, as_of: D) -> tuple[str, D, int, None]:
    if fulfilled is not None:
        if fulfilled <= due:
            return ("met", due, 0, None)
        end = fulfilled
    elif as_of > due:
        end = as_of
    else:
        return ("pending", due, 0, None)
    return ("breached", due, CAL.count(due, end), None)


def _windows(dates: list[D], start: D, end: D, as_of: D, days: int, iso: bool) -> tuple[str, None, None, int]:
    """At least one event in every ISO week, or in every block of `days` from the start. A window still
    open at as_of while the course goes on is pending; a last window cut short by the end of the course
    is not required."""
    lo = start - dt.timedelta(days=start.weekday()) if iso else start
    step = dt.timedelta(days=days)
    last = dt.timedelta(days=days - 1)
    until = min(end, as_of)
    going_on = end >= as_of
    missed = pending = windows = 0
    while lo <= end:
        hi = lo + last
        windows += 1
        a = lo if lo > start else start
        b = hi if hi < end else end
        if hi > until and going_on:
            if bisect_right(dates, b) == bisect_left(dates, a):
                pending += 1
        elif hi <= end and bisect_right(dates, b) == bisect_left(dates, a):
            missed += 1
        lo += step
    status = "breached" if missed else "pending" if pending or not windows else "met"
    return (status, None, None, missed)


def _gaps(dates: list[D], start: D, end: D, as_of: D, days: int) -> tuple[str, None, None, int]:
    """No stretch between the start, the events and the end longer than `days`; the last stretch is
    pending while the placement goes on (end on or after as_of)."""
    until = min(end, as_of)
    points = [start, *[d for d in dates if start < d <= until]]
    limit = dt.timedelta(days=days)
    missed = pending = 0
    last = len(points) - 1
    for i, a in enumerate(points):
        b = until if i == last else points[i + 1]
        if b > a + limit:
            missed += 1
        elif i == last and end >= as_of:
            pending += 1
    status = "breached" if missed else "pending" if pending else "met"
    return (status, None, None, missed)


def handwritten(case: dict[str, Any]) -> tuple[Any, ...]:
    """The København rules the generated cases exercise. Returns the same projection as `project`."""
    as_of = fromiso(case["as_of"])
    facts = case.get("facts") or {}
    fact = facts.get
    offering = case.get("offering")
    max_weeks, hours_min, hours_max, weekly, visit_weeks, placement_days, match_weeks = (
        OFFERINGS[offering] if offering else NO_OFFERING)
    ev: dict[str, list[tuple[D, dict[str, Any]]]] = {}
    for e in case.get("events") or ():
        ev.setdefault(e["type"], []).append((fromiso(e["date"]), e))
    for items in ev.values():
        if len(items) > 1:
            items.sort(key=lambda x: x[0])
    get = ev.get
    order_start = fromiso(fact("order_start")) if fact("order_start") else None
    order_end = fromiso(fact("order_end")) if fact("order_end") else None
    late_value = fact("value_of_late_part")
    late_value = _dec(late_value) if late_value is not None else None

    obligations: dict[str, tuple[Any, ...]] = {}
    penalties: dict[str, str | None] = {}
    payments: dict[str, str | None] = {}
    findings: list[tuple[str, str]] = []

    # documentation (pkt. 2.3.3: 5 working days, extension up to 10) and written account (10, no cap)
    for rule, penalty, days, cap, asked_t, done_t in (
            ("documentation_on_demand", "daily_penalty_documentation", 5, 10, "documentation_requested",
             "documentation_delivered"),
            ("account_on_demand", "daily_penalty_account", 10, None, "account_requested", "account_delivered")):
        asked = get(asked_t)
        if not asked:
            continue
        when, first = asked[0]
        ext = first.get("extension") or 0
        if cap is not None and ext > cap:
            findings.append((rule, "warning"))
            ext = cap
        done = get(done_t)
        ob = _deadline(CAL.add(when, days + ext), done[0][0] if done else None, as_of)
        obligations[rule] = ob
        if ob[0] == "breached":
            rate = max(TEN_PERCENT * (late_value if late_value is not None else 0), MIN_DAILY)
            penalties[penalty] = _money(rate * ob[2])

    # payment 30 days after a complete invoice, moved to the next weekday (literal reading), and interest
    invoices = get("invoice_sent")
    complete = [x for x in invoices if x[1]["complete"]] if invoices else None
    if complete:
        sent, invoice = complete[0]
        amount = _dec(invoice["amount"])
        paid = [(day, _dec(p["amount"])) for day, p in get("payment_made") or ()]
        ob = _deadline(CAL.next_weekday(sent + dt.timedelta(days=30)), _paid_in_full(paid, amount), as_of)
        obligations["payment_due"] = ob
        if ob[0] == "breached":
            rate = fact("late_payment_interest_rate")
            if rate is None:
                payments["late_payment_interest"] = None
                findings.append(("late_payment_interest", "warning"))
            else:
                payments["late_payment_interest"] = _money(
                    _interest(paid, amount, ob[1], _paid_in_full(paid, amount) or as_of, _dec(rate) / 100))

    # the whole order delivered by the end date; daily penalty on the late part (or the whole order)
    delivered = get("order_fully_delivered")
    if (delivered or fact("hours_delivered_by_end") is not None) and order_end is not None:
        ob = _deadline(order_end, delivered[0][0] if delivered else None, as_of)
        obligations["order_delivery"] = ob
        if ob[0] == "breached":
            price, ordered = fact("hourly_price"), fact("ordered_hours")
            if fact("delivered_part_unusable"):
                value = fact("order_value")
                if value is not None:
                    base: Decimal | None = _dec(value)
                else:
                    base = _dec(price) * _dec(ordered) if price is not None and ordered is not None else None
            elif late_value is not None:
                base = late_value
            else:
                by_end = fact("hours_delivered_by_end")
                base = (_dec(price) * (_dec(ordered) - _dec(by_end))
                        if price is not None and ordered is not None and by_end is not None else None)
            if base is None:
                penalties["daily_penalty_order_delivery"] = None
                findings.append(("daily_penalty_order_delivery", "warning"))
            else:
                penalties["daily_penalty_order_delivery"] = _money(max(TEN_PERCENT * base, MIN_DAILY) * ob[2])

    # offering norms (info findings)
    if max_weeks is not None and order_start is not None and order_end is not None \
            and order_end > order_start + dt.timedelta(weeks=max_weeks):
        findings.append(("duration_within_typical", "info"))
    booked = fact("booked_hours_per_week")
    if booked is not None and hours_min is not None:
        booked = _dec(booked)
        if booked < hours_min or (hours_max is not None and booked > hours_max):
            findings.append(("weekly_hours_within_range", "info"))

    cancelled = any(not c.get("partial", False) for _, c in get("order_cancelled", ()))
    started = get("course_started")
    start = started[0][0] if started else order_start
    end = order_end or as_of

    if weekly and not cancelled and start is not None:
        obligations["weekly_followup"] = _windows([d for d, _ in get("followup_contact", ())], start, end, as_of,
                                                  7, True)
    if visit_weeks and not cancelled and start is not None:
        obligations["company_visits_blocks"] = _windows([d for d, _ in get("company_visit", ())], start, end,
                                                        as_of, visit_weeks * 7, False)
    placed = get("company_placement_started")
    if placed and placement_days:
        p_start = placed[0][0]
        ended = get("company_placement_ended")
        p_end = ended[0][0] if ended else order_end or as_of
        obligations["placement_followup"] = _gaps(
            [d for d, _ in get("followup_contact", ()) if d >= p_start], p_start, p_end, as_of,
            placement_days)
    if match_weeks and not cancelled and start is not None:
        milestone = start + dt.timedelta(weeks=match_weeks)
        if placed or as_of > milestone:
            ok = (any(d <= milestone for d, _ in placed or ())
                  or any(r.get("no_match_justification") for _, r in get("report_submitted", ()))
                  or any(r.get("no_match_justification") for _, r in get("final_report_submitted", ())))
            if not ok:
                findings.append(("match_milestone", "error"))
    if offering == "A4" and not cancelled:
        if start is not None:
            if as_of >= start and not any(d <= start for d, _ in get("schedule_handed_out", ())):
                findings.append(("a4_schedule_at_start", "error"))
            obligations["a4_weekly_sessions"] = _windows([d for d, _ in get("a4_session", ())], start, end, as_of,
                                                         7, True)
        if order_end is not None and as_of > order_end and not any(
                s.get("professional") == "psychiatrist" and d <= order_end for d, s in get("a4_session", ())):
            findings.append(("a4_psychiatrist_session", "error"))

    total_p = sum((Decimal(v) for v in penalties.values() if v is not None), Decimal(0))
    total_y = sum((Decimal(v) for v in payments.values() if v is not None), Decimal(0))
    findings.sort()
    return obligations, penalties, payments, findings, _money(total_p), _money(total_y)


# =================================================================================================
# rulekit's result, projected onto the same shape
# =================================================================================================
def project(result: Any) -> tuple[Any, ...]:
    from rulekit.runtime.values import money_str

    obligations: dict[str, tuple[Any, ...]] = {}
    for o in result.obligations:
        if o.status == "not_applicable":
            continue
        if o.rule.id in obligations:
            raise Mismatch(f"rule {o.rule.id} has more than one instance in rulekit's result")
        if o.rule.kind == "recurring":
            obligations[o.rule.id] = (o.status, None, None, o.extra.get("missed_windows"))
        else:
            obligations[o.rule.id] = (o.status, o.due, o.late_working_days, None)
    penalties = {a.rule.id: None if a.amount is None else money_str(a.amount) for a in result.penalties}
    payments = {a.rule.id: None if a.amount is None else money_str(a.amount) for a in result.payments}
    for a in (*result.penalties, *result.payments):
        if a.waived:
            raise Mismatch(f"{a.rule.id} is waived in rulekit's result; the generated cases never waive")
    findings = sorted((f.rule.id, f.severity) for f in result.findings if f.rule is not None)  # not input notes
    return (obligations, penalties, payments, findings, money_str(result.total(result.penalties)),
            money_str(result.total(result.payments)))


class Mismatch(Exception):
    pass


def explain_mismatch(case: dict[str, Any], got: tuple[Any, ...], want: tuple[Any, ...]) -> str:
    names = ("obligations", "penalties", "payments", "findings", "total penalties", "total payments")
    lines = [f"MISMATCH on case {case['case']}:"]
    for name, a, b in zip(names, got, want, strict=True):
        if a == b:
            continue
        if isinstance(a, dict):
            for rule in sorted(set(a) | set(b)):
                if a.get(rule) != b.get(rule):
                    extra = ("" if rule in IMPLEMENTED
                             else "  (not implemented by hand: rulekit must say not_applicable)")
                    lines.append(f"  {name} {rule}: rulekit {a.get(rule)!r} / hand-written {b.get(rule)!r}{extra}")
        else:
            lines.append(f"  {name}: rulekit {a!r} / hand-written {b!r}")
    lines.append("  case: " + generate.dumps(case))
    return "\n".join(lines)


# =================================================================================================
def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", type=int, default=100_000, help="number of cases (default 100,000)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--chunk", type=int, default=1_000, help="cases per timed chunk (default 1,000)")
    args = p.parse_args(argv)

    from rulekit import __version__, evaluate_case, load_contract

    t0 = time.perf_counter()
    contract = load_contract(CONTRACT)
    load_s = time.perf_counter() - t0
    print(f"rulekit {__version__}; contract {CONTRACT.relative_to(ROOT)} sha256 {contract.sha256[:12]} "
          f"({len(contract.rules)} rules), loaded and compiled in {load_s:.2f} s")
    print(machine())

    source = generate.cases("kobenhavn", args.n, args.seed)
    # wall time and CPU time of this process; the ratio uses CPU time, which other jobs on a shared
    # machine disturb less. The two sides alternate in chunks, so a busy spell hits both.
    t_rk = t_hand = t_json = t_compact = c_rk = c_hand = 0.0
    clock, cpu = time.perf_counter, time.process_time
    done = 0
    applied: Counter[str] = Counter()
    first = True
    while done < args.n:
        size = min(args.chunk, args.n - done)
        # the dicts as a JSON Lines reader gives them (dates as text, amounts as Decimal), not timed
        chunk = [generate.loads(generate.dumps(next(source))) for _ in range(size)]
        if first:  # warm both paths (calendar years, caches) outside the timing
            for c in chunk[:50]:
                evaluate_case(contract, c, trace=False)
                handwritten(c)
            first = False
        gc.collect()
        s, c0 = clock(), cpu()
        results = [evaluate_case(contract, c, trace=False) for c in chunk]
        t_rk, c_rk = t_rk + clock() - s, c_rk + cpu() - c0
        gc.collect()
        s, c0 = clock(), cpu()
        hand = [handwritten(c) for c in chunk]
        t_hand, c_hand = t_hand + clock() - s, c_hand + cpu() - c0
        s = clock()
        for r in results:
            r.to_json()
        t_json += clock() - s
        s = clock()
        for r in results:
            encode(r.summary_json())  # what `rulekit batch` writes by default
        t_compact += clock() - s
        for case, result, want in zip(chunk, results, hand, strict=True):
            try:
                got = project(result)
            except Mismatch as exc:
                print(f"MISMATCH on case {case['case']}: {exc}\n  case: {generate.dumps(case)}", file=sys.stderr)
                return 1
            if got != want:
                print(explain_mismatch(case, got, want), file=sys.stderr)
                print("aborted: rulekit and the hand-written implementation disagree", file=sys.stderr)
                return 1
            applied.update({*got[0], *got[1], *got[2], *(rule for rule, _ in got[3])})
        done += size
        print(f"\r  {done:,}/{args.n:,} cases checked", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)

    rk, hw = args.n / t_rk, args.n / t_hand
    print(f"\n{args.n:,} generated København cases (seed {args.seed}); identical results on every case "
          f"for the {len(IMPLEMENTED)} rules coded by hand; every other rule not_applicable/absent.")
    print("cases in which each hand-coded rule produced something (obligation, amount or finding):")
    for rule in IMPLEMENTED:
        print(f"  {rule:32s} {applied[rule]:8,}")
    per = 1e6 / args.n
    print("\n                                 wall      cases/s    µs/case    CPU time   cases/s (CPU)")
    print(f"hand-written plain Python   {t_hand:8.2f} s {hw:10,.0f} {t_hand * per:9.1f}   {c_hand:8.2f} s "
          f"{args.n / c_hand:10,.0f}")
    print(f"rulekit evaluate_case       {t_rk:8.2f} s {rk:10,.0f} {t_rk * per:9.1f}   {c_rk:8.2f} s "
          f"{args.n / c_rk:10,.0f}")
    print(f"  (+ result.to_json()       {t_json:8.2f} s {'':10s} {t_json * per:9.1f}   not in the ratio)")
    print(f"  (+ compact record, orjson {t_compact:8.2f} s {'':10s} {t_compact * per:9.1f}   what batch writes; "
          "not in the ratio)")
    ratio = c_rk / c_hand
    print(f"\nratio rulekit / hand-written: {ratio:.1f}× on CPU time ({t_rk / t_hand:.1f}× on wall time)   "
          f"target ≤ 3×: {'met' if ratio <= 3 else 'NOT met'} (long-term goal 1.5×)")
    print(f"command: .venv/bin/python benchmarks/bench_overhead.py -n {args.n} --seed {args.seed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
