"""What names mean inside an expression: the symbol table the checker and compiler share."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from .types import Record, Type

SymbolKind = Literal["fact", "events", "param", "rule", "offering", "as_of", "assume", "contract", "it",
                     "period", "cases", "value", "item", "let", "var", "function"]


@dataclass(frozen=True, slots=True)
class Symbol:
    kind: SymbolKind
    name: str
    type: Type
    # a `let`: its checked, compiled expression; a `let` with `params` (kind "function"): a LocalFunction; a
    # parameter: itself
    ref: Any = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class LocalFunction:
    """A `let` with parameters: `NAME(arg, …)` evaluates `body` with each parameter bound to its argument."""

    params: tuple[tuple[str, Type], ...]
    body: Any  # the body's checked, compiled expression (spec.model.Expr)


@dataclass
class Scope:
    """Names visible to an expression. `parent` chains a `where` clause's `it` onto the rule scope."""

    symbols: dict[str, Symbol] = field(default_factory=dict)
    offering_attrs: Record = field(default_factory=lambda: Record("offering", ()))
    parent: Scope | None = None
    currency: str = "DKK"  # the contract's currency: money literals must be written in it
    # names declared but not readable here, with why (a portfolio value cannot read the portfolio's rules)
    unseen: dict[str, str] = field(default_factory=dict)

    def chain(self) -> Iterator[Scope]:
        """This scope, then the scopes around it."""
        scope: Scope | None = self
        while scope is not None:
            yield scope
            scope = scope.parent

    def lookup(self, name: str) -> Symbol | None:
        return next((scope.symbols[name] for scope in self.chain() if name in scope.symbols), None)

    def why_unseen(self, name: str) -> str | None:
        """Why a declared name cannot be read here, if it cannot."""
        return next((scope.unseen[name] for scope in self.chain() if name in scope.unseen), None)

    def names(self) -> list[str]:
        return [name for scope in self.chain() for name in scope.symbols]

    def child(self, **symbols: Symbol) -> Scope:
        return Scope(dict(symbols), self.offering_attrs, self, self.currency)
