"""Obligation instances (tests/data/instances.yaml): ids and refs in cases, how answers link to triggers, the
life of each instance, a penalty per instance, and the findings that keep nothing silent. Every date is
hand-computed on the fixture calendar: Danish holidays 2021 (1, 2, 5 April; 30 April; 13 and 24 May), weekends,
and 24 December. 5 working days after Wed 31.03 is Mon 12.04 (Easter); after Tue 06.04 it is Tue 13.04."""

from __future__ import annotations

from typing import Any

import pytest
from runtime_support import FIXTURES, TESTS, case

from rulekit import Contract, evaluate_case, evaluate_portfolio, load_contract
from rulekit.errors import InputError
from rulekit.runtime import read_case

REPO = TESTS.parent
INSTANCES = TESTS / "data" / "instances.yaml"
R, D, X, W = "documentation_requested", "documentation_delivered", "extension_agreed", "demand_waived"
DUTY = "documentation_on_demand"


def ev(kind: str, date: str, **fields: Any) -> dict[str, Any]:
    return {"type": kind, "date": date, **fields}


def run(contract: Contract, *events: dict[str, Any], as_of: str = "2021-04-26", facts: dict[str, Any] | None = None,
        **kw: Any) -> dict[str, Any]:
    return evaluate_case(contract, case(list(events), as_of=as_of, facts=facts), **kw).to_json()


def by_instance(out: dict[str, Any], section: str = "obligations", rule: str = DUTY) -> dict[Any, dict[str, Any]]:
    return {e.get("instance"): e for e in out[section] if e["rule"] == rule}


@pytest.fixture(scope="module")
def spec() -> Contract:
    return load_contract(INSTANCES)


@pytest.fixture(scope="module")
def extended(tmp_path_factory: pytest.TempPathFactory) -> Contract:
    """instances.yaml with a minimum and a cap on the daily penalty, and two rules that read the duty as a whole."""
    text = INSTANCES.read_text(encoding="utf-8").replace("../../rules/danish_calendars.yaml",
                                                         str(REPO / "rules" / "danish_calendars.yaml"))
    rate = "    rate: max(rate * (late_value ?? 0 DKK), minimum_per_day)\n"
    assert rate in text and "\ntests:\n" in text
    text = text.replace(rate, rate + "    minimum: 4000 DKK\n    cap: 10000 DKK\n")
    text = text.replace("\ntests:\n", """
  - id: worst_status
    kind: value
    type: text
    title: Worst status
    source: {doc: k, section: "pkt. 9", quote: "samlet"}
    value: documentation_on_demand.status
  - id: late_in_all
    kind: check
    title: At most one working day late in all
    source: {doc: k, section: "pkt. 9", quote: "samlet"}
    assert: documentation_on_demand.late_working_days <= 1
    message: "{documentation_on_demand.late_working_days} arbejdsdage for sent"
tests:
""", 1)
    path = tmp_path_factory.mktemp("instances") / "extended.yaml"
    path.write_text(text, encoding="utf-8")
    return load_contract(path)


# case input errors: each a clean InputError with code, path and hint ---------------------------------------

def only_error(contract: Contract, *events: dict[str, Any]) -> Any:
    with pytest.raises(InputError) as info:
        read_case(case(list(events), as_of="2021-04-26"), contract)
    assert len(info.value.diagnostics) == 1, [d.render() for d in info.value.diagnostics]
    return info.value.diagnostics[0]


def test_duplicate_event_id(spec: Contract) -> None:
    d = only_error(spec, ev(R, "2021-03-31", id="D1"), ev(R, "2021-04-06", id="D1"))
    assert (d.code, d.path) == ("E306", ("events", 1, "id"))
    assert d.message == "duplicate event id 'D1'"
    assert "events[0] has it already" in d.hint


def test_ref_naming_no_event_suggests_a_close_id(spec: Contract) -> None:
    d = only_error(spec, ev(R, "2021-03-31", id="DOC-17"), ev(D, "2021-04-09", ref="DOC-71"))
    assert (d.code, d.path) == ("E307", ("events", 1, "ref"))
    assert d.message == "`ref: DOC-71` names no event of this case"
    assert d.hint == "did you mean 'DOC-17'?"
    d = only_error(spec, ev(R, "2021-03-31"), ev(D, "2021-04-09", ref="Q"))  # nothing close
    assert (d.code, d.hint) == ("E307", "give the documentation_requested it answers an `id: Q`")


