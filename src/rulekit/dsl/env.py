"""What a compiled expression reads at run time. The runtime fills an Env for each case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any


class Missing(Exception):
    """A value an expression needs is not there (a fact not given, an event that has not happened).
    `alternatives` names what would have given the value instead and is missing too: the left sides of a
    `??` whose last side is `what`."""

    def __init__(self, what: str, alternatives: tuple[str, ...] = ()) -> None:
        super().__init__(what)
        self.what = what
        self.alternatives = alternatives

    @property
    def names(self) -> tuple[str, ...]:
        """Everything missing, in the expression's order: the alternatives, then `what`."""
        return (*self.alternatives, self.what)


class MissingField(Missing):
    """The element a `where` condition looks at has no such field (it does not match the filter)."""


Event = Mapping[str, Any]


class Env:
    """The facts of one case, the outputs of rules evaluated so far, and the evaluation settings."""

    __slots__ = (
        "answered",
        "as_of",
        "assume",
        "cases",
        "contract_end",
        "contract_start",
        "events",
        "facts",
        "it",
        "item",
        "offering",
        "offering_attrs",
        "param",
        "period_end",
        "period_start",
        "recorder",
        "rules",
        "vars",
    )

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
        self.recorder: dict[Any, Any] | None = None  # node → value; ("calls", node) → a local function's calls
        self.cases: list[dict[str, Any]] = []
        self.vars: dict[str, Any] = {}  # named elements: `LIST where e: …`, `[… for e in LIST]`
        # event type → the key of the event answered → its answers (answers_to, made on first use)
        self.answered: dict[str, dict[Any, list[Event]]] | None = None


def answers_to(env: Env, name: str, key: Any) -> list[Event]:
    """`answers(x, NAME)` for an event type NAME: the events of that type linked to the event whose key is `key`
    (in date order), from an index of the type's events by what they answer, made on the type's first use in
    the case (answers are linked before any rule runs; the lists are read, never changed, as the case's own
    event lists are)."""
    index = env.answered
    if index is None:
        index = env.answered = {}
    by_key = index.get(name)
    if by_key is None:
        by_key = index[name] = {}
        for event in env.events.get(name, ()):
            answered = event.get("_answers")
            group = by_key.get(answered)
            if group is None:
                by_key[answered] = [event]
            else:
                group.append(event)
    return by_key.get(key) or []


def with_alternatives(exc: Missing, env: Env, others: Sequence[Callable[[Env], Any]]) -> Missing:
    """The Missing of `a ?? b ?? c` when its last side `c` is missing (`exc`): it names `a` and `b` too, as their
    own closures name what they miss (a side that is there but none names nothing). Made only on this path, so
    a `??` that finds a value pays nothing for it."""
    names: list[str] = []
    for other in others:
        try:
            other(env)
        except Missing as missed:
            names += missed.names
    return missing_after(names, exc)


def missing_after(names: Sequence[str], exc: Missing) -> Missing:
    """`exc` (of the last side of a `??`) naming `names` (what the sides before it missed) as alternatives: once
    each, in order, never its own `what`."""
    alternatives: list[str] = []
    for name in (*names, *exc.alternatives):
        if name != exc.what and name not in alternatives:
            alternatives.append(name)
    return type(exc)(exc.what, tuple(alternatives))
