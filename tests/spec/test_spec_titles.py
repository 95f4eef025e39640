"""Titles, and the assumptions' questions and readings, are what case workers read in explanations and reports: no
rule, fact or assumption id in them (a title that says 'documented_loss_matter' shows code to a reader). Checked over
every shipped spec."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted([*ROOT.glob("contracts/*.yaml"), *ROOT.glob("examples/clauses/*.yaml"), *ROOT.glob("rules/*.yaml")])
CODE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")


def titles(node: Any, path: str = "") -> list[tuple[str, str]]:
    """(where, text) of every `title:` mapping's texts (and `titles:` of enum values) in a spec."""
    out: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}"
            if key == "title" and isinstance(value, dict):
                out += [(f"{where}.{lang}", str(text)) for lang, text in value.items()]
            elif key == "title" and isinstance(value, str):
                out.append((where, value))
            elif key == "titles" and isinstance(value, dict):
                out += [(f"{where}.{name}.{lang}", str(text)) for name, texts in value.items()
                        if isinstance(texts, dict) for lang, text in texts.items()]
            elif key != "tests":
                out += titles(value, where)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += titles(value, f"{path}[{i}]")
    return out


def readings(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """(where, text) of every assumption's question and readings: an explanation quotes the reading in force."""
    out: list[tuple[str, str]] = []
    for name, decl in (spec.get("assumptions") or {}).items():
        if not isinstance(decl, dict):
            continue
        question = decl.get("question") or {}
        out += [(f"assumptions.{name}.question.{lang}", str(text)) for lang, text in question.items()]
        out += [(f"assumptions.{name}.readings.{reading}.{lang}", str(text))
                for reading, texts in (decl.get("readings") or {}).items() if isinstance(texts, dict)
                for lang, text in texts.items()]
    return out


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_no_ids_in_titles(spec: Path) -> None:
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    found = [(where, text) for where, text in [*titles(data), *readings(data)] if CODE.search(text)]
    assert found == [], found
