"""A result pickles: its contract and rules by reference (spec file and sha256), a trace's formulas by value."""

from __future__ import annotations

import gc
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from rulekit import evaluate_case, load_contract
from rulekit.errors import SpecError
from rulekit.explain.text import render_text
from rulekit.spec.model import Contract

ROOT = Path(__file__).parent.parent.parent
CONTRACTS = sorted((ROOT / "contracts").glob("*.yaml"))


def _cases(contract: Contract) -> list[tuple[dict[str, Any], dict[str, str]]]:
    """Every embedded test's case with the readings it assumes (the tests whose case is an input error left out)."""
    out = []
    for test in contract.tests:
        if not test.case or test.expect.get("error"):
            continue
        out.append(({"case": test.id, **test.case}, dict(test.assume)))
    return out


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.stem)
def test_every_embedded_tests_result_pickles_and_reads_back_the_same(path: Path) -> None:
    contract = load_contract(path)
    checked = 0
    for case, assume in _cases(contract):
        for trace in (True, False):
            result = evaluate_case(contract, case, trace=trace, assume=assume or None)
            back = pickle.loads(pickle.dumps(result))
            assert back.contract is contract  # the contract this process loaded, not a copy
            assert back.to_json(trace=trace) == result.to_json(trace=trace)
            if trace:
                assert render_text(back) == render_text(result)  # the formulas' words from their expressions
            checked += 1
    assert checked > 20


def test_the_default_readings_are_shared_again_after_unpickling() -> None:
    contract = load_contract(ROOT / "contracts" / "kobenhavn.yaml")
    case, _ = _cases(contract)[0]
    back = pickle.loads(pickle.dumps(evaluate_case(contract, case, trace=False)))
    assert back.assumptions is contract.default_readings


def test_results_come_back_from_worker_processes() -> None:
    """A process pool (spawned: nothing inherited) evaluates cases; each worker loads the spec once from the file
    the pickled contract names, and the results it sends back name the parent's own contract."""
    contract = load_contract(ROOT / "contracts" / "kobenhavn.yaml")
    cases = [case for case, assume in _cases(contract) if not assume][:12]
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        remote = list(pool.map(evaluate_case, [contract] * len(cases), cases))
    for case, result in zip(cases, remote, strict=True):
        assert result.contract is contract
        assert result.to_json() == evaluate_case(contract, case).to_json()


def test_a_spec_changed_since_pickling_is_refused(tmp_path: Path) -> None:
    spec = tmp_path / "mini.yaml"
    text = (ROOT / "tests" / "data" / "mini.yaml").read_text(encoding="utf-8")
    spec.write_text(text.replace("../../rules/", f"{ROOT / 'rules'}/"), encoding="utf-8")
    contract = load_contract(spec)
    case, _ = _cases(contract)[0]
    data = pickle.dumps(evaluate_case(contract, case))
    del contract
    gc.collect()  # no contract of that file is loaded any more: unpickling loads the file again
    spec.write_text(spec.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        pickle.loads(data)
    [found] = caught.value.diagnostics
    assert found.code == "E130"
    assert "has changed since this was pickled" in found.message


def test_results_of_a_moved_spec_unpickle_with_the_same_spec_loaded_from_elsewhere(tmp_path: Path) -> None:
    text = (ROOT / "tests" / "data" / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace("../../rules/", f"{ROOT / 'rules'}/")
    first, second = tmp_path / "a" / "mini.yaml", tmp_path / "b" / "mini.yaml"
    for spec in (first, second):
        spec.parent.mkdir()
        spec.write_text(text, encoding="utf-8")
    contract = load_contract(first)
    case, _ = _cases(contract)[0]
    result = evaluate_case(contract, case)
    data = pickle.dumps(result)
    del contract, result
    gc.collect()
    first.unlink()  # the results travel; the spec they name is not there
    with pytest.raises(SpecError) as caught:
        pickle.loads(data)
    assert caught.value.diagnostics[0].code == "E130" and "does not exist here" in caught.value.diagnostics[0].message
    here = load_contract(second)  # the same spec (same sha256), loaded from where it is now
    back = pickle.loads(data)
    assert back.contract is here and back.case == case["case"]
