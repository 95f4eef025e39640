"""What a compiled expression reads at run time. The runtime fills an Env for each case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import ast


class Missing(Exception):
    """A value an expression needs is not there (a fact not given, an event that has not happened)."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class MissingField(Missing):
    """The element a `where` condition looks at has no such field (it does not match the filter)."""


Event = Mapping[str, Any]


class Env:
    """The facts of one case, the outputs of rules evaluated so far, and the evaluation settings."""

    __slots__ = ("as_of", "assume", "cases", "contract_end", "contract_start", "events", "facts", "it", "item",
                 "offering",
                 "offering_attrs", "param", "period_end", "period_start", "recorder", "rules", "vars")

    def __init__(self, *, facts: Mapping[str, Any], events: Mapping[str, Sequence[Event]], as_of: dt.date,
                 offering: str | None, offering_attrs: Mapping[str, Any], assume: Mapping[str, str],
                 param: Callable[[str], Any], contract_start: dt.date, contract_end: dt.date) -> None:
        self.facts, self.events, self.as_of = facts, events, as_of
        self.offering, self.offering_attrs, self.assume = offering, offering_attrs, assume
        self.param = param
        self.contract_start, self.contract_end = contract_start, contract_end
        self.rules: dict[str, dict[str, Any]] = {}
        self.it: Any = None
        self.item: Any = None
        self.period_start: dt.date | None = None
        self.period_end: dt.date | None = None
        self.recorder: dict[ast.Node, Any] | None = None
        self.cases: list[dict[str, Any]] = []
        self.vars: dict[str, Any] = {}  # named elements: `LIST where e: …`, `[… for e in LIST]`
