"""Fixture contracts for runtime tests, loaded once per session (helpers live in runtime_support.py)."""

from __future__ import annotations

import pytest
from runtime_support import FIXTURES, MINI

from rulekit import Contract, load_contract


@pytest.fixture(scope="session")
def deadlines() -> Contract:
    return load_contract(FIXTURES / "deadlines.yaml")


@pytest.fixture(scope="session")
def duties() -> Contract:
    return load_contract(FIXTURES / "duties.yaml")


@pytest.fixture(scope="session")
def amounts_spec() -> Contract:
    return load_contract(FIXTURES / "amounts.yaml")


@pytest.fixture(scope="session")
def mini() -> Contract:
    return load_contract(MINI)
