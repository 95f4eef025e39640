"""Done when: `rulekit explain` on every shipped example reads as prose in Danish and in English — no
snake_case identifiers, no expression operators or function calls (those belong to --detail and JSON).

Text a spec author wrote (titles, messages, quotes, assumption notes) and ids an author's message template
fills in (an offering's id) are the contract's own words: an identifier there fails the last test
below (the contracts' wording), not the others (rulekit's own wording)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from rulekit import evaluate_case, load_contract
from rulekit.cli import main
from rulekit.explain.text import render_text
from rulekit.runtime import read_case

ROOT = Path(__file__).resolve().parents[2]
ALL = sorted((ROOT / "examples").glob("*/*.yaml"))
SPECS = [p for p in ALL if "rulekit" in (yaml.safe_load(p.read_text(encoding="utf-8")) or {})]  # clause specs
EXAMPLES = [p for p in ALL if p not in SPECS]
SNAKE = re.compile(r"\b[A-Za-z]+_[A-Za-z0-9_]+\b")
OPERATORS = re.compile(r"==|!=|\?\?|&&|\|\||<=|>=|\bassume\.|\bit\.|\b(?:max|min|first|last|count|exists|sum|"
                       r"avg|round|abs|share|percent|answers|working_days_between|days_between|next_weekday|"
                       r"next_working_day|end_of_month)\(")


def _explain(capsys: pytest.CaptureFixture[str], contract: Path, example: Path, *extra: str) -> list[str]:
    """The explanation(s) of an example: a portfolio of several cases is explained case by case."""
    code = main(["explain", str(contract), str(example), *extra])
    out, err = capsys.readouterr()
    if code == 2 and "E024" in err:
        ids = [str(c["case"]) for c in yaml.safe_load(example.read_text(encoding="utf-8"))["cases"]]
        texts = []
        for case in ids:
            assert main(["explain", str(contract), str(example), "--case", case, *extra]) == 0
            texts.append(capsys.readouterr().out)
        return texts
    assert code == 0, err
    assert "Traceback" not in err
    return [out]


_AUTHORED = ("da", "en", "message", "quote", "assumption", "note", "question")


def authored(contract: Path) -> set[str]:
    """Identifiers inside the prose a spec author wrote, and the offering ids messages may fill in."""
    found: set[str] = set()

    def walk(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            if key == "offerings":
                found.update(str(k) for k in node)
            for k, v in node.items():
                walk(v, str(k))
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in _AUTHORED:
            found.update(SNAKE.findall(node))

    walk(yaml.safe_load(contract.read_text(encoding="utf-8")))
    return found


def _violations(contract: Path, example: Path, lang: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    out = []
    for text in _explain(capsys, contract, example, "--lang", lang):
        assert text.strip()
        out.extend(line for line in text.splitlines() if SNAKE.search(line) or OPERATORS.search(line))
    return out


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{p.parent.name}/{p.name}" for p in EXAMPLES])
def test_example_explanation_is_prose(example: Path, lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    contract = ROOT / "contracts" / f"{example.parent.name}.yaml"
    theirs = authored(contract)
    for line in _violations(contract, example, lang, capsys):
        assert not OPERATORS.search(line), f"expression syntax: {line}"
        ours = set(SNAKE.findall(line)) - theirs
        assert not ours, f"identifier {sorted(ours)} in: {line}"


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("spec", SPECS, ids=[f"{p.parent.name}/{p.name}" for p in SPECS])
def test_example_clause_tests_explained_as_prose(spec: Path, lang: str) -> None:
    """The illustrative clause specs in examples/: every embedded test case, explained."""
    contract = load_contract(spec)
    theirs = authored(spec)
    cases = [t for t in contract.tests if t.case is not None]
    assert cases
    for test in cases:
        data = {"case": test.id, "contract": contract.id, **(test.case or {})}
        result = evaluate_case(contract, read_case(data, contract), assume=test.assume, trace=True, lang=lang)
        for line in render_text(result).splitlines():
            assert not OPERATORS.search(line), f"{test.id}: expression syntax: {line}"
            ours = set(SNAKE.findall(line)) - theirs - {test.id}  # the case id is the input's own
            assert not ours, f"{test.id}: identifier {sorted(ours)} in: {line}"


def test_contract_texts_have_no_identifiers(capsys: pytest.CaptureFixture[str]) -> None:
    lines = []
    for example in EXAMPLES:
        contract = ROOT / "contracts" / f"{example.parent.name}.yaml"
        lines.extend(f"{example.name}: {line.strip()}" for line in _violations(contract, example, "da", capsys))
    assert not lines, "\n".join(sorted(set(lines)))


def test_detail_shows_the_raw_expression(capsys: pytest.CaptureFixture[str]) -> None:
    example = ROOT / "examples" / "kobenhavn" / "late-documentation-easter.yaml"
    contract = ROOT / "contracts" / "kobenhavn.yaml"
    (plain,) = _explain(capsys, contract, example)
    (detail,) = _explain(capsys, contract, example, "--detail")
    assert "daily_penalty_rate" not in plain
    assert "udtryk: max(daily_penalty_rate * (item.late_part_value ?? value_of_late_part" in detail, detail
    assert "regel: daily_penalty_documentation" in detail
