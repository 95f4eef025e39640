"""Penalties and payments through the compiled runners (kinds.plain_amount): the same entries, findings and
outputs as the traced interpreter (kinds.amount), for a spec with every part of an amount (basis, units,
rate, minimum, cap, waived_when, dated units, a missing input, a remedy per instance of an `each` deadline,
a rule the runners leave to the interpreter), and amounts worked out by hand from the spec."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from runtime_support import MONTHLY_FEE, spec_header

from rulekit import Contract, evaluate_case, load_contract
from rulekit.runtime.case import read_case
from rulekit.runtime.common import NO_AMOUNT
from rulekit.runtime.compiled import runners
from rulekit.runtime.evaluate import Run
from rulekit.runtime.kinds import plain_amount

ROOT = Path(__file__).parent.parent.parent

SPEC = spec_header("lane", "2020-01-01") + """parameters:
  penalty_rate:
    type: percent
    values:
      - {from: 2020-01-01, value: 10%, source: {doc: k, section: "2", quote: "10 %"}}
      - {from: 2021-06-01, value: 20%, source: {doc: k, section: "2", quote: "20 %"}}
  penalty_min: {type: money, value: 5000 DKK, source: {doc: k, section: "3", quote: "q"}}
  penalty_cap: {type: money, value: 20000 DKK, source: {doc: k, section: "3", quote: "q"}}
  fee: {type: money, value: 100.005 DKK, assumption: "a half-øre, to see each dated amount rounded"}
inputs:
  facts:
    late_value: {type: money, title: Værdi, min: 0}
  events:
    requested:
      title: Påkrav
      repeatable: true
      fields:
        value: {type: money, title: Værdi}
        excused: {type: bool, title: Undskyldt}
    delivered: {title: Leveret, repeatable: true, answers: requested, match: none}
    demand_waived: {title: Frafaldet, repeatable: true, answers: requested, match: none}
    started: {title: Start}
rules:
  - id: on_demand
    kind: deadline
    title: {da: Levering efter påkrav, en: Delivery on demand}
    source: {doc: k, section: "4", quote: "q"}
    each: requested
    from: item.date
    period: 5 working_days
    fulfilled: first(answers(item, delivered)).date
    waived_by: answers(item, demand_waived)
  - id: daily_penalty
    kind: penalty
    title: {da: Dagbod, en: Daily penalty}
    source: {doc: k, section: "5", quote: "q"}
    remedies: on_demand
    applies_when: on_demand.breached
    basis: item.value ?? late_value
    per: working_day
    units: on_demand.late_working_days
    rate: penalty_rate * (item.value ?? late_value)
    minimum: penalty_min
    cap: penalty_cap
    waived_when: item.excused ?? false
""" + MONTHLY_FEE + """  - id: start_fee
    kind: payment
    title: {da: Startgebyr, en: Start fee}
    source: {doc: k, section: "7", quote: "q"}
    reference_date: first(started).date
    applies_when: exists(first(started).date)
    amount: penalty_rate * 1000 DKK
  - id: large_bonus
    kind: payment
    title: {da: Bonus, en: Bonus}
    source: {doc: k, section: "8", quote: "q"}
    applies_when: (late_value ?? 0 DKK) > 1000000 DKK
    amount: 1 DKK
