"""`rulekit batch --detail summary` (the default): a header record with the rules, then one compact record
per input line — applicable entries only, rules named by id — that agrees with the full results."""

from __future__ import annotations

from pathlib import Path

from batch_support import CONTRACT, read_jsonl, rulekit, write_cases


def _run(tmp_path: Path, detail: str, source: Path) -> list[dict]:  # type: ignore[type-arg]
    out = tmp_path / f"out-{detail}.jsonl"
    rulekit("batch", CONTRACT, str(source), "-o", str(out), "--no-progress", "--detail", detail, check=True)
    return read_jsonl(out)


def test_summary_is_the_default() -> None:
    from rulekit.cli import parser

    assert parser().parse_args(["batch", CONTRACT, "in.jsonl"]).detail == "summary"


def test_summary_opens_with_a_header(tmp_path: Path) -> None:
    source = write_cases(tmp_path / "in.jsonl", 40, seed=5)
    records = _run(tmp_path, "summary", source)
    head = records[0]
    assert head["header"] is True and head["detail"] == "summary"
    assert head["contract"]["id"] == "kobenhavn" and len(head["contract"]["sha256"]) == 64
    assert "documentation_on_demand" in head["rules"]
    assert head["rules"]["documentation_on_demand"]["quote"]
    assert len(records) == 41  # the header, then one record per input line
    assert all("header" not in r for r in records[1:])


def test_summary_records_name_rules_by_id_and_agree_with_full(tmp_path: Path) -> None:
    source = write_cases(tmp_path / "in.jsonl", 60, seed=6)
    summary = _run(tmp_path, "summary", source)[1:]
    full = _run(tmp_path, "full", source)
    assert len(summary) == len(full) == 60
    for brief, whole in zip(summary, full, strict=True):
        assert brief["case"] == whole["case"]
        assert brief["totals"] == whole["totals"]
        live = [(o["rule"], o.get("instance"), o["status"]) for o in whole["obligations"]
                if o["status"] != "not_applicable"]
        assert [(o["rule"], o.get("instance"), o["status"]) for o in brief["obligations"]] == live
        assert all("title" not in o and "quote" not in o for o in brief["obligations"])
        assert [p["amount"] for p in brief["penalties"]] == [p["amount"] for p in whole["penalties"]]


def test_summary_is_small(tmp_path: Path) -> None:
    source = write_cases(tmp_path / "in.jsonl", 300, seed=7)
    out = tmp_path / "out.jsonl"
    rulekit("batch", CONTRACT, str(source), "-o", str(out), "--no-progress", "--detail", "summary", check=True)
    lines = out.read_bytes().splitlines()[1:]
    per_case = sum(len(line) + 1 for line in lines) / len(lines)
    assert per_case <= 1536, f"{per_case:.0f} bytes a case"
