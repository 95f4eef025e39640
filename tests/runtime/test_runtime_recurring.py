"""Recurring duties (ISO weeks, blocks from the start, gaps) and judgements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from runtime_support import case, obligations, spec_header

from rulekit import evaluate_case
from rulekit.dsl import types as t
from rulekit.errors import SpecError
from rulekit.runtime import recurring
from rulekit.spec import load_contract
from rulekit.spec.model import Contract

ROOT = Path(__file__).parent.parent.parent
START = ("course_started", "2021-03-03")  # a Wednesday in ISO week 9


def windows(result, rule: str) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    node = next(n for n in result.trace if n.rule == rule)
    return next(s.data["windows"] for s in node.steps if s.key == "windows")


def run(contract, *events, as_of: str = "2021-03-28"):  # type: ignore[no-untyped-def]
    return evaluate_case(contract, case([START, *events], as_of=as_of))


# align: iso_week ----------------------------------------------------------------------------------

def test_weekly_contact_every_iso_week_is_met(duties) -> None:  # type: ignore[no-untyped-def]
    result = run(duties, ("contact", "2021-03-05"), ("contact", "2021-03-08"), ("contact", "2021-03-19"),
                 ("contact", "2021-03-28"))
    o = obligations(result)["weekly_contact"]
    assert (o["status"], o["windows"], o["missed_windows"]) == ("met", 4, 0)
    assert result.outputs["weekly_contact"]["missed_windows"] == 0


def test_a_missed_iso_week_is_a_breach(duties) -> None:  # type: ignore[no-untyped-def]
    result = run(duties, ("contact", "2021-03-05"), ("contact", "2021-03-16"), ("contact", "2021-03-22"))
    o = obligations(result)["weekly_contact"]
    assert (o["status"], o["windows"], o["missed_windows"]) == ("breached", 4, 1)
    missed = [w for w in windows(result, "weekly_contact") if w["status"] == "breached"]
    assert [(w["start"], w["end"]) for w in missed] == [(dt.date(2021, 3, 8), dt.date(2021, 3, 14))]
    assert missed[0]["events"] == []


def test_iso_weeks_run_monday_to_sunday(duties) -> None:  # type: ignore[no-untyped-def]
    # Sunday 7 March belongs to week 9, Monday 8 March to week 10
    result = run(duties, ("contact", "2021-03-07"), ("contact", "2021-03-08"), ("contact", "2021-03-22"),
                 as_of="2021-03-28")
    ws = windows(result, "weekly_contact")
    assert [w["start"].weekday() for w in ws] == [0, 0, 0, 0]
    assert [w["status"] for w in ws] == ["met", "met", "breached", "met"]
    assert ws[2]["start"] == dt.date(2021, 3, 15)


def test_the_current_week_is_pending_until_it_ends(duties) -> None:  # type: ignore[no-untyped-def]
    result = run(duties, ("contact", "2021-03-05"), as_of="2021-03-10")
    o = obligations(result)["weekly_contact"]
    assert (o["status"], o["windows"], o["missed_windows"]) == ("pending", 2, 0)


def test_contacts_outside_the_course_do_not_count(duties) -> None:  # type: ignore[no-untyped-def]
    # a contact on Monday 1 March is in week 9 but before the course started on 3 March
    result = run(duties, ("contact", "2021-03-01"), ("course_ended", "2021-03-07"), as_of="2021-04-01")
    o = obligations(result)["weekly_contact"]
    assert (o["status"], o["missed_windows"]) == ("breached", 1)


def test_no_start_means_not_applicable(duties) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_case(duties, case([("contact", "2021-03-05")]))
    o = obligations(result)
    assert o["weekly_contact"]["status"] == "not_applicable"
    assert o["fortnightly_followup"]["status"] == "not_applicable"


# align: gap ---------------------------------------------------------------------------------------

def test_a_17_day_gap_breaks_a_14_day_window(duties) -> None:  # type: ignore[no-untyped-def]
    result = run(duties, ("followup", "2021-03-10"), ("followup", "2021-03-27"))
    o = obligations(result)["fortnightly_followup"]
    assert (o["status"], o["missed_windows"]) == ("breached", 1)
    (gap,) = [w for w in windows(result, "fortnightly_followup") if w["status"] == "breached"]
    assert (gap["start"], gap["end"]) == (dt.date(2021, 3, 10), dt.date(2021, 3, 27))
    assert (gap["end"] - gap["start"]).days == 17
    assert gap["limit"] == dt.date(2021, 3, 24)


def test_gaps_of_exactly_14_days_are_met(duties) -> None:  # type: ignore[no-untyped-def]
    result = run(duties, ("followup", "2021-03-17"), ("followup", "2021-03-31"), ("course_ended", "2021-04-14"),
                 as_of="2021-05-01")
    o = obligations(result)["fortnightly_followup"]
    assert (o["status"], o["missed_windows"]) == ("met", 0)


def test_the_gap_from_start_to_first_event_counts(duties) -> None:  # type: ignore[no-untyped-def]
    result = run(duties, ("followup", "2021-03-20"), as_of="2021-03-25")
    o = obligations(result)["fortnightly_followup"]
    assert (o["status"], o["missed_windows"]) == ("breached", 1)


def test_no_followup_at_all_after_the_window_is_a_breach(duties) -> None:  # type: ignore[no-untyped-def]
    o = obligations(run(duties, as_of="2021-03-20"))["fortnightly_followup"]
    assert (o["status"], o["missed_windows"]) == ("breached", 1)


def test_ended_course_is_checked_up_to_its_end(duties) -> None:  # type: ignore[no-untyped-def]
    # last follow-up 10 March, course ended 20 March: a 10-day stretch, fine
    result = run(duties, ("followup", "2021-03-10"), ("course_ended", "2021-03-20"), as_of="2021-06-01")
    assert obligations(result)["fortnightly_followup"]["status"] == "met"


def test_gap_still_open_before_the_course_ends_is_pending(duties) -> None:  # type: ignore[no-untyped-def]
    result = run(duties, ("followup", "2021-03-10"), ("course_ended", "2021-06-30"), as_of="2021-03-20")
    assert obligations(result)["fortnightly_followup"]["status"] == "pending"


# align: start (blocks of the window from the start) ---------------------------------------------

def test_four_week_blocks_from_the_start(duties) -> None:  # type: ignore[no-untyped-def]
    result = run(duties, ("visit", "2021-03-20"), ("course_ended", "2021-05-25"), as_of="2021-06-01")
    ws = windows(result, "visits_every_4_weeks")
    assert [(w["start"], w["end"]) for w in ws] == [
        (dt.date(2021, 3, 3), dt.date(2021, 3, 30)),
        (dt.date(2021, 3, 31), dt.date(2021, 4, 27)),
        (dt.date(2021, 4, 28), dt.date(2021, 5, 25)),
    ]
    assert [w["status"] for w in ws] == ["met", "breached", "breached"]
    o = obligations(result)["visits_every_4_weeks"]
    assert (o["status"], o["missed_windows"]) == ("breached", 2)


def test_a_last_block_cut_short_by_the_end_is_not_required(duties) -> None:  # type: ignore[no-untyped-def]
    result = run(duties, ("visit", "2021-03-20"), ("course_ended", "2021-04-10"), as_of="2021-06-01")
    ws = windows(result, "visits_every_4_weeks")
    assert [w["status"] for w in ws] == ["met", "partial"]
    assert obligations(result)["visits_every_4_weeks"]["status"] == "met"


def test_a_running_block_is_pending(duties) -> None:  # type: ignore[no-untyped-def]
    result = run(duties, ("course_ended", "2021-06-30"), as_of="2021-03-20")
    assert obligations(result)["visits_every_4_weeks"]["status"] == "pending"


def test_running_course_without_visits_is_not_met(duties) -> None:  # type: ignore[no-untyped-def]
    result = run(duties, as_of="2021-03-20")  # no course_ended: end = as_of
    assert obligations(result)["visits_every_4_weeks"]["status"] == "pending"


# windows of working days ----------------------------------------------------------------------------

WORKDAY_SPEC = spec_header("workdays", "2020-01-01") + """inputs:
  events:
    course_started: {title: Start}
    course_ended: {title: Slut}
    contact: {title: Kontakt, repeatable: true}
