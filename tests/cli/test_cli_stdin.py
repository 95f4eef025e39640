"""`-` as the case file of `rulekit evaluate`, `explain`, `due` (and `report`): one case or portfolio
(YAML or JSON) read from standard input, checked and reported exactly as a file is, located as <stdin>."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_support import EASTER_CASE, MINI, Run, rulekit

import rulekit.cli.inputs as inputs

OPEN_CASE = """case: KBH-OPEN
contract: mini
as_of: 2021-04-27
facts: {late_value: 24000}
events:
  - {type: demanded, date: 2021-04-26, id: D1}
"""

BAD_YAML = "case: [KBH-1\nfoo: 1\n"  # an unclosed flow sequence: E010 at line 2, column 4
TYPO_CASE = EASTER_CASE.replace("late_value", "late_valu")  # an undeclared fact: E300 at line 4
EASTER_JSON = json.dumps({"case": "KBH-EASTER", "contract": "mini", "as_of": "2021-05-01",
                          "facts": {"late_value": 24000},
                          "events": [{"type": "demanded", "date": "2021-03-31"},
                                     {"type": "delivered", "date": "2021-04-14"}]}, indent=1)

# every command that takes a case file, with options that show its different outputs
RUNS = [
    ("evaluate",),
    ("evaluate", "--format", "text", "--lang", "en"),
    ("evaluate", "--detail", "summary", "--trace"),
    ("explain",),
    ("explain", "--format", "json", "--lang", "en"),
    ("explain", "--format", "html", "--rule", "doc_penalty"),
    ("due",),
    ("due", "--format", "json", "--within", "10", "working_days"),
]
COMMANDS = ["evaluate", "explain", "due"]

Stdin = Callable[..., Run]


@pytest.fixture
def piped(cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> Stdin:
    """rulekit.cli.main(ARGS) in-process with `data` (text or bytes) as its standard input."""
    def _run(data: str | bytes, *args: str | Path) -> Run:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
        return cli(*args)
    return _run


def _write(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# the same output as for a file ---------------------------------------------------------------------

@pytest.mark.parametrize("run", RUNS, ids=" ".join)
@pytest.mark.parametrize("case", [EASTER_CASE, OPEN_CASE], ids=["easter", "open"])
def test_stdin_gives_the_output_of_the_same_file(piped: Stdin, cli: Callable[..., Run], tmp_path: Path,
                                                 run: tuple[str, ...], case: str) -> None:
    command, *options = run
    from_file = cli(command, MINI, _write(tmp_path, case), *options)
    from_stdin = piped(case, command, MINI, "-", *options)
    assert (from_stdin.code, from_stdin.out, from_stdin.err) == (from_file.code, from_file.out, from_file.err)
    assert from_stdin.code == 0
    assert from_stdin.out


@pytest.mark.parametrize("command", COMMANDS)
def test_stdin_takes_json_like_a_file(piped: Stdin, cli: Callable[..., Run], tmp_path: Path, command: str) -> None:
    from_file = cli(command, MINI, _write(tmp_path, EASTER_JSON, "case.json"), "--as-of", "2021-04-13")
    from_stdin = piped(EASTER_JSON, command, MINI, "-", "--as-of", "2021-04-13")
    assert from_stdin.code == from_file.code == 0
    assert from_stdin.out == from_file.out


def test_stdin_through_a_real_pipe(tmp_path: Path) -> None:
    """`python -m rulekit evaluate SPEC - < case.yaml` reads the process's own standard input."""
    from_stdin = rulekit("evaluate", MINI, "-", stdin=EASTER_CASE)
    from_file = rulekit("evaluate", MINI, _write(tmp_path, EASTER_CASE))
    assert from_stdin.code == 0
    assert from_stdin.out == from_file.out
    assert json.loads(from_stdin.out)["penalties"][0]["amount"] == "6000.00"


