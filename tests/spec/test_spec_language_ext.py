"""Local names, dated parameter reads, `each` over any list, interest, currencies and warnings in a spec."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from spec_support import RATE, mini_text, variant

from rulekit import evaluate_case, load_contract
from rulekit.errors import SpecError

PENALTY_RATE = "    rate: max(rate * (late_value ?? 0 DKK), minimum_per_day)\n"
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


def test_service_hours_need_working_hours(write: Callable[..., Path]) -> None:
    rules = '''  - id: respond
    kind: check
    title: Svar
    source: {doc: k, section: "pkt. 9", quote: "x"}
    assert: 2024-03-01T08:00Z + 4 service_hours > 2024-03-01T09:00Z
'''
    with pytest.raises(SpecError) as info:
        load_contract(contract_with_rules(write, rules))
    (diag,) = info.value.diagnostics
    assert diag.code == "E211" and diag.hint and "working_hours" in diag.hint and diag.span
    hours = variant(variant(mini_text(), RATE, DATED), "    country: DK\n    closed:",
                    '    country: DK\n    working_hours: {from: "08:00", to: "16:00"}\n    closed:')
    contract = load_contract(write(variant(hours, "tests:\n", rules + "tests:\n")))
    assert contract.calendar.working_hours is not None


def test_bad_working_hours_and_time_zone(write: Callable[..., Path]) -> None:
    text = variant(mini_text(), "    country: DK\n    closed:",
                   '    country: DK\n    working_hours: {from: "16:00", to: "08:00"}\n    timezone: Europe/Aarhus\n'
                   '    closed:')
    with pytest.raises(SpecError) as info:
        load_contract(write(text))
    messages = sorted(d.message for d in info.value.diagnostics)
    assert any("open before they close" in m for m in messages)
    assert any("unknown time zone 'Europe/Aarhus'" in m for m in messages)
    assert all(d.hint and d.span for d in info.value.diagnostics)


def test_at_needs_a_parameter_and_interest_a_known_day_count(write: Callable[..., Path]) -> None:
    rules = '''  - id: wrong
    kind: payment
    title: Forkert
    source: {doc: k, section: "pkt. 9", quote: "x"}
    amount: at(late_value, as_of) + interest(100 DKK, as_of, as_of, rate, "act/366")
'''
    with pytest.raises(SpecError) as info:
        load_contract(contract_with_rules(write, rules))
    (diag,) = info.value.diagnostics
    assert "at() reads a parameter" in diag.message and diag.hint
    fixed = rules.replace("at(late_value, as_of)", "at(minimum_per_day, as_of)")
    with pytest.raises(SpecError) as info:
        load_contract(contract_with_rules(write, fixed))
    (diag,) = info.value.diagnostics
    assert "act/365" in diag.message and diag.hint


def test_explanations_name_what_was_counted(write: Callable[..., Path]) -> None:
    from rulekit.explain.text import render_text

    contract = load_contract(contract_with_rules(write, EXTRA_RULES))
    text = render_text(evaluate_case(contract, {"case": "c", "as_of": "2021-12-01"}, lang="en"))
    assert "DKK 15.29 (1 December 2020–1 January 2021: 8%, 1 January 2021–1 February 2021: 10%)" in text
    clause = Path(__file__).resolve().parents[2] / "examples" / "clauses" / "support_sla.yaml"
    case = {"case": "x", "as_of": "2025-03-31", "facts": {"monthly_fee": 40000},
            "events": [{"type": "incident", "date": "2025-03-03", "id": "I4", "priority": 1,
                        "reported_at": "2025-03-03T13:00+01:00", "answered_at": "2025-03-04T15:30+01:00"}]}
    text = render_text(evaluate_case(load_contract(clause), case, lang="en"))
    assert "10 service hours 30 min (Mon 3 March 2025: 3 service hours, Tue 4 March 2025: 7 service hours 30 min)" \
        in text


def test_case_schema_of_instants_and_time_spans() -> None:
    import jsonschema

    from rulekit.spec.caseschema import case_schema

    clause = Path(__file__).resolve().parents[2] / "examples" / "clauses" / "support_sla.yaml"
    schema = case_schema(load_contract(clause))
    good = {"case": "x", "contract": "support_sla", "as_of": "2025-03-31", "facts": {"monthly_fee": 1},
            "events": [{"type": "incident", "date": "2025-03-03", "priority": 1,
                        "reported_at": "2025-03-03T13:00+01:00", "answered_at": "2025-03-04T15:30Z"}]}
    jsonschema.validate(good, schema)
    bad = {**good, "events": [{**good["events"][0], "reported_at": "2025-03-03T13:00"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_lets_in_a_repeating_deadline(write: Callable[..., Path]) -> None:
    rules = '''  - id: yearly_report
    kind: deadline
    title: Årsrapport
    source: {doc: k, section: "pkt. 9", quote: "x"}
    repeat: {start: 2021-01-01, every: 12 months, until: 2022-12-31}
    let:
      year_end: end_of_month(period_start + 11 months)
    due: year_end + 1 month
    fulfilled: first(delivered where it.date > year_end).date
'''
    contract = load_contract(contract_with_rules(write, rules))
    result = evaluate_case(contract, {"case": "c", "as_of": "2023-06-01",
                                      "events": [{"type": "delivered", "date": "2022-01-20"}]})
    dues = [o for o in result.obligations if o.rule.id == "yearly_report"]
    assert [str(o.status) for o in dues][:1] == ["met"]
    wrong = rules.replace("start: 2021-01-01", "start: period_start")
    with pytest.raises(SpecError) as info:
        load_contract(contract_with_rules(write, wrong))
    assert any("period_start" in d.message for d in info.value.diagnostics)
