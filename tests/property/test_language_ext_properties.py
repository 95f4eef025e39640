"""Whole numbers, dated parameters, interest and working-hour arithmetic agree with plain reference
implementations (day by day, quarter hour by quarter hour) on random inputs."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, localcontext
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from rulekit.calendar import hours as h
from rulekit.calendar.hours import WorkingHours
from rulekit.calendar.workdays import WorkingCalendar
from rulekit.dsl import Calendars, Env, Scope, Symbol, check, compile_expr, parse
from rulekit.dsl import types as t
from rulekit.dsl.compilefns import accrue, day_fraction, started_periods

PROPS = settings(max_examples=150, deadline=None)
CPH = ZoneInfo("Europe/Copenhagen")
CAL = WorkingCalendar("service", "DK", working_hours=WorkingHours(dt.time(8), dt.time(16)))
CALS = Calendars(CAL, WorkingCalendar("weekday", "DK"))
DK = holidays.country_holidays("DK", years=range(2020, 2031))
QUARTER = dt.timedelta(minutes=15)

decimals = st.decimals(min_value=-10**6, max_value=10**6, places=3, allow_nan=False, allow_infinity=False)
days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2029, 12, 31))


def env() -> Env:
    return Env(facts={}, events={}, as_of=dt.date(2025, 1, 1), offering=None, offering_attrs={}, assume={},
               param=lambda name: None, contract_start=dt.date(2020, 1, 1), contract_end=dt.date(2030, 1, 1))


def evaluate(text: str, scope: Scope | None = None) -> object:
    checked = check(text, parse(text), scope or Scope())
    return compile_expr(checked, CALS)(env())


@PROPS
@given(decimals)
def test_ceil_floor_round_agree_with_math(x: Decimal) -> None:
    literal = f"{abs(x)}" if x >= 0 else f"-{abs(x)}"
    assert evaluate(f"ceil({literal})") == math.ceil(x)
    assert evaluate(f"floor({literal})") == math.floor(x)
    expected = int(abs(x) + Decimal("0.5")) * (1 if x >= 0 else -1)  # half away from zero
    assert evaluate(f"round({literal}, 0)") == expected


@PROPS
@given(st.integers(-1000, 10**6), st.integers(1, 5000))
def test_started_counts_begun_periods(amount: int, per: int) -> None:
    expected = 0 if amount <= 0 else -(-amount // per)
    assert started_periods(amount, per) == expected
    if amount >= 0:
        assert evaluate(f"started({amount} working_days, {per} working_days)") == expected


def dated_param(changes: list[tuple[dt.date, Decimal]]) -> SimpleNamespace:
    values = sorted(changes)
    rows = [SimpleNamespace(start=d, value=v) for d, v in values]

    def at(day: dt.date) -> SimpleNamespace:
        chosen = rows[0]
        for row in rows:
            if row.start <= day:
                chosen = row
        return chosen
    return SimpleNamespace(values=rows, at=at)


rates = st.decimals(min_value=0, max_value=Decimal("0.25"), places=4)
changes = st.lists(st.tuples(days, rates), min_size=1, max_size=6, unique_by=lambda c: c[0])


@PROPS
@given(changes, days)
def test_at_reads_the_value_in_force(rows: list[tuple[dt.date, Decimal]], day: dt.date) -> None:
    param = dated_param(rows)
    scope = Scope({"rate": Symbol("param", "rate", t.PERCENT, ref=param)})
    ordered = sorted(rows)
    in_force = [v for d, v in ordered if d <= day]
    expected = in_force[-1] if in_force else ordered[0][1]
    assert evaluate(f"at(rate, {day.isoformat()})", scope) == expected


@PROPS
@given(changes, days, days, st.decimals(min_value=0, max_value=10**7, places=2),
       st.sampled_from(["act/365", "act/360"]))
def test_interest_agrees_with_a_day_by_day_sum(rows: list[tuple[dt.date, Decimal]], a: dt.date, b: dt.date,
                                               principal: Decimal, basis: str) -> None:
    start, end = min(a, b), max(a, b)
    param = dated_param(rows)
    with localcontext() as ctx:
        ctx.prec = 40
        reference = Decimal(0)
        day = start
        while day < end:  # each day accrues at the rate in force on it
            reference += principal * param.at(day).value / (365 if basis == "act/365" else 360)
            day += dt.timedelta(days=1)
        scope = Scope({"rate": Symbol("param", "rate", t.PERCENT, ref=param)})
        text = f'interest({principal} DKK, {start.isoformat()}, {end.isoformat()}, rate, "{basis}")'
        got = evaluate(text, scope)
    assert isinstance(got, Decimal)
    assert abs(got - reference) < Decimal("1e-12")
    assert evaluate(f'interest({principal} DKK, {end.isoformat()}, {start.isoformat()}, rate, "{basis}")', scope) \
        == (0 if start != end else got)


@PROPS
@given(days, rates, st.decimals(min_value=0, max_value=10**6, places=2))
def test_thirty_360_of_whole_months(day: dt.date, rate: Decimal, principal: Decimal) -> None:
    start = day.replace(day=min(day.day, 28))
    end = dt.date(start.year + 1, start.month, start.day)
    assert day_fraction(start, end, "30/360") == 1
    assert accrue(principal, start, end, [(dt.date.min, rate)], "30/360") == principal * rate


# --- working hours ----------------------------------------------------------------------------------

def working_quarter(moment: dt.datetime) -> bool:
    """Whether the quarter hour starting at `moment` lies in Mon–Fri 08:00–16:00 on a Danish working day."""
    local = moment.astimezone(CPH)
    return local.weekday() < 5 and local.date() not in DK and 8 <= local.hour < 16


def grid(draw_day: dt.date, quarter: int) -> dt.datetime:
    """A quarter-hour instant in local time (skipping the hour that does not exist in spring)."""
    local = dt.datetime.combine(draw_day, dt.time(0), tzinfo=CPH) + quarter * QUARTER
    return local.astimezone(dt.UTC).astimezone(CPH)


instants = st.builds(grid, st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2025, 12, 31)),
                     st.integers(0, 95))


@settings(max_examples=80, deadline=None)
@given(instants, st.integers(0, 14 * 96))
def test_service_hours_agree_with_counting_quarter_hours(start: dt.datetime, steps: int) -> None:
    end = start + steps * QUARTER
    reference = sum(900 for i in range(steps) if working_quarter(start + i * QUARTER))
    assert h.service_seconds(CAL, start, end) == reference
    assert h.service_seconds(CAL, end, start) == -reference


@settings(max_examples=80, deadline=None)
@given(instants, st.integers(1, 8 * 4 * 6))
def test_adding_service_hours_stops_at_the_earliest_instant(start: dt.datetime, quarters: int) -> None:
    moment, left = start, quarters
    while left:  # the reference walks quarter hour by quarter hour
        if working_quarter(moment):
            left -= 1
        moment += QUARTER
    got = h.add_service(CAL, start, quarters * 900)
    assert got == moment or (h.service_seconds(CAL, got, moment) == 0 and got <= moment)
    assert h.service_seconds(CAL, start, got) == quarters * 900


@settings(max_examples=80, deadline=None)
@given(instants, st.integers(1, 40 * 96))
def test_started_working_days_agree_with_a_day_walk(start: dt.datetime, steps: int) -> None:
    end = start + steps * QUARTER
    seen: set[dt.date] = set()
    moment = start
    while moment < end:  # every quarter hour of the span marks its local day
        local = moment.astimezone(CPH).date()
        if local.weekday() < 5 and local not in DK:
            seen.add(local)
        moment += QUARTER
    assert h.started_working_days(CAL, start, end) == len(seen)
