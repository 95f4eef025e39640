"""The fast path (rules skipped when their trigger event is absent, only without tracing) must give
exactly the result a full, traced evaluation gives: checked on every embedded test case of the shipped
contracts and on seeded synthetic cases from benchmarks/generate.py."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from runtime_support import mini_with

from rulekit import RulekitError, evaluate_case, load_contract

ROOT = Path(__file__).parent.parent.parent
CONTRACTS = ["kobenhavn", "rudersdal", "hedensted"]


def same_result(contract: Any, case: dict[str, Any], assume: dict[str, str] | None = None) -> None:
    try:
        fast = evaluate_case(contract, case, assume=assume, trace=False).to_json()
    except RulekitError as exc:
        with pytest.raises(type(exc)):
            evaluate_case(contract, case, assume=assume, trace=True)
        return
    full = evaluate_case(contract, case, assume=assume, trace=True).to_json()
    assert fast == full, f"fast path differs for case {case.get('case')}"


@pytest.mark.parametrize("name", CONTRACTS)
def test_embedded_cases_agree(name: str) -> None:
    contract = load_contract(ROOT / "contracts" / f"{name}.yaml")
    tested = 0
    for test in contract.tests:
        if test.case is not None:
            same_result(contract, {"case": test.id, "contract": contract.id, **test.case}, test.assume)
            tested += 1
    assert tested >= 20


@pytest.mark.parametrize("name", CONTRACTS)
def test_generated_cases_agree(name: str) -> None:
    contract = load_contract(ROOT / "contracts" / f"{name}.yaml")
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), name, "-n", "300",
                          "--seed", "7"], capture_output=True, text=True, check=True)
    cases = [json.loads(line, parse_float=Decimal) for line in out.stdout.splitlines() if line.strip()]
    assert len(cases) == 300
    for case in cases:
        same_result(contract, case)
    skipped = sum(1 for r in contract.rules if r.needs)
    assert skipped > 0  # the analysis finds triggers in every shipped contract


def test_instance_fixture_cases_agree() -> None:
    """The plan skips `each` rules whose events are absent and the remedies of those: same results."""
    contract = load_contract(ROOT / "tests" / "data" / "instances.yaml")
    for test in contract.tests:
        assert test.case is not None
        same_result(contract, {"case": test.id, "contract": contract.id, **test.case}, test.assume)
        for drop in ("documentation_requested", "invoice_error", "force_majeure"):
            events = [e for e in test.case.get("events", []) if e["type"] != drop]
            kept = {e.get("id") for e in events}
            events = [e for e in events if "ref" not in e or e["ref"] in kept]
            same_result(contract, {"case": test.id, "contract": contract.id, **test.case, "events": events},
                        test.assume)


def test_types_no_rule_looks_at_share_a_plan() -> None:
    """A plan is chosen by the event types some rule needs: a case that adds only other types gets the
    same plan, and a type a rule needs gives another one."""
    from rulekit.runtime.plan import plan_for

    contract = load_contract(ROOT / "contracts" / "kobenhavn.yaml")
    unlooked = sorted(set(contract.events) - contract.plan_types)
    looked = sorted(contract.plan_types)
    assert unlooked and looked
    base = plan_for(contract, frozenset({looked[0]}), None, contract.default_readings, False)
    assert plan_for(contract, frozenset({looked[0], *unlooked}), None, contract.default_readings, False) is base
    other = plan_for(contract, frozenset(looked[:2]), None, contract.default_readings, False)
    assert other is not base


def test_facts_a_condition_needs_choose_the_plan() -> None:
    """A fact the condition cannot do without (`exists(f)`, `f ?? false`, a fact a comparison reads) is
    part of the plan's key: without it the rule is skipped as not applicable, as evaluation would say. A
    repeating deadline is skipped by its condition too (it is judged once, before the periods)."""
    from rulekit.runtime.plan import plan_for, present

    contract = load_contract(ROOT / "contracts" / "kobenhavn.yaml")
    damages, report = contract.rule("damages_beyond_penalty"), contract.rule("knowledge_report")
    assert "fact:documented_loss" in damages.needs  # exists(documented_loss)
    assert "fact:contract_level_case" in report.needs  # contract_level_case ?? false, on a repeating deadline
    assert {"fact:documented_loss", "fact:contract_level_case"} <= contract.plan_types
    events: dict[str, Any] = {"course_started": []}
    without = present(contract, events, {"order_start": 1})
    with_fact = present(contract, events, {"order_start": 1, "contract_level_case": True})
    assert "fact:contract_level_case" in with_fact and "fact:contract_level_case" not in without
    readings = contract.default_readings
    skipped = {rule.id for rule, _ in plan_for(contract, without, "A1-1B", readings, False).not_applicable}
    run = {rule.id for rule in plan_for(contract, with_fact, "A1-1B", readings, False).run}
    assert "knowledge_report" in skipped and "knowledge_report" in run
    case = {"case": "K-1", "contract": "kobenhavn", "offering": "A1-1B", "as_of": "2021-05-01",
            "facts": {"order_start": "2021-03-01", "order_end": "2021-04-30"}}
    for facts in ({}, {"contract_level_case": True}, {"contract_level_case": False}, {"documented_loss": 100}):
        same_result(contract, {**case, "facts": {**case["facts"], **facts}})


def test_a_condition_that_needs_one_of_several_names(tmp_path: Path) -> None:
    """`exists(f) or exists(E)`: a case with neither is skipped by the plan as not applicable (with the
    reading its condition reads); a case with either one is evaluated. Both paths agree on every variant."""
    from rulekit.runtime.plan import plan_for, present

    spec = mini_with(tmp_path, """\
  - id: either
    kind: deadline
    title: {da: Enten, en: Either}
    source: {doc: k, section: "pkt. 2.3.3", quote: "senest fem Arbejdsdage"}
    applies_when: (exists(late_value) or exists(delivered)) and assume.roll == "literal"
    from: as_of
    period: 5 working_days
    fulfilled: first(delivered).date
