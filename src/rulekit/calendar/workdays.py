"""A working-day calendar: weekends, a country's public holidays from the `holidays` package, and the
days a contract adds or removes. Arithmetic is O(1) on the built years (a count of working days up to each
day, and the sorted working-day ordinals), O(log n) at their edges."""

from __future__ import annotations

import datetime as dt
import threading
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING, Literal, NamedTuple

import holidays

if TYPE_CHECKING:
    from .hours import WorkingHours

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
Reason = Literal["weekend", "holiday", "contract"]
FIRST_YEAR, LAST_YEAR = 1990, 2100


@dataclass(frozen=True, slots=True)
class DayOff:
    """A non-working day and why: a weekend, a public holiday (named), or a contract day (named)."""

    date: dt.date
    reason: Reason
    name_da: str
    name_en: str


@dataclass(frozen=True, slots=True)
class YearlyDay:
    month: int
    day: int
    name_da: str
    name_en: str


class _Table(NamedTuple):
    """The built years of a calendar: first and last year, the ordinal of its first day (`base`), the working
    days on or before each day (`upto[o - base]`), the working days' ordinals in order, and the days off."""

    first: int
    last: int
    base: int
    upto: list[int]
    ordinals: list[int]
    off: dict[dt.date, DayOff]


_EMPTY = _Table(1, 0, 0, [], [], {})  # no year built
_FAST_EMPTY: tuple[int, list[int], list[int]] = (0, [], [])
_BUILDING = threading.Lock()


