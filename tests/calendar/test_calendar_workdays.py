"""calendar.workdays: the København working-day calendar and its worked results."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from rulekit.calendar import DayOff, WorkingCalendar
from rulekit.calendar.workdays import YearlyDay

D = dt.date


# the worked results ----------------------------------------------------------------------------

def test_tenth_working_day_after_17_december_2021(kbh: WorkingCalendar) -> None:
    # 20–23 Dec, (24 closed, 25–26 Christmas), 27–30 Dec, (31 closed, 1 Jan holiday, 2 Jan Sunday), 3–4 Jan
    assert kbh.add(D(2021, 12, 17), 10) == D(2022, 1, 4)


def test_fifth_and_fifteenth_working_day_after_31_march_2021(kbh: WorkingCalendar) -> None:
    # Maundy Thursday, Good Friday, Easter Monday are skipped
    assert kbh.add(D(2021, 3, 31), 5) == D(2021, 4, 12)
    assert kbh.add(D(2021, 3, 31), 15) == D(2021, 4, 26)


def test_working_days_in_the_ascension_week(kbh: WorkingCalendar) -> None:
    assert kbh.count(D(2022, 5, 25), D(2022, 5, 31)) == 3
    assert kbh.working_days(D(2022, 5, 25), D(2022, 5, 31)) == [D(2022, 5, 27), D(2022, 5, 30), D(2022, 5, 31)]
    assert not kbh.is_working_day(D(2022, 5, 26))
    assert kbh.is_working_day(D(2022, 5, 27))  # the Friday after Ascension is an ordinary working day


def test_store_bededag_until_2023_only(kbh: WorkingCalendar) -> None:
    off = kbh.day_off(D(2023, 5, 5))
    assert off is not None
    assert off.reason == "holiday"
    assert "bededag" in off.name_da.lower()
    assert kbh.is_working_day(D(2024, 4, 26))  # would have been Store Bededag 2024
    assert kbh.day_off(D(2024, 4, 26)) is None


def test_first_of_may_is_a_working_day(kbh: WorkingCalendar) -> None:
    assert kbh.is_working_day(D(2023, 5, 1))  # a Monday
    assert kbh.is_working_day(D(2024, 5, 1))  # a Wednesday


def test_contract_closed_days(kbh: WorkingCalendar) -> None:
    for day in (D(2021, 12, 24), D(2021, 12, 31), D(2023, 6, 5)):
        off = kbh.day_off(day)
        assert off is not None and off.reason == "contract", day
    assert kbh.is_working_day(D(2021, 12, 23))
    assert kbh.is_working_day(D(2023, 6, 6))


def test_public_holidays(kbh: WorkingCalendar) -> None:
    holidays = [D(2021, 1, 1), D(2021, 4, 1), D(2021, 4, 2), D(2021, 4, 5), D(2021, 4, 30), D(2021, 5, 13),
                D(2021, 5, 24), D(2021, 12, 25), D(2021, 12, 26)]
    for day in holidays:
        off = kbh.day_off(day)
        assert off is not None and off.reason == "holiday", day


# arithmetic ------------------------------------------------------------------------------------

def test_add_zero_is_the_same_day_even_when_not_working(kbh: WorkingCalendar) -> None:
    assert kbh.add(D(2021, 4, 3), 0) == D(2021, 4, 3)


def test_add_from_a_day_off_counts_strictly_after(kbh: WorkingCalendar) -> None:
    assert kbh.add(D(2021, 4, 3), 1) == D(2021, 4, 6)  # Saturday before Easter → Tuesday after
    assert kbh.add(D(2021, 12, 24), 1) == D(2021, 12, 27)


def test_negative_add(kbh: WorkingCalendar) -> None:
    assert kbh.add(D(2022, 1, 4), -10) == D(2021, 12, 17)
    assert kbh.add(D(2021, 4, 12), -5) == D(2021, 3, 31)
    assert kbh.add(D(2021, 4, 6), -1) == D(2021, 3, 31)
    assert kbh.add(D(2021, 4, 5), -1) == D(2021, 3, 31)  # from Easter Monday


def test_count_is_half_open(kbh: WorkingCalendar) -> None:
    assert kbh.count(D(2021, 3, 31), D(2021, 3, 31)) == 0
    assert kbh.count(D(2021, 3, 30), D(2021, 3, 31)) == 1  # end included
    assert kbh.count(D(2021, 3, 31), D(2021, 4, 1)) == 0  # start excluded, Maundy Thursday off
    assert kbh.count(D(2021, 3, 31), D(2021, 4, 12)) == 5


def test_count_with_reversed_arguments_is_negative(kbh: WorkingCalendar) -> None:
    assert kbh.count(D(2022, 5, 31), D(2022, 5, 25)) == -3
    assert kbh.count(D(2021, 4, 26), D(2021, 3, 31)) == -15


def test_working_days_of_a_whole_year(kbh: WorkingCalendar) -> None:
    # 2021: 261 weekdays; off on weekdays: 1 Jan, Maundy Thu, Good Fri, Easter Mon, Store Bededag (30 Apr),
    # Ascension, Whit Monday, 24 Dec, 31 Dec (5 June 2021 is a Saturday; 25/26 Dec a weekend)
    assert kbh.count(D(2020, 12, 31), D(2021, 12, 31)) == 261 - 9


def test_working_days_list_matches_count(kbh: WorkingCalendar) -> None:
    days = kbh.working_days(D(2021, 12, 1), D(2022, 1, 31))
    assert len(days) == kbh.count(D(2021, 12, 1), D(2022, 1, 31))
    assert all(kbh.is_working_day(d) for d in days)
    assert days == sorted(days)
    assert D(2021, 12, 24) not in days


# why a day is off ------------------------------------------------------------------------------

def test_days_off_reasons_and_names(kbh: WorkingCalendar) -> None:
    off = kbh.days_off(D(2021, 12, 17), D(2022, 1, 5))
    assert [(o.date, o.reason) for o in off] == [
        (D(2021, 12, 24), "contract"),
        (D(2021, 12, 25), "holiday"),  # holidays on a weekend are listed even without weekends=True
        (D(2021, 12, 26), "holiday"),
        (D(2021, 12, 31), "contract"),
        (D(2022, 1, 1), "holiday"),
    ]
    eve, christmas = off[0], off[1]
    assert (eve.name_da, eve.name_en) == ("juleaftensdag", "Christmas Eve")
    assert "juledag" in christmas.name_da.lower()
    assert "christmas" in christmas.name_en.lower()


def test_days_off_with_weekends(kbh: WorkingCalendar) -> None:
    off = kbh.days_off(D(2021, 12, 17), D(2022, 1, 5), weekends=True)
    weekend = [(o.date, o.name_da, o.name_en) for o in off if o.reason == "weekend"]
    assert weekend == [(D(2021, 12, 18), "lørdag", "Saturday"), (D(2021, 12, 19), "søndag", "Sunday"),
                       (D(2022, 1, 2), "søndag", "Sunday")]
    assert len(off) == 8


def test_days_off_is_half_open(kbh: WorkingCalendar) -> None:
    assert kbh.days_off(D(2021, 12, 24), D(2021, 12, 24)) == []
    assert [o.date for o in kbh.days_off(D(2021, 12, 23), D(2021, 12, 24))] == [D(2021, 12, 24)]


def test_day_off_of_a_working_day_is_none(kbh: WorkingCalendar) -> None:
    assert kbh.day_off(D(2021, 12, 23)) is None


def test_english_names_of_holidays(kbh: WorkingCalendar) -> None:
    off = kbh.day_off(D(2022, 5, 26))
    assert off is not None
    assert "himmelfart" in off.name_da.lower()
    assert "ascension" in off.name_en.lower()


def test_a_public_holiday_keeps_its_reason_when_the_contract_also_closes_it() -> None:
    cal = WorkingCalendar("x", closed=(YearlyDay(12, 25, "lukket", "Closed"),))
    off = cal.day_off(D(2023, 12, 25))
    assert off is not None and off.reason == "holiday"


def test_closed_day_on_a_weekend_is_reported_as_contract(kbh: WorkingCalendar) -> None:
    off = kbh.day_off(D(2021, 6, 5))  # a Saturday
    assert off is not None and off.reason == "contract"
    assert off.name_en == "Constitution Day"


def test_open_days_reopen_holidays_but_not_weekends() -> None:
    cal = WorkingCalendar("x", open_days=(YearlyDay(12, 26, "anden juledag", "Boxing Day"),))
    assert cal.is_working_day(D(2022, 12, 26))  # a Monday
    assert not cal.is_working_day(D(2021, 12, 26))  # a Sunday
    assert not cal.is_working_day(D(2022, 12, 25))


def test_no_weekend_counts_every_non_holiday() -> None:
    cal = WorkingCalendar("kalenderdag", "DK", weekend=())
    assert cal.is_working_day(D(2021, 5, 1))  # a Saturday
    assert not cal.is_working_day(D(2021, 12, 25))
    assert cal.add(D(2021, 12, 23), 2) == D(2021, 12, 27)


def test_a_six_day_week() -> None:
    cal = WorkingCalendar("sixdays", "DK", weekend=("sunday",))
    assert cal.add(D(2021, 11, 5), 1) == D(2021, 11, 6)
    assert cal.add(D(2021, 11, 6), 1) == D(2021, 11, 8)


# roll forward ----------------------------------------------------------------------------------

def test_roll_forward_over_christmas(kbh: WorkingCalendar) -> None:
    day, passed = kbh.roll_forward(D(2021, 12, 24))
    assert day == D(2021, 12, 27)
    assert [(o.date, o.reason) for o in passed] == [(D(2021, 12, 24), "contract"), (D(2021, 12, 25), "holiday"),
                                                    (D(2021, 12, 26), "holiday")]


def test_roll_forward_of_a_working_day(kbh: WorkingCalendar) -> None:
    assert kbh.roll_forward(D(2021, 12, 23)) == (D(2021, 12, 23), [])


def test_roll_forward_over_a_weekend(kbh: WorkingCalendar) -> None:
    day, passed = kbh.roll_forward(D(2021, 11, 6))
    assert day == D(2021, 11, 8)
    assert [o.reason for o in passed] == ["weekend", "weekend"]


def test_weekday_calendar_rolls_over_public_holidays_only() -> None:
    weekday = WorkingCalendar("weekday", "DK")
    assert weekday.roll_forward(D(2021, 12, 25))[0] == D(2021, 12, 27)
    assert weekday.roll_forward(D(2021, 12, 24))[0] == D(2021, 12, 24)
    assert weekday.roll_forward(D(2021, 4, 1))[0] == D(2021, 4, 6)


# the table of years ----------------------------------------------------------------------------

def test_far_years_extend_the_table(fresh_kbh: WorkingCalendar) -> None:
    assert fresh_kbh.add(D(2021, 3, 31), 5) == D(2021, 4, 12)
    assert not fresh_kbh.is_working_day(D(2095, 12, 24))
    assert not fresh_kbh.is_working_day(D(2095, 12, 25))
    # the earlier years are still there and the arithmetic spans the whole range
    assert fresh_kbh.add(D(2021, 3, 31), 15) == D(2021, 4, 26)
    # count over the extended table agrees with asking day by day (which never looks at the ordinals)
    other = WorkingCalendar("other", "DK", closed=fresh_kbh.closed)
    start, end = D(2020, 12, 31), D(2095, 12, 31)
    brute = sum(other.is_working_day(start + dt.timedelta(days=i)) for i in range(1, (end - start).days + 1))
    assert fresh_kbh.count(start, end) == brute
    assert fresh_kbh.count(end, start) == -brute


def test_add_across_many_years(fresh_kbh: WorkingCalendar) -> None:
    start = D(2021, 1, 4)
    far = fresh_kbh.add(start, 15000)
    assert far.year > 2075
    assert fresh_kbh.is_working_day(far)
    assert fresh_kbh.count(start, far) == 15000
    assert fresh_kbh.add(far, -15000) == start


def test_backwards_from_a_late_first_query(fresh_kbh: WorkingCalendar) -> None:
    assert fresh_kbh.is_working_day(D(2090, 1, 2))
    assert fresh_kbh.add(D(2022, 1, 4), -10) == D(2021, 12, 17)


def test_years_outside_the_supported_range(kbh: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="outside"):
        kbh.is_working_day(D(1989, 12, 29))
    with pytest.raises(ValueError, match="outside"):
        kbh.is_working_day(D(2101, 1, 3))
    with pytest.raises(ValueError):
        kbh.add(D(2100, 12, 1), 400)


def test_pickled_calendar_drops_its_table_and_rebuilds_it(kbh: WorkingCalendar) -> None:
    kbh.is_working_day(D(2021, 1, 4))
    copy = pickle.loads(pickle.dumps(kbh))
    assert copy._table.ordinals == [] and copy._table.upto == []
    assert copy.add(D(2021, 12, 17), 10) == D(2022, 1, 4)
    assert copy.closed == kbh.closed


def test_dayoff_is_a_value() -> None:
    a = DayOff(D(2021, 12, 24), "contract", "juleaftensdag", "Christmas Eve")
    assert a == DayOff(D(2021, 12, 24), "contract", "juleaftensdag", "Christmas Eve")
    with pytest.raises(AttributeError):
        a.reason = "holiday"  # type: ignore[misc]


# yearly days that do not exist every year ------------------------------------------------------

def test_closed_leap_day() -> None:
    cal = WorkingCalendar("x", closed=(YearlyDay(2, 29, "skuddag", "Leap day"),))
    assert not cal.is_working_day(D(2024, 2, 29))
    assert cal.is_working_day(D(2023, 2, 28))



def test_threads_read_one_table_while_another_builds_more_years() -> None:
    """A calendar is shared by the threads of a batch: one thread extending the built years never lets
    another read a half-replaced table (the table is replaced whole, builds one at a time)."""
    import sys
    import threading

    def kobenhavn() -> WorkingCalendar:
        return WorkingCalendar("arbejdsdag", "DK", closed=(YearlyDay(12, 24, "juleaftensdag", "Christmas Eve"),))
    reference = kobenhavn()
    days = [D(2021, 1, 1) + dt.timedelta(days=i) for i in range(0, 700, 5)]
    want = {d: (reference.add(d, 7), reference.count(d, d + dt.timedelta(days=40))) for d in days}
    wrong: list[dt.date] = []
    shared = [kobenhavn()]
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            cal = shared[0]
            wrong.extend(d for d in days if (cal.add(d, 7), cal.count(d, d + dt.timedelta(days=40))) != want[d])

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    reader = threading.Thread(target=read)
    try:
        reader.start()
        for _ in range(6):
            cal = kobenhavn()
            cal.is_working_day(D(2021, 6, 1))
            shared[0] = cal
            for year in [*range(2010, 1989, -3), *range(2031, 2101, 7)]:
                cal.is_working_day(D(year, 6, 1))
    finally:
        done.set()
        reader.join()
        sys.setswitchinterval(interval)
    assert wrong == []
