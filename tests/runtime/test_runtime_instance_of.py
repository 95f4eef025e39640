"""instance(RULE, element): one rule with `each` reads another's instance for the same element — a payment
demand's deadline that starts only after the invoice's own due date, without copying that due date's formula."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from runtime_support import spec_header

from rulekit import evaluate_case, load_contract
from rulekit.errors import SpecError
from rulekit.explain import render_text
from rulekit.spec.schema import load_schema

HEAD = spec_header("instances", "2021-01-01") + """\
inputs:
  events:
    invoice_sent: {title: Faktura, fields: {amount: {type: money, title: Beløb}}}
    payment_made: {title: Betaling, answers: invoice_sent, fields: {amount: {type: money, title: Beløb}}}
    demand: {title: Påkrav, answers: invoice_sent}
rules:
  - id: payment_due
    kind: deadline
    title: {da: Betaling, en: Payment}
    source: {doc: k, section: "pkt. 5", quote: "30 dage"}
    obliged: buyer
    each: invoice_sent
    due: next_weekday(item.date + 30 days)
    fulfilled: first(answers(item, payment_made)).date
"""
DEMAND = """\
  - id: demand_deadline
    kind: deadline
    title: {da: Påkrav, en: Demand}
    source: {doc: k, section: "pkt. 6", quote: "20 dage efter påkrav efter forfaldsdagen"}
    obliged: buyer
    each: invoice_sent
    from: first(answers(item, demand) where it.date > instance(payment_due, item).due).date
    period: 20 days
    fulfilled: first(answers(item, payment_made)).date
"""


def spec(tmp_path: Path, rules: str) -> Path:
    path = tmp_path / "instances.yaml"
    path.write_text(HEAD + rules, encoding="utf-8")
    return path


def case(*events: dict[str, Any], as_of: str = "2021-06-30") -> dict[str, Any]:
    return {"case": "c1", "as_of": as_of, "events": list(events)}


@pytest.mark.parametrize("trace", [True, False])
def test_each_invoice_reads_its_own_due_date(tmp_path: Path, trace: bool) -> None:
    contract = load_contract(spec(tmp_path, DEMAND))
    result = evaluate_case(contract, case(
        {"type": "invoice_sent", "id": "F1", "date": "2021-03-01", "amount": 1000},  # due Wed 31/3
        {"type": "invoice_sent", "id": "F2", "date": "2021-04-01", "amount": 2000},  # due Mon 3/5 (1/5 a Sat)
        {"type": "demand", "date": "2021-04-20", "ref": "F1"},  # after F1's due date: 20 days, to 10/5
        {"type": "demand", "date": "2021-04-20", "ref": "F2"},  # before F2's due date: starts nothing
    ), trace=trace)
    demand = {o.instance: o for o in result.obligations if o.rule.id == "demand_deadline"}
    assert demand["F1"].status == "breached" and demand["F1"].due == dt.date(2021, 5, 10)
    assert demand["F2"].status == "not_applicable"
    due = {o.instance: o.due for o in result.obligations if o.rule.id == "payment_due"}
    assert due == {"F1": dt.date(2021, 3, 31), "F2": dt.date(2021, 5, 3)}


def test_the_explanation_shows_the_instance_read(tmp_path: Path) -> None:
    contract = load_contract(spec(tmp_path, DEMAND))
    result = evaluate_case(contract, case({"type": "invoice_sent", "id": "F1", "date": "2021-03-01", "amount": 1000},
                                          {"type": "demand", "date": "2021-04-20", "ref": "F1"}), lang="en")
    text = render_text(result, "demand_deadline", detail=True)
    assert "instance(payment_due, item).due" in text
    assert "Deadline: Payment [F1]" in text and "= 31 March 2021" in text  # the instance it read, below it


@pytest.mark.parametrize(("rules", "message"), [
    (DEMAND.replace("instance(payment_due, item)", "instance(invoice_sent, item)"), "not a rule"),
    (DEMAND.replace("instance(payment_due, item)", "instance(one_off, item)") + """\
  - id: one_off
    kind: deadline
    title: {da: Én, en: One}
    source: {doc: k, section: "pkt. 7", quote: "én gang"}
    obliged: buyer
    due: 2021-05-01
    fulfilled: first(payment_made).date
