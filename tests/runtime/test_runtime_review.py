"""Edge cases found by reviewing the instance runtime: each gives the same result with and without a trace,
and the right one."""

from __future__ import annotations

from typing import Any

import pytest
from runtime_support import FIXTURES, TESTS, case

from rulekit import InputError, evaluate_case, load_contract

REVIEW = FIXTURES / "review.yaml"
INSTANCES = TESTS / "data" / "instances.yaml"


def both(spec: Any, data: dict[str, Any]) -> dict[str, Any]:
    fast = evaluate_case(spec, data, trace=False).to_json()
    full = evaluate_case(spec, data, trace=True).to_json()
    assert fast == full
    return fast


def test_a_let_that_cannot_be_computed_and_is_not_needed_is_no_error() -> None:
    spec = load_contract(REVIEW)
    out = both(spec, case([], as_of="2021-05-01"))  # no invoice errors: 1000 DKK / 0 is never needed
    assert out["totals"]["payments"] == "0.00"
    out = both(spec, case([("invoice_error", "2021-03-01"), ("invoice_error", "2021-03-02")], as_of="2021-05-01"))
    assert [p["amount"] for p in out["payments"] if p["rule"] == "shared_cost"] == ["500.00"]


def test_a_remedy_of_an_obligation_that_does_not_apply_is_nothing() -> None:
    out = both(load_contract(REVIEW), case([("documentation_requested", "2021-03-01")], as_of="2021-05-01"))
    assert [p for p in out["penalties"] if p["rule"] == "pen_single"] == []


def test_rounded_zero_keeps_its_sign_whatever_came_before() -> None:
    spec = load_contract(REVIEW)
    first = both(spec, case([], facts={"adj": "-0.004"}, as_of="2021-05-01"))
    second = both(spec, case([], facts={"adj": "0.004"}, as_of="2021-05-01"))
    amounts = [p["amount"] for p in (*first["payments"], *second["payments"]) if p["rule"] == "adjustment"]
    assert amounts == ["-0.00", "0.00"]


def test_readings_of_a_condition_are_named_the_same_with_and_without_a_trace() -> None:
    out = both(load_contract(REVIEW), case([], as_of="2021-05-01"))
    entry = next(o for o in out["obligations"] if o["rule"] == "reading_gated")
    assert entry["status"] == "not_applicable" and entry["readings"] == {"reading": "a"}


def _demand(*more: dict[str, Any], as_of: str = "2021-05-20") -> dict[str, Any]:
    return case([{"type": "documentation_requested", "date": "2021-04-20", "id": "D3"}, *more], as_of=as_of)


@pytest.mark.parametrize(("suspensions", "due"), [
    # the trigger day is not part of the period: force majeure on 19–20 April takes nothing (due 27.04)
    ([("2021-04-19", "2021-04-20")], "2021-04-27"),
    # 20–23 April takes the same as 21–23 April: three working days → 28, 29 April, (30.04 Store Bededag) 3 May
    ([("2021-04-20", "2021-04-23")], "2021-05-03"),
    ([("2021-04-21", "2021-04-23")], "2021-05-03"),
    # a second one inside the window the first moved is counted too: 28–29 April → 4, 5 May
    ([("2021-04-21", "2021-04-23"), ("2021-04-28", "2021-04-29")], "2021-05-05"),
])
def test_suspensions_move_the_due_date_by_the_days_they_took(suspensions: list[tuple[str, str]], due: str) -> None:
    events = [{"type": "force_majeure", "date": a, "until": b, "id": f"F{i}"} for i, (a, b) in enumerate(suspensions)]
    out = both(load_contract(INSTANCES), _demand(*events))
    assert out["obligations"][0]["due"] == due


def test_a_suspension_opened_inside_the_moved_window_suspends() -> None:
    out = both(load_contract(INSTANCES), _demand({"type": "force_majeure", "date": "2021-04-21", "until": "2021-04-23",
                                                  "id": "F1"},
                                                 {"type": "force_majeure", "date": "2021-04-28", "id": "F2"},
                                                 as_of="2021-04-29"))
    assert (out["obligations"][0]["status"], out["obligations"][0]["by"]) == ("suspended", "F2")


def test_an_event_id_shaped_like_a_cpr_number_is_refused_and_masked() -> None:
    data = case([{"type": "documentation_requested", "date": "2021-04-20", "id": "010190-1234"}], as_of="2021-05-01")
    with pytest.raises(InputError) as info:
        evaluate_case(load_contract(INSTANCES), data)
    (diag,) = info.value.diagnostics
    assert diag.code == "E305" and "010190" not in diag.message and "******-****" in diag.message


def test_an_id_that_looks_like_an_internal_key_links_nothing_by_accident() -> None:
    data = case([{"type": "documentation_requested", "date": "2021-04-06", "id": "#documentation_requested#1"},
                 {"type": "documentation_requested", "date": "2021-04-07"},
                 {"type": "documentation_delivered", "date": "2021-04-08", "ref": "#documentation_requested#1"}],
                as_of="2021-05-01")
    out = both(load_contract(INSTANCES), data)
    statuses = {o["instance"]: o["status"] for o in out["obligations"] if o["rule"] == "documentation_on_demand"}
    assert statuses == {"#documentation_requested#1": "met", "2: 2021-04-07": "breached"}
