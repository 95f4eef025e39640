"""The command line (DESIGN.md §6): exit codes 0/1/2/3, output shapes, and never a traceback."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from cli_support import MINI, mini_text, rulekit

from rulekit import __version__
from rulekit.spec.schema import load_schema

# through `python -m rulekit` ----------------------------------------------------------------------

def test_version_subprocess() -> None:
    run = rulekit("--version")
    assert run.code == 0
    assert run.out.strip() == f"rulekit {__version__}"


def test_validate_ok_subprocess() -> None:
    run = rulekit("validate", MINI)
    assert run.code == 0
    assert run.out.startswith(f"ok      {MINI}")
    assert "(2 rules, 1 tests)" in run.out


def test_validate_typo_subprocess(tmp_path: Path) -> None:
    spec = tmp_path / "typo.yaml"
    text = mini_text().replace("rate: max(rate * (late_value ??", "rate: max(rate * (late_valu ??")
    spec.write_text(text, encoding="utf-8")
    run = rulekit("validate", spec)
    assert run.code == 3
    line = text[:text.index("late_valu ??")].count("\n") + 1
    assert f"{spec}:{line}:23: error[E201]: unknown name 'late_valu'" in run.err
    assert "did you mean 'late_value'?" in run.err
    assert run.out.startswith(f"INVALID {spec} (1 problem")


def test_evaluate_subprocess_json(easter_case: Path) -> None:
    run = rulekit("evaluate", MINI, easter_case)
    assert run.code == 0
    out = json.loads(run.out)
    assert out["case"] == "KBH-EASTER"
    assert out["penalties"][0]["amount"] == "6000.00"
    jsonschema.Draft202012Validator(load_schema("result")).validate(out)


def test_unknown_command_subprocess() -> None:
    run = rulekit("frobnicate")
    assert run.code == 2
    assert "invalid choice: 'frobnicate'" in run.err


def test_python_m_rulekit_matches_main(easter_case: Path, cli) -> None:  # type: ignore[no-untyped-def]
    sub = rulekit("evaluate", MINI, easter_case, "--format", "text", "--lang", "en")
    inproc = cli("evaluate", MINI, easter_case, "--format", "text", "--lang", "en")
    assert sub.code == inproc.code == 0
    assert sub.out == inproc.out


@pytest.mark.parametrize("args", [
    ["evaluate", "nowhere.yaml", "nowhere.yaml"],
    ["evaluate", str(MINI), "nowhere.yaml"],
    ["explain", str(MINI), "nowhere.yaml"],
    ["validate", "nowhere.yaml"],
    ["test", "nowhere"],
    ["schema", "case"],
    ["schema", "case", "nowhere.yaml"],
    ["schema", "nonsense"],
    ["evaluate"],
    ["batch", str(MINI), "nowhere.jsonl"],
])
def test_bad_invocations_never_trace_back(args: list[str], tmp_path: Path) -> None:
    run = rulekit(*args, cwd=tmp_path)  # the helper asserts no traceback
    assert run.code in (2, 3)
    assert run.err.strip()


def test_garbage_files_never_trace_back(tmp_path: Path) -> None:
    (tmp_path / "bin.yaml").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "list.yaml").write_text("- 1\n- 2\n", encoding="utf-8")
    (tmp_path / "deep.json").write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    for spec in ("bin.yaml", "list.yaml", "deep.json"):
        assert rulekit("validate", spec, cwd=tmp_path).code == 3
        assert rulekit("evaluate", MINI, spec, cwd=tmp_path).code == 3


# in-process, through rulekit.cli.main -------------------------------------------------------------

def test_version_in_process(capsys) -> None:  # type: ignore[no-untyped-def]
    from rulekit.cli import main

    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"rulekit {__version__}"


def test_no_command_prints_help_and_is_a_usage_error(cli) -> None:  # type: ignore[no-untyped-def]
    run = cli()
    assert run.code == 2
    assert "usage: rulekit" in run.out


def test_unknown_command_in_process(capsys) -> None:  # type: ignore[no-untyped-def]
    from rulekit.cli import main

    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_validate_json_format(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    bad.write_text(mini_text().replace("default: literal", "default: literl"), encoding="utf-8")
    run = cli("validate", MINI, bad, "--format", "json")
    assert run.code == 3
    report = json.loads(run.out)
    assert report[0] == {"file": str(MINI), "ok": True, "rules": 2, "tests": 1, "warnings": []}
    assert report[1]["ok"] is False
    (diag,) = report[1]["diagnostics"]
    assert diag["code"] == "E102" and diag["file"] == str(bad) and diag["hint"] == "did you mean 'literal'?"


def test_validate_a_folder(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.yaml").write_text(mini_text(), encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.yml").write_text(mini_text().replace("id: mini", "id: mini_b"), encoding="utf-8")
    run = cli("validate", tmp_path)
    assert run.code == 0
    assert run.out.count("ok      ") == 2


def test_validate_missing_path_is_a_usage_error(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run = cli("validate", tmp_path / "nope.yaml")
    assert run.code == 2
    assert "no such file or folder" in run.err


def test_evaluate_json_shape(cli, easter_case: Path) -> None:  # type: ignore[no-untyped-def]
    run = cli("evaluate", MINI, easter_case)
    assert run.code == 0
    out = json.loads(run.out)
    for key in ("case", "rulekit", "contract", "as_of", "assumptions", "obligations", "penalties", "payments",
                "findings", "totals"):
        assert key in out, key
    assert out["rulekit"] == __version__
    assert set(out["contract"]) >= {"id", "version", "file", "sha256"}
    assert out["contract"]["id"] == "mini" and re.fullmatch(r"[0-9a-f]{64}", out["contract"]["sha256"])
    assert out["as_of"] == "2021-05-01"
    assert out["assumptions"] == [{"id": "roll", "reading": "literal", "default": True}]
    (o,) = out["obligations"]
    assert {k: o[k] for k in ("rule", "status", "due", "fulfilled", "late_working_days")} == {
        "rule": "doc_deadline", "status": "breached", "due": "2021-04-12", "fulfilled": "2021-04-14",
        "late_working_days": 2}
    assert set(o) >= {"title", "source"}
    (p,) = out["penalties"]
    assert (p["rule"], p["amount"], p["currency"]) == ("doc_penalty", "6000.00", "DKK")
    assert out["totals"] == {"penalties": "6000.00", "payments": "0.00", "currency": "DKK"}
    assert "trace" not in out


def test_evaluate_with_trace(cli, easter_case: Path) -> None:  # type: ignore[no-untyped-def]
    out = json.loads(cli("evaluate", MINI, easter_case, "--trace").out)
    assert {n["rule"] for n in out["trace"]} == {"doc_deadline", "doc_penalty"}


def test_evaluate_several_inputs_gives_a_list(cli, easter_case: Path, on_time_case: Path) -> None:  # type: ignore[no-untyped-def]
    out = json.loads(cli("evaluate", MINI, easter_case, on_time_case).out)
    assert [r["case"] for r in out] == ["KBH-EASTER", "ON-TIME"]


def test_evaluate_text_format(cli, easter_case: Path) -> None:  # type: ignore[no-untyped-def]
    run = cli("evaluate", MINI, easter_case, "--format", "text")
    assert run.code == 0
    assert "KBH-EASTER (pr. 01.05.2021):" in run.out
    assert "doc_deadline frist 12.04.2021, 2 arbejdsdage" in run.out
    assert "doc_penalty: 6.000,00 kr." in run.out


@pytest.mark.parametrize(("fail_on", "case_fixture", "code"), [
    ("breach", "easter_case", 1),
    ("penalty", "easter_case", 1),
    ("breach", "on_time_case", 0),
    ("penalty", "on_time_case", 0),
])
def test_fail_on(cli, request, fail_on: str, case_fixture: str, code: int) -> None:  # type: ignore[no-untyped-def]
    run = cli("evaluate", MINI, request.getfixturevalue(case_fixture), "--fail-on", fail_on)
    assert run.code == code
    json.loads(run.out)  # the result is still printed


def test_fail_on_needs_a_known_value(cli, easter_case: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as info:
        cli("evaluate", MINI, easter_case, "--fail-on", "anything")
    assert info.value.code == 2


def test_assume_switches_the_reading(cli, easter_case: Path) -> None:  # type: ignore[no-untyped-def]
    out = json.loads(cli("evaluate", MINI, easter_case, "--assume", "roll=arbejdsdag").out)
    assert out["assumptions"] == [{"id": "roll", "reading": "arbejdsdag", "default": False}]


@pytest.mark.parametrize(("assume", "code", "words"), [
    ("roll=foo", 3, "E311"),
    ("rol=arbejdsdag", 3, "did you mean 'roll'?"),
    ("rollarbejdsdag", 2, "is not ID=READING"),
    ("=x", 2, "is not ID=READING"),
    ("roll=", 2, "is not ID=READING"),
])
def test_bad_assume(cli, easter_case: Path, assume: str, code: int, words: str) -> None:  # type: ignore[no-untyped-def]
    run = cli("evaluate", MINI, easter_case, "--assume", assume)
    assert run.code == code
    assert words in run.err
    assert run.out == ""


@pytest.mark.parametrize("as_of", ["2021-13-01", "01-05-2021", "yesterday", "2021-02-30"])
def test_bad_as_of_is_a_usage_error(cli, easter_case: Path, as_of: str) -> None:  # type: ignore[no-untyped-def]
    run = cli("evaluate", MINI, easter_case, "--as-of", as_of)
    assert run.code == 2
    assert f"--as-of '{as_of}' is not a valid date" in run.err
    assert "YYYY-MM-DD" in run.err


def test_as_of_overrides_the_case(cli, easter_case: Path) -> None:  # type: ignore[no-untyped-def]
    out = json.loads(cli("evaluate", MINI, easter_case, "--as-of", "2021-04-01").out)
    assert out["as_of"] == "2021-04-01"


def test_invalid_case_file_is_exit_3_with_position(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    bad.write_text("case: X\ncontract: mini\nas_of: 2021-05-01\nfacts: {late_value: -1}\n", encoding="utf-8")
    run = cli("evaluate", MINI, bad)
    assert run.code == 3
    assert f"{bad}:4:21: error[E301]: late_value is -1" in run.err
    assert run.out == ""


def test_invalid_spec_is_exit_3(cli, tmp_path: Path, easter_case: Path) -> None:  # type: ignore[no-untyped-def]
    spec = tmp_path / "spec.yaml"
    spec.write_text(mini_text().replace("currency: DKK", "currency: DKK: x"), encoding="utf-8")
    run = cli("evaluate", spec, easter_case)
    assert run.code == 3
    assert f"{spec}:6:14: error[E010]" in run.err


def test_json_lines_input(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lines = tmp_path / "cases.jsonl"
    lines.write_text(json.dumps({"case": "A", "as_of": "2021-05-01", "events": [
        {"type": "demanded", "date": "2021-03-31"}, {"type": "delivered", "date": "2021-04-14"}]}) + "\n"
        + "{broken\n" + json.dumps({"case": "C", "as_of": "2021-05-01", "facts": {"late_valu": 1}}) + "\n",
        encoding="utf-8")
    run = cli("evaluate", MINI, lines)
    assert run.code == 3  # some lines are invalid input
    out = json.loads(run.out)
    assert out[0]["case"] == "A" and out[0]["penalties"][0]["amount"] == "6000.00"
    assert out[1]["case"] is None and out[1]["line"] == 2
    assert out[1]["error"]["diagnostics"][0]["code"] == "E303"
    assert out[2]["case"] == "C" and out[2]["error"]["diagnostics"][0]["path"] == ["facts", "late_valu"]



def test_non_utf8_json_lines_is_invalid_input(tmp_path: Path) -> None:
    (tmp_path / "cases.jsonl").write_bytes(b'{"case": "A", "as_of": "2021-05-01"}\n\xff\xfe\n')
    run = rulekit("evaluate", MINI, "cases.jsonl", cwd=tmp_path)
    assert run.code == 3

PORTFOLIO = """portfolio: P1
contract: mini
as_of: 2021-05-01
cases:
  - case: A
    facts: {late_value: 24000}
    events: [{type: demanded, date: 2021-03-31}, {type: delivered, date: 2021-04-14}]
  - {case: B, facts: {late_valu: 1}}