""", "has no `each`"),
    (DEMAND.replace("instance(payment_due, item)", "instance(payment_due, 3)"), "needs an element"),
])
def test_a_wrong_instance_read_is_a_load_error(tmp_path: Path, rules: str, message: str) -> None:
    with pytest.raises(SpecError) as info:
        load_contract(spec(tmp_path, rules))
    assert message in str(info.value) and "instances.yaml:" in str(info.value)


REMEDY = """\
  - id: late_fee
    kind: penalty
    title: {da: Gebyr, en: Fee}
    source: {doc: k, section: "pkt. 8", quote: "100 kr. pr. dag"}
    remedies: payment_due
    applies_when: payment_due.breached
    amount: payment_due.late_days * 100 DKK
  - id: fee_within_invoice
    kind: check
    title: {da: Gebyr højst fakturabeløbet, en: Fee at most the invoice amount}
    source: {doc: k, section: "pkt. 8", quote: "højst fakturabeløbet"}
    each: invoice_sent
    assert: instance(late_fee, item).amount <= item.amount
"""


@pytest.mark.parametrize("trace", [True, False])
def test_a_remedy_of_a_rule_with_each_has_its_instances(tmp_path: Path, trace: bool) -> None:
    """A penalty remedying a rule with `each` has one instance per instance of it: instance(penalty, item) reads
    that instance's amount (0 where its obligation was met)."""
    contract = load_contract(spec(tmp_path, REMEDY))
    result = evaluate_case(contract, case(
        {"type": "invoice_sent", "id": "F1", "date": "2021-03-01", "amount": 1000},  # due 31/3, paid 30/4: 30 days
        {"type": "invoice_sent", "id": "F2", "date": "2021-04-01", "amount": 2000},  # due 3/5, paid on time
        {"type": "payment_made", "date": "2021-04-30", "ref": "F1", "amount": 1000},
        {"type": "payment_made", "date": "2021-05-03", "ref": "F2", "amount": 2000},
    ), trace=trace)
    fees = {p.instance: p.amount for p in result.penalties if p.rule.id == "late_fee" and p.amount}
    assert fees == {"F1": 3000}
    [finding] = [f for f in result.findings if f.rule is not None and f.rule.id == "fee_within_invoice"]
    assert finding.instance == "F1"
    # with no invoice breached, every instance reads 0 (the usual case, combined without an amount)
    quiet = evaluate_case(contract, case(
        {"type": "invoice_sent", "id": "F2", "date": "2021-04-01", "amount": 2000},
        {"type": "payment_made", "date": "2021-05-03", "ref": "F2", "amount": 2000}), trace=trace)
    assert not [f for f in quiet.findings if f.rule is not None and f.rule.id == "fee_within_invoice"]
    assert quiet.outputs["fee_within_invoice"]["holds"] is True


FILTERED = """\
  - id: demanded_invoice_due
    kind: deadline
    title: {da: Påkrævet faktura, en: Demanded invoice}
    source: {doc: k, section: "pkt. 6", quote: "20 dage efter påkrav"}
    obliged: buyer
    each: invoice_sent where exists(answers(it, demand))
    from: first(answers(item, demand)).date
    period: 20 days
    fulfilled: first(answers(item, payment_made)).date
"""


def test_an_each_whose_filter_needs_an_absent_type_is_planned_out(tmp_path: Path) -> None:
    """`each: invoice_sent where exists(answers(it, demand))` has no element in a case without demands: the
    evaluation plan leaves the rule out (as it does an `each` over an absent type), with the interpreter's result."""
    from rulekit.runtime.case import read_case
    from rulekit.runtime.plan import plan_of_case

    contract = load_contract(spec(tmp_path, FILTERED))
    [rule] = [r for r in contract.rules if r.id == "demanded_invoice_due"]
    assert rule.each_needs_any == frozenset({frozenset({"demand"})})
    quiet = case({"type": "invoice_sent", "id": "F1", "date": "2021-03-01", "amount": 1000})
    demanded = case({"type": "invoice_sent", "id": "F1", "date": "2021-03-01", "amount": 1000},
                    {"type": "demand", "date": "2021-04-20", "ref": "F1"})
    for data, planned in ((quiet, False), (demanded, True)):
        read = read_case(data, contract)
        plan = plan_of_case(contract, read.events, read.facts, read.offering, contract.default_readings, False)
        assert ("demanded_invoice_due" in {r.id for r in plan.run}) is planned
        traced, untraced = (evaluate_case(contract, data, trace=t) for t in (True, False))
        assert [(o.rule.id, o.status, o.instance) for o in traced.obligations] == [
            (o.rule.id, o.status, o.instance) for o in untraced.obligations]


