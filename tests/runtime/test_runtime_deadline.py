"""Deadlines: from/period over holidays, extensions and their cap, rolling, `due:`, status, lateness, repeats."""

from __future__ import annotations

import datetime as dt

import pytest
from runtime_support import case, findings, obligations

from rulekit import evaluate_case


def deadline(contract, rule: str, *events, **kw):  # type: ignore[no-untyped-def]
    return obligations(evaluate_case(contract, case(list(events), **kw)))[rule]


# from + period in working days -----------------------------------------------------------------

def test_five_working_days_skip_easter(deadlines) -> None:  # type: ignore[no-untyped-def]
    # ons 31.03.2021 + 5 arbejdsdage: skærtorsdag, langfredag, weekend, 2. påskedag are skipped
    o = deadline(deadlines, "doc_deadline", ("demanded", "2021-03-31"), ("delivered", "2021-04-14"))
    assert o["due"] == "2021-04-12"
    assert o["status"] == "breached"
    assert o["fulfilled"] == "2021-04-14"
    assert (o["late_days"], o["late_working_days"]) == (2, 2)


def test_delivered_on_the_due_date_is_met(deadlines) -> None:  # type: ignore[no-untyped-def]
    o = deadline(deadlines, "doc_deadline", ("demanded", "2021-03-31"), ("delivered", "2021-04-12"))
    assert o["status"] == "met"
    assert (o["late_days"], o["late_working_days"]) == (0, 0)


def test_delivered_early_is_met(deadlines) -> None:  # type: ignore[no-untyped-def]
    o = deadline(deadlines, "doc_deadline", ("demanded", "2021-03-31"), ("delivered", "2021-03-31"))
    assert o["status"] == "met"


@pytest.mark.parametrize(("as_of", "status", "late_days", "late_wd"), [
    ("2021-04-01", "pending", 0, 0),
    ("2021-04-12", "pending", 0, 0),   # as_of on the due date: not yet late
    ("2021-04-13", "breached", 1, 1),
    ("2021-04-19", "breached", 7, 5),  # counted up to as_of while not fulfilled
])
def test_pending_versus_breached_relative_to_as_of(deadlines, as_of, status, late_days, late_wd) -> None:  # type: ignore[no-untyped-def]
    o = deadline(deadlines, "doc_deadline", ("demanded", "2021-03-31"), as_of=as_of)
    assert o["status"] == status
    assert o["due"] == "2021-04-12"
    assert "fulfilled" not in o
    assert (o["late_days"], o["late_working_days"]) == (late_days, late_wd)


def test_late_days_and_late_working_days_differ_over_christmas(deadlines) -> None:  # type: ignore[no-untyped-def]
    # fre 17.12.2021 + 5 arbejdsdage: 20, 21, 22, 23 and (24 closed by the contract) 27 december
    o = deadline(deadlines, "doc_deadline", ("demanded", "2021-12-17"), ("delivered", "2022-01-04"),
                 as_of="2022-02-01")
    assert o["due"] == "2021-12-27"
    # 8 calendar days late; working days 28, 29, 30 Dec, (31 Dec closed, 1-2 Jan weekend/holiday) 3, 4 Jan
    assert (o["late_days"], o["late_working_days"]) == (8, 5)


def test_no_trigger_means_not_applicable(deadlines) -> None:  # type: ignore[no-untyped-def]
    o = deadline(deadlines, "doc_deadline", ("delivered", "2021-04-14"))
    assert o["status"] == "not_applicable"
    assert "due" not in o


def test_first_trigger_counts(deadlines) -> None:  # type: ignore[no-untyped-def]
    o = deadline(deadlines, "doc_deadline", ("demanded", "2021-06-01"), ("demanded", "2021-03-31"),
                 ("delivered", "2021-04-14"))
    assert o["due"] == "2021-04-12"  # events are sorted by date before `first`


# extensions -------------------------------------------------------------------------------------

def ext(days: int) -> dict:  # type: ignore[type-arg]
    return {"type": "demanded", "date": "2021-03-31", "extension": days}


