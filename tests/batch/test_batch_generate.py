"""The synthetic case generator (benchmarks/generate.py): seeded, valid input, one broken line on demand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from batch_support import generate

from rulekit.errors import RulekitError
from rulekit.runtime import read_case


def test_same_seed_same_file(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    generate.main(["kobenhavn", "-n", "300", "--seed", "4", "-o", str(a)])
    generate.main(["kobenhavn", "-n", "300", "--seed", "4", "-o", str(b)])
    generate.main(["kobenhavn", "-n", "300", "--seed", "5", "-o", str(c)])
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_corrupt_line_is_the_only_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    generate.main(["kobenhavn", "-n", "50", "--seed", "2", "--corrupt-line", "17", "-o", str(path)])
    bad = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            json.loads(line)
        except json.JSONDecodeError:
            bad.append(number)
    assert bad == [17]


@pytest.mark.parametrize("contract_id", sorted(generate.GENERATORS))
def test_generated_cases_are_valid_input(contract_id: str) -> None:
    try:
        contract = generate.load_spec(contract_id)
    except RulekitError as exc:  # a spec still being written: its generator is optional
        pytest.skip(f"contracts/{contract_id}.yaml does not validate: {exc}")
    problems = []
    for case in generate.cases(contract_id, 300, seed=9):
        line = generate.dumps(case)
        try:
            read_case(generate.loads(line), contract)
        except RulekitError as exc:
            problems.append(f"{case['case']}: {exc}")
    assert not problems, "\n".join(problems[:10])


def test_kobenhavn_mix_is_varied() -> None:
    cases = list(generate.cases("kobenhavn", 2000, seed=1))
    offerings = {c.get("offering") for c in cases}
    assert {"A4", None} <= offerings and any(o and o.startswith("A1") for o in offerings) \
        and any(o and o.startswith("A2") for o in offerings)
    types = {e["type"] for c in cases for e in c["events"]}
    assert {"documentation_requested", "documentation_delivered", "account_requested", "invoice_sent",
            "payment_made", "followup_contact", "company_visit", "a4_session", "order_fully_delivered"} <= types
    months = {(e["date"][5:7]) for c in cases for e in c["events"] if e["type"] == "invoice_sent"}
    assert "11" in months and "12" in months
    years = {c["facts"]["order_start"][:4] for c in cases if "order_start" in c["facts"]}
    assert {"2020", "2021", "2022", "2023"} <= years
