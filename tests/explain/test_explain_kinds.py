"""Golden Danish and English explanations of one rule of every kind in every shipped contract.

The case is the first of the contract's own embedded tests in which a rule of that kind has an outcome worth
explaining (a breach, an amount, a finding, a value), so the goldens follow the specs' own examples.
Regenerate with RULEKIT_UPDATE_GOLDEN=1 and review `git diff tests/golden`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from golden_support import check_golden

from rulekit import evaluate_case, load_contract
from rulekit.errors import RulekitError
from rulekit.explain.plain import CODE
from rulekit.explain.text import render_text
from rulekit.runtime import CaseResult, read_case
from rulekit.spec.model import Contract

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ("hedensted", "kobenhavn", "rudersdal")
KINDS = ("deadline", "recurring", "penalty", "payment", "check", "value", "judgement")


@cache
def contract(name: str) -> Contract:
    return load_contract(ROOT / "contracts" / f"{name}.yaml")


def _reached(result: CaseResult, rule: str) -> bool:
    for node in result.trace:
        if node.rule != rule:
            continue
        out = node.outcome
        if node.kind in ("penalty", "payment"):
            return bool(out.get("applied")) and out.get("amount") not in (None, 0)
        if node.kind == "value":
            return out.get("value") not in (None, False, 0)
        if node.kind == "check":
            return any(s.key == "finding" for s in node.steps)
        return out.get("status") not in (None, "not_applicable")
    return False


@cache
def example(name: str, kind: str, lang: str) -> tuple[str, CaseResult] | None:
    """The first rule of `kind` with an outcome in one of the contract's embedded case tests."""
    spec = contract(name)
    rules = [r.id for r in spec.rules if r.kind == kind]
    for test in spec.tests:
        if test.case is None:
            continue
        data = {"case": test.id, "contract": spec.id, **test.case}
        try:
            result = evaluate_case(spec, read_case(data, spec), assume=test.assume, trace=True, lang=lang)
        except RulekitError:
            continue
        for rule in rules:
            if _reached(result, rule):
                return rule, result
    return None


CASES = [(c, k) for c in CONTRACTS for k in KINDS if any(r.kind == k for r in contract(c).rules)]


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize(("name", "kind"), CASES)
def test_rule_of_every_kind(name: str, kind: str, lang: str) -> None:
    found = example(name, kind, lang)
    if found is None:
        pytest.skip(f"no embedded test of {name} gives a {kind} rule an outcome")
    rule, result = found
    text = render_text(result, rule)
    check_golden(f"explain_{name}_{kind}_{lang}.txt", f"# {rule} in test '{result.case}'\n{text}")
    assert CODE.search(text) is None, f"code in the explanation: {CODE.search(text)}"
