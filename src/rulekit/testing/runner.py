"""Embedded spec tests: evaluate each test case and compare the fields its `expect` names."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import RulekitError
from ..runtime import CaseResult, PortfolioResult, evaluate_case, evaluate_portfolio, read_case
from ..spec.model import Contract, SpecTest

_SECTIONS = ("obligations", "penalties", "payments", "findings", "values")


@dataclass
class TestOutcome:
    test: SpecTest
    failures: list[str] = field(default_factory=list)
    result: CaseResult | PortfolioResult | None = None
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass
class Coverage:
    """Which rules the tests reach (evaluated to something) and which they assert on."""

    rules: list[str]
    touched: set[str]
    asserted: set[str]

    @property
    def untouched(self) -> list[str]:
        return [r for r in self.rules if r not in self.touched]

    @property
    def unasserted(self) -> list[str]:
        return [r for r in self.rules if r in self.touched and r not in self.asserted]


def run_tests(contract: Contract) -> list[TestOutcome]:
    return [run_test(contract, test) for test in contract.tests]


def run_test(contract: Contract, test: SpecTest) -> TestOutcome:
    outcome = TestOutcome(test)
    started = time.perf_counter()
    expected_error = test.expect.get("error")
    try:
        result = _evaluate(contract, test)
    except RulekitError as exc:
        codes = [d.code for d in exc.diagnostics]
        if expected_error is None or expected_error not in codes:
            outcome.failures.append(f"evaluation failed: {exc.diagnostics[0].render()}")
        outcome.seconds = time.perf_counter() - started
        return outcome
    outcome.result = result
    if expected_error is not None:
        outcome.failures.append(f"expected error {expected_error}, but the case evaluated")
    outcome.failures.extend(compare(result.to_json(), test.expect))
    outcome.seconds = time.perf_counter() - started
    return outcome


def _evaluate(contract: Contract, test: SpecTest) -> CaseResult | PortfolioResult:
    if test.portfolio is not None:
        data = {"portfolio": test.id, "contract": contract.id, **test.portfolio}
        return evaluate_portfolio(contract, data, assume=test.assume, trace=True, lang=test.lang)
    case = {"case": test.id, "contract": contract.id, **(test.case or {})}
    return evaluate_case(contract, read_case(case, contract), assume=test.assume, trace=True, lang=test.lang)


def compare(actual: dict[str, Any], expect: dict[str, Any]) -> list[str]:
    failures: list[str] = []
    for section in ("settlement", "statistics"):
        if section in expect:
            failures.extend(subset(actual.get(section), expect[section], section))
    for section in _SECTIONS:
        for key, wanted in (expect.get(section) or {}).items():
            rule, selector = split_key(str(key))
            entries = [e for e in actual.get(section, ()) if e["rule"] == rule]
            if section == "obligations":
                entries = [e for e in entries if e["status"] != "not_applicable"] or entries
            if isinstance(wanted, dict) and "instance" in wanted and selector is None:
                selector = str(wanted["instance"])
            chosen, problem = pick_instance(entries, selector)
            if problem is not None and wanted is None:  # nothing expected: of the rule, or of one instance
                chosen, problem = (entries if selector is None else []), None
            if problem is not None:
                failures.append(f"{section}.{key}: {problem}")
                continue
            failures.extend(_compare_entries(section, str(key), chosen, wanted))
    for key, wanted in (expect.get("totals") or {}).items():
        if not same(actual["totals"].get(key), wanted):
            failures.append(f"totals.{key}: expected {_show(wanted)}, got {_show(actual['totals'].get(key))}")
    return failures


def _compare_entries(section: str, rule: str, entries: list[dict[str, Any]], wanted: Any) -> list[str]:
    live = [e for e in entries if e.get("status") != "not_applicable"]
    if wanted is None:
        return [f"{section}.{rule}: expected nothing, got {_brief(live[0])}"] if live else []
    if not entries:
        return [f"{section}.{rule}: expected an entry, got none"]
    entry = entries[0]
    out = []
    for key, value in (wanted or {}).items():
        if key == "instance":
            continue
        if key == "message_contains":
            if str(value) not in str(entry.get("message", "")):
                out.append(f"{section}.{rule}.message: expected it to contain {value!r}, got {entry.get('message')!r}")
            continue
        if not same(entry.get(key), value):
            out.append(f"{section}.{rule}.{key}: expected {_show(value)}, got {_show(entry.get(key))}")
    return out


def split_key(key: str) -> tuple[str, str | None]:
    """`rule[instance]` → (rule, instance); a plain `rule` → (rule, None)."""
    if key.endswith("]") and "[" in key:
        rule, _, rest = key.partition("[")
        return rule, rest[:-1]
    return key, None


def pick_instance(entries: list[dict[str, Any]], selector: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """The entries of one instance: named by its label (the trigger's id, its period, or 'N: date'), by a
    label's beginning, or by its number N in order. Without a selector the rule must have one instance."""
    labels = list(dict.fromkeys(str(e["instance"]) for e in entries if e.get("instance")))
    if selector is None:
        if len(labels) > 1:
            return entries, (f"the rule has {len(labels)} instances; name one as rule[instance]: "
                             + ", ".join(labels[:12]) + (" …" if len(labels) > 12 else ""))
        return entries, None
    chosen = [e for e in entries if str(e.get("instance")) == selector]
    if not chosen:
        chosen = [e for e in entries if str(e.get("instance", "")).startswith(selector + ":")]
    if not chosen and selector.isdigit() and 0 < int(selector) <= len(labels):
        chosen = [e for e in entries if str(e.get("instance")) == labels[int(selector) - 1]]
    if not chosen:
        chosen = [e for e in entries if str(e.get("instance", "")).startswith(selector)]
        matched = sorted({str(e.get("instance")) for e in chosen})
        if len(matched) > 1:
            return [], f"'{selector}' names {len(matched)} instances: {', '.join(matched[:12])}; name one"
    if not chosen:
        return [], f"no instance '{selector}' (instances: {', '.join(labels) or 'none'})"
    return chosen, None


def subset(actual: Any, wanted: Any, where: str) -> list[str]:
    """Every field `wanted` names must match; lists of periods are matched by their `period` label."""
    if isinstance(wanted, dict):
        if isinstance(actual, list):
            actual = {str(row.get("period")): row for row in actual if isinstance(row, dict)}
        if not isinstance(actual, dict):
            return [f"{where}: expected a mapping, got {_show(actual)}"]
        out = []
        for key, value in wanted.items():
            if key not in actual:
                out.append(f"{where}.{key}: missing (have: {', '.join(map(str, list(actual)[:10]))})")
            else:
                out.extend(subset(actual[key], value, f"{where}.{key}"))
        return out
    return [] if same(actual, wanted) else [f"{where}: expected {_show(wanted)}, got {_show(actual)}"]


def same(actual: Any, wanted: Any) -> bool:
    """Compare a result value with an expected one written in YAML (dates, numbers, text)."""
    if isinstance(wanted, dt.date):
        wanted = wanted.isoformat()
    if isinstance(wanted, bool) or isinstance(actual, bool):
        return actual is wanted
    if wanted is None:
        return actual is None
    try:
        return Decimal(str(actual)) == Decimal(str(wanted))
    except (InvalidOperation, ValueError):
        return str(actual) == str(wanted)


def _show(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else repr(value)


def _brief(entry: dict[str, Any]) -> str:
    keys = ("status", "amount", "severity", "message")
    return "{" + ", ".join(f"{k}: {entry[k]}" for k in keys if k in entry) + "}"


def coverage(contract: Contract, outcomes: list[TestOutcome]) -> Coverage:
    touched: set[str] = set()
    asserted: set[str] = set()
    for outcome in outcomes:
        for section in _SECTIONS:
            asserted.update(split_key(str(k))[0] for k in (outcome.test.expect.get(section) or {}))
        asserted.update(outcome.test.covers)
        result = outcome.result
        cases = ([*result.results, *([result.duties] if result.duties else [])] if isinstance(result, PortfolioResult)
                 else [result] if result else [])
        for case in cases:
            for node in case.trace:
                if _reached(node.kind, node.outcome, [s.key for s in node.steps]):
                    touched.add(node.rule)
    return Coverage([r.id for r in (*contract.rules, *contract.portfolio.rules)], touched, asserted)


def _reached(kind: str, outcome: dict[str, Any], steps: list[str]) -> bool:
    if "not_applicable" in steps or "not_triggered" in steps:
        return False
    if kind == "value":
        return outcome.get("value") is not None
    if kind in ("penalty", "payment"):
        return bool(outcome.get("applied"))
    if kind == "check":
        return "formula" in steps
    return outcome.get("status") != "not_applicable"