"""


def test_portfolio_input(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "portfolio.yaml"
    path.write_text(PORTFOLIO, encoding="utf-8")
    run = cli("evaluate", MINI, path, "--fail-on", "penalty")
    out = json.loads(run.out)
    assert out["portfolio"] == "P1"
    assert out["cases"][0]["penalties"][0]["amount"] == "6000.00"
    line_b = PORTFOLIO.splitlines().index("  - {case: B, facts: {late_valu: 1}}") + 1
    assert out["cases"][1]["error"]["diagnostics"][0]["line"] == line_b  # points into the portfolio file
    assert run.code in (1, 3)
    jsonschema.Draft202012Validator(load_schema("result")).validate(out)


def test_portfolio_with_an_invalid_case_exits_3(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "portfolio.yaml"
    path.write_text(PORTFOLIO, encoding="utf-8")
    assert cli("evaluate", MINI, path).code == 3


# explain ----------------------------------------------------------------------------------------

def test_explain_text(cli, easter_case: Path) -> None:  # type: ignore[no-untyped-def]
    run = cli("explain", MINI, easter_case, "--lang", "en")
    assert run.code == 0
    assert run.out.startswith("Penalty DKK 6,000.00 — Daily penalty")
    assert "Maundy Thursday" in run.out


def test_explain_json_and_html(cli, easter_case: Path) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(cli("explain", MINI, easter_case, "--format", "json").out)
    assert doc["case"] == "KBH-EASTER" and doc["tree"]
    html = cli("explain", MINI, easter_case, "--format", "html").out
    assert html.startswith("<!doctype html>") and "Skærtorsdag" in html


def test_explain_one_rule(cli, easter_case: Path) -> None:  # type: ignore[no-untyped-def]
    run = cli("explain", MINI, easter_case, "--rule", "doc_deadline")
    assert run.out.startswith("Frist: Dokumentation — overskredet")


def test_explain_unknown_rule_is_a_usage_error(cli, easter_case: Path) -> None:  # type: ignore[no-untyped-def]
    run = cli("explain", MINI, easter_case, "--rule", "doc_deadlin")
    assert run.code == 2
    assert "has no rule 'doc_deadlin'" in run.err and "did you mean 'doc_deadline'?" in run.err


def test_explain_a_case_of_a_portfolio(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "portfolio.yaml"
    path.write_text(PORTFOLIO, encoding="utf-8")
    run = cli("explain", MINI, path, "--case", "A")
    assert run.code == 0 and run.out.startswith("Bod 6.000,00 kr.")
    run = cli("explain", MINI, path, "--case", "Z")
    assert run.code == 2 and "no case 'Z'" in run.err


# schema -----------------------------------------------------------------------------------------

def test_schema_case_for_mini(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import yaml

    run = cli("schema", "case", MINI)
    assert run.code == 0
    schema = json.loads(run.out)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    from cli_support import EASTER_CASE

    good = yaml.safe_load(EASTER_CASE)
    good["as_of"] = str(good["as_of"])
    good["events"] = [{**e, "date": str(e["date"])} for e in good["events"]]
    assert list(validator.iter_errors(good)) == []
    assert not validator.is_valid({**good, "facts": {"late_valu": 1}})
    assert not validator.is_valid({**good, "events": [{"type": "demandd", "date": "2021-01-01"}]})
    assert not validator.is_valid({**good, "contract": "other"})
    assert schema["properties"]["facts"]["properties"]["late_value"]["type"] == ["number", "string"]


def test_schema_case_needs_a_contract(cli) -> None:  # type: ignore[no-untyped-def]
    run = cli("schema", "case")
    assert run.code == 2
    assert "E028" in run.err


@pytest.mark.parametrize("which", ["contract", "result"])
def test_schema_contract_and_result(cli, which: str) -> None:  # type: ignore[no-untyped-def]
    run = cli("schema", which)
    assert run.code == 0
    jsonschema.Draft202012Validator.check_schema(json.loads(run.out))
