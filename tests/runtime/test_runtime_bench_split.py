"""benchmarks/bench_split.py reaches into the runtime (evaluate._steps, Expr.fn): a short run keeps it working."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def test_the_split_adds_up(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import bench_split

    assert bench_split.main(["-n", "300", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    # each figure's line: its label, µs a case, the multiple of the hand-written time
    figures = {m[1].strip(): float(m[2]) for m in re.finditer(r"^(.+?)\s{2,}([\d.]+)\s+[\d.]+×$", out, re.M)}
    rulekit, fixed, rules = figures["rulekit evaluate_case"], figures["fixed: read, plan, result, GC"], figures["rules"]
    assert 0 < fixed < rulekit
    assert rules == pytest.approx(rulekit - fixed, abs=0.11)
    assert 0 < figures["the contract's expressions"] < rules
    assert figures["rule machinery around them"] == pytest.approx(rules - figures["the contract's expressions"],
                                                                  abs=0.11)
    assert re.search(r"expressions: \d+\.\d calls a case", out)
