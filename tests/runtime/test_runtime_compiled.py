"""Compiled runners (runtime/compiled.py): which rules get one, and that a runner meeting an error leaves
the rule to the interpreter, which reports it as it always has. That the runners give the interpreter's
results is checked case by case in test_runtime_fastpath.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from runtime_support import MONTHLY_FEE, spec_header

from rulekit import EvaluationError, evaluate_case, load_contract
from rulekit.runtime.compiled import runners

ROOT = Path(__file__).parent.parent.parent
FIXTURE = ROOT / "tests" / "data" / "instances.yaml"


@pytest.mark.parametrize("name", ["kobenhavn", "rudersdal", "hedensted"])
def test_every_rule_but_the_interpreters_own_has_a_runner(name: str) -> None:
    contract = load_contract(ROOT / "contracts" / f"{name}.yaml")
    compiled = runners(contract)
    for rule in contract.rules:
        own = "reference_date" in rule.exprs or "repeat_start" in rule.exprs
        other_remedy = rule.remedies is not None and rule.kind not in ("penalty", "payment")  # the interpreter's
        assert (rule.id in compiled) == (not own and not other_remedy), rule.id
    assert len(compiled) >= len(contract.rules) // 2
    assert runners(contract) is compiled  # made once per contract


def _fixture_with(tmp_path: Path, old: str, new: str) -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "instances.yaml"
    path.write_text(text.replace(old, new).replace("../../rules/", str(ROOT / "rules") + "/"), encoding="utf-8")
    return path


def test_an_error_in_a_runner_is_the_interpreters_error(tmp_path: Path) -> None:
    """The third invoice error's amount divides by zero: both paths raise E400 naming the rule and the case."""
    contract = load_contract(_fixture_with(tmp_path, "    amount: 1000 DKK\n",
                                           "    amount: 3000 DKK / (count(invoice_error) - 3)\n"))
    assert "third_invoice_error" in runners(contract)
    case = {"case": "K-1", "as_of": "2021-05-01", "events": [
        {"type": "invoice_error", "date": f"2021-04-0{day}"} for day in (1, 2, 3)]}
    messages = []
    for trace in (False, True):
        with pytest.raises(EvaluationError) as caught:
            evaluate_case(contract, case, trace=trace)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert "third_invoice_error" in messages[0] and "K-1" in messages[0]
    four = {**case, "events": [*case["events"], {"type": "invoice_error", "date": "2021-04-05"}]}
    result = evaluate_case(contract, four, trace=False)  # count 4: 3000 / 1, for the third and fourth
    assert [(p.instance, str(p.amount)) for p in result.penalties] == [("3: 2021-04-03", "3000.00"),
                                                                       ("4: 2021-04-05", "3000.00")]


@pytest.mark.parametrize("spec", sorted((ROOT / "examples" / "clauses").glob("*.yaml")), ids=lambda p: p.stem)
def test_example_clauses_agree_with_the_traced_interpreter(spec: Path) -> None:
    """The example clause specs (other shapes than the agreements': repeating periods, SLAs, indexation):
    every embedded test case gives the same result through the runners as through the traced interpreter."""
    from test_runtime_fastpath import same_result

    contract = load_contract(spec)
    cases = [test for test in contract.tests if test.case is not None]
    assert cases
    for test in cases:
        same_result(contract, {"case": test.id, "contract": contract.id, **test.case}, test.assume)


def test_a_remedy_whose_condition_leads_with_the_breach_reads_only_breached_instances(tmp_path: Path) -> None:
    """`applies_when: documentation_on_demand.breached`: met instances get no amount without the
    condition being evaluated; a condition that reads something else first is evaluated as written."""
    from rulekit.dsl.needs import leading_output

    contract = load_contract(FIXTURE)
    penalty = contract.rule("daily_penalty")
    assert penalty is not None
    assert leading_output(penalty.exprs["applies_when"].checked) == ("documentation_on_demand", "breached")
    first_the_value = "applies_when: (late_value ?? 0 DKK) >= 0 DKK and documentation_on_demand.breached"
    later = load_contract(_fixture_with(tmp_path, "applies_when: documentation_on_demand.breached", first_the_value))
    rule = later.rule("daily_penalty")
    assert rule is not None and leading_output(rule.exprs["applies_when"].checked) is None
    (test,) = [t for t in contract.tests if t.id == "three_demands"]
    case = {"case": "K-1", **(test.case or {})}
    for spec in (contract, later):  # D1 met, D2 breached, D3 pending: one amount, for D2
        result = evaluate_case(spec, case, trace=False)
        assert [(p.instance, str(p.amount)) for p in result.penalties] == [("D2", "6000.00")]


def test_the_callers_decimal_context_changes_nothing() -> None:
    """Untraced evaluation runs in the caller's decimal context only when it is the pinned one; a caller's
    context with another precision or more traps gets the same amounts, and keeps its own settings."""
    import decimal
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate

    contract = load_contract(ROOT / "contracts" / "kobenhavn.yaml")
    cases = [generate.loads(generate.dumps(c)) for c in generate.cases("kobenhavn", 300, 5)]
    want = [evaluate_case(contract, c, trace=False).to_json() for c in cases]
    with decimal.localcontext() as mine:
        mine.prec, mine.rounding = 6, decimal.ROUND_DOWN
        mine.traps[decimal.Inexact] = True
        got = [evaluate_case(contract, c, trace=False).to_json() for c in cases]
        assert (mine.prec, mine.rounding, mine.traps[decimal.Inexact]) == (6, decimal.ROUND_DOWN, True)
    assert got == want
    assert any(r["penalties"] or r["payments"] for r in want)  # amounts were computed


DATED = spec_header("dated", "2021-01-01") + """parameters:
  fee:
    type: money
    value: 100 DKK
    source: {doc: k, section: "2", quote: "q"}
inputs:
  facts:
    paid_on: {type: date, title: Betalt}
  events:
    started: {title: Start}
rules:
""" + MONTHLY_FEE + """  - id: pay_each
    kind: deadline
    title: {da: Betaling, en: Payment}
    source: {doc: k, section: "4", quote: "q"}
    each: monthly_fee.dated
    from: FROM
    period: 10 days
    fulfilled: FULFILLED
"""


@pytest.mark.parametrize(("start", "fulfilled"), [("item.date", "paid_on"), ("item.date ?? 2021-01-01", "paid_on"),
                                                  ("item.date", "item.date")])
def test_a_deadline_over_dated_amounts(tmp_path: Path, start: str, fulfilled: str) -> None:
    """`each` over a payment's dated amounts: `item` is a dated amount, not an event. Its fields are read (and
    probed) as an event's are; each instance is named by its date."""
    path = tmp_path / "dated.yaml"
    path.write_text(DATED.replace("RULES", str(ROOT / "rules")).replace("FROM", start)
                    .replace("FULFILLED", fulfilled), encoding="utf-8")
    contract = load_contract(path)
    case = {"case": "x", "as_of": "2021-12-01", "events": [{"type": "started", "date": "2021-03-01"}],
            "facts": {"paid_on": "2021-03-05"}}
    fast, full = (evaluate_case(contract, case, trace=trace).to_json() for trace in (False, True))
    assert fast == full
    instances = [(o["instance"], o["status"]) for o in fast["obligations"] if o["rule"] == "pay_each"]
    assert instances == [("2021-03-01", "met"), ("2021-04-01", "met"), ("2021-05-01", "met")]
