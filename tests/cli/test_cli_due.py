"""`rulekit due` (open obligation instances, soonest first), and the instance syntax through the command line:
bad ids and refs exit 3 with file:line:col, `explain --instance`, `validate` printing W120. Dates are
hand-computed on tests/data/instances.yaml's calendar (Danish holidays 2021: 1, 2, 5 April, 30 April, 13 and
24 May). Due = 5 working days after the demand."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_support import REPO, TESTS, Run, rulekit

SPEC = TESTS / "data" / "instances.yaml"
KBH = REPO / "contracts" / "kobenhavn.yaml"
KBH_PORTFOLIO = REPO / "examples" / "kobenhavn" / "portfolio.yaml"
Cli = Callable[..., Run]

# Demand 20.04 → due 27.04, open.
CASE_A = """case: A
contract: instances
as_of: 2021-04-26
events:
  - {type: documentation_requested, date: 2021-04-20, id: D3}
"""
# Two open demands: 22.04 → 29.04; 23.04 → 03.05 (30.04 Store Bededag). One met, one delivered late.
CASE_B = """case: B
contract: instances
as_of: 2021-04-26
events:
  - {type: documentation_requested, date: 2021-04-22, id: P}
  - {type: documentation_requested, date: 2021-04-23, id: Q}
  - {type: documentation_requested, date: 2021-03-31, id: MET}
  - {type: documentation_delivered, date: 2021-04-09, ref: MET}
  - {type: documentation_requested, date: 2021-04-06, id: LATE}
  - {type: documentation_delivered, date: 2021-04-15, ref: LATE}
"""
# Demand 06.04 → due 13.04, never delivered: overdue by 14–26 April = 9 working days.
CASE_C = """case: C
contract: instances
as_of: 2021-04-26
events:
  - {type: documentation_requested, date: 2021-04-06, id: D2}
"""
BAD_CASE = """case: BAD
contract: instances
as_of: 2021-04-26
events:
  - {type: documentation_requested, date: 2021-03-31, id: DOC-17}
  - {type: documentation_requested, date: 2021-04-06, id: DOC-17}
  - {type: documentation_delivered, date: 2021-04-09, ref: DOC-71}
  - {type: invoice_error, date: 2021-04-09, ref: DOC-17}
