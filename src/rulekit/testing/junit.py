"""JUnit XML for CI servers: one testsuite per contract, one testcase per embedded test."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .runner import TestOutcome


def write_junit(path: Path, suites: list[tuple[str, list[TestOutcome]]]) -> None:
    root = ET.Element("testsuites")
    for name, outcomes in suites:
        failures = sum(1 for o in outcomes if not o.passed)
        suite = ET.SubElement(root, "testsuite", name=name, tests=str(len(outcomes)), failures=str(failures),
                              time=f"{sum(o.seconds for o in outcomes):.3f}")
        for outcome in outcomes:
            case = ET.SubElement(suite, "testcase", classname=name, name=outcome.test.id,
                                 time=f"{outcome.seconds:.3f}", file=outcome.test.span.file,
                                 line=str(outcome.test.span.line))
            if outcome.failures:
                failure = ET.SubElement(case, "failure", message=outcome.failures[0])
                failure.text = "\n".join(outcome.failures)
    tmp = path.with_suffix(path.suffix + ".part")
    ET.ElementTree(root).write(tmp, encoding="utf-8", xml_declaration=True)
    tmp.replace(path)