def test_ref_to_an_event_of_a_type_not_answered(spec: Contract) -> None:
    d = only_error(spec, ev(R, "2021-03-31", id="D1"), ev("invoice_error", "2021-04-01", id="E1"),
                   ev(D, "2021-04-09", ref="E1"))
    assert (d.code, d.path) == ("E307", ("events", 2, "ref"))
    assert "answers documentation_requested" in d.message and "'invoice_error'" in d.message
    assert d.hint == "point `ref` at the event this one answers"


def test_answer_dated_before_what_it_answers(spec: Contract) -> None:
    d = only_error(spec, ev(R, "2021-03-31", id="D1"), ev(D, "2021-03-30", ref="D1"))
    assert (d.code, d.path) == ("E308", ("events", 1, "ref"))
    assert "2021-03-30" in d.message and "2021-03-31" in d.message
    assert d.hint == "check both dates"


def test_ref_on_a_type_that_answers_nothing(spec: Contract) -> None:
    d = only_error(spec, ev(R, "2021-03-31", id="D1"), ev("invoice_error", "2021-04-01", ref="D1"))
    assert (d.code, d.path) == ("E300", ("events", 1, "ref"))
    assert "event 'invoice_error' answers no other event" in d.message
    assert d.hint == ("types that answer another: documentation_delivered, extension_agreed, demand_waived")


@pytest.mark.parametrize("bad", [[1], True, 1.5, "", "  ", {"a": 1}])
def test_an_id_must_be_a_short_text(spec: Contract, bad: Any) -> None:
    d = only_error(spec, ev(R, "2021-03-31", id=bad))
    assert (d.code, d.path) == ("E300", ("events", 0, "id"))
    assert "`id` must be a short text" in d.message and d.hint == "e.g. P-17"


def test_every_ref_problem_is_listed_at_once(spec: Contract) -> None:
    with pytest.raises(InputError) as info:
        read_case(case([ev(R, "2021-03-31", id="D1"), ev(R, "2021-04-06", id="D1"), ev(D, "2021-04-09", ref="D9"),
                        ev("invoice_error", "2021-04-01", ref="D1")], as_of="2021-04-26"), spec)
    assert sorted(d.code for d in info.value.diagnostics) == ["E300", "E306", "E307"]


def test_a_numeric_id_is_read_as_text(spec: Contract) -> None:
    out = run(spec, ev(R, "2021-03-31", id=7), ev(D, "2021-04-09", ref=7))
    assert by_instance(out)["7"]["status"] == "met"


# linking answers to triggers ----------------------------------------------------------------------------------

def test_earliest_open_links_unreferenced_deliveries_oldest_first(spec: Contract) -> None:
    out = run(spec, ev(R, "2021-03-31"), ev(R, "2021-04-06"), ev(D, "2021-04-09"), ev(D, "2021-04-15"))
    first, second = by_instance(out)["1: 2021-03-31"], by_instance(out)["2: 2021-04-06"]
    assert (first["status"], first["fulfilled"]) == ("met", "2021-04-09")
    assert (second["status"], second["due"], second["fulfilled"], second["late_working_days"]) == \
        ("breached", "2021-04-13", "2021-04-15", 2)


def test_latest_open_reading_links_to_the_newest_demand(spec: Contract) -> None:
    out = run(spec, ev(R, "2021-03-31"), ev(R, "2021-04-06"), ev(D, "2021-04-09"), as_of="2021-04-14",
              assume={"delivery_matching": "latest_open"})
    first, second = by_instance(out)["1: 2021-03-31"], by_instance(out)["2: 2021-04-06"]
    assert (second["status"], second["fulfilled"]) == ("met", "2021-04-09")
    assert (first["status"], first["due"], first["late_working_days"]) == ("breached", "2021-04-12", 2)
    assert "fulfilled" not in first
    assert out["assumptions"] == [{"id": "delivery_matching", "reading": "latest_open", "default": False}]


def test_one_case_read_once_relinks_under_each_reading(spec: Contract) -> None:
    c = read_case(case([ev(R, "2021-03-31"), ev(R, "2021-04-06"), ev(D, "2021-04-09")], as_of="2021-04-14"), spec)
    newest = evaluate_case(spec, c, assume={"delivery_matching": "latest_open"}).to_json()
    oldest = evaluate_case(spec, c).to_json()
    assert [o["status"] for o in newest["obligations"]] == ["breached", "met"]
    assert [o["status"] for o in oldest["obligations"]] == ["met", "breached"]


