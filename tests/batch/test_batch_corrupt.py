"""One broken line in the middle of 10,000 yields exactly one error record and 9,999 results, in input
order, and the closing summary reconciles with the records."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from batch_support import CONTRACT, closing_summary, read_jsonl, rulekit, write_cases

N, BROKEN, SEED = 10_000, 5_000, 7


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("corrupt")
    source = write_cases(folder / "cases.jsonl", N, seed=SEED, corrupt_line=BROKEN)
    out, summary = folder / "out.jsonl", folder / "summary.json"
    proc = rulekit("batch", CONTRACT, str(source), "-o", str(out), "--summary", str(summary), "--no-progress",
                   "--workers", "2")
    return {"proc": proc, "source": source, "records": read_jsonl(out) if out.exists() else None,
            "summary": json.loads(summary.read_text(encoding="utf-8")) if summary.exists() else None}


def test_exit_code_names_the_bad_input(run: dict[str, Any]) -> None:
    assert run["proc"].returncode == 3, run["proc"].stderr[-2000:]


def test_one_error_and_the_rest_results_in_order(run: dict[str, Any]) -> None:
    records = run["records"]
    assert records is not None, "no output file"
    assert len(records) == N
    errors = [i for i, r in enumerate(records, start=1) if "error" in r]
    assert errors == [BROKEN]
    assert [r["line"] for r in records] == list(range(1, N + 1))
    expected_ids = [f"KBH-S{SEED}-{i:07d}" for i in range(1, N + 1)]
    assert [r["case"] for i, r in enumerate(records, start=1) if i != BROKEN] == \
        [cid for i, cid in enumerate(expected_ids, start=1) if i != BROKEN]
    results = [r for r in records if "error" not in r]
    assert len(results) == N - 1
    assert all("obligations" in r and "totals" in r for r in results)


def test_error_record_points_at_the_line(run: dict[str, Any]) -> None:
    record = run["records"][BROKEN - 1]
    assert record["line"] == BROKEN
    assert record.get("case") is None  # the id cannot be read from a broken line
    diags = record["error"]["diagnostics"]
    assert [d["code"] for d in diags] == ["E303"]
    assert f"line {BROKEN}" in diags[0]["message"]


def test_summary_reconciles_with_the_records(run: dict[str, Any]) -> None:
    summary, records = run["summary"], run["records"]
    assert summary is not None, "--summary FILE was not written"
    assert summary == closing_summary(run["proc"].stderr), "stderr and --summary FILE disagree"
    results = [r for r in records if "error" not in r]
    assert summary["lines"] == N
    assert summary["results"] == N - 1
    assert summary["errors"] == 1
    assert summary["errors_by_code"] == {"E303": 1}
    assert summary["reconciles"] is True
    penalties = sum((Decimal(r["totals"]["penalties"]) for r in results), Decimal(0))
    payments = sum((Decimal(r["totals"]["payments"]) for r in results), Decimal(0))
    assert Decimal(summary["totals"]["penalties"]) == penalties
    assert Decimal(summary["totals"]["payments"]) == payments
    assert summary["breached_obligations"] == sum(o["status"] == "breached" for r in results for o in r["obligations"])
    assert penalties > 0 and payments > 0  # the generated mix has both


def test_input_really_has_one_broken_line(run: dict[str, Any]) -> None:
    bad = []
    for number, line in enumerate(Path(run["source"]).read_text(encoding="utf-8").splitlines(), start=1):
        try:
            json.loads(line)
        except json.JSONDecodeError:
            bad.append(number)
    assert bad == [BROKEN]
