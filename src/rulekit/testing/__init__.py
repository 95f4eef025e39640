"""Run the tests embedded in contract specs; clause coverage; JUnit XML; the pytest plugin."""

from .runner import Coverage, TestOutcome, coverage, run_tests

__all__ = ["Coverage", "TestOutcome", "coverage", "run_tests"]
