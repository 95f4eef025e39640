"""Values as a Danish or English reader expects them: 3.000,00 kr. / DKK 3,000.00, 10.05.2021 / 10 May 2021."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from .dsl import types as t


def shown_places(value: Decimal) -> int | None:
    """The decimals to show of a quotient's 28 digits (an average, a share, a daily rate): three, or three
    significant ones below 1 (0,000219); None for a number with at most six decimals (as typed: shown whole)."""
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or exponent >= -6 or not value:
        return None
    return max(3, 2 - value.adjusted())


_UNITS = {
    "da": {"days": ("dag", "dage"), "working_days": ("arbejdsdag", "arbejdsdage"), "weeks": ("uge", "uger"),
           "months": ("måned", "måneder")},
    "en": {"days": ("day", "days"), "working_days": ("working day", "working days"), "weeks": ("week", "weeks"),
           "months": ("month", "months")},
}
_SPANS = {"da": {False: ("time", "timer"), True: ("servicetime", "servicetimer")},
          "en": {False: ("hour", "hours"), True: ("service hour", "service hours")}}
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
_WEEKDAYS = {"da": ("man", "tir", "ons", "tor", "fre", "lør", "søn"),
             "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


class Formatter:
    def __init__(self, lang: str = "da", currency: str = "DKK") -> None:
        self.lang = lang if lang in ("da", "en") else "da"
        self.currency = currency

    def number(self, value: Decimal | int, places: int | None = None) -> str:
        if isinstance(value, Decimal) and value and not -7 < value.adjusted() < 16:
            return f"{value:.6E}"  # an extreme value: scientific notation, not a megabyte of digits
        if places is not None:
            value = Decimal(value).quantize(Decimal(1).scaleb(-places))
        elif isinstance(value, Decimal) and (shown := shown_places(value)) is not None:
            value = value.quantize(Decimal(1).scaleb(-shown), rounding=ROUND_HALF_EVEN).normalize()
        text = f"{value:,f}" if isinstance(value, Decimal) else f"{value:,}"
        if self.lang == "da":
            text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
        return text

    def money(self, value: Decimal) -> str:
        text = self.number(value, 2)
        if self.currency != "DKK":
            return f"{text} {self.currency}" if self.lang == "da" else f"{self.currency} {text}"
        return f"{text} kr." if self.lang == "da" else f"DKK {text}"

    def counted(self, value: int, typ: t.Type | None, days: tuple[Any, ...]) -> str:
        """'3 (ons 27.03.2024, tir 02.04.2024, …)' or '4 servicetimer (fre 01.03.2024: 2 timer, …)'."""
        shown = self.span(value, typ == t.SERVICE_HOURS) if typ in t.TIME_SPANS else self.number(value)
        parts = [f"{self.day(d[0])}: {self.span(d[1], typ == t.SERVICE_HOURS)}" if isinstance(d, tuple)
                 else self.day(d) for d in days[:8]]
        more = f", … (+{len(days) - 8})" if len(days) > 8 else ""
        return f"{shown} ({', '.join(parts)}{more})"

    def instant(self, value: dt.datetime) -> str:
        """'01.03.2024 16:00 (+01:00)' / '1 March 2024 16:00 (+01:00)': the time as written, with its offset."""
        offset = value.strftime("%z")
        shown = f"{offset[:3]}:{offset[3:]}" if offset else ""
        return f"{self.date(value.date())} {value.strftime('%H:%M')}" + (f" ({shown})" if shown else "")

    def span(self, seconds: int, service: bool = False) -> str:
        """A time span: '4 timer', '1 time 30 min.', '30 min.' / '4 hours', '1 hour 30 min', '30 min'; service hours
        say so."""
        sign, seconds = ("−" if seconds < 0 else ""), abs(seconds)
        hours, minutes = seconds // 3600, seconds % 3600 // 60
        one, many = _SPANS[self.lang][service]
        unit = "min." if self.lang == "da" else "min"
        if minutes and not hours:
            return f"{sign}{minutes} {unit}"
        return f"{sign}{hours} {one if hours == 1 else many}" + (f" {minutes} {unit}" if minutes else "")

    def percent(self, value: Decimal) -> str:
        shown = (value * 100).quantize(Decimal("0.01")).normalize()
        text = self.number(int(shown) if shown == shown.to_integral() else shown)
        return f"{text} %" if self.lang == "da" else f"{text}%"

    def date(self, value: dt.date) -> str:
        if self.lang == "da":
            return f"{value.day:02d}.{value.month:02d}.{value.year}"  # as strftime("%d.%m.%Y"), quicker
        return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"

    def day(self, value: dt.date) -> str:
        """A date with its weekday: 'fre 24.12.2021' / 'Fri 24 December 2021'."""
        return f"{_WEEKDAYS[self.lang][value.weekday()]} {self.date(value)}"

    def duration(self, n: int, unit: str) -> str:
        one, many = _UNITS[self.lang].get(unit, (unit, unit))
        return f"{n} {one if abs(n) == 1 else many}"

    def boolean(self, value: bool) -> str:
        return {("da", True): "ja", ("da", False): "nej", ("en", True): "yes", ("en", False): "no"}[
            (self.lang, value)]

    def value(self, value: Any, typ: t.Type | None = None) -> str:
        """Any runtime value, using its static type where it matters (money, percent, durations)."""
        if value is None:
            return "—"
        counted = getattr(value, "explained", None)  # a figure that names what it counted (dsl/compilefns.py)
        if counted and isinstance(value, int):
            return self.counted(value, typ, counted)
        if counted and isinstance(value, Decimal):  # interest: its stretches and their rates
            parts = [f"{self.date(lo)}–{self.date(hi)}: {self.percent(rate)}" for lo, hi, rate in counted[:8]]
            return f"{self.money(Decimal(value))} ({', '.join(parts)}{', …' if len(counted) > 8 else ''})"
        if isinstance(typ, t.EnumType) and isinstance(value, str):
            return typ.title(value, self.lang)
        if isinstance(value, bool):
            return self.boolean(value)
        if isinstance(value, dt.date):  # (a date is none of the typed numbers below)
            return self.instant(value) if isinstance(value, dt.datetime) else self.date(value)
        if typ == t.MONEY and isinstance(value, Decimal | int):
            return self.money(Decimal(value))
        if typ == t.PERCENT and isinstance(value, Decimal):
            return self.percent(value)
        if typ in t.DURATIONS and isinstance(value, int):
            assert typ is not None
            return self.duration(value, typ.name)
        if typ in t.TIME_SPANS and isinstance(value, int):
            return self.span(value, typ == t.SERVICE_HOURS)
        if isinstance(value, Decimal | int):
            return self.number(value)
        if isinstance(value, list):
            return self.events(value)
        if isinstance(value, dict):
            return self.event(value)
        if hasattr(value, "date") and hasattr(value, "amount"):  # a dated amount
            return f"{self.date(value.date)}: {self.money(value.amount)}"
        return str(value)

    def said(self, value: Any, typ: t.Type | None = None) -> str:
        """A value as a sentence says it (a message's hole): a list as "1, 2 og 3" / "1, 2 and 3", each element by
        its type, at most ten; anything else as value() writes it."""
        if not isinstance(value, list):
            return self.value(value, typ)
        if not value:
            return "ingen" if self.lang == "da" else "none"
        elem = typ.elem if isinstance(typ, t.ListType) else None
        shown = [self.value(item, elem) for item in value[:10]]
        if len(value) > 10:
            return ", ".join(shown) + (f" og {len(value) - 10} flere" if self.lang == "da" else
                                       f" and {len(value) - 10} more")
        last = shown.pop()
        return f"{', '.join(shown)} {'og' if self.lang == 'da' else 'and'} {last}" if shown else last

    def event(self, event: dict[str, Any]) -> str:
        return f"{event.get('type', '')} {self.date(event['date'])}" if "date" in event else str(event)

    def events(self, items: list[Any]) -> str:
        if not items:
            return "ingen" if self.lang == "da" else "none"
        shown = [self.value(i) for i in items[:6]]
        more = f" … (+{len(items) - 6})" if len(items) > 6 else ""
        return "[" + ", ".join(shown) + more + "]"
