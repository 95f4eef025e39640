"""The RulekitError tree. Every error carries one or more Diagnostics."""

from __future__ import annotations

from collections.abc import Iterable

from .diagnostics import Diagnostic


class RulekitError(Exception):
    """Base of every error rulekit raises on purpose."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        super().__init__("\n".join(d.render() for d in self.diagnostics))

    @classmethod
    def one(cls, code: str, message: str, **kw: object) -> RulekitError:
        return cls([Diagnostic(code, message, **kw)])  # type: ignore[arg-type]


class SpecError(RulekitError):
    """A contract spec or rule library is malformed, violates the schema or fails the type check."""


class InputError(RulekitError):
    """A case or portfolio file is malformed or violates its contract's vocabulary."""


class EvaluationError(RulekitError):
    """A rule could not be evaluated for a case (e.g. division by zero)."""


class UsageError(RulekitError):
    """The command line was used wrongly."""
