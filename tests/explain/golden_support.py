"""Golden files: compare text with tests/golden/NAME; RULEKIT_UPDATE_GOLDEN=1 rewrites them instead.

    RULEKIT_UPDATE_GOLDEN=1 python -m pytest tests/explain     # regenerate, then review `git diff tests/golden`
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("RULEKIT_UPDATE_GOLDEN", "") not in ("", "0", "false", "no")


def check_golden(name: str, actual: str) -> None:
    """Assert that `actual` equals the golden file `name` (or write it when updating)."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    if not path.exists():
        pytest.fail(f"golden file {path} is missing; run with RULEKIT_UPDATE_GOLDEN=1 to create it")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                                            f"golden/{name}", "actual"))
        pytest.fail(f"output differs from golden/{name} (RULEKIT_UPDATE_GOLDEN=1 to accept):\n{diff}",
                    pytrace=False)