"""

# D1 met; D2 due 13.04 (Easter), 2 working days late, 10 % (on its due date) × 24,000 × 2 = 4,800 → the
# minimum 5,000; D3 due 27.04, 7 working days late (30.04 Store Bededag), 10,000 × 7 → the cap 20,000;
# D4 due 08.06, 2 late, 20 % × 40,000 × 2 = 16,000; D5 due 21.06, 1 late, 20 % × 60,000 = 12,000 but excused
# (waived); D6 waived by the buyer (0.00 naming W1); D7 due 07.07 (1 late) with no value given anywhere.
EVENTS: list[dict[str, Any]] = [
    {"type": "requested", "date": "2021-03-31", "id": "D1", "value": 1000},
    {"type": "delivered", "date": "2021-04-09", "ref": "D1"},
    {"type": "requested", "date": "2021-04-06", "id": "D2", "value": 24000},
    {"type": "delivered", "date": "2021-04-15", "ref": "D2"},
    {"type": "requested", "date": "2021-04-20", "id": "D3", "value": 100000},
    {"type": "delivered", "date": "2021-05-07", "ref": "D3"},
    {"type": "requested", "date": "2021-06-01", "id": "D4", "value": 40000},
    {"type": "delivered", "date": "2021-06-10", "ref": "D4"},
    {"type": "requested", "date": "2021-06-14", "id": "D5", "value": 60000, "excused": True},
    {"type": "delivered", "date": "2021-06-22", "ref": "D5"},
    {"type": "requested", "date": "2021-06-15", "id": "D6", "value": 60000},
    {"type": "demand_waived", "date": "2021-06-25", "ref": "D6", "id": "W1"},
    {"type": "requested", "date": "2021-06-30", "id": "D7"},
    {"type": "delivered", "date": "2021-07-08", "ref": "D7"},
    {"type": "started", "date": "2021-03-01"},
]


@pytest.fixture(scope="module")
def lane(tmp_path_factory: pytest.TempPathFactory) -> Contract:
    path = tmp_path_factory.mktemp("lane") / "lane.yaml"
    path.write_text(SPEC.replace("RULES", str(ROOT / "rules")), encoding="utf-8")
    return load_contract(path)


def _case(events: list[dict[str, Any]] = EVENTS, **facts: Any) -> dict[str, Any]:
    return {"case": "L-1", "as_of": "2021-08-02", "facts": facts, "events": events}


def _both(contract: Contract, case: dict[str, Any]) -> dict[str, Any]:
    """The untraced result, after checking it is the traced interpreter's (entries and outputs)."""
    fast, full = (evaluate_case(contract, case, trace=trace) for trace in (False, True))
    assert fast.to_json() == full.to_json()
    for rule in ("daily_penalty", "monthly_fee", "start_fee", "large_bonus"):
        assert fast.outputs[rule] == full.outputs[rule], rule
    data: dict[str, Any] = fast.to_json()
    return data


def _by_instance(data: dict[str, Any], rule: str) -> dict[str | None, dict[str, Any]]:
    return {p.get("instance"): p for p in data["penalties"] + data["payments"] if p["rule"] == rule}


def test_the_penalties_run_compiled(lane: Contract) -> None:
    compiled = runners(lane)
    assert {"daily_penalty", "monthly_fee", "large_bonus"} <= set(compiled)
    assert "start_fee" not in compiled  # reference_date: the interpreter's, untraced too


def test_amounts_by_hand(lane: Contract) -> None:
    data = _both(lane, _case(late_value=Decimal(30000)))
    got = _by_instance(data, "daily_penalty")
    assert set(got) == {"D2", "D3", "D4", "D5", "D6", "D7"}  # D1 was met: no amount
    assert (got["D2"]["amount"], got["D2"]["minimum_applied"], got["D2"]["cap_applied"]) == ("5000.00", True, False)
    assert (got["D2"]["basis"], got["D2"]["units"], got["D2"]["rate"]) == ("24000.00", 2, "2400.00")
    assert (got["D3"]["amount"], got["D3"]["units"], got["D3"]["cap_applied"]) == ("20000.00", 7, True)
    assert (got["D4"]["amount"], got["D4"]["rate"], got["D4"]["minimum_applied"]) == ("16000.00", "8000.00", False)
    assert (got["D5"]["amount"], got["D5"]["waived"]) == ("12000.00", True)
    assert (got["D6"]["amount"], got["D6"]["waived"], got["D6"]["waived_by"]) == ("0.00", True, "W1")
    # D7 (due 07.07, 20 %): no value on the demand, so the case's late_value: 20 % × 30,000 × 1 = 6,000
    assert (got["D7"]["amount"], got["D7"]["basis"]) == ("6000.00", "30000.00")
    fee = _by_instance(data, "monthly_fee")[None]
    assert fee["amount"] == "300.03"  # 3 × 100.01, each dated amount rounded (not 300.015 → 300.02)
    assert [d["amount"] for d in fee["dated"]] == ["100.01"] * 3
    assert [d["date"] for d in fee["dated"]] == ["2021-03-01", "2021-04-01", "2021-05-01"]
    assert _by_instance(data, "start_fee")[None]["amount"] == "100.00"  # 10 % on the start date
    assert data["totals"]["penalties"] == "47000.00"  # 5,000 + 20,000 + 16,000 + 6,000 (D5, D6 waived)