def test_an_explicit_ref_wins_and_takes_its_trigger(spec: Contract) -> None:
    # 15.04 names D1, so the unreferenced 09.04 goes to the oldest demand still open: D2
    out = run(spec, ev(R, "2021-03-31", id="D1"), ev(R, "2021-04-06", id="D2"), ev(D, "2021-04-09"),
              ev(D, "2021-04-15", ref="D1"))
    d1, d2 = by_instance(out)["D1"], by_instance(out)["D2"]
    assert (d2["status"], d2["fulfilled"]) == ("met", "2021-04-09")
    assert (d1["status"], d1["fulfilled"], d1["late_working_days"]) == ("breached", "2021-04-15", 3)  # 13, 14, 15


def test_several_answers_with_refs_to_one_trigger(spec: Contract) -> None:
    out = run(spec, ev(R, "2021-03-31", id="D1"), ev(D, "2021-04-14", ref="D1"), ev(D, "2021-04-09", ref="D1"),
              ev(D, "2021-04-12"))
    d1 = by_instance(out)["D1"]
    assert (d1["status"], d1["fulfilled"]) == ("met", "2021-04-09")  # the first answer in date order
    (finding,) = out["findings"]  # the unreferenced one finds no open demand: reported, not dropped
    assert (finding["rule"], finding["kind"], finding["severity"]) == ("input:documentation_delivered", "input",
                                                                       "warning")
    assert "12.04.2021" in finding["message"]


def test_latest_mode_links_extensions_to_the_latest_demand_answered_or_not(spec: Contract) -> None:
    out = run(spec, ev(R, "2021-03-31", id="D1"), ev(R, "2021-04-06", id="D2"), ev(D, "2021-04-07", ref="D2"),
              ev(X, "2021-04-08", days=2), ev(X, "2021-04-09", days=1))
    d1, d2 = by_instance(out)["D1"], by_instance(out)["D2"]
    assert (d1["due"], d1["extensions"]) == ("2021-04-12", [])
    assert (d2["original_due"], d2["due"]) == ("2021-04-13", "2021-04-16")  # + 3 working days
    assert [e["event"] for e in d2["extensions"]] == ["extension_agreed 2021-04-08", "extension_agreed 2021-04-09"]


def test_match_none_needs_a_ref_and_an_unlinked_waiver_is_a_finding(spec: Contract) -> None:
    out = run(spec, ev(R, "2021-04-06", id="D2"), ev(W, "2021-04-20"))
    d2 = by_instance(out)["D2"]
    assert (d2["status"], d2["late_working_days"]) == ("breached", 9)  # 14.04–26.04
    assert by_instance(out, "penalties", "daily_penalty")["D2"]["amount"] == "27000.00"
    (finding,) = out["findings"]
    assert (finding["rule"], finding["kind"], finding["source"], finding["severity"]) == \
        ("input:demand_waived", "input", "case", "warning")
    assert finding["title"] == "Påkrav frafaldet" and "20.04.2021" in finding["message"]


def test_an_unlinked_answer_with_an_id_is_named(spec: Contract) -> None:
    out = run(spec, ev(D, "2021-03-01", id="L0"), ev(R, "2021-03-31"), as_of="2021-04-14", lang="en")
    (finding,) = out["findings"]
    assert (finding["instance"], finding["rule"]) == ("L0", "input:documentation_delivered")
    assert "L0" in finding["message"] and "answers no Demand for documentation" in finding["message"]


# instances: labels, due dates, extensions, lifecycle ------------------------------------------------------------

