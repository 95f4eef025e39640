"""Draw a derivation tree as text: ├─ └─ │."""

from __future__ import annotations

from ..runtime.result import CaseResult
from .tree import Line, build
from .words import word


def render_text(result: CaseResult, rule: str | None = None, instance: str | None = None) -> str:
    return draw(build(result, rule, instance), result.case, result.lang)


def draw(lines: list[Line], name: str, lang: str) -> str:
    """Lines as a text tree; a note when there is nothing to explain."""
    if not lines:
        return f"{name}: {word(lang, 'no_outcome')}\n"
    out: list[str] = []
    for line in lines:
        out.append(line.text)
        _draw(line.children, "", out)
        out.append("")
    return "\n".join(out)


def _draw(children: list[Line], prefix: str, out: list[str]) -> None:
    for i, child in enumerate(children):
        last = i == len(children) - 1
        out.append(f"{prefix}{'└─ ' if last else '├─ '}{child.text}")
        _draw(child.children, prefix + ("   " if last else "│  "), out)