def test_outputs_of_the_amounts(lane: Contract) -> None:
    result = evaluate_case(lane, _case(late_value=Decimal(30000)), trace=False)
    penalty = result.outputs["daily_penalty"]
    assert (penalty["amount"], penalty["applied"]) == (Decimal("47000.00"), True)
    fee = result.outputs["monthly_fee"]
    assert fee["amount"] == Decimal("300.03") and [d.amount for d in fee["dated"]] == [Decimal("100.01")] * 3
    assert result.outputs["large_bonus"] is NO_AMOUNT


def test_a_missing_input_is_a_missing_amount_with_a_warning(lane: Contract) -> None:
    for lang in ("da", "en"):
        case = _case()  # no late_value: D7 has nothing to compute its basis from
        fast, full = (evaluate_case(lane, case, trace=trace, lang=lang) for trace in (False, True))
        assert fast.to_json() == full.to_json()
        d7 = _by_instance(fast.to_json(), "daily_penalty")["D7"]
        # `item.value ?? late_value`: either would do, and both are named
        assert d7["amount"] is None and d7["missing"] == ["item.value", "late_value"]
        (finding,) = [f for f in fast.to_json()["findings"] if f["rule"] == "daily_penalty"]
        assert finding["severity"] == "warning" and finding["instance"] == "D7" and "late_value" in finding["message"]
        assert fast.outputs["daily_penalty"]["amount"] is None  # one instance unknown: the total is unknown


@pytest.mark.parametrize("as_of", ["2021-03-15", "2021-04-14", "2021-06-09", "2021-06-23", "2021-12-31"])
def test_traced_and_untraced_agree_over_time(lane: Contract, as_of: str) -> None:
    events = [e for e in EVENTS if e["date"] <= as_of]
    _both(lane, {**_case(events, late_value=Decimal("12345.675")), "as_of": as_of})
    _both(lane, {**_case(events), "as_of": as_of})


def test_the_instance_alone(lane: Contract) -> None:
    """plain_amount's instance: NO_AMOUNT itself when the condition is false (nothing added); an amount that
    applies adds one entry, with the details in the interpreter's order."""
    rules = {rule.id: rule for rule in lane.rules}
    run = Run(lane, read_case(_case(late_value=Decimal(2000000)), lane), lane.default_readings, False, "da")
    assert plain_amount(rules["large_bonus"], lane)(run, run.env, None) == {
        "amount": Decimal("1.00"), "applied": True, "dated": []}
    assert [(p.rule.id, p.amount, p.extra) for p in run.result.payments] == [
        ("large_bonus", Decimal("1.00"), {"minimum_applied": False, "cap_applied": False})]
    run = Run(lane, read_case(_case(), lane), lane.default_readings, False, "da")
    assert plain_amount(rules["large_bonus"], lane)(run, run.env, None) is NO_AMOUNT
    out = plain_amount(rules["monthly_fee"], lane)(run, run.env, None)
    assert out["amount"] == Decimal("300.03") and run.result.penalties == []
    assert list(run.result.payments[0].extra) == ["minimum_applied", "cap_applied", "units", "rate", "per", "dated"]
