"""Render traces: text (Danish or English), JSON and HTML. The engine never prints; this does."""

from .data import trace_json
from .text import render_text

__all__ = ["render_text", "trace_json"]
