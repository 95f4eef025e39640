"""A derivation tree as a self-contained HTML page (nested lists; no scripts)."""

from __future__ import annotations

from html import escape

from ..runtime.result import CaseResult
from .tree import Line, build


def render_html(result: CaseResult, rule: str | None = None, instance: str | None = None) -> str:
    return lines_html(build(result, rule, instance), f"rulekit — {result.case}", result.lang)


def lines_html(lines: list[Line], heading: str, lang: str) -> str:
    body = "".join(_item(line) for line in lines)
    title = escape(heading)
    return (f"<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title>"
            "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto}li{margin:.2rem 0}"
            "ul ul{border-left:1px solid #ccc}</style></head>"
            f"<body><h1>{title}</h1><ul>{body}</ul></body></html>\n")


def _item(line: Line) -> str:
    kids = "".join(_item(c) for c in line.children)
    return f"<li>{escape(line.text)}" + (f"<ul>{kids}</ul>" if kids else "") + "</li>"
