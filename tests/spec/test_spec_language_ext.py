"""Local names, dated parameter reads, `each` over any list, interest, currencies and warnings in a spec."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from spec_support import mini_text, variant

from rulekit import evaluate_case, load_contract
from rulekit.errors import SpecError

PENALTY_RATE = "    rate: max(rate * (late_value ?? 0 DKK), minimum_per_day)\n"
RATE = '''  rate:
    type: percent
    value: 10%
    source: {doc: k, section: "pkt. 6.4", quote: "10 %"}'''
DATED = '''  rate:
    type: percent
    values:
      - {from: 2020-07-01, value: 8%, source: {doc: k, section: "pkt. 6.4", quote: "10 %"}}
      - {from: 2021-01-01, value: 10%, assumption: "allonge (test)"}'''
EXTRA_RULES = '''  - id: monthly
    kind: payment
    title: Månedlig
    source: {doc: k, section: "pkt. 7", quote: "pr. måned"}
    each: months(2021-01-15, 2021-03-02)
    let:
      month_end: end_of_month(item)
      days: month_end - item + 1
    amount: days * 10 DKK
  - id: yearly_interest
    kind: payment
    title: Rente
    source: {doc: k, section: "pkt. 8", quote: "rente"}
    let:
      old_rate: at(rate, 2020-12-31)
    amount: interest(1000 DKK, 2020-12-01, 2021-02-01, rate, "act/365") + old_rate * 0 DKK
'''


def contract_with_rules(write: Callable[..., Path], rules: str, params: str = DATED) -> Path:
    text = variant(mini_text(), RATE, params)
    return write(variant(text, "tests:\n", rules + "tests:\n"))


def test_lets_each_over_months_and_interest(write: Callable[..., Path]) -> None:
    contract = load_contract(contract_with_rules(write, EXTRA_RULES))
    result = evaluate_case(contract, {"case": "c", "as_of": "2021-12-01"})
    monthly = [p for p in result.penalties + result.payments if p.rule.id == "monthly"]
    assert [p.amount for p in monthly] == [Decimal("310.00"), Decimal("280.00"), Decimal("310.00")]
    assert [p.instance for p in monthly] == ["2021-01-01", "2021-02-01", "2021-03-01"]
    (interest,) = [p for p in result.payments if p.rule.id == "yearly_interest"]
    # 31 days at 8 % and 31 days at 10 % of 1000 DKK, act/365: 6.7945… + 8.4931… = 15.2876… → 15.29
    assert interest.amount == Decimal("15.29")


def test_a_let_cannot_shadow_a_name(write: Callable[..., Path]) -> None:
    rules = EXTRA_RULES.replace("month_end: end_of_month(item)", "rate: end_of_month(item)")
    with pytest.raises(SpecError) as info:
        load_contract(contract_with_rules(write, rules))
    codes = {d.code for d in info.value.diagnostics}
    assert "E122" in codes
    assert all(d.hint and d.span for d in info.value.diagnostics)


def test_self_comparison_is_a_warning(write: Callable[..., Path]) -> None:
    rules = '''  - id: odd
    kind: check
    title: Underlig
    source: {doc: k, section: "pkt. 9", quote: "x"}
    assert: count(demanded where exists(delivered where it.date == it.date)) >= 0
'''
    contract = load_contract(contract_with_rules(write, rules))
    (warning,) = [w for w in contract.warnings if w.code == "W201"]
    assert warning.severity == "warning" and warning.hint and warning.span


def test_currency_of_the_contract(write: Callable[..., Path]) -> None:
    text = variant(mini_text(), "currency: DKK", "currency: EUR")
    with pytest.raises(SpecError) as info:
        load_contract(write(text))
    message = " ".join(d.message for d in info.value.diagnostics)
    assert "DKK" in message and "EUR" in message
    eur = text.replace("3000 DKK", "3000 EUR").replace("0 DKK", "0 EUR")
    contract = load_contract(write(eur))
    assert contract.currency == "EUR"
    bad = variant(mini_text(), "currency: DKK", "currency: EUX")
    with pytest.raises(SpecError) as info:
        load_contract(write(bad))
    (diag,) = info.value.diagnostics
    assert diag.code == "E119" and diag.hint and "EUR" in diag.hint


def test_contract_period_is_optional(write: Callable[..., Path]) -> None:
    text = variant(mini_text(), "period: {start: 2020-07-01, end: 2023-06-30}\n", "")
    contract = load_contract(write(text))
    assert contract.start == dt.date.min
    rules = '''  - id: after_start
    kind: check
    title: Start
    source: {doc: k, section: "pkt. 9", quote: "x"}
    assert: as_of >= contract.start
'''
    with pytest.raises(SpecError) as info:
        load_contract(write(variant(text, "tests:\n", rules + "tests:\n")))
    (diag,) = info.value.diagnostics
    assert "no agreement period" in diag.message and diag.hint
