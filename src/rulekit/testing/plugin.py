"""pytest plugin: the tests embedded in contract specs become pytest items.

Registered through the `pytest11` entry point; it collects `*.yaml` files that start with `rulekit:`
and have `tests:`, under the paths pytest is asked to look at."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_SPEC = re.compile(r"^rulekit:\s*1\b", re.MULTILINE)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("rulekit_spec_paths", type="paths", default=[],
                  help="folders whose contract specs' embedded tests become pytest items (default: everywhere)")


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix not in (".yaml", ".yml"):
        return None
    roots = parent.config.getini("rulekit_spec_paths")
    if roots and not any(file_path.is_relative_to(root) for root in roots):
        return None
    if _is_spec(file_path):
        return SpecFile.from_parent(parent, path=file_path)
    return None


def _is_spec(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as handle:
            head = handle.read(4096)
    except (OSError, UnicodeDecodeError):
        return False
    return _SPEC.search(head) is not None and "\ntests:" in path.read_text(encoding="utf-8")


class SpecFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        from ..errors import RulekitError
        from ..spec import load_contract

        try:
            contract = load_contract(self.path)
        except RulekitError as exc:
            yield SpecLoadItem.from_parent(self, name="load", error=exc)
            return
        for test in contract.tests:
            yield SpecTestItem.from_parent(self, name=test.id, contract=contract, test=test)


class SpecLoadItem(pytest.Item):
    def __init__(self, *, error: Exception, **kw: Any) -> None:
        super().__init__(**kw)
        self.error = error

    def runtest(self) -> None:
        raise SpecTestFailure([str(self.error)])

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        return str(self.error)


class SpecTestFailure(Exception):
    def __init__(self, failures: list[str]) -> None:
        super().__init__("\n".join(failures))
        self.failures = failures


class SpecTestItem(pytest.Item):
    def __init__(self, *, contract: Any, test: Any, **kw: Any) -> None:
        super().__init__(**kw)
        self.contract, self.test = contract, test

    def runtest(self) -> None:
        from .runner import run_test

        outcome = run_test(self.contract, self.test)
        if outcome.failures:
            raise SpecTestFailure(outcome.failures)

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, SpecTestFailure):
            return f"{self.test.span}: spec test '{self.test.id}' failed:\n  " + "\n  ".join(excinfo.value.failures)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.test.span.line - 1, f"spec test {self.test.id}"