rules:
  - id: contact_every_5_working_days
    kind: recurring
    title: {da: Kontakt hver 5. arbejdsdag, en: Contact every 5 working days}
    source: {doc: k, section: "1", quote: "q"}
    events: contact
    start: first(course_started).date
    end: first(course_ended).date ?? as_of
    window: 5 working_days
    align: start
    at_least: 1
"""


@pytest.fixture(scope="module")
def workdays(tmp_path_factory: pytest.TempPathFactory) -> Contract:
    path = tmp_path_factory.mktemp("workdays") / "workdays.yaml"
    path.write_text(WORKDAY_SPEC.replace("RULES", str(ROOT / "rules")), encoding="utf-8")
    return load_contract(path)


def test_a_window_of_working_days_is_counted_on_the_calendar(workdays: Contract) -> None:
    """Easter 2021: Thursday 1, Friday 2 and Monday 5 April are holidays. Five working days from Monday 29 March
    are 29, 30, 31 March, 6 and 7 April; the next five run from Thursday 8 to Wednesday 14 April. (Counted in
    calendar days, 3–7 April would be a window without a contact.)"""
    events = [("course_started", "2021-03-29"), ("contact", "2021-03-29"), ("contact", "2021-04-10"),
              ("course_ended", "2021-04-14")]
    result = evaluate_case(workdays, case(events, as_of="2021-04-30"))
    ws = windows(result, "contact_every_5_working_days")
    assert [(w["start"], w["end"], w["status"]) for w in ws] == [
        (dt.date(2021, 3, 29), dt.date(2021, 4, 7), "met"),
        (dt.date(2021, 4, 8), dt.date(2021, 4, 14), "met"),  # the Saturday contact counts in the window it falls in
    ]
    o = obligations(result)["contact_every_5_working_days"]
    assert (o["status"], o["windows"], o["missed_windows"]) == ("met", 2, 0)
    untraced = evaluate_case(workdays, case(events, as_of="2021-04-30"), trace=False)
    assert obligations(untraced)["contact_every_5_working_days"] == o


def test_a_missed_window_of_working_days_names_its_working_days(workdays: Contract) -> None:
    events = [("course_started", "2021-03-27"), ("contact", "2021-04-12")]  # a Saturday start: Monday is day one
    result = evaluate_case(workdays, case(events, as_of="2021-04-14"), trace=False)
    o = obligations(result)["contact_every_5_working_days"]
    assert o["status"] == "breached"
    assert [(m["start"], m["end"], m["recorded"]) for m in o["missed"]] == [
        ("2021-03-27", "2021-04-07", 0)]


def test_iso_weeks_of_working_days_are_a_load_error(tmp_path: Path) -> None:
    text = WORKDAY_SPEC.replace("RULES", str(ROOT / "rules")).replace("align: start", "align: iso_week")
    path = tmp_path / "iso.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_contract(path)
    [found] = [d for d in caught.value.diagnostics if d.code == "E124"]
    line = text.splitlines().index("    align: iso_week") + 1
    assert (found.span.line, found.span.col) == (line, 12)
    assert "`window: 1 weeks`" in (found.hint or "")


# judgements -------------------------------------------------------------------------------------

COMPLAINT = ("complaint", "2021-03-01")


def judgement(rule: str, outcome: str, day: str = "2021-03-09", **more: str) -> dict:  # type: ignore[type-arg]
    return {"type": "judgement", "date": day, "rule": rule, "outcome": outcome, **more}


def test_judgement_pending_until_judged(duties) -> None:  # type: ignore[no-untyped-def]
    o = obligations(evaluate_case(duties, case([COMPLAINT])))["complaint_handled"]
    assert o["status"] == "pending"
    assert o["needs_judgement"] is True


def test_judgement_for_another_rule_does_not_count(duties) -> None:  # type: ignore[no-untyped-def]
    o = obligations(evaluate_case(duties, case([COMPLAINT, judgement("weekly_contact", "met")])))
    assert o["complaint_handled"]["status"] == "pending"


@pytest.mark.parametrize("outcome", ["met", "breached"])
def test_judgement_outcome_is_the_status(duties, outcome: str) -> None:  # type: ignore[no-untyped-def]
    result = evaluate_case(duties, case([COMPLAINT, judgement("complaint_handled", outcome, note="vurderet")]))
    o = obligations(result)["complaint_handled"]
    assert o["status"] == outcome
    assert o["judged"] == "2021-03-09"
    assert result.outputs["complaint_handled"]["breached"] is (outcome == "breached")


def test_the_latest_judgement_wins(duties) -> None:  # type: ignore[no-untyped-def]
    events = [COMPLAINT, judgement("complaint_handled", "met", "2021-03-09"),
              judgement("complaint_handled", "breached", "2021-04-01")]
    o = obligations(evaluate_case(duties, case(events)))["complaint_handled"]
    assert (o["status"], o["judged"]) == ("breached", "2021-04-01")


def test_judgement_without_the_duty_is_not_applicable(duties) -> None:  # type: ignore[no-untyped-def]
    o = obligations(evaluate_case(duties, case([judgement("complaint_handled", "met")])))
    assert o["complaint_handled"]["status"] == "not_applicable"


# windows counted (untraced) against windows walked (traced) ----------------------------------------

_DAY0 = dt.date(2021, 1, 1)


@settings(max_examples=400, deadline=None)
@given(st.integers(0, 60), st.integers(-5, 90), st.integers(-10, 100), st.lists(st.integers(-20, 110), max_size=12),
       st.sampled_from(["days", "weeks"]), st.integers(0, 5), st.booleans(), st.integers(1, 3))
def test_counted_windows_equal_walked_windows(start: int, length: int, as_of: int, days: list[int], unit: str, n: int,
                                              iso: bool, at_least: int) -> None:
    begin = _DAY0 + dt.timedelta(days=start)
    end, until = begin + dt.timedelta(days=length), begin + dt.timedelta(days=as_of)
    dates = sorted(_DAY0 + dt.timedelta(days=d) for d in days)
    align = "iso_week" if iso else "start"
    typ = t.DAYS if unit == "days" else t.WEEKS
    walked: list[Any] = []  # given: the walk (the trace's path)
    want = recurring._blocks(begin, end, until, dates, n, typ, align, at_least, walked)
    assert recurring._blocks(begin, end, until, dates, n, typ, align, at_least, None) == want


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 60), st.integers(-5, 90), st.integers(-10, 100),
       st.lists(st.tuples(st.integers(-20, 110), st.integers(0, 4)), max_size=12), st.sampled_from(["days", "weeks"]),
       st.integers(0, 5), st.booleans(), st.integers(1, 6))
def test_measured_windows_counted_equal_walked(start: int, length: int, as_of: int, events: list[tuple[int, int]],
                                              unit: str, n: int, iso: bool, need: int) -> None:
    """With `measure:` each event weighs its measure (here halves of an hour): counting and walking agree."""
    begin = _DAY0 + dt.timedelta(days=start)
    end, until = begin + dt.timedelta(days=length), begin + dt.timedelta(days=as_of)
    pairs = sorted((_DAY0 + dt.timedelta(days=d), Decimal(w) / 2) for d, w in events)
    dates, weights = [d for d, _ in pairs], [w for _, w in pairs]
    typ = t.DAYS if unit == "days" else t.WEEKS
    at_least = Decimal(need) / 2
    align = "iso_week" if iso else "start"
    walked: list[Any] = []
    want = recurring._blocks(begin, end, until, dates, n, typ, align, at_least, walked, None, weights)
    assert recurring._blocks(begin, end, until, dates, n, typ, align, at_least, None, None, weights) == want


@pytest.mark.parametrize(("length", "as_of"), [(2500, 1200), (2500, 3000), (1999, 1999), (2000, 2100)])
def test_counted_windows_stop_at_the_walks_cap(length: int, as_of: int) -> None:
    """The walk stops after 2,000 windows; counting stops there too."""
    dates = [_DAY0 + dt.timedelta(days=d) for d in range(0, 2600, 3)]
    end, on = _DAY0 + dt.timedelta(days=length), _DAY0 + dt.timedelta(days=as_of)
    want = recurring._blocks(_DAY0, end, on, dates, 1, t.DAYS, "start", 1, [])
    assert want[0] == min(2000, length + 1)
    assert recurring._blocks(_DAY0, end, on, dates, 1, t.DAYS, "start", 1, None) == want


@pytest.mark.parametrize("walked", [[], None])
def test_a_window_past_the_last_date_overflows_either_way(walked: list[Any] | None) -> None:
    """A window reaching past 9999-12-31 is an OverflowError (E400 for the case) whether the windows are walked
    (traced) or counted (untraced). Found in review: counting never computed the far end, and said met."""
    begin = dt.date(9999, 1, 4)
    with pytest.raises(OverflowError):
        recurring._blocks(begin, begin + dt.timedelta(days=30), begin + dt.timedelta(days=10), [], 500_000,
                          t.WEEKS, "start", 1, walked)


@settings(max_examples=400, deadline=None)
@given(st.integers(0, 60), st.integers(-5, 90), st.integers(-10, 100), st.lists(st.integers(-20, 110), max_size=12),
       st.sampled_from(["days", "weeks"]), st.integers(0, 20))
def test_stretches_judged_untraced_equal_stretches_walked(start: int, length: int, as_of: int, days: list[int],
                                                          unit: str, n: int) -> None:
    begin = _DAY0 + dt.timedelta(days=start)
    end, on = begin + dt.timedelta(days=length), begin + dt.timedelta(days=as_of)
    dates = sorted(_DAY0 + dt.timedelta(days=d) for d in days)
    typ = t.DAYS if unit == "days" else t.WEEKS
    run = SimpleNamespace(case=SimpleNamespace(as_of=on), contract=None)  # what _gaps reads of a Run
    walked: list[Any] = []  # given: the walk (the trace's path)
    want = recurring._gaps(run, begin, min(end, on), end, dates, n, typ, walked)  # type: ignore[arg-type]
    assert recurring._gaps(run, begin, min(end, on), end, dates, n, typ, None) == want  # type: ignore[arg-type]
