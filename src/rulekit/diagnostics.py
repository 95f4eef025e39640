"""Diagnostics: the one shape every problem takes, and its one renderer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .source import Span

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem found in a spec, an expression or an input, with where it is and how to fix it."""

    code: str
    message: str
    span: Span | None = None
    hint: str | None = None
    severity: Severity = "error"
    path: tuple[str | int, ...] = field(default=())

    def render(self) -> str:
        """`file:line:col: error[CODE]: message (hint: …)` on one line."""
        where = f"{self.span}: " if self.span else ""
        at = f" (at {'/'.join(str(p) for p in self.path)})" if self.path and not self.span else ""
        hint = f" — hint: {self.hint}" if self.hint else ""
        return f"{where}{self.severity}[{self.code}]: {self.message}{at}{hint}"

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form (for error records in results)."""
        out: dict[str, object] = {"code": self.code, "severity": self.severity, "message": self.message}
        if self.span:
            out.update(file=self.span.file, line=self.span.line, col=self.span.col)
        if self.path:
            out["path"] = list(self.path)
        if self.hint:
            out["hint"] = self.hint
        return out


def did_you_mean(name: str, candidates: object) -> str | None:
    """A 'did you mean' hint for a misspelt name, or None."""
    import difflib

    names = [str(c) for c in candidates]  # type: ignore[attr-defined]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    if not close:
        return None
    return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