def test_extension_moves_the_due_date(deadlines) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_case(deadlines, case([ext(3), ("delivered", "2021-04-15")]))
    o = obligations(result)["doc_deadline"]
    assert o["due"] == "2021-04-15"  # 5 + 3 working days
    assert o["status"] == "met"
    assert findings(result, "doc_deadline") == []


def test_extension_at_the_cap_is_no_finding(deadlines) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_case(deadlines, case([ext(10)]))
    assert obligations(result)["doc_deadline"]["due"] == "2021-04-26"
    assert findings(result, "doc_deadline") == []


def test_extension_over_the_cap_is_capped_with_a_warning(deadlines) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_case(deadlines, case([ext(15)]))
    assert obligations(result)["doc_deadline"]["due"] == "2021-04-26"  # 5 + 10, not 5 + 15
    (finding,) = findings(result, "doc_deadline")
    assert finding["severity"] == "warning"
    assert "15" in finding["message"] and "10" in finding["message"]
    assert "forlængelse" in finding["message"]


def test_capped_extension_message_in_english(deadlines) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_case(deadlines, case([ext(15)]), lang="en")
    (finding,) = findings(result, "doc_deadline")
    assert "extension of 15 working days exceeds the maximum of 10 working days" in finding["message"]


def test_capped_extension_is_in_the_trace(deadlines) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_case(deadlines, case([ext(15)]))
    node = next(n for n in result.trace if n.rule == "doc_deadline")
    step = next(s for s in node.steps if s.key == "extension_capped")
    assert step.data == {"asked": 15, "cap": 10, "unit": "working_days"}


# assumptions switch the trigger -------------------------------------------------------------------

def test_assumption_switches_the_trigger(deadlines) -> None:  # type: ignore[no-untyped-def]
    events = [("demanded", "2021-03-31"), ("received", "2021-04-06"), ("delivered", "2021-04-13")]
    literal = evaluate_case(deadlines, case(events))
    switched = evaluate_case(deadlines, case(events), assume={"count_from": "receipt"})
    assert obligations(literal)["doc_deadline"]["status"] == "breached"
    assert obligations(switched)["doc_deadline"]["due"] == "2021-04-13"
    assert obligations(switched)["doc_deadline"]["status"] == "met"
    assert literal.to_json()["assumptions"] == [{"id": "count_from", "reading": "demand", "default": True}]
    assert switched.to_json()["assumptions"] == [{"id": "count_from", "reading": "receipt", "default": False}]


# rolling ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("ordered", "weekday", "working"), [
    ("2021-03-26", "2021-04-06", "2021-04-06"),  # +10 days = 2. påskedag
    ("2021-12-14", "2021-12-24", "2021-12-27"),  # 24 Dec: a weekday, but closed by the contract
    ("2021-05-05", "2021-05-17", "2021-05-17"),  # +10 days = a Saturday
    ("2021-03-01", "2021-03-11", "2021-03-11"),  # a working day already: no roll
])
def test_roll_next_weekday_and_next_working_day(deadlines, ordered, weekday, working) -> None:  # type: ignore[no-untyped-def]
    result = obligations(evaluate_case(deadlines, case([("ordered", ordered)], as_of=ordered)))
    assert result["ship_weekday"]["due"] == weekday
    assert result["ship_working"]["due"] == working


@pytest.mark.parametrize(("ordered", "due"), [
    ("2021-03-26", "2021-04-30"),
    ("2021-01-31", "2021-02-28"),  # one month from 31 January, clamped, already the month's end
    ("2020-01-31", "2020-02-29"),  # leap year
    ("2021-12-14", "2022-01-31"),
])
def test_roll_end_of_month(deadlines, ordered: str, due: str) -> None:  # type: ignore[no-untyped-def]
    o = deadline(deadlines, "ship_month", ("ordered", ordered), as_of=ordered)
    assert o["due"] == due
    assert o["status"] == "pending"