class WorkingCalendar:
    """Working days of one contract. Built lazily for the years that are asked about."""

    def __init__(self, name: str, country: str = "DK", weekend: tuple[str, ...] = ("saturday", "sunday"),
                 closed: tuple[YearlyDay, ...] = (), open_days: tuple[YearlyDay, ...] = (),
                 public_holidays: bool = True, *, working_hours: WorkingHours | None = None,
                 timezone: str | None = None) -> None:
        from .hours import DEFAULT_ZONES

        self.name, self.country, self.public_holidays = name, country, public_holidays
        self.working_hours = working_hours  # opening hours on working days (service hours), if declared
        self.timezone = timezone or DEFAULT_ZONES.get(country, "UTC")
        self.weekend = frozenset(WEEKDAYS.index(w) for w in weekend)
        self.closed, self.open_days = closed, open_days
        self._table = _EMPTY  # the years built so far, replaced whole (a thread reads one consistent table)
        self._fast = _FAST_EMPTY  # (base, upto, ordinals) of the same table, for add, count and next_working

    def __repr__(self) -> str:
        return f"WorkingCalendar({self.name!r})"

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_table"], state["_fast"] = _EMPTY, _FAST_EMPTY
        return state

    # building ----------------------------------------------------------------------------------
    def _ensure(self, day: dt.date) -> _Table:
        """The table of built years, with `day`'s year in it."""
        table = self._table
        if table.first <= day.year <= table.last:
            return table
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError(f"{day.isoformat()} is outside the calendar's years {FIRST_YEAR}–{LAST_YEAR}")
        with _BUILDING:  # one build at a time, each from the table before it: the years only grow
            table = self._table
            if not table.first <= day.year <= table.last:
                lo, hi = (table.first, table.last) if table.ordinals else (day.year, day.year)
                lo, hi = max(FIRST_YEAR, min(lo, day.year - 5)), min(LAST_YEAR, max(hi, day.year + 5))
                self._table = table = self._build(lo, hi)
                self._fast = (table.base, table.upto, table.ordinals)
        return table

    def _build(self, lo: int, hi: int) -> _Table:
        years = list(range(lo, hi + 1))
        da = holidays.country_holidays(self.country, years=years, language="da")
        en = holidays.country_holidays(self.country, years=years, language="en_US")
        off: dict[dt.date, DayOff] = {}
        for day, name in da.items() if self.public_holidays else ():
            off[day] = DayOff(day, "holiday", name, en.get(day, name))
        for year in years:
            for extra in self.closed:
                if (when := _on(year, extra)) is not None:
                    off.setdefault(when, DayOff(when, "contract", extra.name_da, extra.name_en))
            for extra in self.open_days:
                if (when := _on(year, extra)) is not None:
                    off.pop(when, None)
        start, end = dt.date(lo, 1, 1).toordinal(), dt.date(hi, 12, 31).toordinal()
        ordinals = [o for o in range(start, end + 1)
                    if (o - 1) % 7 not in self.weekend and dt.date.fromordinal(o) not in off]
        working = [0] * (end - start + 1)
        for o in ordinals:
            working[o - start] = 1
        return _Table(lo, hi, start, list(accumulate(working)), ordinals, off)

    # questions ---------------------------------------------------------------------------------
    def day_off(self, day: dt.date) -> DayOff | None:
        """Why `day` is not a working day, or None if it is one."""
        off = self._ensure(day).off
        if day in off:
            return off[day]
        if day.weekday() in self.weekend:
            name = WEEKDAYS[day.weekday()]
            return DayOff(day, "weekend", _DA_WEEKDAY[name], name.capitalize())
        return None

    def is_working_day(self, day: dt.date) -> bool:
        return self.day_off(day) is None

    def add(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day strictly after `day` (n > 0), or before it (n < 0); `day` for n = 0."""
        if n == 0:
            return day
        if n > 0:  # on the built years: the working days up to `day`, and the n-th after them
            base, upto, ordinals = self._fast
            i = day.toordinal() - base
            if 0 <= i < len(upto) and (idx := upto[i] + n - 1) < len(ordinals):
                return dt.date.fromordinal(ordinals[idx])
        table = self._ensure(day)
        o = day.toordinal()
        idx = bisect_right(table.ordinals, o) + n - 1 if n > 0 else bisect_left(table.ordinals, o) + n
        while not 0 <= idx < len(table.ordinals):
            edge = table.ordinals[-1] if idx >= 0 else table.ordinals[0]
            table = self._ensure(dt.date.fromordinal(edge) + dt.timedelta(days=366 if idx >= 0 else -366))
            idx = bisect_right(table.ordinals, o) + n - 1 if n > 0 else bisect_left(table.ordinals, o) + n
        return dt.date.fromordinal(table.ordinals[idx])

    def count(self, start: dt.date, end: dt.date) -> int:
        """Working days d with start < d ≤ end (negative when end < start)."""
        base, upto, _ = self._fast
        i, j = start.toordinal() - base, end.toordinal() - base
        if 0 <= i < len(upto) and 0 <= j < len(upto):  # both on the built years
            return upto[j] - upto[i]
        if end < start:
            return -self.count(end, start)
        self._ensure(start)
        table = self._ensure(end)  # built from the years before: it has start's year too
        return bisect_right(table.ordinals, end.toordinal()) - bisect_right(table.ordinals, start.toordinal())

    def working_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The working days in (start, end]."""
        self._ensure(start)
        ordinals = self._ensure(end).ordinals
        lo = bisect_right(ordinals, start.toordinal())
        hi = bisect_right(ordinals, end.toordinal())
        return [dt.date.fromordinal(o) for o in ordinals[lo:hi]]

    def days_off(self, start: dt.date, end: dt.date, *, weekends: bool = False) -> list[DayOff]:
        """Non-working days in (start, end], weekends only if asked (holidays on weekends always)."""
        out: list[DayOff] = []
        day = start + dt.timedelta(days=1)
        while day <= end:
            off = self.day_off(day)
            if off and (weekends or off.reason != "weekend"):
                out.append(off)
            day += dt.timedelta(days=1)
        return out

    def next_working(self, day: dt.date) -> dt.date:
        """`day` if it is a working day, else the next one (roll_forward without the days passed over)."""
        base, upto, ordinals = self._fast
        i = day.toordinal() - base
        if 0 < i < len(upto) and (idx := upto[i - 1]) < len(ordinals):  # the working days before it
            return dt.date.fromordinal(ordinals[idx])
        return self.roll_forward(day)[0]

    def roll_forward(self, day: dt.date) -> tuple[dt.date, list[DayOff]]:
        """`day` if it is a working day, else the next one; with the days that were passed over."""
        passed: list[DayOff] = []
        off = self.day_off(day)
        while off is not None:
            passed.append(off)
            day += dt.timedelta(days=1)
            off = self.day_off(day)
        return day, passed


def _on(year: int, day: YearlyDay) -> dt.date | None:
    """The yearly day in `year`, or None (29 February in a common year)."""
    try:
        return dt.date(year, day.month, day.day)
    except ValueError:
        return None


_DA_WEEKDAY = {"monday": "mandag", "tuesday": "tirsdag", "wednesday": "onsdag", "thursday": "torsdag",
               "friday": "fredag", "saturday": "lørdag", "sunday": "søndag"}
