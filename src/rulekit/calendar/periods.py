"""Month, quarter and week arithmetic on `datetime.date`."""

from __future__ import annotations

import calendar as _cal
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = _cal.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def end_of_month(day: dt.date) -> dt.date:
    return day.replace(day=_cal.monthrange(day.year, day.month)[1])


def quarter_of(day: dt.date) -> int:
    """Calendar quarter 1–4 (København pkt. 1: "tre på hinanden følgende kalendermåneder")."""
    return (day.month - 1) // 3 + 1


def iso_week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def period_starts(first: dt.date, last: dt.date, months: int, limit: int = 1200) -> list[dt.date]:
    """The first day of every period of `months` months (calendar-aligned: months 1, 12; quarters 3;
    half years 6; years 12) from the one containing `first` to the one containing `last`."""
    index = (first.year * 12 + first.month - 1) // months * months
    out: list[dt.date] = []
    day = dt.date(index // 12, index % 12 + 1, 1)
    while day <= last and len(out) < limit:
        out.append(day)
        day = add_months(day, months)
    return out