"""


def jsonl_line(case_id: str, *events: dict[str, Any]) -> str:
    return json.dumps({"case": case_id, "contract": "instances", "as_of": "2021-04-26", "events": list(events)})


@pytest.fixture
def cases(tmp_path: Path) -> list[Path]:
    paths = []
    for name, text in (("a.yaml", CASE_A), ("b.yaml", CASE_B), ("c.yaml", CASE_C)):
        paths.append(tmp_path / name)
        paths[-1].write_text(text, encoding="utf-8")
    return paths


def open_items(run: Run) -> list[tuple[str, str | None, str, str, int, int]]:
    out = json.loads(run.out)
    return [(i["case"], i["instance"], i["status"], i["due"], i["working_days_left"], i["days_left"])
            for i in out["open"]]


ALL = [("C", "D2", "breached", "2021-04-13", -9, -13), ("A", "D3", "pending", "2021-04-27", 1, 1),
       ("B", "P", "pending", "2021-04-29", 3, 3), ("B", "Q", "pending", "2021-05-03", 4, 7)]


# input errors through `rulekit evaluate` -----------------------------------------------------------------------

def test_bad_ids_and_refs_exit_3_with_positions(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_CASE, encoding="utf-8")
    run = rulekit("evaluate", SPEC, path)
    assert run.code == 3 and run.out == ""
    lines = BAD_CASE.splitlines()

    def at(line: int, needle: str) -> str:
        return f"{path}:{line}:{lines[line - 1].index(needle) + 1}: error"
    err = run.err.splitlines()
    assert any(e.startswith(at(6, "DOC-17") + "[E306]: duplicate event id 'DOC-17'") for e in err), run.err
    assert any(e.startswith(at(7, "DOC-71") + "[E307]: `ref: DOC-71`") and "did you mean 'DOC-17'?" in e
               for e in err), run.err
    assert any(e.startswith(at(8, "DOC-17") + "[E300]: event 'invoice_error' answers no other event")
               for e in err), run.err


@pytest.mark.parametrize(("events", "code"), [
    ([{"type": "documentation_requested", "date": "2021-03-31", "id": "D1"},
      {"type": "documentation_delivered", "date": "2021-03-30", "ref": "D1"}], "E308"),
    ([{"type": "invoice_error", "date": "2021-03-31", "id": "E1"},
      {"type": "documentation_delivered", "date": "2021-04-01", "ref": "E1"}], "E307"),
    ([{"type": "documentation_requested", "date": "2021-03-31", "id": [1]}], "E300"),
])
def test_other_ref_errors_exit_3_through_the_cli(cli: Cli, tmp_path: Path, events: list[Any], code: str) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"case": "X", "contract": "instances", "as_of": "2021-04-26", "events": events}))
    run = cli("evaluate", SPEC, path)
    assert run.code == 3 and f"error[{code}]" in run.err and f"{path}:" in run.err


# rulekit due ---------------------------------------------------------------------------------------------------

def test_due_json_sorted_across_case_files(cli: Cli, cases: list[Path]) -> None:
    run = cli("due", SPEC, *cases, "--format", "json")
    assert run.code == 0, run.err
    assert open_items(run) == ALL  # met and late-delivered demands are not open
    out = json.loads(run.out)
    assert out["contract"] == "instances" and out["errors"] == []
    first = out["open"][0]
    assert (first["rule"], first["obliged"], first["source"], first["title"]) == \
        ("documentation_on_demand", "provider", "K pkt. 2.3.3", "Dokumentation efter påkrav")


def test_due_text_in_danish_and_english(cli: Cli, cases: list[Path]) -> None:
    run = cli("due", SPEC, *cases)
    rows = run.out.splitlines()
    assert rows[0].split() == ["frist", "arb.dage", "sag", "forpligtelse", "status"]
    assert [r.split()[:5] for r in rows[1:]] == [
        ["13.04.2021", "-9", "C", "documentation_on_demand[D2]", "overskredet"],
        ["27.04.2021", "1", "A", "documentation_on_demand[D3]", "afventer"],
        ["29.04.2021", "3", "B", "documentation_on_demand[P]", "afventer"],
        ["03.05.2021", "4", "B", "documentation_on_demand[Q]", "afventer"]]
    assert rows[1].endswith("Dokumentation efter påkrav (K pkt. 2.3.3)")
    english = cli("due", SPEC, cases[0], "--lang", "en").out.splitlines()
    assert english[0].split()[:2] == ["due", "work"] and "pending" in english[1] and "27 April 2021" in english[1]


def test_nothing_open(cli: Cli, cases: list[Path]) -> None:
    run = cli("due", SPEC, cases[0], "--as-of", "2021-04-19")  # the demand of 20.04 is not known yet
    assert run.code == 0 and run.out.splitlines()[1:] == ["ingen åbne forpligtelser"]


@pytest.mark.parametrize(("within", "expected"), [
    (["3", "working_days"], ALL[:3]),
    (["3"], ALL[:3]),  # working days by default
    (["4", "working_days"], ALL),
    (["4", "days"], ALL[:3]),  # Q is 4 working days but 7 days away
    (["10", "days"], ALL),
    (["0", "days"], ALL[:1]),
])
def test_due_within(cli: Cli, cases: list[Path], within: list[str], expected: list[Any]) -> None:
    run = cli("due", SPEC, *cases, "--format", "json", "--within", *within)
    assert run.code == 0 and open_items(run) == expected


def test_due_as_of_makes_items_overdue(cli: Cli, cases: list[Path]) -> None:
    # as of Wed 28.04: A's 27.04 is 1 working day past; P 29.04 is 1 ahead; Q 03.05 is 2 ahead (30.04 off)
    run = cli("due", SPEC, *cases, "--format", "json", "--as-of", "2021-04-28")
    assert open_items(run) == [("C", "D2", "breached", "2021-04-13", -11, -15),
                               ("A", "D3", "breached", "2021-04-27", -1, -1),
                               ("B", "P", "pending", "2021-04-29", 1, 1), ("B", "Q", "pending", "2021-05-03", 2, 5)]


@pytest.mark.parametrize("within", [["3", "weeks"], ["soon"], ["three", "days"]])
def test_bad_within_is_a_usage_error(cli: Cli, cases: list[Path], within: list[str]) -> None:
    run = cli("due", SPEC, *cases, "--within", *within)
    assert run.code == 2 and "error[E027]" in run.err and run.out == ""


def test_an_input_after_within_is_not_dropped(cli: Cli, cases: list[Path]) -> None:
    run = cli("due", SPEC, cases[0], "--format", "json", "--within", "10", "days", cases[2])
    assert run.code == 2 or [i[0] for i in open_items(run)] == ["C", "A"]  # got exit 0 and only A


def test_due_jsonl_bad_line_is_an_error_record_others_listed(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join([
        jsonl_line("J1", {"type": "documentation_requested", "date": "2021-04-20", "id": "D3"}),
        jsonl_line("J2", {"type": "documentation_requested", "date": "2021-04-06", "id": "D2"},
                   {"type": "documentation_delivered", "date": "2021-04-09", "ref": "D3"}),
        "{not json",
        jsonl_line("J4", {"type": "documentation_requested", "date": "2021-04-22"}),
    ]) + "\n", encoding="utf-8")
    run = cli("due", SPEC, path, "--format", "json")
    assert run.code == 3
    assert open_items(run) == [("J1", "D3", "pending", "2021-04-27", 1, 1),
                               ("J4", "1: 2021-04-22", "pending", "2021-04-29", 3, 3)]
    errors = json.loads(run.out)["errors"]
    assert [(e["case"], e["line"]) for e in errors] == [("J2", 2), (None, 3)]
    (diag,) = errors[0]["error"]["diagnostics"]
    assert (diag["code"], diag["path"], diag["line"]) == ("E307", ["events", 1, "ref"], 2)
    text = cli("due", SPEC, path)
    assert text.code == 3 and "J1" in text.out and "J4" in text.out
    assert f"error: case J2: {path}:2:1: error[E307]" in text.err


def test_due_reads_a_portfolio(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "portfolio.yaml"
    path.write_text("portfolio: PF\ncontract: instances\nas_of: 2021-04-26\ncases:\n"
                    "  - case: P1\n    events: [{type: documentation_requested, date: 2021-04-23, id: Q}]\n"
                    "  - case: P2\n    events: [{type: documentation_requested, date: 2021-04-20}]\n",
                    encoding="utf-8")
    run = cli("due", SPEC, path, "--format", "json")
    assert run.code == 0 and open_items(run) == [("P2", "1: 2021-04-20", "pending", "2021-04-27", 1, 1),
                                                 ("P1", "Q", "pending", "2021-05-03", 4, 7)]


def test_due_reads_the_kobenhavn_portfolio(cli: Cli) -> None:
    # as of Mon 20.12.2021: the account demanded Fri 17.12 is due Tue 04.01.2022 (10 working days; 24 and
    # 31 December closed): 21, 22, 23, 27, 28, 29, 30 December, 3, 4 January = 9 working days left
    run = cli("due", KBH, KBH_PORTFOLIO, "--format", "json", "--as-of", "2021-12-20", "--within", "10")
    assert run.code == 0, run.err
    assert open_items(run) == [("KBH-2021-0913", "1: 2021-12-17", "pending", "2022-01-04", 9, 15)]
    everything = cli("due", KBH, KBH_PORTFOLIO, "--format", "json", "--as-of", "2021-12-20")
    assert [i[0] for i in open_items(everything)] == ["KBH-2021-0913", "KBH-2022-0107"]
    assert open_items(cli("due", KBH, KBH_PORTFOLIO, "--format", "json")) == []  # all settled by 30.06.2022


# explain --instance, validate W120 -----------------------------------------------------------------------------

def test_explain_one_instance_with_its_deadline_beneath(tmp_path: Path) -> None:
    path = tmp_path / "three.yaml"
    path.write_text(CASE_A.replace("events:\n", "facts: {late_value: 24000}\nevents:\n"
                                   "  - {type: documentation_requested, date: 2021-03-31, id: D1}\n"
                                   "  - {type: documentation_requested, date: 2021-04-06, id: D2}\n"
                                   "  - {type: documentation_delivered, date: 2021-04-09, ref: D1}\n"
                                   "  - {type: documentation_delivered, date: 2021-04-15, ref: D2}\n"),
                    encoding="utf-8")
    run = rulekit("explain", SPEC, path, "--rule", "daily_penalty", "--instance", "D2", "--lang", "en")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[0].startswith("Penalty DKK 6,000.00 — Daily penalty for late documentation [D2]")
    assert "units: Documentation on demand: working days late = 2" in run.out
    (deadline,) = [i for i, line in enumerate(lines) if "Deadline: Documentation on demand" in line]
    assert lines[deadline].startswith("└─ Deadline: Documentation on demand [D2] — breached")
    beneath = "\n".join(lines[deadline + 1:])
    assert "due Tue 13 April 2021" in beneath and "late by: 2 working days" in beneath
    assert "[D1]" not in run.out and "[D3]" not in run.out


def test_validate_prints_w120_and_exits_0() -> None:
    fixture = TESTS / "fixtures" / "single_reads.yaml"
    run = rulekit("validate", fixture)
    assert run.code == 0 and "2 warnings" in run.out
    line = fixture.read_text(encoding="utf-8").splitlines().index("  - id: reply_in_time") + 1
    warned = [e for e in run.err.splitlines() if "warning[W120]" in e]
    assert len(warned) == 2 and all(e.startswith(f"{fixture}:{line}:5: warning[W120]: rule 'reply_in_time'")
                                    for e in warned)
    assert {"'reply'", "'request'"} <= {w.split(" of ")[1].split(",")[0] for w in warned}
    assert not any("kickoff" in e for e in warned)


def test_a_suspended_instance_is_still_open(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "fm.yaml"
    path.write_text(CASE_A.replace("as_of: 2021-04-26", "as_of: 2021-04-29")
                    + "  - {type: force_majeure, date: 2021-04-21, id: F1}\n", encoding="utf-8")
    assert open_items(cli("due", SPEC, path, "--format", "json")) == [
        ("A", "D3", "suspended", "2021-04-27", -2, -2)]  # 28 and 29 April past the due date
    row = cli("due", SPEC, path).out.splitlines()[1].split()
    assert row[:5] == ["27.04.2021", "-2", "A", "documentation_on_demand[D3]", "suspenderet"]


def test_due_without_inputs_is_a_usage_error_of_its_own(cli: Cli) -> None:
    run = cli("due", SPEC)
    assert run.code == 2 and "error[E029]" in run.err and run.out == ""
