"""Instants and working hours: local dates and times in a calendar's time zone, service hours counted
and added over the calendar's working days (e.g. Mon–Fri 08:00–16:00 except public holidays).

Instants are timezone-aware `datetime`s; time spans are whole seconds. Whole working days between two
instants are counted with the calendar's working-day ordinals, so a long span costs O(log n)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .workdays import WorkingCalendar

ONE_DAY = dt.timedelta(days=1)
DEFAULT_ZONES = {"DK": "Europe/Copenhagen", "SE": "Europe/Stockholm", "NO": "Europe/Oslo", "DE": "Europe/Berlin",
                 "FI": "Europe/Helsinki", "IS": "Atlantic/Reykjavik", "GB": "Europe/London", "NL": "Europe/Amsterdam"}


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """Opening and closing time on every working day, in local time (opening < closing)."""

    opens: dt.time
    closes: dt.time

    @property
    def seconds(self) -> int:
        return (self.closes.hour * 3600 + self.closes.minute * 60) - (self.opens.hour * 3600 + self.opens.minute * 60)


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """A time zone by its IANA name; ValueError if there is no such zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone '{name}'") from None


def zone_of(cal: WorkingCalendar) -> ZoneInfo:
    return zone(cal.timezone)


def local_date(cal: WorkingCalendar, instant: dt.datetime) -> dt.date:
    """The calendar date of `instant` in the calendar's time zone."""
    return instant.astimezone(zone_of(cal)).date()


def at_time(cal: WorkingCalendar, day: dt.date, time: dt.time) -> dt.datetime:
    """`day` at local `time` in the calendar's time zone."""
    return dt.datetime.combine(day, time, tzinfo=zone_of(cal))


def parse_time(text: str) -> dt.time:
    """'08:00' → 08:00; ValueError for anything else."""
    parts = text.strip().split(":")
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 2 for p in parts):
        raise ValueError(f"'{text}' is not a time of day (HH:MM)")
    return dt.time(int(parts[0]), int(parts[1]))


def seconds(delta: dt.timedelta) -> int:
    return delta // dt.timedelta(seconds=1)


def _hours(cal: WorkingCalendar) -> WorkingHours:
    if cal.working_hours is None:
        raise ValueError(f"calendar '{cal.name}' declares no working_hours")
    return cal.working_hours


def _window(cal: WorkingCalendar, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    hours = _hours(cal)
    return at_time(cal, day, hours.opens), at_time(cal, day, hours.closes)


def _overlap(cal: WorkingCalendar, day: dt.date, a: dt.datetime, b: dt.datetime) -> int:
    """Seconds of `day`'s working hours inside [a, b] (0 on a day off)."""
    if not cal.is_working_day(day):
        return 0
    opens, closes = _window(cal, day)
    return max(0, seconds(min(b, closes) - max(a, opens)))


def service_seconds(cal: WorkingCalendar, a: dt.datetime, b: dt.datetime) -> int:
    """Seconds of working hours between a and b (negative when b is before a)."""
    if b < a:
        return -service_seconds(cal, b, a)
    first, last = local_date(cal, a), local_date(cal, b)
    if first == last:
        return _overlap(cal, first, a, b)
    whole_days = cal.count(first, last - ONE_DAY)  # working days strictly between the first and last day
    return _overlap(cal, first, a, b) + whole_days * _hours(cal).seconds + _overlap(cal, last, a, b)


def add_service(cal: WorkingCalendar, start: dt.datetime, amount: int) -> dt.datetime:
    """The instant `amount` seconds of working hours after `start` (from the next opening if `start` is
    outside working hours). Only forward: a negative amount is a ValueError."""
    if amount < 0:
        raise ValueError("service hours can only be added, not subtracted")
    if amount == 0:
        return start
    day = local_date(cal, start)
    if cal.is_working_day(day):
        opens, closes = _window(cal, day)
        begin = max(start, opens)
        available = max(0, seconds(closes - begin))
        if amount <= available:
            return begin + dt.timedelta(seconds=amount)
        amount -= available
    per_day = _hours(cal).seconds
    days = -(-amount // per_day)  # the working day on which the remaining time runs out
    target = cal.add(day, days)
    opens, _ = _window(cal, target)
    return opens + dt.timedelta(seconds=amount - (days - 1) * per_day)


def started_working_days(cal: WorkingCalendar, a: dt.datetime, b: dt.datetime) -> int:
    """Working days on which some part of the time between a and b falls, in local time (0 when b is not
    after a). A day starts at local midnight: b at exactly midnight does not start the new day."""
    if b <= a:
        return 0
    last = local_date(cal, b - dt.timedelta(microseconds=1))
    return cal.count(local_date(cal, a) - ONE_DAY, last)


def started_days(cal: WorkingCalendar, a: dt.datetime, b: dt.datetime, limit: int = 62) -> list[dt.date]:
    """The working days started_working_days counts (at most `limit` of them, for explanations)."""
    if b <= a:
        return []
    last = local_date(cal, b - dt.timedelta(microseconds=1))
    first = local_date(cal, a)
    return cal.working_days(first - ONE_DAY, min(last, first + dt.timedelta(days=3 * limit)))[:limit]


def served_days(cal: WorkingCalendar, a: dt.datetime, b: dt.datetime) -> list[tuple[dt.date, int]]:
    """The working days between a and b with the seconds of working hours counted on each (for
    explanations; at most 62 days are listed)."""
    if b < a:
        a, b = b, a
    out: list[tuple[dt.date, int]] = []
    day, last = local_date(cal, a), local_date(cal, b)
    while day <= last and len(out) < 62:
        got = _overlap(cal, day, a, b)
        if got:
            out.append((day, got))
        day += ONE_DAY
    return out