""", "either")
    contract = load_contract(spec)
    rule = contract.rule("either")
    assert rule.needs_any == frozenset({frozenset({"fact:late_value", "delivered"})})
    readings = contract.default_readings
    neither = plan_for(contract, present(contract, {"demanded": []}, {}), None, readings, False)
    assert [(r.id, extra) for r, extra in neither.not_applicable if r.id == "either"] == \
        [("either", {"readings": {"roll": "literal"}})]
    for events, facts in (({"delivered": []}, {}), ({}, {"late_value": 1})):
        plan = plan_for(contract, present(contract, events, facts), None, readings, False)
        assert "either" in {r.id for r in plan.run}
    base = {"case": "E-1", "contract": contract.id, "as_of": "2021-05-03"}
    for facts, events in (({}, []), ({"late_value": 10}, []), ({}, [{"type": "delivered", "date": "2021-04-01"}])):
        for assume in (None, {"roll": "arbejdsdag"}):
            same_result(contract, {**base, "facts": facts, "events": events}, assume)


def test_a_condition_false_by_a_fact_value_when_the_trigger_is_absent(tmp_path: Path) -> None:
    """The trigger event is absent (the plan skips the rule), and the condition, which reads a reading, is false
    because of a fact's value: evaluation says not applicable by its condition, with the reading; when the
    condition holds, not triggered, without it. The plan cannot know which from the names a case has, so the
    skipped entry is decided per case — both paths agree on every variant."""
    spec = mini_with(tmp_path, """\
  - id: on_delivery
    kind: deadline
    title: {da: Ved levering, en: On delivery}
    source: {doc: k, section: "pkt. 2.3.3", quote: "senest fem Arbejdsdage"}
    applies_when: assume.roll == "arbejdsdag" or (late_value ?? 0 DKK) > 100 DKK
    from: first(delivered).date
    period: 5 working_days
    fulfilled: as_of
""", "value")
    contract = load_contract(spec)
    base = {"case": "V-1", "contract": contract.id, "as_of": "2021-05-03"}
    for facts in ({}, {"late_value": 10}, {"late_value": 1000}):
        for events in ([], [{"type": "delivered", "date": "2021-04-01"}]):
            for assume in (None, {"roll": "arbejdsdag"}):
                same_result(contract, {**base, "facts": facts, "events": events}, assume)
    result = evaluate_case(contract, {**base, "facts": {"late_value": 10}}, trace=False).to_json()
    [entry] = [o for o in result["obligations"] if o["rule"] == "on_delivery"]
    assert entry["status"] == "not_applicable" and entry["readings"] == {"roll": "literal"}
