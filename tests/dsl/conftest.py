"""Shared fixtures for the expression-language tests: a scope like the one spec/rules.py base_scope
builds, København-style calendars, and a helper that parses, checks, compiles and evaluates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import pytest

from rulekit.calendar.workdays import WorkingCalendar, YearlyDay
from rulekit.dsl import Calendars, Checked, Env, Missing, Scope, Symbol, check, compile_expr, parse
from rulekit.dsl import types as t
from rulekit.dsl.env import MissingField

DOC_REQUESTED = t.Record("documentation_requested", (("date", t.DATE), ("type", t.TEXT),
                                                     ("extension", t.WORKING_DAYS)))
DOC_DELIVERED = t.Record("documentation_delivered", (("date", t.DATE), ("type", t.TEXT)))
INVOICE = t.Record("invoice_sent", (("date", t.DATE), ("type", t.TEXT), ("amount", t.MONEY)))
AREA = t.EnumType("udbudsomraade", ("udsatte", "sygemeldte", "hjerneskade", "psykiske_lidelser"))
ROLL = t.EnumType("payment_rollforward", ("literal", "arbejdsdag"))
DEADLINE_OUT = t.Record("documentation_on_demand", (
    ("status", t.EnumType("status", ("met", "breached", "pending", "not_applicable"))),
    ("met", t.BOOL), ("breached", t.BOOL), ("applies", t.BOOL), ("due", t.DATE), ("fulfilled", t.DATE),
    ("late_days", t.INT), ("late_working_days", t.INT)))


def make_scope() -> Scope:
    symbols = {
        "value_of_late_part": Symbol("fact", "value_of_late_part", t.MONEY),
        "weekly_hours": Symbol("fact", "weekly_hours", t.DEC),
        "citizens": Symbol("fact", "citizens", t.INT),
        "udbudsomraade": Symbol("fact", "udbudsomraade", AREA),
        "documentation_requested": Symbol("events", "documentation_requested", t.list_of(DOC_REQUESTED)),
        "documentation_delivered": Symbol("events", "documentation_delivered", t.list_of(DOC_DELIVERED)),
        "invoice_sent": Symbol("events", "invoice_sent", t.list_of(INVOICE)),
        "daily_penalty_min": Symbol("param", "daily_penalty_min", t.MONEY),
        "daily_penalty_rate": Symbol("param", "daily_penalty_rate", t.PERCENT),
        "documentation_on_demand": Symbol("rule", "documentation_on_demand", DEADLINE_OUT),
        "as_of": Symbol("as_of", "as_of", t.DATE),
        "offering": Symbol("offering", "offering", t.TEXT),
        "assume": Symbol("assume", "assume", t.Record("assume", (("payment_rollforward", ROLL),))),
        "contract": Symbol("contract", "contract", t.Record("contract", (("start", t.DATE), ("end", t.DATE)))),
    }
    attrs = t.Record("offering", (("max_duration", t.WEEKS), ("hours_min", t.DEC)))
    return Scope(symbols, attrs)


KBH_CLOSED = (YearlyDay(12, 24, "juleaftensdag", "Christmas Eve"),
              YearlyDay(12, 31, "nytårsaftensdag", "New Year's Eve"),
              YearlyDay(6, 5, "grundlovsdag", "Constitution Day"))


@pytest.fixture(scope="session")
def cals() -> Calendars:
    return Calendars(WorkingCalendar("arbejdsdag", "DK", closed=KBH_CLOSED), WorkingCalendar("weekday", "DK"))


@pytest.fixture
def scope() -> Scope:
    return make_scope()


def make_env(*, facts: Mapping[str, Any] | None = None, events: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
             as_of: dt.date = dt.date(2021, 10, 1), offering: str | None = "A1-1B",
             offering_attrs: Mapping[str, Any] | None = None, assume: Mapping[str, str] | None = None,
             params: Mapping[str, Any] | None = None, rules: dict[str, dict[str, Any]] | None = None) -> Env:
    values = {"daily_penalty_min": Decimal("3000"), "daily_penalty_rate": Decimal("0.10"), **(params or {})}
    env = Env(facts=dict(facts or {}), events=dict(events or {}), as_of=as_of, offering=offering,
              offering_attrs=dict(offering_attrs if offering_attrs is not None else {"max_duration": 26}),
              assume=dict(assume or {"payment_rollforward": "literal"}), param=values.__getitem__,
              contract_start=dt.date(2020, 7, 1), contract_end=dt.date(2023, 6, 30))
    env.rules.update(rules or {})
    return env


Run = Callable[..., Any]


@pytest.fixture
def compiled(cals: Calendars, scope: Scope) -> Callable[..., tuple[Checked, Callable[[Env], Any]]]:
    def build(text: str, *, traced: bool = False) -> tuple[Checked, Callable[[Env], Any]]:
        checked = check(text, parse(text), scope)
        return checked, compile_expr(checked, cals, traced=traced)
    return build


@pytest.fixture
def run(compiled: Callable[..., tuple[Checked, Callable[[Env], Any]]]) -> Run:
    """run(text, **env_kwargs): the value of `text` for one case."""
    def evaluate(text: str, **kw: Any) -> Any:
        _, fn = compiled(text)
        return fn(make_env(**kw))
    return evaluate


@pytest.fixture
def new_env() -> Callable[..., Env]:
    return make_env


def _outcome(fn: Callable[[Env], Any], env: Env) -> tuple[str, Any]:
    """What evaluating gives, as data to compare: the value, or the exception's kind and message (for
    Missing, the names it misses, alternatives of a `??` first)."""
    try:
        return ("value", fn(env))
    except MissingField as exc:
        return ("MissingField", exc.names)
    except Missing as exc:
        return ("Missing", exc.names)
    except Exception as exc:  # the exception type (and message) is what is compared
        return (type(exc).__name__, str(exc))


@pytest.fixture
def outcome() -> Callable[[Callable[[Env], Any], Env], tuple[str, Any]]:
    """outcome(fn, env): the value, or the exception as data (two ways of evaluating are compared by it)."""
    return _outcome