def test_three_demands_each_an_instance(spec: Contract) -> None:
    out = run(spec, ev(R, "2021-03-31", id="D1"), ev(R, "2021-04-06", id="D2"), ev(R, "2021-04-20", id="D3"),
              ev(D, "2021-04-09", ref="D1"), ev(D, "2021-04-15", ref="D2"), facts={"late_value": 24000})
    obl = by_instance(out)
    assert list(obl) == ["D1", "D2", "D3"]
    assert [(o["status"], o["original_due"], o["due"], o["extensions"]) for o in obl.values()] == [
        ("met", "2021-04-12", "2021-04-12", []), ("breached", "2021-04-13", "2021-04-13", []),
        ("pending", "2021-04-27", "2021-04-27", [])]
    assert (obl["D2"]["late_days"], obl["D2"]["late_working_days"]) == (2, 2)
    (penalty,) = out["penalties"]
    assert {k: penalty[k] for k in ("instance", "amount", "units", "rate", "basis", "per", "minimum_applied",
                                    "cap_applied")} == {
        "instance": "D2", "amount": "6000.00", "units": 2, "rate": "3000.00", "basis": "24000.00",
        "per": "working_day", "minimum_applied": False, "cap_applied": False}  # max(10 % × 24,000, 3,000)
    assert out["totals"]["penalties"] == "6000.00"


def test_labels_are_the_id_else_number_and_date(spec: Contract) -> None:
    out = run(spec, ev(R, "2021-04-06", id="D2"), ev(R, "2021-03-31"), ev(R, "2021-04-20"))
    assert list(by_instance(out)) == ["1: 2021-03-31", "D2", "3: 2021-04-20"]


def test_extensions_are_listed_and_capped(spec: Contract) -> None:
    out = run(spec, ev(R, "2021-04-06", id="D2"), ev(X, "2021-04-08", ref="D2", days=4, id="X1"),
              ev(X, "2021-04-09", days=3, id="X2"), ev(D, "2021-04-15", ref="D2"))
    d2 = by_instance(out)["D2"]
    assert (d2["status"], d2["original_due"], d2["due"]) == ("met", "2021-04-13", "2021-04-20")  # 13.04 + 5
    assert d2["extensions"] == [
        {"event": "X1", "date": "2021-04-08", "length": 4, "unit": "working_days"},
        {"event": "X2", "date": "2021-04-09", "length": 3, "unit": "working_days", "capped_to": 1}]
    (finding,) = out["findings"]
    assert (finding["rule"], finding["severity"], finding["instance"]) == (DUTY, "warning", "D2")
    assert "X2" in finding["message"]


def test_an_extension_agreed_after_the_due_date_is_flagged(spec: Contract) -> None:
    out = run(spec, ev(R, "2021-03-31", id="D1"), ev(X, "2021-04-14", ref="D1", days=2, id="X9"))
    d1 = by_instance(out)["D1"]
    assert (d1["original_due"], d1["due"], d1["late_working_days"]) == ("2021-04-12", "2021-04-14", 8)
    assert d1["extensions"] == [{"event": "X9", "date": "2021-04-14", "length": 2, "unit": "working_days",
                                 "agreed_after_due": True}]
    assert "X9" in out["findings"][0]["message"] and "12.04.2021" in out["findings"][0]["message"]


def test_waived_instance_and_its_zero_penalty(spec: Contract) -> None:
    out = run(spec, ev(R, "2021-04-06", id="D2"), ev(W, "2021-04-20", ref="D2", id="W1"))
    assert (by_instance(out)["D2"]["status"], by_instance(out)["D2"]["by"]) == ("waived", "W1")
    penalty = by_instance(out, "penalties", "daily_penalty")["D2"]
    assert (penalty["amount"], penalty["waived"], penalty["waived_by"]) == ("0.00", True, "W1")
    assert out["totals"]["penalties"] == "0.00"
    out = run(spec, ev(R, "2021-04-20", id="D3"), ev(W, "2021-04-21", ref="D3"), as_of="2021-04-22")  # pending
    assert by_instance(out)["D3"]["by"] == "demand_waived 2021-04-21"  # no id: named by type and date


def test_open_force_majeure_suspends(spec: Contract) -> None:
    out = run(spec, ev(R, "2021-04-20", id="D3"), ev("force_majeure", "2021-04-21", id="F1"), as_of="2021-04-29")
    d3 = by_instance(out)["D3"]
    assert (d3["status"], d3["by"], d3["due"]) == ("suspended", "F1", "2021-04-27")
    assert out["penalties"] == [] and out["totals"]["penalties"] == "0.00"


