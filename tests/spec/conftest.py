"""Fixtures for spec-loading tests (helpers live in spec_support.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from rulekit.errors import SpecError
from rulekit.spec import load_contract


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    def _write(text: str, name: str = "spec.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path
    return _write


@pytest.fixture
def spec_error(write: Callable[..., Path]) -> Callable[..., SpecError]:
    """Load `text` as a spec and return the SpecError it must raise."""
    def _error(text: str, name: str = "spec.yaml") -> SpecError:
        path = write(text, name)
        with pytest.raises(SpecError) as info:
            load_contract(path)
        assert info.value.diagnostics, "a SpecError must carry diagnostics"
        return info.value
    return _error
