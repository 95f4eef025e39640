"""Support for runtime tests: the fixture specs and small helpers to build cases and read results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rulekit.runtime import CaseResult

TESTS = Path(__file__).resolve().parents[1]
FIXTURES = TESTS / "fixtures"
MINI = TESTS / "data" / "mini.yaml"


def mini_with(tmp_path: Path, rules: str, name: str) -> Path:
    """The mini spec with `rules` (YAML list items) put first among its rules, written to tmp_path/NAME.yaml with
    its import made absolute."""
    text = MINI.read_text(encoding="utf-8").replace(
        "imports: [../../rules/danish_calendars.yaml]",
        f"imports: [{(TESTS.parent / 'rules' / 'danish_calendars.yaml').as_posix()}]")
    path = tmp_path / f"{name}.yaml"
    path.write_text(text.replace("rules:\n", "rules:\n" + rules, 1), encoding="utf-8")
    return path


def case(events: list[tuple[str, str] | dict[str, Any]] = (), *, as_of: str = "2021-12-31",  # type: ignore[assignment]
         facts: dict[str, Any] | None = None, offering: str | None = None, case_id: str = "T-1") -> dict[str, Any]:
    """A case mapping; events may be given as (type, date) pairs or as full mappings."""
    out: dict[str, Any] = {"case": case_id, "as_of": as_of, "facts": dict(facts or {}),
                           "events": [{"type": e[0], "date": e[1]} if isinstance(e, tuple) else e for e in events]}
    if offering is not None:
        out["offering"] = offering
    return out


def obligations(result: CaseResult) -> dict[str, dict[str, Any]]:
    """Obligation entries of a result's JSON by rule id (and instance, for repeating rules)."""
    out = {}
    for entry in result.to_json()["obligations"]:
        key = entry["rule"] + (f"@{entry['instance']}" if "instance" in entry else "")
        out[key] = entry
    return out


def amounts(result: CaseResult, section: str = "penalties") -> dict[str, dict[str, Any]]:
    return {entry["rule"]: entry for entry in result.to_json()[section]}


def findings(result: CaseResult, rule: str | None = None) -> list[dict[str, Any]]:
    return [f for f in result.to_json()["findings"] if rule is None or f["rule"] == rule]


def spec_header(spec_id: str, start: str, end: str = "2023-12-31") -> str:
    """The top of a small test spec (one document `k`, Danish working days imported by absolute path, money to
    øre half up), for a test to add its parameters, inputs and rules to."""
    rules = (TESTS.parent / "rules").as_posix()
    return f"""rulekit: 1
id: {spec_id}
version: "1"
title: {{da: T, en: T}}
period: {{start: {start}, end: {end}}}
currency: DKK
documents:
  k: {{title: Kontrakt}}
imports: [{rules}/danish_calendars.yaml]
default_calendar: arbejdsdag
calendars:
  arbejdsdag:
    title: {{da: Arbejdsdag, en: Working day}}
    country: DK
    source: {{doc: k, section: "1", quote: "q"}}
rounding: {{money: {{places: 2, mode: half_up}}, assumption: "øre"}}
"""


# a payment per month for two months from the first `started` event, at the parameter `fee` (dated units)
MONTHLY_FEE = """  - id: monthly_fee
    kind: payment
    title: {da: Gebyr, en: Fee}
    source: {doc: k, section: "3", quote: "q"}
    applies_when: exists(first(started).date)
    per: month
    units: months(first(started).date, first(started).date + 2 months)
    rate: fee
"""
