"""A rule's own `explain:` sentence: its placeholders are filled from the outcome of the instance it
explains (and from the obligation instance it remedies), in Danish and English."""

from __future__ import annotations

from pathlib import Path

from rulekit import evaluate_case, load_contract
from rulekit.explain.text import render_text

SPEC = Path(__file__).resolve().parents[1] / "data" / "instances.yaml"
CASE = {"case": "K-3", "contract": "instances", "as_of": "2021-04-26", "facts": {"late_value": 24000},
        "events": [{"type": "documentation_requested", "date": "2021-03-31", "id": "D1"},
                   {"type": "documentation_requested", "date": "2021-04-06", "id": "D2"},
                   {"type": "documentation_delivered", "date": "2021-04-09", "ref": "D1"},
                   {"type": "documentation_delivered", "date": "2021-04-15", "ref": "D2"}]}


def test_authored_sentence_in_danish_and_english() -> None:
    contract = load_contract(SPEC)
    da = render_text(evaluate_case(contract, CASE, lang="da"), "daily_penalty")
    assert "Påkrav D2 blev besvaret 2 arbejdsdage for sent; bod 6.000,00 kr." in da
    en = render_text(evaluate_case(contract, CASE, lang="en"), "daily_penalty")
    assert "Demand D2 was answered 2 working days late; penalty DKK 6,000.00" in en


def test_rules_without_a_sentence_have_none() -> None:
    contract = load_contract(SPEC)
    text = render_text(evaluate_case(contract, CASE), "documentation_on_demand")
    assert "{" not in text
