"""Source positions: spans in files, and offsets of expressions inside YAML scalars."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A position in a source file; lines and columns count from 1."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"

    def shifted(self, lines: int, col: int) -> Span:
        """The span `lines` lines further down, at column `col` (or further along this line)."""
        if lines == 0:
            return Span(self.file, self.line, self.col + col)
        return Span(self.file, self.line + lines, col + 1)


@dataclass(frozen=True, slots=True)
class ScalarSource:
    """Where a YAML scalar's value lies in the raw text, so that an offset into the value can be
    mapped back to a line and column even for quoted, folded and block scalars."""

    span: Span
    raw: str
    value: str

    def locate(self, offset: int) -> Span:
        """Span of character `offset` of the scalar's value."""
        raw, value = self.raw, self.value
        r = _skip_header(raw)
        v = 0
        while v < offset and r < len(raw) and v < len(value):
            if raw[r] == value[v]:
                r += 1
                v += 1
            elif raw[r] in " \t\r\n\"'":
                r += 1
            else:
                v += 1
        while r < len(raw) and raw[r] in " \t\r\n\"'" and (v >= len(value) or raw[r] != value[v]):
            r += 1
        before = raw[:r]
        lines = before.count("\n")
        if lines == 0:
            return self.span.shifted(0, r)
        return self.span.shifted(lines, len(before) - before.rfind("\n") - 1)


def _skip_header(raw: str) -> int:
    """Index of the first character of the value in a scalar's raw text."""
    if raw[:1] in "|>":
        nl = raw.find("\n")
        return len(raw) if nl < 0 else nl + 1
    if raw[:1] in "\"'":
        return 1
    return 0
