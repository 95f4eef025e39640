"""`measure:` on a recurring duty: each event counts what it measures (say, its hours) towards `at_least:`, so a
window is met when its events come to enough — "1 time om ugen" — not when it has enough events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from runtime_support import spec_header

from rulekit import evaluate_case, load_contract
from rulekit.errors import SpecError
from rulekit.explain import render_text

HEAD = spec_header("measured", "2024-01-01", "2025-12-31") + """\
parameters:
  hours_per_week:
    type: decimal
    value: 1
    source: {doc: k, section: "§5", quote: "1 time om ugen"}
inputs:
  facts:
    course_start: {type: date, title: Start}
    course_end: {type: date, title: Slut}
  events:
    contact: {title: Kontakt, repeatable: true, fields: {hours: {type: decimal, min: 0, title: Timer}}}
rules:
  - id: hours_every_week
    kind: recurring
    title: {da: Mindst 1 time om ugen, en: At least 1 hour a week}
    source: {doc: k, section: "§5", quote: "1 time om ugen"}
    obliged: provider
    events: contact
    measure: MEASURE
    start: course_start
    end: course_end ?? as_of
    window: WINDOW
    align: ALIGN
    at_least: hours_per_week
"""


def spec(tmp_path: Path, measure: str = "it.hours ?? 0", window: str = "1 weeks", align: str = "start") -> Path:
    path = tmp_path / "measured.yaml"
    path.write_text(HEAD.replace("MEASURE", measure).replace("WINDOW", window).replace("ALIGN", align),
                    encoding="utf-8")
    return path


def case(*hours: tuple[str, Any], as_of: str = "2024-04-24") -> dict[str, Any]:
    return {"case": "m1", "as_of": as_of, "facts": {"course_start": "2024-04-01"},
            "events": [{"type": "contact", "date": d, **({"hours": h} if h is not None else {})} for d, h in hours]}


CONTACTS = (("2024-04-02", "0.5"), ("2024-04-05", "0.5"),  # week 1 (1–7 April): 1 hour in two contacts
            ("2024-04-09", "0.5"), ("2024-04-10", None),   # week 2: 0.5 hours in two contacts (one without hours)
            ("2024-04-16", "2"))                           # week 3: 2 hours; week 4 (22–28 April) still open


@pytest.mark.parametrize("trace", [True, False])
@pytest.mark.parametrize("align", ["start", "iso_week"])  # 1 April 2024 is a Monday: the same weeks
def test_a_week_is_met_by_its_hours_not_its_contacts(tmp_path: Path, trace: bool, align: str) -> None:
    contract = load_contract(spec(tmp_path, align=align))
    result = evaluate_case(contract, case(*CONTACTS), trace=trace, lang="en")
    [duty] = [o for o in result.obligations if o.rule.id == "hours_every_week"]
    assert (duty.status, duty.extra["windows"], duty.extra["missed_windows"]) == ("breached", 4, 1), duty.extra
    [missed] = duty.extra["missed"]
    assert (missed["start"], missed["end"]) == (dt.date(2024, 4, 8), dt.date(2024, 4, 14))
    assert (str(missed["recorded"]), str(missed["required"])) == ("0.5", "1"), missed
    if trace:  # the explanation says what the week came to
        text = render_text(result, "hours_every_week")
        assert "(in all 0.5 of 1)" in text, text


@pytest.mark.parametrize("trace", [True, False])
def test_a_month_window_and_a_met_duty(tmp_path: Path, trace: bool) -> None:
    contract = load_contract(spec(tmp_path, window="1 months"))
    # April: 3.5 hours in all, May still open on 20 May
    result = evaluate_case(contract, case(*CONTACTS, as_of="2024-05-20"), trace=trace)
    [duty] = [o for o in result.obligations if o.rule.id == "hours_every_week"]
    assert (duty.status, duty.extra["windows"], duty.extra["missed_windows"]) == ("pending", 2, 0)


@pytest.mark.parametrize("trace", [True, False])
def test_a_missing_measure_says_what_is_missing(tmp_path: Path, trace: bool) -> None:
    """Without `?? 0`, a contact without hours leaves the duty unjudged (not applicable, as a missing start does),
    and the trace names the field."""
    contract = load_contract(spec(tmp_path, measure="it.hours"))
    result = evaluate_case(contract, case(*CONTACTS), trace=trace)
    [duty] = [o for o in result.obligations if o.rule.id == "hours_every_week"]
    assert duty.status == "not_applicable"
    if trace:
        [node] = [n for n in result.trace if n.rule == "hours_every_week"]
        assert [s.data.get("what") for s in node.steps if s.key == "not_applicable"] == ["it.hours"], node.steps


@pytest.mark.parametrize(("change", "said"), [
    ({"measure": "it.date"}, "`measure` must be a number"),
    ({"align": "gap"}, "`measure:` needs `at_least:`"),
])
def test_a_wrong_measure_is_a_load_error(tmp_path: Path, change: dict[str, str], said: str) -> None:
    with pytest.raises(SpecError) as info:
        load_contract(spec(tmp_path, **change))
    assert said in str(info.value) and "measured.yaml:" in str(info.value), str(info.value)


def test_at_least_without_measure_counts_events(tmp_path: Path) -> None:
    path = spec(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("    measure: it.hours ?? 0\n", ""), encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_contract(path)
    assert "E202" in str(info.value) and "counts events" in str(info.value), str(info.value)


def test_traced_and_untraced_results_are_the_same_json_and_follow_the_schema(tmp_path: Path) -> None:
    """Both paths add a window's measures in date order from 0 (review: the walk had used running totals, so
    '0.50' against '0.5', and a different status after a huge measure); the result follows result.schema.json."""
    import jsonschema

    from rulekit.spec.schema import load_schema

    contract = load_contract(spec(tmp_path))
    huge = (("2024-04-02", "1E+29"), ("2024-04-09", "0.25"), ("2024-04-10", "0.25"), ("2024-04-16", "0.6"),
            ("2024-04-17", "0.6"))
    for hours in (CONTACTS, huge):
        traced, untraced = (evaluate_case(contract, case(*hours), trace=t).to_json() for t in (True, False))
        assert traced["obligations"] == untraced["obligations"], hours
        jsonschema.Draft202012Validator(load_schema("result")).validate(untraced)


def test_an_hours_measure_is_explained_in_hours(tmp_path: Path) -> None:
    path = spec(tmp_path, measure="it.span ?? 0 hours")
    text = path.read_text(encoding="utf-8").replace("fields: {hours: {type: decimal", "fields: {span: {type: hours, "
                                                    "title: Varighed}, hours: {type: decimal")
    text = text.replace("    at_least: hours_per_week\n", "    at_least: 1 hours\n")
    path.write_text(text, encoding="utf-8")
    contract = load_contract(path)
    result = evaluate_case(contract, {"case": "m2", "as_of": "2024-04-24", "facts": {"course_start": "2024-04-01"},
                                      "events": [{"type": "contact", "date": "2024-04-02", "span": "1:00"},
                                                 {"type": "contact", "date": "2024-04-09", "span": "0:30"}]},
                           lang="en")
    assert "(in all 30 min of 1 hour)" in render_text(result, "hours_every_week"), render_text(result)
