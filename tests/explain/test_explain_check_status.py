"""A check's line in an explanation says what happened to it: met, fails, does not apply (its condition is
false), or not checked (what it needs is missing). The last two give other rules `holds: true`, but the
explanation must not call them met."""

from __future__ import annotations

from pathlib import Path

import pytest

from rulekit import evaluate_case, load_contract
from rulekit.explain import render_text

ROOT = Path(__file__).parent.parent.parent
CHECKS = """\
  - id: value_checked
    kind: check
    title: {da: Værdien er højst 1000 kr., en: The value is at most DKK 1000}
    source: {doc: k, section: "pkt. 7", quote: "højst"}
    assert: late_value <= 1000 DKK
    message: {da: "For høj", en: "Too high"}
  - id: only_when_demanded
    kind: check
    title: {da: Kun ved påkrav, en: Only on a demand}
    source: {doc: k, section: "pkt. 7", quote: "påkrav"}
    applies_when: exists(demanded)
    assert: late_value <= 1000 DKK
    message: {da: "For høj", en: "Too high"}
  - id: only_when_valued
    kind: check
    title: {da: Kun med værdi, en: Only with a value}
    source: {doc: k, section: "pkt. 7", quote: "værdi"}
    let:
      value: late_value
    applies_when: exists(value)
    assert: value <= 1000 DKK
    message: {da: "For høj", en: "Too high"}
"""


@pytest.fixture
def contract(tmp_path: Path):  # type: ignore[no-untyped-def]
    text = (ROOT / "tests" / "data" / "mini.yaml").read_text(encoding="utf-8").replace(
        "imports: [../../rules/danish_calendars.yaml]",
        f"imports: [{(ROOT / 'rules' / 'danish_calendars.yaml').as_posix()}]")
    path = tmp_path / "checks.yaml"
    path.write_text(text.replace("rules:\n", "rules:\n" + CHECKS, 1), encoding="utf-8")
    return load_contract(path)


def first_line(contract, rule: str, facts: dict, events: list, lang: str) -> str:  # type: ignore[no-untyped-def]
    result = evaluate_case(contract, {"case": "C-1", "as_of": "2021-04-20", "facts": facts, "events": events},
                           lang=lang)
    return render_text(result, rule).splitlines()[0]


@pytest.mark.parametrize(("lang", "met", "fails", "off", "unchecked"), [
    ("en", "— met", "— fails", "— not applicable", "— not checked (information missing)"),
    ("da", "— overholdt", "— ikke opfyldt", "— ikke relevant", "— ikke kontrolleret (oplysninger mangler)"),
])
def test_a_check_says_whether_it_was_checked(contract, lang: str, met: str, fails: str, off: str,  # type: ignore[no-untyped-def]
                                            unchecked: str) -> None:
    demand = [{"type": "demanded", "date": "2021-03-31"}]
    assert met in first_line(contract, "value_checked", {"late_value": 900}, [], lang)
    assert fails in first_line(contract, "value_checked", {"late_value": 1900}, [], lang)
    # the requirement needs a fact the case does not give
    assert unchecked in first_line(contract, "value_checked", {}, [], lang)
    # the condition is false by what the case holds: the check does not apply
    assert off in first_line(contract, "only_when_demanded", {"late_value": 1900}, [], lang)
    assert met in first_line(contract, "only_when_demanded", {"late_value": 900}, demand, lang)
    # the condition is false because what it asks about is missing: not checked, and the line beneath says what
    line = first_line(contract, "only_when_valued", {}, [], lang)
    assert unchecked in line and met not in line
    result = evaluate_case(contract, {"case": "C-1", "as_of": "2021-04-20", "facts": {}, "events": []}, lang=lang)
    assert result.outputs["only_when_valued"]["holds"] is True  # what other rules read is unchanged


def test_a_missing_local_name_the_condition_does_not_read_does_not_make_it_unchecked(tmp_path: Path) -> None:
    """The condition was evaluated and is false; a local name shown beside it is missing: 'not applicable'."""
    rule = """\
  - id: delivery_checked
    kind: check
    title: {da: Levering, en: Delivery}
    source: {doc: k, section: "pkt. 9", quote: "lev"}
    let:
      delivered_on: first(delivered).date
    applies_when: late_value > 1000 DKK
    assert: delivered_on <= 2021-05-01
    message: {da: "for sent", en: "too late"}
"""
    text = (ROOT / "tests" / "data" / "mini.yaml").read_text(encoding="utf-8").replace(
        "imports: [../../rules/danish_calendars.yaml]",
        f"imports: [{(ROOT / 'rules' / 'danish_calendars.yaml').as_posix()}]")
    path = tmp_path / "unrelated.yaml"
    path.write_text(text.replace("rules:\n", "rules:\n" + rule, 1), encoding="utf-8")
    line = first_line(load_contract(path), "delivery_checked", {"late_value": 5}, [], "en")
    assert "— not applicable" in line, line
