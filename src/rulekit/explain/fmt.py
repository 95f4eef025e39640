"""Numbers, money, percentages and dates as Danish or English readers expect them, through Babel (CLDR).

The terminal summary's Formatter (rulekit.format) writes the same shapes by hand; explanations use CLDR's
patterns so that grouping, decimal signs, weekday and month names come from one maintained source. Babel's
non-breaking spaces are kept as plain spaces so that text output, goldens and grep agree."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from babel import dates as bdates
from babel import numbers as bnumbers

from ..format import Formatter, shown_places
from ..spec.model import Contract

_LOCALE = {"da": "da_DK", "en": "en_GB"}
_DATE = {"da": "dd.MM.yyyy", "en": "d MMMM yyyy"}
_DAY = {"da": "EEE dd.MM.yyyy", "en": "EEE d MMMM yyyy"}
_MONTH = {"da": "MMMM yyyy", "en": "MMMM yyyy"}


def _plain(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


class PlainFormatter(Formatter):
    """A Formatter that writes through Babel and, given the contract, names event types by their titles."""

    def __init__(self, lang: str = "da", contract: Contract | None = None) -> None:
        super().__init__(lang)
        self.locale = _LOCALE[self.lang]
        self.contract = contract

    def number(self, value: Decimal | int, places: int | None = None) -> str:
        if isinstance(value, Decimal) and value and not -7 < value.adjusted() < 16:
            return f"{value:.6E}"
        if places is not None:
            pattern = "#,##0." + "0" * places if places else "#,##0"
            return _plain(bnumbers.format_decimal(value, format=pattern, locale=self.locale,
                                                  decimal_quantization=True))
        shown = shown_places(value) if isinstance(value, Decimal) else None
        if shown is not None:  # a quotient: its first digits (the default pattern would write 0,000219 as 0)
            return _plain(bnumbers.format_decimal(value, format="#,##0." + "#" * shown, locale=self.locale))
        return _plain(bnumbers.format_decimal(value, locale=self.locale))

    def money(self, value: Decimal) -> str:
        currency = self.contract.currency if self.contract is not None else "DKK"
        if currency != "DKK":  # the contract's own currency, written the CLDR way ('200,00 €', '€200.00')
            return _plain(bnumbers.format_currency(value, currency, locale=self.locale))
        text = self.number(value, 2)
        return f"{text} kr." if self.lang == "da" else f"DKK {text}"

    def percent(self, value: Decimal) -> str:
        text = _plain(bnumbers.format_percent(value, format="#,##0.##%", locale=self.locale))
        return text.replace("%", " %").replace("  %", " %") if self.lang == "da" else text

    def date(self, value: dt.date) -> str:
        return _plain(bdates.format_date(value, _DATE[self.lang], locale=self.locale))

    def day(self, value: dt.date) -> str:
        return _plain(bdates.format_date(value, _DAY[self.lang], locale=self.locale)).replace(".", "", 1) \
            if self.lang == "da" else _plain(bdates.format_date(value, _DAY[self.lang], locale=self.locale))

    def month(self, value: dt.date) -> str:
        return _plain(bdates.format_date(value, _MONTH[self.lang], locale=self.locale))

    def instance(self, label: str | None) -> str:
        """An instance label as the runtime writes it ('2: 2021-04-06' when the trigger has no id), dated the
        reader's way; an id stays as it is."""
        if not label:
            return ""
        number, sep, day = label.partition(": ")
        if sep and number.isdigit():
            try:
                return f"{number}: {self.date(dt.date.fromisoformat(day))}"
            except ValueError:
                pass
        return label

    def event_title(self, name: str) -> str:
        contract = self.contract
        if contract is not None:
            decl = contract.events.get(name) or contract.portfolio.events.get(name)
            if decl is not None:
                return decl.title.get(self.lang)
        return name.replace("_", " ")

    def event(self, event: dict[str, Any]) -> str:
        if "date" not in event:
            return str(event)
        return f"{self.event_title(str(event.get('type', '')))} {self.day(event['date'])}"

    def events(self, items: list[Any]) -> str:
        """A list read aloud: '01.07.2023, 01.08.2023 … (+4)', or 'ingen' / 'none'."""
        if not items:
            return "ingen" if self.lang == "da" else "none"
        shown = ", ".join(self.value(i) for i in items[:6])
        return shown + (f" … (+{len(items) - 6})" if len(items) > 6 else "")
