"""Fixtures for the batch tests (helpers live in batch_support.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_support import write_cases


@pytest.fixture(scope="module")
def cases_3000(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 generated København cases with one broken line (1,234) among them."""
    return write_cases(tmp_path_factory.mktemp("batch") / "cases-3000.jsonl", 3000, seed=11, corrupt_line=1234)
