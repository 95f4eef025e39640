"""Fixtures for CLI tests (helpers live in cli_support.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cli_support import EASTER_CASE, ON_TIME_CASE, Run

from rulekit.cli import main


@pytest.fixture
def easter_case(tmp_path: Path) -> Path:
    path = tmp_path / "easter.yaml"
    path.write_text(EASTER_CASE, encoding="utf-8")
    return path


@pytest.fixture
def on_time_case(tmp_path: Path) -> Path:
    path = tmp_path / "on_time.yaml"
    path.write_text(ON_TIME_CASE, encoding="utf-8")
    return path


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """rulekit.cli.main(ARGS) in-process, with its exit code and captured output."""
    def _run(*args: str | Path) -> Run:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        assert "internal error" not in captured.err, captured.err
        return Run(code, captured.out, captured.err)
    return _run
