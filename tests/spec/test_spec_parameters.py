"""Effective-dated parameters: the value in force on the rule's reference date is the one used."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from spec_support import RATE, mini_text, variant, where

from rulekit import evaluate_case, load_contract
from rulekit.explain.text import render_text

DATED = '''  rate:
    type: percent
    values:
      - {from: 2021-04-10, value: 20%, assumption: "allonge 1 (test)"}
      - {from: 2020-07-01, value: 10%, source: {doc: k, section: "pkt. 6.4", quote: "10 %"}}'''


def case(demanded: str, delivered: str, value: int = 48000) -> dict:  # type: ignore[type-arg]
    return {"case": "c", "as_of": "2021-12-01", "facts": {"late_value": value},
            "events": [{"type": "demanded", "date": demanded}, {"type": "delivered", "date": delivered}]}


@pytest.fixture
def dated(write):  # type: ignore[no-untyped-def]
    return load_contract(write(variant(mini_text(), RATE, DATED)))


def test_values_are_sorted_by_start_and_resolved_by_date(dated) -> None:  # type: ignore[no-untyped-def]
    param = dated.parameters["rate"]
    assert [v.start for v in param.values] == [dt.date(2020, 7, 1), dt.date(2021, 4, 10)]
    assert param.at(dt.date(2021, 4, 9)).value == Decimal("0.10")
    assert param.at(dt.date(2021, 4, 10)).value == Decimal("0.20")
    assert param.at(dt.date(2030, 1, 1)).value == Decimal("0.20")
    # before every start: the earliest value
    assert param.at(dt.date(2019, 1, 1)).value == Decimal("0.10")
    assert param.at(dt.date(2021, 4, 10)).assumption == "allonge 1 (test)"
    assert param.at(dt.date(2021, 1, 1)).source is not None


def test_penalty_uses_the_value_in_force_on_the_due_date(dated) -> None:  # type: ignore[no-untyped-def]
    # due 2021-03-08 (before the allonge): 10 % of 48,000 = 4,800 per working day, 2 days late
    before = evaluate_case(dated, case("2021-03-01", "2021-03-10")).to_json()
    assert before["obligations"][0]["due"] == "2021-03-08"
    assert before["penalties"][0]["amount"] == "9600.00"
    # due 2021-04-12 (after): 20 % of 48,000 = 9,600 per working day, 2 days late
    after = evaluate_case(dated, case("2021-03-31", "2021-04-14")).to_json()
    assert after["obligations"][0]["due"] == "2021-04-12"
    assert after["penalties"][0]["amount"] == "19200.00"


def test_as_of_does_not_choose_the_value(dated) -> None:  # type: ignore[no-untyped-def]
    """The due date, not the evaluation date, decides: a late evaluation does not apply the allonge."""
    early = case("2021-03-01", "2021-03-10")
    assert evaluate_case(dated, early, as_of=dt.date(2025, 1, 1)).to_json()["penalties"][0]["amount"] == "9600.00"


def test_explanation_says_which_value_and_since_when(dated) -> None:  # type: ignore[no-untyped-def]
    text = render_text(evaluate_case(dated, case("2021-03-31", "2021-04-14")))
    assert "parameter «rate» = 20 % (gældende fra 10.04.2021)" in text
    assert "allonge 1 (test)" in text
    en = render_text(evaluate_case(dated, case("2021-03-31", "2021-04-14"), lang="en"))
    assert "parameter «rate» = 20% (in force from 10 April 2021)" in en


def test_a_single_value_parameter_shows_no_date(write) -> None:  # type: ignore[no-untyped-def]
    contract = load_contract(write(mini_text()))
    text = render_text(evaluate_case(contract, case("2021-03-31", "2021-04-14")))
    assert "parameter «rate» = 10 %" in text
    assert "gældende fra" not in text


def test_values_row_needs_from(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), RATE, DATED.replace("{from: 2021-04-10, ", "{"))
    err = spec_error(text)
    assert any(d.code == "E100" and "from" in d.message for d in err.diagnostics)


def test_dated_value_of_the_wrong_type_points_at_the_row(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), RATE, DATED.replace("value: 20%", "value: 20 DKK"))
    d = next(d for d in spec_error(text).diagnostics if d.code == "E202")
    assert (d.span.line, d.span.col) == where(text, "20 DKK")


def test_value_and_values_with_a_source_are_refused(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), RATE, DATED + '\n    value: 10%\n    source: {doc: k, section: "1", quote: "q"}')
    assert any(d.code == "E100" for d in spec_error(text).diagnostics)


def test_value_and_values_together_are_refused(spec_error) -> None:  # type: ignore[no-untyped-def]
    text = variant(mini_text(), RATE, DATED + "\n    value: 10%")
    assert any(d.code == "E100" for d in spec_error(text).diagnostics)


REFERENCE = "    applies_when: doc_deadline.breached\n"


def test_reference_date_on_the_rule_chooses_the_value(write) -> None:  # type: ignore[no-untyped-def]
    text = variant(variant(mini_text(), RATE, DATED), REFERENCE, REFERENCE + "    reference_date: 2021-01-01\n")
    contract = load_contract(write(text))
    result = evaluate_case(contract, case("2021-03-31", "2021-04-14")).to_json()
    assert result["penalties"][0]["amount"] == "9600.00"  # 10 % in force on 2021-01-01
