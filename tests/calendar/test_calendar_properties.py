"""Property tests of WorkingCalendar arithmetic (hypothesis) on the København calendar."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from rulekit.calendar import WorkingCalendar
from rulekit.calendar.workdays import YearlyDay

CAL = WorkingCalendar("arbejdsdag", "DK", closed=(
    YearlyDay(12, 24, "juleaftensdag", "Christmas Eve"), YearlyDay(12, 31, "nytårsaftensdag", "New Year's Eve"),
    YearlyDay(6, 5, "grundlovsdag", "Constitution Day")))

days = st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2095, 12, 31))
steps = st.integers(min_value=1, max_value=400)
fast = settings(max_examples=300, deadline=None)


@fast
@given(days, steps)
def test_add_then_count_gives_n(day: dt.date, n: int) -> None:
    result = CAL.add(day, n)
    assert result > day
    assert CAL.count(day, result) == n


@fast
@given(days, st.integers(min_value=-400, max_value=400))
def test_add_never_returns_a_day_off(day: dt.date, n: int) -> None:
    result = CAL.add(day, n)
    if n != 0:
        assert CAL.is_working_day(result)
        assert CAL.day_off(result) is None


@fast
@given(days, steps)
def test_add_is_the_first_day_with_that_count(day: dt.date, n: int) -> None:
    result = CAL.add(day, n)
    assert CAL.count(day, result - dt.timedelta(days=1)) == n - 1


@fast
@given(days, steps)
def test_negative_add(day: dt.date, n: int) -> None:
    back = CAL.add(day, -n)
    assert back < day
    assert CAL.count(back, day) == n - 1 + CAL.is_working_day(day)


@fast
@given(days, steps)
def test_add_and_subtract_round_trip_from_a_working_day(day: dt.date, n: int) -> None:
    start, _ = CAL.roll_forward(day)
    assert CAL.add(CAL.add(start, n), -n) == start


@fast
@given(days, days, days)
def test_count_is_additive_and_antisymmetric(a: dt.date, b: dt.date, c: dt.date) -> None:
    assert CAL.count(a, b) + CAL.count(b, c) == CAL.count(a, c)
    assert CAL.count(a, b) == -CAL.count(b, a)


@fast
@given(days, st.integers(min_value=0, max_value=60))
def test_count_agrees_with_day_by_day(start: dt.date, length: int) -> None:
    end = start + dt.timedelta(days=length)
    by_day = sum(CAL.is_working_day(start + dt.timedelta(days=i)) for i in range(1, length + 1))
    assert CAL.count(start, end) == by_day
    assert len(CAL.working_days(start, end)) == by_day
    assert len(CAL.days_off(start, end, weekends=True)) == length - by_day


@fast
@given(days)
def test_roll_forward(day: dt.date) -> None:
    result, passed = CAL.roll_forward(day)
    assert CAL.is_working_day(result)
    assert [o.date for o in passed] == [day + dt.timedelta(days=i) for i in range((result - day).days)]
    assert all(o.reason in ("weekend", "holiday", "contract") for o in passed)
    assert result == (day if CAL.is_working_day(day) else CAL.add(day, 1))


# the table (working days up to each day) against a walk through the days, on the built years and past them
def _walk(day: dt.date, end: dt.date) -> int:
    """Working days d with day < d ≤ end, one day at a time."""
    sign, lo, hi = (1, day, end) if day <= end else (-1, end, day)
    return sign * sum(CAL.is_working_day(lo + dt.timedelta(days=k)) for k in range(1, (hi - lo).days + 1))


@fast
@given(days, st.integers(min_value=-90, max_value=90))
def test_count_is_a_walk_through_the_days(day: dt.date, span: int) -> None:
    assert CAL.count(day, day + dt.timedelta(days=span)) == _walk(day, day + dt.timedelta(days=span))


@fast
@given(days, st.integers(min_value=1, max_value=60))
def test_add_is_a_walk_through_the_days(day: dt.date, n: int) -> None:
    found, seen = day, 0
    while seen < n:
        found += dt.timedelta(days=1)
        seen += CAL.is_working_day(found)
    assert CAL.add(day, n) == found


@fast
@given(days)
def test_next_working_is_roll_forward_without_the_days_passed(day: dt.date) -> None:
    assert CAL.next_working(day) == CAL.roll_forward(day)[0]


@given(st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2085, 12, 31)),
       st.integers(min_value=2500, max_value=4000))
@settings(max_examples=20, deadline=None)
def test_a_fresh_calendar_counts_and_adds_past_the_years_it_built(day: dt.date, span: int) -> None:
    cal = WorkingCalendar("arbejdsdag", "DK", closed=CAL.closed)
    end = day + dt.timedelta(days=span)
    assert cal.count(day, end) == _walk(day, end)
    assert cal.add(day, cal.count(day, end)) == CAL.add(end + dt.timedelta(days=1), -1)  # the last one ≤ end
    assert cal.next_working(end) == CAL.roll_forward(end)[0]