def test_ended_force_majeure_moves_the_due_date(spec: Contract) -> None:
    # 21–23.04 are 3 working days: 27.04 → 28.04, 29.04, (30.04 Store Bededag, weekend) 03.05
    out = run(spec, ev(R, "2021-04-20", id="D3"), ev("force_majeure", "2021-04-21", until="2021-04-23", id="F1"),
              as_of="2021-04-29")
    d3 = by_instance(out)["D3"]
    assert (d3["status"], d3["original_due"], d3["due"]) == ("pending", "2021-04-27", "2021-05-03")
    assert d3["extensions"] == [{"event": "F1", "date": "2021-04-21", "until": "2021-04-23", "length": 3,
                                 "unit": "working_days", "suspension": True}]


def test_force_majeure_over_before_the_demand_does_not_move_it(spec: Contract) -> None:
    out = run(spec, ev(R, "2021-04-20", id="D3"), ev("force_majeure", "2021-03-01", until="2021-03-05", id="F0"))
    assert by_instance(out)["D3"]["due"] == "2021-04-27"  # got 2021-05-05: moved by 1–5 March


def test_overlapping_force_majeure_counts_each_day_once(spec: Contract) -> None:
    # F1 21–23.04 and F2 22–26.04 cover 21, 22, 23, 26 April: 4 working days → 27.04 + 4 = 04.05
    out = run(spec, ev(R, "2021-04-20", id="D3"), ev("force_majeure", "2021-04-21", until="2021-04-23", id="F1"),
              ev("force_majeure", "2021-04-22", until="2021-04-26", id="F2"), as_of="2021-04-28")
    assert by_instance(out)["D3"]["due"] == "2021-05-04"  # got 2021-05-06: 3 + 3 days


def test_termination_before_the_due_date_discharges(spec: Contract) -> None:
    out = run(spec, ev(R, "2021-04-20", id="D3"), ev("terminated", "2021-04-22"), as_of="2021-05-10")
    assert (by_instance(out)["D3"]["status"], by_instance(out)["D3"]["by"]) == ("discharged", "terminated 2021-04-22")
    assert out["penalties"] == []


def test_termination_after_the_due_date_leaves_the_breach(spec: Contract) -> None:
    out = run(spec, ev(R, "2021-04-20", id="D3"), ev("terminated", "2021-04-28"), as_of="2021-05-10",
              facts={"late_value": 50000})
    d3 = by_instance(out)["D3"]
    assert (d3["status"], d3["late_working_days"], d3["late_days"]) == ("breached", 8, 13)  # 28.04–10.05
    penalty = by_instance(out, "penalties", "daily_penalty")["D3"]
    assert (penalty["rate"], penalty["basis"], penalty["amount"]) == ("5000.00", "50000.00", "40000.00")


def test_minimum_and_cap_per_instance(extended: Contract) -> None:
    out = run(extended, ev(R, "2021-03-31", id="D1"), ev(D, "2021-04-13", ref="D1"),  # 1 day: 3,000 → 4,000
              ev(R, "2021-04-06", id="D2"), ev(D, "2021-04-20", ref="D2"))  # 5 days: 15,000 → 10,000
    pen = by_instance(out, "penalties", "daily_penalty")
    assert (pen["D1"]["units"], pen["D1"]["amount"], pen["D1"]["minimum_applied"], pen["D1"]["cap_applied"]) == \
        (1, "4000.00", True, False)
    assert (pen["D2"]["units"], pen["D2"]["amount"], pen["D2"]["minimum_applied"], pen["D2"]["cap_applied"]) == \
        (5, "10000.00", False, True)
    assert out["totals"]["penalties"] == "14000.00"
    (finding,) = [f for f in out["findings"] if f["rule"] == "late_in_all"]  # lateness is summed: 1 + 5
    assert finding["compared"] == [{"left": 6, "op": "<=", "right": 1,
                                    "left_text": "documentation_on_demand.late_working_days", "right_text": "1"}]


@pytest.mark.parametrize(("events", "worst"), [
    ([ev(R, "2021-03-31", id="D1"), ev(D, "2021-04-09", ref="D1"), ev(R, "2021-04-06", id="D2")], "breached"),
    ([ev(R, "2021-03-31", id="D1"), ev(D, "2021-04-09", ref="D1"), ev(R, "2021-04-27", id="D3")], "pending"),
    ([ev(R, "2021-04-20", id="D3"), ev("force_majeure", "2021-04-21"), ev(R, "2021-03-31", id="D1"),
      ev(D, "2021-04-09", ref="D1")], "suspended"),
    ([ev(R, "2021-03-31", id="D1"), ev(D, "2021-04-09", ref="D1"), ev(R, "2021-04-06", id="D2"),
      ev(W, "2021-04-20", ref="D2")], "met"),
    ([ev(R, "2021-04-06", id="D2"), ev(W, "2021-04-20", ref="D2")], "waived"),
])
def test_other_rules_read_the_worst_status(extended: Contract, events: list[dict[str, Any]], worst: str) -> None:
    out = run(extended, *events, as_of="2021-04-29")
    assert out["values"][0]["rule"] == "worst_status" and out["values"][0]["value"] == worst


