"""calendar.periods: month arithmetic with clamping, end of month, quarters, ISO weeks."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rulekit.calendar import add_months, end_of_month, quarter_of
from rulekit.calendar.periods import iso_week_start

D = dt.date


@pytest.mark.parametrize(("day", "months", "result"), [
    (D(2021, 1, 31), 1, D(2021, 2, 28)),
    (D(2024, 1, 31), 1, D(2024, 2, 29)),
    (D(2021, 3, 31), -1, D(2021, 2, 28)),
    (D(2021, 3, 31), 1, D(2021, 4, 30)),
    (D(2021, 8, 31), 6, D(2022, 2, 28)),
    (D(2021, 12, 15), 1, D(2022, 1, 15)),
    (D(2021, 1, 15), -1, D(2020, 12, 15)),
    (D(2021, 5, 31), 12, D(2022, 5, 31)),
    (D(2024, 2, 29), 12, D(2025, 2, 28)),
    (D(2024, 2, 29), 48, D(2028, 2, 29)),
    (D(2021, 6, 30), -18, D(2019, 12, 30)),
    (D(2021, 6, 30), 0, D(2021, 6, 30)),
])
def test_add_months(day: dt.date, months: int, result: dt.date) -> None:
    assert add_months(day, months) == result


def test_add_months_does_not_accumulate_clamping() -> None:
    # 31 Jan + 1 month is 28 Feb, but 31 Jan + 2 months is 31 Mar (not 28 Mar)
    assert add_months(D(2021, 1, 31), 2) == D(2021, 3, 31)
    assert add_months(add_months(D(2021, 1, 31), 1), 1) == D(2021, 3, 28)


def test_add_months_out_of_range() -> None:
    with pytest.raises(ValueError):
        add_months(D(9999, 12, 1), 1)


@pytest.mark.parametrize(("day", "result"), [
    (D(2021, 2, 10), D(2021, 2, 28)), (D(2024, 2, 1), D(2024, 2, 29)), (D(2021, 12, 31), D(2021, 12, 31)),
    (D(2021, 4, 1), D(2021, 4, 30)), (D(2021, 1, 31), D(2021, 1, 31)), (D(2100, 2, 3), D(2100, 2, 28)),
])
def test_end_of_month(day: dt.date, result: dt.date) -> None:
    assert end_of_month(day) == result


@pytest.mark.parametrize(("month", "quarter"), [(1, 1), (2, 1), (3, 1), (4, 2), (5, 2), (6, 2), (7, 3), (8, 3),
                                                 (9, 3), (10, 4), (11, 4), (12, 4)])
def test_quarter_of(month: int, quarter: int) -> None:
    assert quarter_of(D(2021, month, 15)) == quarter


def test_iso_week_start() -> None:
    assert iso_week_start(D(2021, 11, 7)) == D(2021, 11, 1)  # Sunday → Monday
    assert iso_week_start(D(2021, 11, 1)) == D(2021, 11, 1)
    assert iso_week_start(D(2022, 1, 1)) == D(2021, 12, 27)


dates = st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31))


@given(dates, st.integers(min_value=-600, max_value=600))
def test_add_months_properties(day: dt.date, months: int) -> None:
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(day.day, last)


@given(dates)
def test_end_of_month_properties(day: dt.date) -> None:
    last = end_of_month(day)
    assert (last.year, last.month) == (day.year, day.month)
    assert last >= day
    assert (last + dt.timedelta(days=1)).day == 1


@given(dates)
def test_quarter_and_week_properties(day: dt.date) -> None:
    assert quarter_of(day) == (day.month + 2) // 3
    start = iso_week_start(day)
    assert start.weekday() == 0
    assert 0 <= (day - start).days < 7
    assert start.isocalendar()[:2] == day.isocalendar()[:2]
