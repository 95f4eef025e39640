"""Support for CLI tests: run `python -m rulekit` as a subprocess, and the files the commands are given."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
MINI = TESTS / "data" / "mini.yaml"
CALENDARS = REPO / "rules" / "danish_calendars.yaml"

EASTER_CASE = """case: KBH-EASTER
contract: mini
as_of: 2021-05-01
facts: {late_value: 24000}
events:
  - {type: demanded, date: 2021-03-31}
  - {type: delivered, date: 2021-04-14}
"""

ON_TIME_CASE = """case: ON-TIME
contract: mini
as_of: 2021-05-01
events:
  - {type: demanded, date: 2021-03-31}
  - {type: delivered, date: 2021-04-12}
"""


@dataclass
class Run:
    code: int
    out: str
    err: str


def rulekit(*args: str | Path, cwd: Path | None = None, stdin: str | None = None) -> Run:
    """`python -m rulekit ARGS` in a subprocess (with `stdin` piped to it, when given); never a traceback on
    stderr."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}
    proc = subprocess.run([sys.executable, "-m", "rulekit", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd or REPO, env=env, timeout=120, check=False, input=stdin)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "internal error" not in proc.stderr, proc.stderr
    return Run(proc.returncode, proc.stdout, proc.stderr)


def mini_text() -> str:
    text = MINI.read_text(encoding="utf-8")
    return text.replace("../../rules/danish_calendars.yaml", str(CALENDARS))
