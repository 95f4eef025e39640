"""Check and compile the expressions written inside a spec, with diagnostics at file:line:col."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..diagnostics import Diagnostic
from ..dsl import Calendars, CheckError, ParseError, Scope, check, compile_expr, parse
from ..dsl import types as t
from ..source import Span
from .model import Expr
from .yamlsource import Document, Path_

_BRACES = re.compile(r"\{([^{}]*)\}")


def as_text(value: Any) -> str:
    """The expression text of a YAML value (YAML may have read `true`, `5` or a date already)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal | int):
        return str(value)
    return str(value)


@dataclass
class Exprs:
    """Builds Expr objects for one document, collecting diagnostics instead of stopping."""

    doc: Document
    cals: Calendars
    diagnostics: list[Diagnostic] = field(default_factory=list)
    repeatable: frozenset[str] = frozenset()  # event types declared `repeatable: true`
    currency: str = "DKK"  # the contract's currency: every money literal is written in it

    def span(self, path: Path_, offset: int = 0) -> Span:
        scalar = self.doc.scalars.get(path)
        return scalar.locate(offset) if scalar else self.doc.span(path)

    def make(self, path: Path_, value: Any, scope: Scope, expected: t.Type | None = None,
             *, text: str | None = None, offset: int = 0) -> Expr | None:
        """Parse, check and compile the expression at `path`; None (and a diagnostic) if it is wrong."""
        source = as_text(value) if text is None else text
        try:
            node = parse(source)
            checked = check(source, node, scope, expected)
        except ParseError as exc:
            self.diagnostics.append(Diagnostic("E200", f"syntax error in expression: {exc.message}",
                                               self.span(path, offset + exc.offset), exc.hint, path=path))
            return None
        except CheckError as exc:
            self.diagnostics.append(Diagnostic(exc.code, exc.message, self.span(path, offset + exc.offset),
                                               exc.hint, path=path))
            return None
        except RecursionError:
            self.diagnostics.append(Diagnostic("E209", "expression nested too deeply to check", self.span(path, offset),
                                               "split it into parameters or separate rules", path=path))
            return None
        if self.cals.working.working_hours is None and t.SERVICE_HOURS in checked.types.values():
            self.diagnostics.append(Diagnostic(
                "E211", f"service hours need working hours, and calendar '{self.cals.working.name}' declares none",
                self.span(path, offset), 'add `working_hours: {from: "08:00", to: "16:00"}` to the default calendar',
                path=path))
            return None
        for warning in checked.warnings:
            diag = Diagnostic(warning.code, warning.message, self.span(path, offset + warning.offset), warning.hint,
                              path=path, severity="warning")
            if diag not in self.diagnostics:  # a part of an expression may be checked again on its own
                self.diagnostics.append(diag)
        return Expr(source, checked, self.span(path, offset), compile_expr(checked, self.cals), self.cals)

    def duration(self, path: Path_, value: Any, scope: Scope, unit: t.Type | None = None) -> Expr | None:
        """An expression that must be a duration (of `unit`, when given)."""
        expr = self.make(path, value, scope)
        if expr is None:
            return None
        if expr.type not in t.DURATIONS or (unit is not None and expr.type != unit):
            want = unit.name if unit else "a duration (days, working_days, weeks or months)"
            self.diagnostics.append(Diagnostic("E203", f"expected {want} here, but this expression is {expr.type}",
                                               expr.span, f"e.g. 5 {unit.name if unit else 'working_days'}",
                                               path=path))
            return None
        return expr

    def constant(self, path: Path_, value: Any, expected: t.Type) -> tuple[bool, Any]:
        """A constant value (a parameter's or an offering attribute's), evaluated now."""
        expr = self.make(path, value, Scope(currency=self.currency), expected)
        if expr is None:
            return False, None
        try:
            result = expr.fn(None)  # type: ignore[arg-type]  # constants read nothing from the env
        except Exception:
            self.diagnostics.append(Diagnostic("E208", "this value must be a constant", expr.span,
                                               "write a literal such as 3000 DKK, 10% or 5 working_days",
                                               path=path))
            return False, None
        if expected == t.DEC and isinstance(result, int):
            result = Decimal(result)
        return True, result

    def template(self, path: Path_, text: str, scope: Scope) -> tuple[tuple[str, Expr | None], ...]:
        """A message with `{expression}` holes: literal text and expressions, in order."""
        parts: list[tuple[str, Expr | None]] = []
        last = 0
        raw = self.doc.scalars.get(path)
        for match in _BRACES.finditer(text):
            parts.append((text[last:match.start()], None))
            expr = self.make(path, match.group(1), scope, text=match.group(1),
                             offset=match.start(1) if raw else 0)
            parts.append((match.group(0), expr))
            last = match.end()
        parts.append((text[last:], None))
        return tuple(parts)
