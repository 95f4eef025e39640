"""`rulekit batch` on cases with event ids and refs (tests/data/instances.yaml): a line whose ids or refs are
wrong becomes an error record with its line, code and path; the other lines are evaluated. Due dates are
5 working days after the demand (Easter 2021: 1, 2, 5 April off)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from batch_support import closing_summary, differences, read_jsonl, rulekit

SPEC = "tests/data/instances.yaml"
R, D = "documentation_requested", "documentation_delivered"


def line(case_id: str, *events: dict[str, Any], **facts: Any) -> str:
    return json.dumps({"case": case_id, "contract": "instances", "as_of": "2021-04-26", "facts": facts,
                       "events": list(events)})


LINES = [
    # D1 31.03 → due 12.04, delivered 09.04: met
    line("GOOD-1", {"type": R, "date": "2021-03-31", "id": "D1"}, {"type": D, "date": "2021-04-09", "ref": "D1"}),
    # `ref: D3` names nothing in this case
    line("BAD-REF", {"type": R, "date": "2021-04-06", "id": "D2"}, {"type": D, "date": "2021-04-09", "ref": "D3"}),
    # D2 06.04 → due 13.04, delivered 15.04: 2 working days × max(10 % × 24,000, 3,000) = 6,000; D3 pending
    line("GOOD-2", {"type": R, "date": "2021-04-06", "id": "D2"}, {"type": R, "date": "2021-04-20", "id": "D3"},
         {"type": D, "date": "2021-04-15", "ref": "D2"}, late_value=24000),
    # two events with id D1
    line("BAD-ID", {"type": R, "date": "2021-03-31", "id": "D1"}, {"type": R, "date": "2021-04-06", "id": "D1"}),
    # delivered 30.03, before the demand of 31.03 it names
    line("BAD-DATE", {"type": R, "date": "2021-03-31", "id": "D1"}, {"type": D, "date": "2021-03-30", "ref": "D1"}),
]
ERRORS = {2: ("BAD-REF", "E307", ["events", 1, "ref"]), 4: ("BAD-ID", "E306", ["events", 1, "id"]),
          5: ("BAD-DATE", "E308", ["events", 1, "ref"])}


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("refs") / "cases.jsonl"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def batch(source: Path) -> tuple[Any, list[dict[str, Any]]]:
    out = source.with_name("out.jsonl")
    proc = rulekit("batch", SPEC, str(source), "-o", str(out), "--no-progress")
    return proc, read_jsonl(out)


def test_bad_ref_lines_become_error_records(batch: tuple[Any, list[dict[str, Any]]], source: Path) -> None:
    proc, records = batch
    assert proc.returncode == 3, proc.stderr
    assert [(r["line"], r["case"], "error" in r) for r in records] == [
        (1, "GOOD-1", False), (2, "BAD-REF", True), (3, "GOOD-2", False), (4, "BAD-ID", True),
        (5, "BAD-DATE", True)]
    for record in records:
        if record["line"] not in ERRORS:
            continue
        case_id, code, path = ERRORS[record["line"]]
        assert record["case"] == case_id
        (diag,) = record["error"]["diagnostics"]
        assert (diag["code"], diag["path"], diag["file"], diag["line"], diag["col"]) == \
            (code, path, str(source), record["line"], 1)
        assert record["error"]["message"].startswith(f"{source}:{record['line']}:1: error[{code}]")
        assert "hint" in diag and "Traceback" not in proc.stderr


def test_bad_ref_message_and_hint(batch: tuple[Any, list[dict[str, Any]]]) -> None:
    (diag,) = batch[1][1]["error"]["diagnostics"]
    assert diag["message"] == "`ref: D3` names no event of this case"
    assert diag["hint"] == "give the documentation_requested it answers an `id: D3`"


def test_the_other_lines_are_evaluated(batch: tuple[Any, list[dict[str, Any]]]) -> None:
    records = batch[1]
    good1, good2 = records[0], records[2]
    assert [(o["instance"], o["status"], o["due"]) for o in good1["obligations"] if o["kind"] == "deadline"] == [
        ("D1", "met", "2021-04-12")]
    assert [(o["instance"], o["status"], o["due"]) for o in good2["obligations"] if o["kind"] == "deadline"] == [
        ("D2", "breached", "2021-04-13"), ("D3", "pending", "2021-04-27")]
    (penalty,) = good2["penalties"]
    assert (penalty["instance"], penalty["units"], penalty["rate"], penalty["amount"]) == ("D2", 2, "3000.00",
                                                                                           "6000.00")
    assert good2["totals"]["penalties"] == "6000.00"


def test_summary_counts_the_errors_by_code(batch: tuple[Any, list[dict[str, Any]]]) -> None:
    summary = closing_summary(batch[0].stderr)
    assert (summary["lines"], summary["results"], summary["errors"]) == (5, 2, 3)
    assert summary["errors_by_code"] == {"E306": 1, "E307": 1, "E308": 1}
    assert (summary["breached_obligations"], summary["totals"]["penalties"]) == (1, "6000.00")
    assert summary["reconciles"] is True


def test_evaluate_reads_the_same_lines_the_same_way(batch: tuple[Any, list[dict[str, Any]]], source: Path) -> None:
    proc = rulekit("evaluate", SPEC, str(source), "--format", "json")
    assert proc.returncode == 3
    evaluated = json.loads(proc.stdout)
    assert [e["error"]["diagnostics"] for e in evaluated if "error" in e] == \
        [r["error"]["diagnostics"] for r in batch[1] if "error" in r]
    good = [e for e in evaluated if "error" not in e]
    assert [e["case"] for e in good] == ["GOOD-1", "GOOD-2"]
    assert differences(good[1]["obligations"], batch[1][2]["obligations"]) == []


def test_workers_give_the_same_records(batch: tuple[Any, list[dict[str, Any]]], source: Path) -> None:
    out = source.with_name("out-2.jsonl")
    proc = rulekit("batch", SPEC, str(source), "-o", str(out), "--no-progress", "--workers", "2")
    assert proc.returncode == 3
    assert differences(read_jsonl(out), batch[1]) == []
