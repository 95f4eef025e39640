"""Whole numbers, named elements, comprehensions, periods, instants and working hours in expressions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from rulekit.calendar.hours import WorkingHours
from rulekit.calendar.workdays import WorkingCalendar
from rulekit.dsl import Calendars, CheckError, Env, Scope, Symbol, check, compile_expr, parse
from rulekit.dsl import types as t

CET = dt.timezone(dt.timedelta(hours=1))
SERVICE = WorkingCalendar("service", "DK", working_hours=WorkingHours(dt.time(8), dt.time(16)))
CALS = Calendars(SERVICE, WorkingCalendar("weekday", "DK"))
INCIDENT = t.Record("incident", (("date", t.DATE), ("type", t.TEXT), ("reported_at", t.DATETIME),
                                 ("answered_at", t.DATETIME)))


INVOICE = t.Record("invoice_sent", (("date", t.DATE), ("type", t.TEXT), ("amount", t.MONEY)))


def scope(currency: str = "DKK") -> Scope:
    return Scope({
        "incident": Symbol("events", "incident", t.list_of(INCIDENT)),
        "invoice_sent": Symbol("events", "invoice_sent", t.list_of(INVOICE)),
        "reported": Symbol("fact", "reported", t.DATETIME),
        "as_of": Symbol("as_of", "as_of", t.DATE),
    }, currency=currency)


def make_env(*, facts: dict[str, Any] | None = None, events: dict[str, Any] | None = None) -> Env:
    return Env(facts=facts or {}, events=events or {}, as_of=dt.date(2021, 10, 1), offering=None, offering_attrs={},
               assume={}, param=lambda name: None, contract_start=dt.date(2020, 7, 1),
               contract_end=dt.date(2023, 6, 30))


def typ(text: str, currency: str = "DKK") -> t.Type:
    return check(text, parse(text), scope(currency)).type


def value(text: str, **kw: Any) -> Any:
    checked = check(text, parse(text), scope())
    return compile_expr(checked, CALS)(make_env(**kw))


def fails(text: str, code: str, currency: str = "DKK") -> CheckError:
    with pytest.raises(CheckError) as info:
        typ(text, currency)
    assert info.value.code == code, info.value.message
    assert info.value.hint, "every check error has a hint"
    return info.value


@pytest.mark.parametrize(("text", "expected", "result"), [
    ("ceil(2.1)", t.INT, 3), ("floor(2.9)", t.INT, 2), ("ceil(-2.5)", t.INT, -2), ("round(2.5, 0)", t.INT, 3),
    ("round(7 / 2, 0)", t.INT, 4), ("ceil(7 days / 2 days)", t.INT, 4), ("started(7 days, 2 days)", t.INT, 4),
    ("started(6, 2)", t.INT, 3), ("started(0 working_days, 2 working_days)", t.INT, 0),
    ("started(90 minutes, 1 hours)", t.INT, 2), ("1‰ * 1000 DKK", t.MONEY, Decimal("1.000")),
    ("2021-03-05 - 2021-03-01", t.INT, 4), ("days_between(2021-03-01, 2021-03-05)", t.INT, 4),
])
def test_whole_numbers(text: str, expected: t.Type, result: Any) -> None:
    assert typ(text) == expected
    assert value(text) == result


def test_whole_number_errors() -> None:
    fails("ceil(3 days)", "E202")
    fails("started(3 days, 2 working_days)", "E203")
    fails("round(3 DKK, 0) + 1", "E203")


def test_currencies() -> None:
    assert typ("1000 EUR + 5 EUR", "EUR") == t.MONEY
    err = fails("1000 EUR", "E203")
    assert "DKK" in err.message and "currency: EUR" in (err.hint or "")
    fails("1000 XYZ", "E203")
    assert typ("3 kr") == t.MONEY


def test_named_where_and_comprehension() -> None:
    events = {"invoice_sent": [{"date": dt.date(2021, 1, 1), "amount": Decimal(5)},
                               {"date": dt.date(2021, 2, 1), "amount": Decimal(7)}]}
    text = "invoice_sent where inv: count(invoice_sent where it.amount > inv.amount) == 1"
    assert [e["amount"] for e in value(text, events=events)] == [Decimal(5)]
    assert value("sum([i.amount * 2 for i in invoice_sent])", events=events) == Decimal(24)
    assert typ("[i.date for i in invoice_sent]") == t.list_of(t.DATE)
    fails("invoice_sent where as_of: true", "E210")


def test_self_comparison_in_nested_where_warns() -> None:
    text = "invoice_sent where exists(invoice_sent where it.amount == it.amount)"
    checked = check(text, parse(text), scope())
    assert [w.code for w in checked.warnings] == ["W201"]
    assert "inner" in checked.warnings[0].message
    ok = "invoice_sent where o: exists(invoice_sent where it.amount == o.amount)"
    assert not check(ok, parse(ok), scope()).warnings


def test_periods() -> None:
    assert value("quarters(2024-02-10, 2024-08-01)") == [dt.date(2024, 1, 1), dt.date(2024, 4, 1),
                                                          dt.date(2024, 7, 1)]
    assert value("half_years(2024-02-10, 2025-01-01)") == [dt.date(2024, 1, 1), dt.date(2024, 7, 1),
                                                           dt.date(2025, 1, 1)]
    assert value("date(2024, 7, 1)") == dt.date(2024, 7, 1)


def test_instants_and_service_hours() -> None:
    friday = dt.datetime(2024, 3, 1, 14, 0, tzinfo=CET)
    assert typ("reported + 4 service_hours") == t.DATETIME
    # Friday 14:00 + 4 service hours: 2 hours on Friday, 2 on Monday → Monday 10:00
    assert value("reported + 4 service_hours", facts={"reported": friday}) == dt.datetime(2024, 3, 4, 10, 0, tzinfo=CET)
    assert value("service_hours_between(reported, 2024-03-04T10:00+01:00)", facts={"reported": friday}) == 4 * 3600
    assert value("2024-03-04T10:00+01:00 - reported", facts={"reported": friday}) == 68 * 3600
    assert value("started_working_days(2024-03-01T16:00+01:00, 2024-03-04T09:00+01:00)") == 2
    assert value("date(2024-03-01T23:30Z)") == dt.date(2024, 3, 2)  # already 2 March in Copenhagen
    assert value('instant(2024-03-01, "16:00")') == dt.datetime(2024, 3, 1, 16, 0, tzinfo=CET)
    fails("reported + 1 day", "E203")
    fails("reported < 2024-03-01", "E203")
