"""Instants and time spans in case files: ISO 8601 with a UTC offset, and H:MM."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from .workdays import FIRST_YEAR, LAST_YEAR


def coerce_time(value: Any, typ: Any, bad: Callable[..., Exception]) -> Any:
    """An instant (aware datetime) or a time span (whole seconds) from case data; `bad(message, hint)`
    makes the error to raise."""
    if getattr(typ, "name", "") != "datetime":
        return _span(value, bad)
    if isinstance(value, dt.datetime):
        instant = value
    elif isinstance(value, str):
        try:
            instant = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise bad(f"expected an instant (ISO 8601), found {value!r}", "e.g. 2024-03-01T16:00+01:00") from None
    else:
        raise bad(f"expected an instant (ISO 8601 text), found {value!r}", "e.g. \"2024-03-01T16:00+01:00\"")
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise bad(f"{value} has no UTC offset", "add one, e.g. +01:00 (Danish winter time) or Z (UTC)")
    if not FIRST_YEAR <= instant.year <= LAST_YEAR:
        raise bad(f"{value} is outside the years rulekit's calendars cover ({FIRST_YEAR}–{LAST_YEAR})",
                  "check the year")
    return instant


def _span(value: Any, bad: Callable[..., Exception]) -> int:
    """'4:30' → 16200 seconds; a whole number is minutes."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value * 60
    if isinstance(value, str) and ":" in value:
        hours, _, minutes = value.strip().partition(":")
        if hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and int(minutes) < 60:
            return int(hours) * 3600 + int(minutes) * 60
    raise bad(f"expected a time span (H:MM or whole minutes), found {value!r}", "e.g. \"4:30\"")
