"""result.outputs: every rule's outputs for one case. The rules the case's plan evaluated are stored; the rules
it skipped are read through to the plan's shared dict (runtime/result.RuleOutputs). The mapping must behave
as if it held every rule, and give what a traced evaluation (which evaluates every rule) gives."""

from __future__ import annotations

import copy
import json
import pickle
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from rulekit import evaluate_case, load_contract
from rulekit.runtime.result import RuleOutputs

ROOT = Path(__file__).parent.parent.parent


def test_the_mapping_holds_the_stored_and_the_skipped_rules() -> None:
    skipped = {"a": {"status": "not_applicable"}, "b": {"holds": True}}
    outputs = RuleOutputs(skipped=skipped)
    outputs["b"] = {"holds": False}  # evaluated after all: the stored outputs win
    outputs["c"] = {"amount": Decimal(1)}
    every = {"a": {"status": "not_applicable"}, "b": {"holds": False}, "c": {"amount": Decimal(1)}}
    assert outputs["a"] == every["a"] and outputs["b"] == every["b"]
    assert outputs.get("a") == every["a"] and outputs.get("z", 0) == 0 and outputs.get("z") is None
    assert "a" in outputs and "c" in outputs and "z" not in outputs
    assert len(outputs) == 3 and sorted(outputs) == ["a", "b", "c"]
    assert dict(outputs.items()) == every and {**outputs} == every and dict(outputs) == every
    assert outputs == every and outputs == RuleOutputs(every) and outputs != {"a": {}}
    assert outputs.copy() == every and outputs | {"d": {}} == {**every, "d": {}} and next(reversed(outputs)) == "c"
    assert pickle.loads(pickle.dumps(outputs)) == every and copy.copy(outputs) == every
    assert "'a'" in repr(outputs)
    with pytest.raises(KeyError):
        outputs["z"]
    assert skipped == {"a": {"status": "not_applicable"}, "b": {"holds": True}}  # the plan's dict is untouched


def test_what_removes_entries_sees_every_rule() -> None:
    skipped = {"a": {"holds": True}, "b": {"holds": True}}
    outputs = RuleOutputs({"c": {"holds": False}}, skipped=skipped)
    assert outputs.pop("a") == {"holds": True} and "a" not in outputs and len(outputs) == 2
    del outputs["b"]
    assert outputs == {"c": {"holds": False}} and outputs.setdefault("c", {}) == {"holds": False}
    assert RuleOutputs(outputs.items()) == outputs  # as `type(d)(pairs)` (dataclasses.asdict) makes it
    outputs.clear()
    assert len(outputs) == 0 and "c" not in outputs
    assert skipped == {"a": {"holds": True}, "b": {"holds": True}}


def test_outputs_of_a_case_that_runs_no_rule_are_json_like_any_dict() -> None:
    contract = load_contract(ROOT / "contracts" / "kobenhavn.yaml")
    result = evaluate_case(contract, {"case": "c", "as_of": "2021-06-01"}, trace=False)
    assert len(result.outputs) == len(contract.rules)
    assert json.loads(json.dumps(result.outputs, default=str)) == json.loads(json.dumps(result.outputs.every(),
                                                                                         default=str))


@pytest.mark.parametrize("name", ["kobenhavn", "rudersdal", "hedensted"])
def test_untraced_outputs_are_the_traced_ones(name: str) -> None:
    contract = load_contract(ROOT / "contracts" / f"{name}.yaml")
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), name, "-n", "150",
                          "--seed", "11"], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        case = json.loads(line, parse_float=Decimal)
        fast = evaluate_case(contract, case, trace=False).outputs
        full = evaluate_case(contract, case, trace=True).outputs
        assert len(fast) == len(contract.rules) and set(fast) == {rule.id for rule in contract.rules}
        for rule in contract.rules:
            want = {k: v for k, v in full[rule.id].items() if k != "instances"}
            got = {k: v for k, v in fast[rule.id].items() if k != "instances"}
            assert got == want, (case["case"], rule.id)


def test_a_run_starts_its_result_with_the_case_in_the_right_fields() -> None:
    """evaluate.Run makes the result with every field given in order (cheaper than keywords): each one lands
    where it belongs, with fresh lists of its own and the run's outputs."""
    import datetime as dt

    from rulekit.runtime.case import read_case
    from rulekit.runtime.evaluate import Run

    contract = load_contract(ROOT / "contracts" / "kobenhavn.yaml")
    case = read_case({"case": "R-1", "offering": "A1-4", "as_of": "2021-09-04", "facts": {"order_start": "2021-06-07"},
                      "events": [{"type": "course_started", "date": "2021-06-09"},
                                 {"type": "course_started", "date": "2021-10-01"}]}, contract)
    readings = dict(contract.default_readings)
    first, second = Run(contract, case, readings, False, "en"), Run(contract, case, readings, False, "en")
    result = first.result
    assert (result.case, result.contract, result.as_of, result.assumptions, result.lang) == (
        "R-1", contract, dt.date(2021, 9, 4), readings, "en")
    assert result.facts is case.facts and result.events is case.events and result.outputs is first.outputs
    assert (result.offering, result.events_after_as_of) == ("A1-4", 1)
    assert result.obligations == result.penalties == result.payments == result.findings == []
    assert result.obligations is not second.result.obligations and result.findings is not result.penalties
    assert (result.values, result.unchecked, result.trace, result.skipped) == ((), (), (), ())
    assert first.outputs.get("payment_due") is None and "payment_due" not in first.outputs


def test_iso_text_of_dates_is_isoformat_and_keeps_a_datetime_apart() -> None:
    """values.iso keeps the ISO text of the dates results repeat; it gives exactly what isoformat gives, and a
    datetime (whose text has the time of day) is never cached as its date."""
    import datetime as dt

    from rulekit.runtime.values import iso, json_value

    day = dt.date(2021, 3, 4)
    moment = dt.datetime(2021, 3, 4, 10, 30)
    for value in (day, moment, day, moment, dt.date(1, 1, 1), dt.date(9999, 12, 31)):
        assert iso(value) == value.isoformat()
    assert json_value(moment) == "2021-03-04T10:30:00" and json_value(day) == "2021-03-04"


def test_a_results_default_readings_are_shared_and_read_only() -> None:
    """Results evaluated with the default readings share the contract's one readings mapping; it is read-only,
    so a caller cannot change the readings of the contract and of every later result through one result
    (found in review when it was a plain dict)."""
    contract = load_contract(ROOT / "contracts" / "kobenhavn.yaml")
    first, second = (evaluate_case(contract, {"case": n, "as_of": "2022-01-10"}, trace=False) for n in ("a", "b"))
    assert first.assumptions is second.assumptions is contract.default_readings
    with pytest.raises(TypeError):
        first.assumptions["payment_rollforward"] = "other"  # type: ignore[index]
    switched = evaluate_case(contract, {"case": "c", "as_of": "2022-01-10"}, trace=False,
                             assume={"payment_rollforward": next(iter(
                                 r for r in contract.assumptions["payment_rollforward"].readings
                                 if r != contract.default_readings["payment_rollforward"]))})
    assert switched.assumptions is not contract.default_readings
    assert dict(contract.default_readings) == {k: a.default for k, a in contract.assumptions.items()}
