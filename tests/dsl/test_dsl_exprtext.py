"""The explanation's rendering of an expression keeps the grouping of its brackets."""

from __future__ import annotations

import pytest

from rulekit.dsl import Scope, check, parse
from rulekit.explain.exprtext import substituted
from rulekit.format import Formatter


@pytest.mark.parametrize(("text", "shown"), [
    ("2 * (3 + 4)", "2 × (3 + 4)"),
    ("(2 + 3) * 4", "(2 + 3) × 4"),
    ("2 * 3 + 4", "2 × 3 + 4"),
    ("10 - (3 - 2)", "10 − (3 − 2)"),
    ("10 - 3 - 2", "10 − 3 − 2"),
    ("12 / (2 * 3)", "12 / (2 × 3)"),
    ("-(2 + 3)", "−(2 + 3)"),
    ("2 * (if true then 3 + 4 else 1)", "2 × (if true then 3 + 4 else 1)"),
])
def test_brackets_survive(text: str, shown: str) -> None:
    checked = check(text, parse(text), Scope())
    assert substituted(checked, {}, Formatter("en")) == shown
