"""`a ?? b` with both sides missing names both: the amount's `missing`, the finding's message, a check's
"could not be checked" and the explanation's missing line — traced and untraced alike. Before, only `b` was
named, so a reader could not tell that giving `a` would do as well."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rulekit import evaluate_case, load_contract
from rulekit.explain import render_text
from rulekit.spec.model import Contract

ROOT = Path(__file__).parent.parent.parent
RULES = """\
  - id: valued_penalty
    kind: penalty
    title: {da: Bod af værdi, en: Penalty on a value}
    source: {doc: k, section: "pkt. 9", quote: "pr. dag"}
    remedies: doc_deadline
    applies_when: doc_deadline.breached
    amount: (late_value ?? order_value ?? hourly_price * 10) * rate
  - id: valued_check
    kind: check
    severity: warning
    title: {da: Værdi højst 1000 kr., en: Value at most DKK 1000}
    source: {doc: k, section: "pkt. 9", quote: "højst"}
    assert: (late_value ?? order_value) <= 1000 DKK
    message: {da: "For høj", en: "Too high"}
"""
LATE = [{"type": "demanded", "date": "2021-03-31"}, {"type": "delivered", "date": "2021-04-14"}]


@pytest.fixture(scope="module")
def contract(tmp_path_factory: pytest.TempPathFactory) -> Contract:
    text = (ROOT / "tests" / "data" / "mini.yaml").read_text(encoding="utf-8").replace(
        "imports: [../../rules/danish_calendars.yaml]",
        f"imports: [{(ROOT / 'rules' / 'danish_calendars.yaml').as_posix()}]")
    text = text.replace("    late_value: {type: money, title: Værdi, min: 0}\n",
                        "    late_value: {type: money, title: Værdi, min: 0}\n"
                        "    order_value: {type: money, title: Ordreværdi, min: 0}\n"
                        "    hourly_price: {type: money, title: Timepris, min: 0}\n")
    path = tmp_path_factory.mktemp("alt") / "alternatives.yaml"
    path.write_text(text.replace("rules:\n", "rules:\n" + RULES, 1), encoding="utf-8")
    return load_contract(path)


def evaluate(contract: Contract, facts: dict[str, Any], trace: bool, lang: str = "en") -> Any:
    return evaluate_case(contract, {"case": "A-1", "as_of": "2021-04-20", "facts": facts, "events": LATE},
                         trace=trace, lang=lang)


@pytest.mark.parametrize("trace", [True, False])
def test_an_amount_names_every_side_of_its_coalesce(contract: Contract, trace: bool) -> None:
    result = evaluate(contract, {}, trace)
    [amount] = [a for a in result.penalties if a.rule.id == "valued_penalty"]
    assert amount.amount is None
    assert list(amount.missing) == ["late_value", "order_value", "hourly_price"]
    messages = [f.message for f in result.findings if f.rule is not None and f.rule.id == "valued_penalty"]
    assert messages == ["the amount cannot be computed: none of 'late_value', 'order_value' and 'hourly_price' "
                        "is given"]
    # one side given: no alternatives, and an amount
    given = evaluate(contract, {"order_value": 2000}, trace)
    [amount] = [a for a in given.penalties if a.rule.id == "valued_penalty"]
    assert str(amount.amount) == "200.00" and not amount.missing


@pytest.mark.parametrize(("trace", "lang", "said"), [
    (True, "en", "could not be checked: neither 'late_value' nor 'order_value' is given"),
    (False, "da", "kunne ikke kontrolleres: hverken 'late_value' eller 'order_value' er oplyst")])
def test_a_check_names_every_side_of_its_coalesce(contract: Contract, trace: bool, lang: str, said: str) -> None:
    result = evaluate(contract, {}, trace, lang)
    assert [f.message for f in result.findings if f.rule is not None and f.rule.id == "valued_check"] == [said]


def test_the_explanation_says_either_would_do(contract: Contract) -> None:
    for lang, line in (("en", "missing: «Værdi» or «Ordreværdi» or «Timepris» (amount)"),
                       ("da", "mangler: «Værdi» eller «Ordreværdi» eller «Timepris» (beløb)")):
        text = render_text(evaluate(contract, {}, True, lang), "valued_penalty")
        assert line in text, text
