"""A portfolio through Dask's local schedulers gives exactly the results of a serial run."""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from batch_support import CONTRACT, ROOT, generate

from rulekit.runtime.stream import CaseEvaluator, evaluate_stream

dask = pytest.importorskip("dask")
import dask.bag as db  # noqa: E402

N = 400


@pytest.fixture(scope="module")
def portfolio() -> list[dict[str, Any]]:
    """Generated cases as a JSON Lines reader gives them, plus one case with an input error."""
    cases = [generate.loads(generate.dumps(c)) for c in generate.cases("kobenhavn", N, seed=3)]
    cases[N // 2] = {**cases[N // 2], "facts": {"order_start": "2022-02-30"}}  # impossible date → error record
    return cases


@pytest.fixture(scope="module")
def evaluator() -> CaseEvaluator:
    return CaseEvaluator(str(ROOT / CONTRACT))


@pytest.fixture(scope="module")
def serial(evaluator: CaseEvaluator, portfolio: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return list(evaluate_stream(evaluator, portfolio))


def test_evaluator_pickles(evaluator: CaseEvaluator) -> None:
    clone = pickle.loads(pickle.dumps(evaluator))
    assert clone == evaluator


def test_serial_run_has_results_and_one_error(serial: list[dict[str, Any]]) -> None:
    assert len(serial) == N
    assert [i for i, r in enumerate(serial) if "error" in r] == [N // 2]
    assert sum(r["totals"]["penalties"] != "0.00" for r in serial if "error" not in r) > 10


@pytest.mark.parametrize("scheduler", ["processes", "threads"])
def test_dask_bag_matches_serial(evaluator: CaseEvaluator, portfolio: list[dict[str, Any]],
                                 serial: list[dict[str, Any]], scheduler: str) -> None:
    bag = db.from_sequence(portfolio, npartitions=4).map(evaluator)
    results = bag.compute(scheduler=scheduler, num_workers=2)
    assert len(results) == len(serial)
    for i, (got, want) in enumerate(zip(results, serial, strict=True)):
        assert got == want, f"case {i} ({want.get('case')}) differs between Dask ({scheduler}) and the serial run"
