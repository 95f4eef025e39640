"""Fixtures for the batch tests (helpers live in batch_support.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_support import write_cases


@pytest.fixture(scope="module")
def cases_1500(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,500 generated København cases (three chunks of `rulekit batch`) with one broken line (1,234)."""
    return write_cases(tmp_path_factory.mktemp("batch") / "cases-1500.jsonl", 1500, seed=11, corrupt_line=1234)
