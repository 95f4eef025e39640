"""Local functions: `let: {NAME: {params: {p: type, …}, value: …}}` is called as `NAME(arg, …)`. A formula a
rule needs twice with different values (København's interest to a payment day and to the day the invoice is
paid in full) is written once. Traced and untraced give the same values; explanations show every call with its
arguments and its derivation; a wrong call is a load error with its place and a hint."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from spec_support import mini_text, variant

from rulekit import evaluate_case, load_contract
from rulekit.errors import SpecError
from rulekit.explain import render_text

RULE = '''  - id: fn_penalty
    kind: penalty
    title: {da: Funktion, en: Function}
    source: {doc: k, section: "pkt. 9", quote: "pr. dag"}
    remedies: doc_deadline
    applies_when: doc_deadline.breached
    let:
      base: 100 DKK
      per_day:
        params: {value: money, days: integer}
        value: value * days + base
        title: {da: "værdi pr. dag", en: "value per day"}
    amount: per_day(late_value, doc_deadline.late_working_days) + sum([per_day(1 DKK, d) for d in [1, 2]])
'''
CASE = {"case": "F-1", "as_of": "2021-04-20", "facts": {"late_value": 900},
        "events": [{"type": "demanded", "date": "2021-03-31"}, {"type": "delivered", "date": "2021-04-14"}]}


def spec(write: Callable[..., Path], rule: str = RULE) -> Path:
    return write(variant(mini_text(), "tests:\n", rule + "tests:\n"))


def test_a_local_function_is_called_with_its_arguments(write: Callable[..., Path]) -> None:
    contract = load_contract(spec(write))
    assert "fn.per_day" in contract.rule("fn_penalty").exprs
    assert "per_day" not in contract.rule("fn_penalty").lets  # it has no value of its own
    for trace in (False, True):
        result = evaluate_case(contract, CASE, trace=trace)
        [amount] = [a for a in result.penalties if a.rule.id == "fn_penalty"]
        # 2 working days late: 900 × 2 + 100 = 1900; then (1 × 1 + 100) + (1 × 2 + 100) = 203
        assert amount.amount == Decimal("2103.00")


@pytest.mark.parametrize(("lang", "lines"), [
    ("da", ["værdi pr. dag (900,00 kr., 2): 900,00 kr. × 2 + 100,00 kr. = 1.900,00 kr.",
            "værdi pr. dag (1,00 kr., 1): 1,00 kr. × 1 + 100,00 kr. = 101,00 kr.",
            "værdi pr. dag (1,00 kr., 2): 1,00 kr. × 2 + 100,00 kr. = 102,00 kr."]),
    ("en", ["value per day (DKK 900.00, 2): DKK 900.00 × 2 + DKK 100.00 = DKK 1,900.00"]),
])
def test_the_explanation_shows_every_call(write: Callable[..., Path], lang: str, lines: list[str]) -> None:
    contract = load_contract(spec(write))
    text = render_text(evaluate_case(contract, CASE, lang=lang), "fn_penalty")
    for line in lines:
        assert line in text, text


@pytest.mark.parametrize(("change", "code", "said"), [
    ("params: {value: money, days: integer}", "E100", "params: {value: money, days: whole}"),  # the schema's
    ("per_day(late_value, doc_deadline.late_working_days)", "E205", "per_day(late_value)"),
    ("per_day(late_value, doc_deadline.late_working_days)", "E202", "per_day(late_value, 2021-01-01)"),
    ("per_day(late_value, doc_deadline.late_working_days)", "E202", "per_day"),
    ("params: {value: money, days: integer}", "E122", "params: {late_value: money, days: integer}"),
    ("      per_day:\n", "E122", "      max:\n"),
])
def test_a_wrong_local_function_is_a_load_error(write: Callable[..., Path], change: str, code: str,
                                                said: str) -> None:
    rule = RULE.replace(change, said)
    if said == "      max:\n":
        rule = rule.replace("per_day(", "max(")
    with pytest.raises(SpecError) as info:
        load_contract(spec(write, rule))
    codes = {d.code for d in info.value.diagnostics}
    assert code in codes, [str(d) for d in info.value.diagnostics]
    assert all(d.hint and d.span for d in info.value.diagnostics if d.code == code)


def test_a_local_function_sees_only_what_comes_before_it(write: Callable[..., Path]) -> None:
    """Its body reads its parameters and the names before it; not itself (no recursion) nor a later name."""
    rule = RULE.replace("value: value * days + base", "value: per_day(value, days - 1)")
    with pytest.raises(SpecError) as info:
        load_contract(spec(write, rule))
    assert "E204" in {d.code for d in info.value.diagnostics}  # unknown function: it is not defined yet


OFFERING = '''offering_attributes:
  hours_min: {type: decimal, title: {da: Min, en: Min}}
offerings:
  A:
    title: {da: A, en: A}
    source: {doc: k, section: "pkt. 1", quote: "A"}
    attributes: {hours_min: 5}
'''
CALLED_CONDITION = '''  - id: fn_check
    kind: check
    title: {da: Timer, en: Hours}
    source: {doc: k, section: "pkt. 9", quote: "timer"}
    let:
      enough:
        params: {h: decimal}
        value: weekly_hours >= h
    applies_when: enough(offering.hours_min)
    assert: weekly_hours <= 40
    message: {da: "for mange", en: "too many"}
'''


def test_a_condition_that_calls_a_local_function_is_not_decided_by_the_offering(write: Callable[..., Path]) -> None:
    """The call shows only `offering.hours_min`, but the body reads a fact: the plan must not decide the condition
    once per offering (it would be false there, with no facts), or untraced runs would drop the rule."""
    text = variant(mini_text(), "tests:\n", CALLED_CONDITION + "tests:\n")
    fact = "    late_value: {type: money, title: Værdi, min: 0}\n"
    text = variant(text, fact, fact + "    weekly_hours: {type: decimal, title: Timer}\n")
    contract = load_contract(write(variant(text, "parameters:\n", OFFERING + "parameters:\n")))
    assert "applies.static" not in contract.rule("fn_check").exprs
    case = {"case": "S", "as_of": "2021-04-20", "offering": "A", "facts": {"weekly_hours": 50}, "events": []}
    for trace in (True, False):
        found = [f.message for f in evaluate_case(contract, case, trace=trace).findings
                 if f.rule is not None and f.rule.id == "fn_check"]
        assert found == ["for mange"], trace


def test_a_let_may_share_a_built_in_functions_name_but_a_local_function_may_not(write: Callable[..., Path]) -> None:
    plain = RULE.replace("      base: 100 DKK\n", "      year: 100 DKK\n").replace("+ base", "+ year")
    assert load_contract(spec(write, plain)).rule("fn_penalty") is not None  # a name is read, never called
    with pytest.raises(SpecError) as info:
        load_contract(spec(write, RULE.replace("per_day", "year")))
    assert "E122" in {d.code for d in info.value.diagnostics}
