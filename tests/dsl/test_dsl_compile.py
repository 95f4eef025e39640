"""dsl.compile: compiled closures evaluated against an Env with real (København-style) calendars."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from rulekit.dsl import Env, Missing, ast

D = dt.date

REQUESTED_EASTER = {"documentation_requested": [{"type": "documentation_requested", "date": D(2021, 3, 31)}]}
INVOICES = {"invoice_sent": [
    {"type": "invoice_sent", "date": D(2021, 1, 10), "amount": Decimal("1000.10")},
    {"type": "invoice_sent", "date": D(2021, 2, 10), "amount": Decimal("2000.20")},
    {"type": "invoice_sent", "date": D(2021, 3, 10), "amount": Decimal("0.70")},
]}


# working days and calendars -------------------------------------------------------------------

def test_five_working_days_over_easter(run: Callable[..., Any]) -> None:
    due = run("first(documentation_requested).date + 5 working_days", events=REQUESTED_EASTER)
    assert due == D(2021, 4, 12)


def test_working_days_backwards(run: Callable[..., Any]) -> None:
    assert run("2021-04-12 - 5 working_days") == D(2021, 3, 31)


def test_zero_working_days_is_the_same_day(run: Callable[..., Any]) -> None:
    assert run("2021-04-03 + 0 working_days") == D(2021, 4, 3)


def test_ten_working_days_over_christmas_with_closed_days(run: Callable[..., Any]) -> None:
    assert run("2021-12-17 + 10 working_days") == D(2022, 1, 4)


def test_working_days_between_skips_ascension(run: Callable[..., Any]) -> None:
    assert run("working_days_between(2022-05-25, 2022-05-31)") == 3
    assert run("working_days_between(2022-05-31, 2022-05-25)") == -3


def test_is_working_day(run: Callable[..., Any]) -> None:
    assert run("is_working_day(2021-12-24)") is False  # closed by the contract
    assert run("is_working_day(2021-12-23)") is True
    assert run("is_working_day(2023-05-05)") is False  # Store Bededag
    assert run("is_working_day(2024-04-26)") is True  # abolished from 2024
    assert run("is_working_day(2021-05-03)") is True


def test_next_weekday_over_christmas(run: Callable[..., Any]) -> None:
    assert run("next_weekday(2021-12-25)") == D(2021, 12, 27)


def test_next_weekday_ignores_contract_closed_days(run: Callable[..., Any]) -> None:
    assert run("next_weekday(2021-12-24)") == D(2021, 12, 24)


def test_next_working_day_honours_contract_closed_days(run: Callable[..., Any]) -> None:
    assert run("next_working_day(2021-12-24)") == D(2021, 12, 27)
    assert run("next_working_day(2021-12-31)") == D(2022, 1, 3)


def test_next_working_day_of_a_working_day_is_itself(run: Callable[..., Any]) -> None:
    assert run("next_working_day(2021-12-23)") == D(2021, 12, 23)


# date arithmetic -----------------------------------------------------------------------------

def test_date_minus_date_is_days(run: Callable[..., Any]) -> None:
    assert run("2021-03-01 - 2021-02-01") == 28
    assert run("2021-02-01 - 2021-03-01") == -28


def test_days_between(run: Callable[..., Any]) -> None:
    assert run("days_between(2020-02-01, 2020-03-01)") == 29


def test_calendar_durations(run: Callable[..., Any]) -> None:
    assert run("2021-01-31 + 1 months") == D(2021, 2, 28)
    assert run("2020-01-31 + 1 month") == D(2020, 2, 29)
    assert run("2021-03-31 - 1 months") == D(2021, 2, 28)
    assert run("2021-01-01 + 2 weeks") == D(2021, 1, 15)
    assert run("2021-01-01 - 1 week") == D(2020, 12, 25)
    assert run("2021-12-25 + 30 days") == D(2022, 1, 24)
    assert run("3 days + 2021-01-01") == D(2021, 1, 4)


def test_integer_times_duration(run: Callable[..., Any]) -> None:
    assert run("2021-01-04 + 2 * 3 weeks") == D(2021, 2, 15)
    assert run("contract.start + offering.max_duration") == D(2020, 12, 30)
    assert run("contract.start + offering.max_duration * 2") == D(2021, 6, 30)


def test_date_functions(run: Callable[..., Any]) -> None:
    assert run("end_of_month(2024-02-10)") == D(2024, 2, 29)
    assert run("year(2021-11-03)") == 2021
    assert run("month(2021-11-03)") == 11
    assert run("quarter(2021-11-03)") == 4
    assert run("quarter(2021-01-01)") == 1


def test_as_of_and_contract_dates(run: Callable[..., Any]) -> None:
    assert run("as_of", as_of=D(2021, 5, 1)) == D(2021, 5, 1)
    assert run("contract.end - contract.start") == (D(2023, 6, 30) - D(2020, 7, 1)).days


@pytest.mark.parametrize("unit", ["days", "weeks", "working_days", "months"])
def test_rounded_integer_as_duration_multiplier(run: Callable[..., Any], unit: str) -> None:
    assert isinstance(run(f"2021-01-04 + round(2, 0) * 1 {unit}"), dt.date)


# events, Missing and ?? -----------------------------------------------------------------------

def test_first_of_empty_list_is_missing(run: Callable[..., Any]) -> None:
    with pytest.raises(Missing) as info:
        run("first(documentation_requested).date")
    assert "documentation_requested" in info.value.what


def test_last_of_empty_list_is_missing(run: Callable[..., Any]) -> None:
    with pytest.raises(Missing):
        run("last(invoice_sent)")


def test_first_and_last(run: Callable[..., Any]) -> None:
    assert run("first(invoice_sent).amount", events=INVOICES) == Decimal("1000.10")
    assert run("last(invoice_sent).date", events=INVOICES) == D(2021, 3, 10)


def test_coalesce_recovers_from_missing(run: Callable[..., Any]) -> None:
    text = "first(documentation_requested).extension ?? 0 working_days"
    assert run(text) == 0  # no event at all
    assert run(text, events=REQUESTED_EASTER) == 0  # event without the field
    with_ext = {"documentation_requested": [{"type": "documentation_requested", "date": D(2021, 3, 31),
                                             "extension": 3}]}
    assert run(text, events=with_ext) == 3
    none_ext = {"documentation_requested": [{"type": "documentation_requested", "date": D(2021, 3, 31),
                                             "extension": None}]}
    assert run(text, events=none_ext) == 0


def test_coalesce_on_missing_fact(run: Callable[..., Any]) -> None:
    assert run("value_of_late_part ?? 0 DKK") == Decimal(0)
    assert run("value_of_late_part ?? 0 DKK", facts={"value_of_late_part": Decimal("24000")}) == Decimal(24000)


def test_missing_fact_raises_missing_with_its_name(run: Callable[..., Any]) -> None:
    with pytest.raises(Missing) as info:
        run("value_of_late_part * 10%")
    assert info.value.what == "value_of_late_part"


def test_coalesce_is_lazy(run: Callable[..., Any]) -> None:
    assert run("1 DKK ?? value_of_late_part") == Decimal(1)


def test_exists(run: Callable[..., Any]) -> None:
    assert run("exists(documentation_requested)") is False
    assert run("exists(documentation_requested)", events=REQUESTED_EASTER) is True
    assert run("exists(value_of_late_part)") is False
    assert run("exists(value_of_late_part)", facts={"value_of_late_part": Decimal(0)}) is True
    assert run("exists(first(documentation_requested).extension)", events=REQUESTED_EASTER) is False


def test_count_where(run: Callable[..., Any]) -> None:
    assert run("count(invoice_sent where it.date > 2021-01-31)", events=INVOICES) == 2
    assert run("count(invoice_sent where it.date > 2021-12-31)", events=INVOICES) == 0
    assert run("count(invoice_sent)", events=INVOICES) == 3


def test_where_then_first(run: Callable[..., Any]) -> None:
    text = "first(invoice_sent where it.amount < 1000 DKK).date"
    assert run(text, events=INVOICES) == D(2021, 3, 10)


def test_nested_where_restores_it(run: Callable[..., Any]) -> None:
    text = "count(invoice_sent where count(invoice_sent where it.amount > 500 DKK) == 2 and it.amount < 1 DKK)"
    assert run(text, events=INVOICES) == 1


def test_where_over_a_literal_list(run: Callable[..., Any]) -> None:
    assert run("[1, 5, 2, 7] where it > 2") == [5, 7]


def test_list_projection_summed_exactly(run: Callable[..., Any]) -> None:
    total = run("sum(invoice_sent.amount)", events=INVOICES)
    assert total == Decimal("3001.00")
    assert isinstance(total, Decimal)
    assert run("invoice_sent.date", events=INVOICES) == [D(2021, 1, 10), D(2021, 2, 10), D(2021, 3, 10)]


def test_sum_of_an_empty_list(run: Callable[..., Any]) -> None:
    assert run("sum(invoice_sent.amount)") == Decimal(0)
    assert run("sum([])") == 0


def test_projection_of_a_missing_field_is_missing(run: Callable[..., Any]) -> None:
    with pytest.raises(Missing):
        run("sum(documentation_requested.extension)", events=REQUESTED_EASTER)
    assert run("sum(documentation_requested.extension) ?? 0 working_days", events=REQUESTED_EASTER) == 0


def test_where_skips_elements_without_the_field(run: Callable[..., Any]) -> None:
    events = {"documentation_requested": [
        {"type": "documentation_requested", "date": D(2021, 3, 31), "extension": 3},
        {"type": "documentation_requested", "date": D(2021, 4, 14)},
        {"type": "documentation_requested", "date": D(2021, 5, 3), "extension": None},
        {"type": "documentation_requested", "date": D(2021, 6, 1), "extension": 0},
    ]}
    assert run("count(documentation_requested where it.extension >= 0 working_days)", events=events) == 2
    assert run("count(documentation_requested where not (it.extension > 0 working_days))", events=events) == 1
    assert run("(documentation_requested where it.extension > 0 working_days).date", events=events) == [D(2021, 3, 31)]


def test_where_does_not_hide_a_missing_fact(run: Callable[..., Any]) -> None:
    with pytest.raises(Missing):
        run("count(invoice_sent where it.amount > value_of_late_part)", events=INVOICES)


def test_where_does_not_hide_a_missing_event(run: Callable[..., Any]) -> None:
    with pytest.raises(Missing):
        run("exists(invoice_sent where it.date > first(documentation_requested).date)", events=INVOICES)


def test_avg_share_percent_week_start(run: Callable[..., Any]) -> None:
    assert run("avg(invoice_sent.amount)", events=INVOICES) == Decimal("3001.00") / 3
    assert run("avg([1, 2])") == Decimal("1.5")
    with pytest.raises(Missing):
        run("avg(invoice_sent.amount)")
    assert run("share(invoice_sent where it.amount > 1 DKK, invoice_sent)", events=INVOICES) == Decimal(2) / 3
    with pytest.raises(Missing):
        run("share(invoice_sent, invoice_sent)")
    assert run("percent(0.25) * 1000 DKK") == Decimal(250)
    assert run("week_start(2021-11-07)") == D(2021, 11, 1)
    assert run("week_start(2022-01-01)") == D(2021, 12, 27)

# numbers and money ----------------------------------------------------------------------------

def test_decimal_exactness(run: Callable[..., Any]) -> None:
    assert run("0.1 DKK + 0.2 DKK") == Decimal("0.3")
    assert run("0.1 DKK + 0.2 DKK == 0.3 DKK") is True
    assert run("0.1 + 0.2 == 0.3") is True
    assert isinstance(run("0.1 + 0.2"), Decimal)


def test_percent_of_money(run: Callable[..., Any]) -> None:
    assert run("10% * 24000 DKK") == Decimal("2400")
    assert run("10.75% * 1000 DKK") == Decimal("107.5")


def test_daily_penalty_formula(run: Callable[..., Any]) -> None:
    text = "max(daily_penalty_rate * (value_of_late_part ?? 0 DKK), daily_penalty_min)"
    assert run(text) == Decimal(3000)
    assert run(text, facts={"value_of_late_part": Decimal(24000)}) == Decimal(3000)
    assert run(text, facts={"value_of_late_part": Decimal(48000)}) == Decimal(4800)


def test_min_max(run: Callable[..., Any]) -> None:
    assert run("min(3 DKK, 1 DKK, 2 DKK)") == Decimal(1)
    assert run("max([2021-01-03, 2021-05-01, 2020-12-31])") == D(2021, 5, 1)
    assert run("min(invoice_sent.amount)", events=INVOICES) == Decimal("0.70")
    with pytest.raises(Missing):
        run("max(invoice_sent.date)")


def test_round_half_up(run: Callable[..., Any]) -> None:
    assert run("round(2.345, 2)") == Decimal("2.35")
    assert str(run("round(1000 DKK / 3, 2)")) == "333.33"
    assert run("round(2.5, 0)") == Decimal(3)
    assert run("round(-2.5, 0)") == Decimal(-3)
    assert str(run("round(7 DKK, 2)")) == "7.00"


def test_abs(run: Callable[..., Any]) -> None:
    assert run("abs(-5 DKK)") == Decimal(5)
    assert run("abs(2021-01-01 - 2021-02-01)") == 31


def test_integer_arithmetic_stays_integer(run: Callable[..., Any]) -> None:
    value = run("2 * 3 + 1")
    assert value == 7
    assert isinstance(value, int)


def test_division_is_decimal(run: Callable[..., Any]) -> None:
    assert run("1 / 4") == Decimal("0.25")
    assert run("1000 DKK / 250 DKK") == Decimal(4)
    assert run("10 days / 4 days") == Decimal("2.5")


def test_division_by_zero(run: Callable[..., Any]) -> None:
    with pytest.raises(ZeroDivisionError):
        run("1000 DKK / 0")
    with pytest.raises(ZeroDivisionError):
        run("1 / (2 - 2)")


def test_unary_minus(run: Callable[..., Any]) -> None:
    assert run("-(3 DKK - 5 DKK)") == Decimal(2)
    assert run("2021-01-10 + -3 days") == D(2021, 1, 7)


def test_text_concatenation(run: Callable[..., Any]) -> None:
    assert run('"A1" + "-1B"') == "A1-1B"


# logic ----------------------------------------------------------------------------------------

def test_and_or_short_circuit(run: Callable[..., Any]) -> None:
    assert run("false and first(documentation_requested).date > as_of") is False
    assert run("true or first(documentation_requested).date > as_of") is True
    with pytest.raises(Missing):
        run("true and first(documentation_requested).date > as_of")


def test_if_evaluates_only_the_chosen_branch(run: Callable[..., Any]) -> None:
    assert run("if true then 1 DKK else value_of_late_part") == Decimal(1)
    assert run("if count(invoice_sent) > 2 then 1 else 2", events=INVOICES) == 1
    assert run("if count(invoice_sent) > 2 then 1 else 2") == 2


def test_in_and_not_in(run: Callable[..., Any]) -> None:
    assert run('offering in ["A1-1B", "A1-2A"]') is True
    assert run('offering not in ["A1-1B"]') is False
    assert run('offering in ["A1-1B"]', offering="A1-2A") is False
    assert run("3 in [1, 2, 3.0]") is True


def test_offering_missing(run: Callable[..., Any]) -> None:
    with pytest.raises(Missing) as info:
        run('offering == "A1-1B"', offering=None)
    assert info.value.what == "offering"
    with pytest.raises(Missing) as info:
        run("offering.hours_min > 1")
    assert info.value.what == "offering.hours_min"


def test_enum_fact_and_assumption(run: Callable[..., Any]) -> None:
    assert run('udbudsomraade == "udsatte"', facts={"udbudsomraade": "udsatte"}) is True
    assert run('assume.payment_rollforward == "literal"') is True
    assert run('assume.payment_rollforward == "literal"', assume={"payment_rollforward": "arbejdsdag"}) is False


def test_rule_outputs(run: Callable[..., Any]) -> None:
    outputs = {"documentation_on_demand": {"breached": True, "late_working_days": 2, "due": D(2021, 4, 12)}}
    assert run("documentation_on_demand.late_working_days * 3000 DKK", rules=outputs) == Decimal(6000)
    assert run("documentation_on_demand.breached", rules=outputs) is True
    with pytest.raises(Missing):
        run("documentation_on_demand.fulfilled", rules=outputs)
    assert run("documentation_on_demand.fulfilled ?? as_of", rules=outputs, as_of=D(2021, 5, 1)) == D(2021, 5, 1)


def test_comparisons(run: Callable[..., Any]) -> None:
    assert run("2021-04-14 > 2021-04-12") is True
    assert run("3000 DKK >= 3000.00 DKK") is True
    assert run("5 working_days != 5 working_days") is False
    assert run("1 < 1.5") is True


# the compiled closure is reusable and traceable ---------------------------------------------

def test_one_compile_many_cases(compiled: Callable[..., Any], new_env: Callable[..., Env]) -> None:
    _, fn = compiled("first(documentation_requested).date + 5 working_days")
    dates = [D(2021, 3, 31), D(2021, 12, 17), D(2022, 5, 25)]
    results = [fn(new_env(events={"documentation_requested": [{"date": d}]})) for d in dates]
    assert results == [D(2021, 4, 12), D(2021, 12, 27), D(2022, 6, 2)]


def test_traced_compile_fills_the_recorder(compiled: Callable[..., Any], new_env: Callable[..., Env]) -> None:
    checked, fn = compiled("max(daily_penalty_rate * value_of_late_part, daily_penalty_min)", traced=True)
    env = new_env(facts={"value_of_late_part": Decimal(48000)})
    env.recorder = {}
    assert fn(env) == Decimal(4800)
    recorded = {type(node).__name__ + ":" + _label(node): value for node, value in env.recorder.items()}
    assert recorded == {
        "Name:daily_penalty_rate": Decimal("0.10"),
        "Name:value_of_late_part": Decimal(48000),
        "Binary:*": Decimal(4800),
        "Name:daily_penalty_min": Decimal(3000),
        "Call:max": Decimal(4800),
    }
    assert checked.node in env.recorder


def test_traced_closure_without_recorder_still_evaluates(compiled: Callable[..., Any],
                                                          new_env: Callable[..., Env]) -> None:
    _, fn = compiled("1 DKK + 2 DKK", traced=True)
    env = new_env()
    assert env.recorder is None
    assert fn(env) == Decimal(3)
    assert env.recorder is None


def test_untraced_compile_records_nothing(compiled: Callable[..., Any], new_env: Callable[..., Env]) -> None:
    _, fn = compiled("daily_penalty_min * 2")
    env = new_env()
    env.recorder = {}
    assert fn(env) == Decimal(6000)
    assert env.recorder == {}


def test_traced_missing_keeps_what_was_recorded(compiled: Callable[..., Any], new_env: Callable[..., Env]) -> None:
    _, fn = compiled("daily_penalty_min + value_of_late_part", traced=True)
    env = new_env()
    env.recorder = {}
    with pytest.raises(Missing):
        fn(env)
    assert list(env.recorder.values()) == [Decimal(3000)]


def _label(node: ast.Node) -> str:
    if isinstance(node, ast.Name):
        return node.name
    if isinstance(node, ast.Call):
        return node.fn
    if isinstance(node, ast.Binary):
        return node.op
    return "?"
