"""Turning input values (from YAML or JSON) into typed runtime values, and back into JSON."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Context, Decimal, DivisionByZero, InvalidOperation, Overflow
from functools import lru_cache
from typing import Any

from ..calendar.workdays import FIRST_YEAR, LAST_YEAR
from ..dsl import types as t


class BadValue(Exception):
    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


_KIND = {"bool": "bool", "money": "number", "decimal": "number", "percent": "percent", "integer": "whole",
         "days": "duration", "working_days": "duration", "weeks": "duration", "months": "duration", "date": "date",
         "text": "text"}  # by the name of a plain Type: string keys, cheaper than comparing Type objects


def coerce(value: Any, typ: t.Type) -> Any:
    """The runtime value of an input of type `typ`, or BadValue."""
    if isinstance(typ, t.EnumType):
        if isinstance(value, str) and value in typ.values:
            return typ.values[typ.values.index(value)]  # the spec's own string, shared by every case
        from ..diagnostics import did_you_mean
        raise BadValue(f"{_show(value)} is not one of {', '.join(typ.values)}",
                       did_you_mean(str(value), typ.values))
    kind = _KIND.get(typ.name) if type(typ) is t.Type else None
    if kind == "date":
        return to_date(value)
    if kind == "number":
        return _decimal(value)
    if kind == "percent":
        return _decimal(value) / 100
    if kind in ("whole", "duration"):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
            return int(value)
        raise BadValue(f"expected a whole number, found {_show(value)}",
                       f"write the number of {typ.name}" if kind == "duration" else None)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        raise BadValue(f"expected true or false, found {_show(value)}")
    if kind == "text":
        if isinstance(value, str):
            return value
        raise BadValue(f"expected text, found {_show(value)}", "quote the value")
    if typ.name in ("datetime", "hours", "service_hours"):  # instants and time spans: calendar/instants.py
        from ..calendar.instants import coerce_time
        return coerce_time(value, typ, BadValue)
    raise BadValue(f"unsupported type {typ}")


def to_date(value: Any) -> dt.date:
    day = _date(value)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise BadValue(f"{day.isoformat()} is outside the years rulekit's calendars cover ({FIRST_YEAR}–{LAST_YEAR})",
                       "check the year")
    return day


@lru_cache(maxsize=16384)
def _iso_date(text: str) -> dt.date:
    """Dates parsed once: cases share the date objects (a portfolio keeps many of them)."""
    return dt.date.fromisoformat(text)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return _iso_date(value)
        except ValueError:
            if len(value) == 10 and value[4] == "-" and value[7] == "-":
                raise BadValue(f"impossible date {value}",
                               "check the day and month (e.g. February has 28 or 29 days)") from None
    raise BadValue(f"expected a date (YYYY-MM-DD), found {_show(value)}")


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise BadValue(f"expected a number, found {_show(value)}")
    if isinstance(value, float):
        raise BadValue("inexact number (float)", "give amounts as strings or plain decimals, e.g. \"48000.50\"")
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.replace("_", "").strip())
        except InvalidOperation:
            raise BadValue(f"expected a number, found {_show(value)}", "e.g. 48000.50") from None
    else:
        raise BadValue(f"expected a number, found {_show(value)}")
    if not number.is_finite():
        raise BadValue(f"expected a finite number, found {_show(value)}")
    return number


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) < 60 else text[:57] + "…"


def money_str(value: Decimal | None, places: int = 2) -> str | None:
    """Amounts in results: decimal strings with two decimals."""
    if value is None:
        return None
    quantum = QUANTA[places] if places in QUANTA else Decimal(1).scaleb(-places)
    # in a context of its own: the caller's decimal context (a low precision, more traps) changes nothing
    return f"{(value if type(value) is Decimal else Decimal(value)).quantize(quantum, context=PINNED):f}"


# the decimal context rulekit computes in, whatever the caller's is
PINNED = Context(prec=28, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])
QUANTA = {places: Decimal(1).scaleb(-places) for places in range(7)}  # 1, 0.1, 0.01, …


_ISO: dict[dt.date, str] = {}  # a date's ISO text, for the dates cases repeat (shared by every case)


def iso(day: dt.date) -> str:
    """`day.isoformat()`, kept for the next time: a date's isoformat costs as much as eight dict lookups, and
    results name the same dates again and again (instance labels, due dates in JSON)."""
    text = _ISO.get(day)
    if text is None:
        text = day.isoformat()
        if type(day) is dt.date and len(_ISO) < 65536:  # not a datetime: its text has the time of day
            _ISO[day] = text
    return text


def json_value(value: Any, typ: t.Type | None = None) -> Any:
    """A runtime value as JSON (dates ISO, Decimals as strings, percent as a string with %)."""
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if type(value) is dt.date:
        return iso(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        if typ == t.PERCENT:
            return f"{(value * 100).quantize(Decimal('0.01')):f}%"
        return money_str(value) if typ == t.MONEY else f"{value:f}"
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    if isinstance(value, DatedAmount):
        return {"date": iso(value.date), "amount": money_str(value.amount)}
    return str(value)


class DatedAmount:
    """One dated amount (`{date, amount}` to expressions): a small record, since a portfolio keeps one per
    month of every case."""

    __slots__ = ("amount", "date")

    def __init__(self, date: dt.date, amount: Decimal) -> None:
        self.date, self.amount = date, amount

    def get(self, key: str, default: Any = None) -> Any:
        return self.date if key == "date" else self.amount if key == "amount" else default

    def __getitem__(self, key: str) -> Any:
        if key not in ("date", "amount"):
            raise KeyError(key)
        return self.get(key)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DatedAmount):
            return (self.date, self.amount) == (other.date, other.amount)
        if isinstance(other, dict):
            return other == {"date": self.date, "amount": self.amount}
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"DatedAmount({self.date.isoformat()}, {self.amount})"
