"""The expression language: parse (lark) → build (own AST) → check (types, units) → compile (closures)."""

from .check import Checked, CheckError, check
from .compile import Calendars, Fn, compile_expr, probe_expr, shifter
from .env import Env, Missing
from .parse import ParseError, parse
from .scope import Scope, Symbol

__all__ = ["Calendars", "CheckError", "Checked", "Env", "Fn", "Missing", "ParseError", "Scope", "Symbol",
           "check", "compile_expr", "parse", "probe_expr", "shifter"]
