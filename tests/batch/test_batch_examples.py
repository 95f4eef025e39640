"""`rulekit batch` and the library call give the same result as `rulekit evaluate --format json` on every
shipped single-case example of København."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from batch_support import CONTRACT, EXAMPLES, ROOT, differences, generate, read_jsonl, rulekit

from rulekit.runtime.stream import CaseEvaluator, evaluate_stream
from rulekit.spec.yamlsource import load_yaml

# keys that legitimately differ between the three ways of evaluating: the input line number (batch only)
# and the spec path as each caller named it
IGNORED_TOP = ("line",)


def _single_cases() -> list[Path]:
    out = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        data = load_yaml(path, kind="input").data
        if isinstance(data, dict) and "case" in data and "portfolio" not in data:
            out.append(path)
    return out


SINGLE = _single_cases()


def normalise(record: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in record.items() if k not in IGNORED_TOP}
    out["contract"] = {k: v for k, v in record["contract"].items() if k != "file"}
    return out


@pytest.fixture(scope="module")
def three_ways(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """Every single-case example evaluated by `rulekit evaluate`, by `rulekit batch` and by CaseEvaluator."""
    assert len(SINGLE) >= 4, f"expected the shipped København examples, found {SINGLE}"
    folder = tmp_path_factory.mktemp("examples")
    names = [str(p.relative_to(ROOT)) for p in SINGLE]

    proc = rulekit("evaluate", CONTRACT, *names, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    evaluated = json.loads(proc.stdout)
    evaluated = evaluated if isinstance(evaluated, list) else [evaluated]

    lines = [generate.dumps(load_yaml(p, kind="input").data) for p in SINGLE]
    source = folder / "examples.jsonl"
    source.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    out = folder / "out.jsonl"
    proc = rulekit("batch", CONTRACT, str(source), "-o", str(out), "--no-progress")
    assert proc.returncode == 0, proc.stderr
    batched = [json.loads(json.dumps(r, default=str)) for r in read_jsonl(out)]

    evaluator = CaseEvaluator(str(ROOT / CONTRACT))
    library = list(evaluate_stream(evaluator, (json.loads(line, parse_float=Decimal) for line in lines)))
    from_yaml = [evaluator(load_yaml(p, kind="input").data) for p in SINGLE]  # dates as date objects
    return {"evaluate": evaluated, "batch": batched, "library": library, "library_yaml": from_yaml}


@pytest.mark.parametrize("index", range(len(SINGLE)), ids=[p.stem for p in SINGLE])
@pytest.mark.parametrize("way", ["batch", "library", "library_yaml"])
def test_same_result_as_evaluate(three_ways: dict[str, list[dict[str, Any]]], way: str, index: int) -> None:
    reference = normalise(three_ways["evaluate"][index])
    other = normalise(three_ways[way][index])
    diff = differences(reference, other)
    assert not diff, f"{SINGLE[index].name}: `rulekit evaluate` vs {way}:\n" + "\n".join(diff[:20])


def test_results_are_not_trivial(three_ways: dict[str, list[dict[str, Any]]]) -> None:
    """The examples exercise penalties, payments and breaches, so the comparison means something."""
    results = three_ways["evaluate"]
    assert [r["case"] for r in results] == [load_yaml(p, kind="input").data["case"] for p in SINGLE]
    assert any(r["totals"]["penalties"] != "0.00" for r in results)
    assert any(r["payments"] for r in results)
    assert any(o["status"] == "breached" for r in results for o in r["obligations"])


def test_batch_line_numbers_and_file(three_ways: dict[str, list[dict[str, Any]]]) -> None:
    assert [r["line"] for r in three_ways["batch"]] == list(range(1, len(SINGLE) + 1))
    assert {r["contract"]["file"] for r in three_ways["batch"]} == {CONTRACT}
    assert {r["contract"]["file"] for r in three_ways["evaluate"]} == {CONTRACT}