SPLIT = """\
  - id: covered_part
    kind: value
    type: money
    title: {da: Dækket del, en: Covered part}
    source: {doc: k, section: "pkt. 9", quote: "højst 1.000 kr. pr. betaling"}
    each: payment_made where exists(it.amount)
    applies_when: item.amount > 0 DKK
    value: min(item.amount, 1000 DKK)
  - id: invoice_covered
    kind: check
    title: {da: Fakturaen dækket, en: Invoice covered}
    source: {doc: k, section: "pkt. 9", quote: "dækket"}
    each: invoice_sent
    assert: sum([instance(covered_part, p).value ?? 0 DKK for p in answers(item, payment_made)]) >= item.amount
    message: {da: "dækket {sum(covered_part.value)} af {item.amount}", en: "covered {sum(covered_part.value)}"}
"""


@pytest.mark.parametrize("trace", [True, False])
def test_a_value_with_each_has_a_value_per_element(tmp_path: Path, trace: bool) -> None:
    """A value rule with `each`: one value per element, named by it in the result; instance(RULE, e).value reads
    one element's (missing for an element whose condition is false: `?? 0 DKK`), RULE.value the list of them all."""
    contract = load_contract(spec(tmp_path, SPLIT))
    result = evaluate_case(contract, case(
        {"type": "invoice_sent", "id": "F1", "date": "2021-03-01", "amount": 2500},
        {"type": "payment_made", "id": "P1", "date": "2021-03-10", "ref": "F1", "amount": 800},
        {"type": "payment_made", "id": "P2", "date": "2021-03-11", "ref": "F1", "amount": 1200},  # 1,000 counts
        {"type": "payment_made", "id": "P3", "date": "2021-03-12", "ref": "F1", "amount": 0},  # no value
    ), trace=trace)
    assert [(v.instance, v.value) for v in result.values] == [("P1", 800), ("P2", 1000)]
    assert result.outputs["covered_part"]["value"] == [800, 1000]
    [finding] = [f for f in result.findings if f.rule is not None and f.rule.id == "invoice_covered"]
    assert finding.instance == "F1" and finding.message == "dækket 1.800,00 kr. af 2.500,00 kr."
    out = result.to_json()
    jsonschema.Draft202012Validator(load_schema("result")).validate(out)
    assert [(v["instance"], v["value"]) for v in out["values"]] == [("P1", "800.00"), ("P2", "1000.00")]


@pytest.mark.parametrize("trace", [True, False])
def test_a_value_with_each_over_nothing_is_the_empty_list(tmp_path: Path, trace: bool) -> None:
    contract = load_contract(spec(tmp_path, SPLIT))
    result = evaluate_case(contract, case({"type": "invoice_sent", "id": "F1", "date": "2021-03-01", "amount": 0}),
                           trace=trace)
    assert result.outputs["covered_part"]["value"] == [] and result.values == ()
    assert result.outputs["invoice_covered"]["holds"] is True


def test_a_value_with_each_is_read_per_element_with_its_type(tmp_path: Path) -> None:
    """instance(value rule, e).value has the value's type; RULE.value is a list of them (not a money amount)."""
    wrong = SPLIT.replace("sum([instance(covered_part, p).value ?? 0 DKK for p in answers(item, payment_made)])",
                          "covered_part.value")
    with pytest.raises(SpecError) as info:
        load_contract(spec(tmp_path, wrong))
    assert "cannot compare list of money with money" in str(info.value)
    assert "instance(RULE, item).value" in str(info.value)  # the hint says how to read one element's
    one = SPLIT.replace("    each: payment_made where exists(it.amount)\n    applies_when: item.amount > 0 DKK\n"
                        "    value: min(item.amount, 1000 DKK)", "    value: 1000 DKK")
    with pytest.raises(SpecError) as info:
        load_contract(spec(tmp_path, one))
    assert "has no `each`" in str(info.value) and "covered_part.value" in str(info.value)


def test_a_value_explained_shows_its_derivation_once(tmp_path: Path) -> None:
    """Explained itself, a value rule shows how it was computed; read beneath another rule (an instance of another
    element than the rule's own, read with instance()), only its headline."""
    contract = load_contract(spec(tmp_path, SPLIT))
    result = evaluate_case(contract, case(
        {"type": "invoice_sent", "id": "F1", "date": "2021-03-01", "amount": 2500},
        {"type": "payment_made", "id": "P2", "date": "2021-03-11", "ref": "F1", "amount": 1200}))
    own = render_text(result, "covered_part")
    assert "beregnet som: det mindste af 1.200,00 kr. og 1.000,00 kr. = 1.000,00 kr." in own
    beneath = render_text(result, "invoice_covered")
    assert "Værdi: Dækket del [P2] = 1.000,00 kr." in beneath and "beregnet som" not in beneath