def test_stdin_among_files(piped: Stdin, cli: Callable[..., Run], tmp_path: Path) -> None:
    """`-` may stand anywhere in a list of inputs; results keep the order given."""
    open_file = _write(tmp_path, OPEN_CASE, "open.yaml")
    both = piped(EASTER_CASE, "evaluate", MINI, open_file, "-")
    assert both.code == 0
    assert [r["case"] for r in json.loads(both.out)] == ["KBH-OPEN", "KBH-EASTER"]


def test_due_within_then_stdin(piped: Stdin) -> None:
    """`--within N -`: the `-` after the count is the input, not a unit."""
    run = piped(OPEN_CASE, "due", MINI, "--within", "10", "-", "--format", "json")
    assert run.code == 0
    assert [i["case"] for i in json.loads(run.out)["open"]] == ["KBH-OPEN"]


def test_report_reads_stdin_too(piped: Stdin, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    run = piped(EASTER_CASE, "report", MINI, "-", "-o", out)
    assert run.code == 0
    assert "KBH-EASTER" in out.read_text(encoding="utf-8")


def test_a_portfolio_on_stdin_finds_its_cases_file_in_the_current_folder(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    case = {"case": "A", "facts": {"late_value": 24000},
            "events": [{"type": "demanded", "date": "2021-03-31"}, {"type": "delivered", "date": "2021-04-14"}]}
    (tmp_path / "sub" / "cases.jsonl").write_text(json.dumps(case) + "\n", encoding="utf-8")
    portfolio = "portfolio: P\ncontract: mini\nas_of: 2021-05-01\ncases: sub/cases.jsonl\n"
    run = rulekit("evaluate", MINI, "-", cwd=tmp_path, stdin=portfolio)
    assert run.code == 0
    assert json.loads(run.out)["cases"][0]["penalties"][0]["amount"] == "6000.00"
    elsewhere = rulekit("evaluate", MINI, "-", cwd=tmp_path / "sub", stdin=portfolio)
    assert elsewhere.code == 3  # relative to the current folder, not to where the text came from
    assert "cases file sub/cases.jsonl does not exist" in elsewhere.out + elsewhere.err


def test_a_file_called_dash_is_read_as_dot_slash_dash(piped: Stdin, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, EASTER_CASE, "-")
    monkeypatch.chdir(tmp_path)
    run = piped(OPEN_CASE, "evaluate", MINI, "./-")
    assert json.loads(run.out)["case"] == "KBH-EASTER"


def test_a_text_stream_without_buffer(cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    """Standard input replaced by a plain text stream (an embedding program, a test) is read as well."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(EASTER_CASE))
    run = cli("evaluate", MINI, "-")
    assert run.code == 0
    assert json.loads(run.out)["case"] == "KBH-EASTER"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_is_told_how_to_end_the_case(cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    """At a terminal the read waits for end-of-file like `cat`: standard error says so first, standard output
    stays the result alone; a pipe gets no such line."""
    monkeypatch.setattr(sys, "stdin", _Terminal(EASTER_CASE))
    run = cli("evaluate", MINI, "-")
    assert run.code == 0 and json.loads(run.out)["case"] == "KBH-EASTER"
    assert "Ctrl-D" in run.err
    monkeypatch.setattr(sys, "stdin", io.StringIO(EASTER_CASE))
    assert "Ctrl-D" not in cli("evaluate", MINI, "-").err


# errors: one line, located at <stdin>, the exit code a file gets --------------------------------------

def _one_line(run: Run) -> str:
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert "Traceback" not in run.err
    return lines[0]


@pytest.mark.parametrize("command", COMMANDS)
def test_malformed_yaml_on_stdin(piped: Stdin, cli: Callable[..., Run], tmp_path: Path, command: str) -> None:
    run = piped(BAD_YAML, command, MINI, "-")
    assert run.code == 3
    line = _one_line(run)
    assert line.startswith("<stdin>:2:4: error[E010]: malformed YAML: ")
    assert " — hint: " in line
    path = _write(tmp_path, BAD_YAML)
    assert line == _one_line(cli(command, MINI, path)).replace(str(path), "<stdin>")  # the file's message


def test_malformed_yaml_through_a_real_pipe() -> None:
    run = rulekit("explain", MINI, "-", stdin=BAD_YAML)
    assert run.code == 3
    assert _one_line(run).startswith("<stdin>:2:4: error[E010]: malformed YAML: ")
    assert run.out == ""


@pytest.mark.parametrize("command", COMMANDS)
def test_an_invalid_case_on_stdin_is_located_as_in_a_file(piped: Stdin, cli: Callable[..., Run], tmp_path: Path,
                                                          command: str) -> None:
    run = piped(TYPO_CASE, command, MINI, "-")
    path = _write(tmp_path, TYPO_CASE)
    from_file = cli(command, MINI, path)
    assert run.code == from_file.code == 3
    assert _one_line(run) == "<stdin>:4:20: error[E300]: undeclared fact 'late_valu' — hint: did you mean " \
                             "'late_value'?"
    assert run.err == from_file.err.replace(str(path), "<stdin>")


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("data", ["", " \n\n\t\n", "\ufeff"], ids=["nothing", "blank", "bom"])
def test_empty_stdin_is_a_clear_error(piped: Stdin, command: str, data: str) -> None:
    run = piped(data, command, MINI, "-")
    assert run.code == 3
    assert run.out == ""
    line = _one_line(run)
    assert line.startswith("<stdin>:1:1: error[E004]: standard input is empty")
    assert "hint: pipe a case" in line


def test_empty_stdin_through_a_real_pipe() -> None:
    run = rulekit("due", MINI, "-", stdin="")
    assert run.code == 3
    assert _one_line(run).startswith("<stdin>:1:1: error[E004]: standard input is empty")


def test_closed_stdin(cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", None)  # what Python gives a process started with `<&-`
    run = cli("evaluate", MINI, "-")
    assert run.code == 3
    assert _one_line(run).startswith("<stdin>:1:1: error[E001]: cannot read standard input: it is closed")


def test_stdin_that_is_not_utf8(piped: Stdin) -> None:
    run = piped(b"case: \xff\xfe\n", "evaluate", MINI, "-")
    assert run.code == 3
    assert _one_line(run).startswith("<stdin>:1:1: error[E003]: standard input is not UTF-8 text")


def test_stdin_over_the_size_limit(piped: Stdin, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inputs, "MAX_BYTES", 20)
    run = piped(EASTER_CASE, "evaluate", MINI, "-")
    assert run.code == 3
    assert _one_line(run).startswith("<stdin>:1:1: error[E002]: standard input holds more than the limit of 20 bytes")


def test_json_lines_on_stdin_point_to_batch(piped: Stdin) -> None:
    lines = '{"case": "A", "contract": "mini"}\n{"case": "B", "contract": "mini"}\n'
    run = piped(lines, "evaluate", MINI, "-")
    assert run.code == 3
    line = _one_line(run)
    assert line.startswith("<stdin>:2:1: error[E010]: malformed YAML: ")
    assert "rulekit batch CONTRACT -" in line


def test_stdin_named_twice_is_a_usage_error(piped: Stdin) -> None:
    run = piped(EASTER_CASE, "evaluate", MINI, "-", "-")
    assert run.code == 2
    assert _one_line(run).startswith("error[E020]: - (standard input) is named more than once")
    assert run.out == ""


@pytest.mark.parametrize("command", [*COMMANDS, "report"])
def test_help_says_what_dash_does(command: str) -> None:
    run = rulekit(command, "--help")
    assert run.code == 0
    text = " ".join(run.out.split())
    assert "or - for standard input (one case or portfolio, YAML/JSON;" in text
    assert "`cases:` file is then found relative to the current folder" in text