def test_escalation_by_count(spec: Contract) -> None:
    out = run(spec, *(ev("invoice_error", d) for d in ("2021-03-01", "2021-03-05", "2021-03-10", "2021-03-12")),
              as_of="2021-04-01")
    pen = by_instance(out, "penalties", "third_invoice_error")
    assert {k: v["amount"] for k, v in pen.items()} == {"3: 2021-03-10": "1000.00", "4: 2021-03-12": "1000.00"}
    assert out["totals"]["penalties"] == "2000.00"


# never silent: occurrences no rule judges ----------------------------------------------------------------------

def test_second_occurrence_of_a_single_read_event_is_an_info_finding(mini: Contract) -> None:
    out = evaluate_case(mini, case([("demanded", "2021-03-31"), ("demanded", "2021-04-06")], as_of="2021-05-01"),
                        lang="en").to_json()
    (finding,) = out["findings"]
    assert (finding["rule"], finding["kind"], finding["severity"]) == ("input:demanded", "input", "info")
    assert finding["message"] == "the case has 2 events of type Påkrav; doc_deadline read only one of them"


def test_single_occurrence_on_a_repeatable_type_gives_no_finding() -> None:
    contract = load_contract(FIXTURES / "single_reads.yaml")
    out = evaluate_case(contract, case([("referral", "2021-04-06"), ("kickoff", "2021-04-12"),
                                        ("kickoff", "2021-04-19")], as_of="2021-05-03")).to_json()
    assert [f["rule"] for f in out["findings"]] == []  # got ['input:kickoff']


# failed checks, statistics and recurring duties carry their figures ---------------------------------------------

@pytest.fixture(scope="module")
def rudersdal_late_report() -> dict[str, Any]:
    from rulekit.runtime.case import span_locator
    from rulekit.spec.yamlsource import load_yaml
    doc = load_yaml(REPO / "examples" / "rudersdal" / "placement-late-report-wrong-category.yaml", kind="input")
    contract = load_contract(REPO / "contracts" / "rudersdal.yaml")
    return evaluate_case(contract, read_case(doc.data, contract, locate=span_locator(doc)), lang="en").to_json()


def test_recurring_duty_lists_its_missed_window(rudersdal_late_report: dict[str, Any]) -> None:
    (weekly,) = [o for o in rudersdal_late_report["obligations"] if o["rule"] == "weekly_contact"]
    assert (weekly["status"], weekly["windows"], weekly["missed_windows"]) == ("breached", 13, 1)
    assert weekly["missed"] == [{"start": "2024-12-23", "end": "2024-12-29", "required": 1, "recorded": 0}]


def test_failed_rudersdal_check_reports_what_it_compared(rudersdal_late_report: dict[str, Any]) -> None:
    (finding,) = [f for f in rudersdal_late_report["findings"] if f["rule"] == "closing_raskmeldt"]
    assert [(c["left"], c["op"], c["right"]) for c in finding.get("compared", [])] == [
        ("cash_benefit", "==", "sickness_benefit"), ("job", "==", "fit_for_work")]


def test_share_statistic_carries_part_and_whole() -> None:
    contract = load_contract(FIXTURES / "settlement.yaml")
    started = {"type": "window_started", "date": "2023-01-01"}
    out = evaluate_portfolio(contract, {"portfolio": "P", "contract": "settle", "as_of": "2023-12-31", "cases": [
        {"case": "A", "events": [started, {"type": "month_ok", "date": "2023-02-01"}]},
        {"case": "B", "events": []},
        {"case": "C", "events": [started, {"type": "month_ok", "date": "2023-03-01"},
                                 {"type": "month_ok", "date": "2023-04-01"}]}]}).to_json()
    share = out["statistics"]["share_paid"]
    assert (share["value"], share["part"], share["whole"], share["target"]) == ("66.67%", 2, 3, "50.00%")
