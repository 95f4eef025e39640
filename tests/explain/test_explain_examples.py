"""Done when: `rulekit explain` on every shipped example reads as prose in Danish and in English — no
snake_case identifiers, no expression operators or function calls (those belong to --detail and JSON)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rulekit.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*/*.yaml"))
SNAKE = re.compile(r"\b[A-Za-z]+_[A-Za-z0-9_]+\b")
OPERATORS = re.compile(r"==|!=|\?\?|&&|\|\||<=|>=|\bassume\.|\bit\.|\b(?:max|min|first|last|count|exists|sum|"
                       r"avg|round|abs|share|percent|answers|working_days_between|days_between|next_weekday|"
                       r"next_working_day|end_of_month)\(")


def _explain(capsys: pytest.CaptureFixture[str], contract: Path, example: Path, *extra: str) -> list[str]:
    """The explanation(s) of an example: a portfolio of several cases is explained case by case."""
    code = main(["explain", str(contract), str(example), *extra])
    out, err = capsys.readouterr()
    if code == 2 and "E024" in err:
        import yaml

        ids = [str(c["case"]) for c in yaml.safe_load(example.read_text(encoding="utf-8"))["cases"]]
        texts = []
        for case in ids:
            assert main(["explain", str(contract), str(example), "--case", case, *extra]) == 0
            texts.append(capsys.readouterr().out)
        return texts
    assert code == 0, err
    assert "Traceback" not in err
    return [out]


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{p.parent.name}/{p.name}" for p in EXAMPLES])
def test_example_explanation_is_prose(example: Path, lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    contract = ROOT / "contracts" / f"{example.parent.name}.yaml"
    for text in _explain(capsys, contract, example, "--lang", lang):
        assert text.strip()
        for n, line in enumerate(text.splitlines(), 1):
            assert not SNAKE.search(line), f"identifier in line {n}: {line}"
            assert not OPERATORS.search(line), f"expression syntax in line {n}: {line}"


def test_detail_shows_the_raw_expression(capsys: pytest.CaptureFixture[str]) -> None:
    example = ROOT / "examples" / "kobenhavn" / "late-documentation-easter.yaml"
    contract = ROOT / "contracts" / "kobenhavn.yaml"
    (plain,) = _explain(capsys, contract, example)
    (detail,) = _explain(capsys, contract, example, "--detail")
    assert "daily_penalty_rate" not in plain
    assert "max(daily_penalty_rate * (value_of_late_part ?? 0 DKK), daily_penalty_min)" in detail
    assert "regel: daily_penalty_documentation" in detail