def test_rolled_deadline_status_uses_the_rolled_date(deadlines) -> None:  # type: ignore[no-untyped-def]
    # due 2021-04-05 (holiday) rolls to 2021-04-06: shipping that day is on time
    o = deadline(deadlines, "ship_working", ("ordered", "2021-03-26"), ("shipped", "2021-04-06"))
    assert o["status"] == "met"
    o = deadline(deadlines, "ship_working", ("ordered", "2021-03-26"), ("shipped", "2021-04-07"))
    assert (o["status"], o["late_days"], o["late_working_days"]) == ("breached", 1, 1)


# the `due:` form --------------------------------------------------------------------------------

def test_due_form(deadlines) -> None:  # type: ignore[no-untyped-def]
    o = deadline(deadlines, "report_due", ("report", "2021-02-10"), facts={"started": "2021-01-05"})
    assert o["due"] == "2021-02-04"  # 30 calendar days
    assert (o["status"], o["late_days"], o["late_working_days"]) == ("breached", 6, 4)


def test_due_form_missing_fact_is_not_applicable(deadlines) -> None:  # type: ignore[no-untyped-def]
    o = deadline(deadlines, "report_due", ("report", "2021-02-10"))
    assert o["status"] == "not_applicable"


# repeating deadlines ----------------------------------------------------------------------------

def test_repeat_makes_one_instance_per_year(deadlines) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_case(deadlines, case([("report", "2021-02-10")], as_of="2023-06-01"))
    o = obligations(result)
    first = o["annual_report@2021-01-01/2021-12-31"]
    second = o["annual_report@2022-01-01/2022-12-31"]
    assert (first["status"], first["due"], first["fulfilled"]) == ("met", "2021-12-31", "2021-02-10")
    assert (second["status"], second["due"]) == ("breached", "2022-12-31")
    assert "fulfilled" not in second
    assert second["late_days"] == (dt.date(2023, 6, 1) - dt.date(2022, 12, 31)).days
    # other rules see the combined outputs: breached wins
    assert result.outputs["annual_report"]["status"] == "breached"
    assert result.outputs["annual_report"]["late_days"] == second["late_days"]


def test_repeat_periods_still_open_are_pending(deadlines) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_case(deadlines, case([("report", "2021-02-10")], as_of="2021-06-01"))
    o = obligations(result)
    assert o["annual_report@2021-01-01/2021-12-31"]["status"] == "met"
    assert o["annual_report@2022-01-01/2022-12-31"]["status"] == "pending"
    assert result.outputs["annual_report"]["status"] == "pending"


def test_repeat_instances_in_the_trace(deadlines) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_case(deadlines, case([("report", "2021-02-10")], as_of="2023-06-01"))
    node = next(n for n in result.trace if n.rule == "annual_report")
    periods = [s.data for s in node.steps if s.key == "period"]
    assert periods == [{"start": dt.date(2021, 1, 1), "end": dt.date(2021, 12, 31)},
                       {"start": dt.date(2022, 1, 1), "end": dt.date(2022, 12, 31)}]


def test_deadline_outputs_for_other_rules(deadlines) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_case(deadlines, case([("demanded", "2021-03-31"), ("delivered", "2021-04-14")]))
    out = result.outputs["doc_deadline"]
    assert out["status"] == "breached" and out["breached"] is True and out["met"] is False
    assert out["due"] == dt.date(2021, 4, 12)
    assert out["fulfilled"] == dt.date(2021, 4, 14)
    assert (out["late_days"], out["late_working_days"]) == (2, 2)


def test_trace_off_gives_the_same_figures(deadlines) -> None:  # type: ignore[no-untyped-def]
    data = case([ext(15), ("delivered", "2021-05-03")])
    traced = evaluate_case(deadlines, data).to_json()
    plain = evaluate_case(deadlines, data, trace=False).to_json()
    assert traced == plain


def test_events_after_as_of_do_not_make_a_breach(deadlines) -> None:  # type: ignore[no-untyped-def]
    from rulekit.errors import InputError

    try:
        o = deadline(deadlines, "doc_deadline", ("demanded", "2021-03-31"), ("delivered", "2021-04-14"),
                     as_of="2021-04-01")
    except InputError:
        return
    assert o["status"] == "pending"
