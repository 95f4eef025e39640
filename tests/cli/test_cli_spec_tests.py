"""`rulekit test`: embedded spec tests, exit codes, JUnit XML and the coverage report."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from cli_support import MINI, mini_text, rulekit

FAILING = mini_text().replace('penalties: {doc_penalty: {amount: "6000.00"}}',
                              'penalties: {doc_penalty: {amount: "7000.00"}}')
UNTOUCHED_RULE = """  - id: never_checked
    kind: check
    title: Aldrig
    source: {doc: k, section: "pkt. 9", quote: "aldrig"}
    applies_when: exists(late_value) and late_value > 1000000 DKK
    assert: late_value < 2000000 DKK
tests:
"""


@pytest.fixture
def failing_spec(tmp_path: Path) -> Path:
    assert mini_text() != FAILING
    path = tmp_path / "failing.yaml"
    path.write_text(FAILING, encoding="utf-8")
    return path


@pytest.fixture
def uncovered_spec(tmp_path: Path) -> Path:
    path = tmp_path / "uncovered.yaml"
    path.write_text(mini_text().replace("tests:\n", UNTOUCHED_RULE, 1), encoding="utf-8")
    return path


def test_passing_spec_tests(cli) -> None:  # type: ignore[no-untyped-def]
    run = cli("test", MINI)
    assert run.code == 0
    assert "mini: 1/1 tests passed; rules touched by tests 2/2" in run.out
    assert run.out.rstrip().endswith("1 passed, 0 failed")


def test_failing_spec_test_exits_1(cli, failing_spec: Path) -> None:  # type: ignore[no-untyped-def]
    run = cli("test", failing_spec)
    assert run.code == 1
    line = FAILING.splitlines().index("  - id: easter") + 1
    assert f"FAIL {failing_spec}:{line}:5 easter" in run.out
    assert "penalties.doc_penalty.amount: expected '7000.00', got '6000.00'" in run.out
    assert "0 passed, 1 failed" in run.out


def test_failing_spec_test_subprocess(failing_spec: Path) -> None:
    run = rulekit("test", failing_spec)
    assert run.code == 1
    assert "FAIL" in run.out


def test_junit_xml(cli, failing_spec: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = tmp_path / "out" / "junit.xml"
    report.parent.mkdir()
    run = cli("test", MINI, failing_spec, "--junit", report)
    assert run.code == 1
    root = ET.parse(report).getroot()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [(s.get("name"), s.get("tests"), s.get("failures")) for s in suites] == [
        ("mini", "1", "0"), ("mini", "1", "1")]
    good, bad = (s.find("testcase") for s in suites)
    assert good is not None and bad is not None
    assert good.get("name") == "easter" and good.find("failure") is None
    failure = bad.find("failure")
    assert failure is not None
    assert "expected '7000.00', got '6000.00'" in (failure.get("message") or "")
    assert bad.get("file") == str(failing_spec) and bad.get("line", "").isdigit()
    assert float(bad.get("time", "x")) >= 0
    assert not list(tmp_path.glob("out/*.part"))  # written atomically


def test_coverage_lists_untouched_rules(cli, uncovered_spec: Path) -> None:  # type: ignore[no-untyped-def]
    run = cli("test", uncovered_spec)
    assert run.code == 0  # untouched rules are reported, not failed, by default
    assert "rules touched by tests 2/3" in run.out
    assert "rules no test touches: never_checked" in run.out


def test_require_coverage_fails_on_untouched_rules(cli, uncovered_spec: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("test", uncovered_spec, "--require-coverage").code == 1
    assert cli("test", MINI, "--require-coverage").code == 0


def test_json_report(cli, failing_spec: Path, uncovered_spec: Path) -> None:  # type: ignore[no-untyped-def]
    run = cli("test", failing_spec, uncovered_spec, "--format", "json")
    assert run.code == 1
    report = json.loads(run.out)
    assert report[0]["failed"][0]["test"] == "easter"
    assert report[0]["failed"][0]["failures"] == ["penalties.doc_penalty.amount: expected '7000.00', got '6000.00'"]
    assert report[1]["untouched"] == ["never_checked"]


def test_invalid_spec_in_test_run_exits_3(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    bad.write_text(mini_text().replace("default: literal", "default: literl"), encoding="utf-8")
    run = cli("test", MINI, bad)
    assert run.code == 3
    assert "error[E102]" in run.err


def test_expected_error_in_a_spec_test(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = mini_text() + """  - id: negative_value_is_refused
    case:
      as_of: 2021-05-01
      facts: {late_value: -1}
    expect:
      error: E301
"""
    path = tmp_path / "expect_error.yaml"
    path.write_text(text, encoding="utf-8")
    run = cli("test", path)
    assert run.code == 0, run.out
    assert "2/2 tests passed" in run.out


def test_test_folder(cli, tmp_path: Path, failing_spec: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "good.yaml").write_text(mini_text(), encoding="utf-8")
    run = cli("test", tmp_path)
    assert run.code == 1
    assert "1 passed, 1 failed" in run.out
