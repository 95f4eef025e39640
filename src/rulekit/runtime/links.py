"""Occurrences: which event answers which, and occurrences that no rule judges.

An event type that `answers:` another links each of its events to the event it answers: by the case's
`ref:` (checked when the case was read), else by the type's `match` mode. An answer that links to nothing,
and occurrences of a non-repeatable event type beyond the one a rule reads, are reported, never dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from operator import itemgetter
from typing import Any

from ..dsl import Missing
from ..spec.model import Contract, EventDecl, Rule
from .result import CaseResult, Finding
from .values import DatedAmount, iso
from .words import message

Event = dict[str, Any]
_BY_DATE = itemgetter("date")


def match_mode(decl: EventDecl, readings: Mapping[str, str]) -> str:
    """The match mode in force for answers of this type: fixed, or the reading of its assumption."""
    if decl.match_assumption is not None:
        return readings.get(decl.match_assumption, decl.match)
    return decl.match


def link_answers(contract: Contract, events: dict[str, list[Event]], readings: Mapping[str, str]) -> list[Event]:
    """Link every answer without `ref` by its type's match mode; return the answers left unlinked."""
    unlinked: list[Event] = []
    order = contract.answering_order  # the case's answering types, in the spec's order
    for index in sorted([order[n] for n in events if n in order]):
        name, decl = contract.answering[index]
        answers = events[name]
        loose = [e for e in answers if "ref" not in e]  # those with `ref` were linked when the case was read
        if not loose:
            continue
        if len(decl.answers) == 1:  # one type: its events are in date order already (runtime/case.py)
            triggers = events.get(decl.answers[0], [])
        else:
            triggers = sorted((e for t in decl.answers for e in events.get(t, ())), key=_BY_DATE)
        mode = match_mode(decl, readings)
        if mode.endswith("_uncovered"):  # without `covers:`, a trigger is covered by its first answer: `_open`
            mode = mode.replace("_uncovered", "_open")
            if decl.covers is not None:
                unlinked += _link_covering(decl.covers, mode, triggers, answers)
                continue
        taken = {e["_answers"] for e in answers if "ref" in e and "_answers" in e}
        for answer in loose:
            answer.pop("_answers", None)
            target = _pick(mode, triggers, answer, taken)
            if target is None:
                unlinked.append(answer)
            else:
                answer["_answers"] = target["_key"]
                taken.add(target["_key"])
    return unlinked


def _link_covering(covers: tuple[str, str], mode: str, triggers: list[Event], answers: list[Event]) -> list[Event]:
    """`covers:` with earliest_uncovered / latest_uncovered (given here as earliest_open / latest_open) — a trigger
    stays open until its answers' field reaches its own: the answers, in date order (one
    with `ref` counts from its date on), link to the earliest (latest) trigger dated on or before them that is not
    covered yet. A trigger without the field is open until it has an answer, as without `covers:`; an answer
    without it closes its trigger. Returns the answers left unlinked."""
    mine, theirs = covers
    paid: dict[Any, Any] = {}  # trigger key → what its answers came to so far
    closed: set[Any] = set()
    unlinked = []

    def still_open(trigger: Event) -> bool:
        key, need = trigger["_key"], trigger.get(theirs)
        if key in closed:
            return False
        if need is None:
            return key not in paid
        return key not in paid or paid[key] < need

    for answer in answers:  # date order (runtime/case.py)
        if "ref" not in answer:
            answer.pop("_answers", None)
            target = _pick(mode, triggers, answer, closed, still_open)
            if target is None:
                unlinked.append(answer)
                continue
            answer["_answers"] = target["_key"]
        key = answer.get("_answers")
        if key is None:
            continue
        part = answer.get(mine)
        if part is None:
            closed.add(key)
        else:
            paid[key] = paid[key] + part if key in paid else part
    return unlinked


def _pick(mode: str, triggers: list[Event], answer: Event, taken: set[Any],
          still_open: Callable[[Event], bool] | None = None) -> Event | None:
    """The trigger an answer without `ref` links to by `mode`: open means not taken by an answer of this type
    (or, with `covers:`, `still_open`)."""
    before = [t for t in triggers if t["date"] <= answer["date"]]
    if mode == "latest":
        return before[-1] if before else None
    open_ = [t for t in before if (still_open(t) if still_open is not None else t["_key"] not in taken)]
    if mode == "earliest_open":
        return open_[0] if open_ else None
    if mode == "latest_open":
        return open_[-1] if open_ else None
    return None  # "none": only an explicit ref links


def label(event: Event, number: int) -> str:
    """How an occurrence is named in results: its id, else its number (in date order) and date; an
    `each` over plain values (dates, periods, numbers) is named by the value, over a portfolio's cases by the
    case's id."""
    if not isinstance(event, dict):
        if isinstance(event, DatedAmount):  # one of a payment's dated amounts: by its date
            return iso(event.date)
        return event.isoformat() if hasattr(event, "isoformat") else str(event)
    if "date" not in event:  # a case's record (portfolio checks' `each: cases`)
        return str(event.get("id") or event.get("case") or number)
    return str(event.get("id") or f"{number}: {iso(event['date'])}")


def named(label_fn: Any, env: Any, item: Any, number: int) -> str:
    """What an instance of `each` is called: its rule's `label:` read with `item` (env.item set), else (no label,
    or none for this element) as `label` names it."""
    if label_fn is not None:
        try:
            value = label_fn(env)
        except Missing:
            value = None
        if value is not None:
            return value if isinstance(value, str) else iso(value) if isinstance(value, dt.date) else str(value)
    return label(item, number)


def distinct(label: str, seen: set[str]) -> str:
    """The label, or — when an earlier instance of the same `each` has it (two elements whose `label:` is the
    same, or two equal plain values) — the label with the first free ' #n' (n ≥ 2), so that results, remedies
    and test selectors tell the instances apart. The caller reports a renamed instance (never silent)."""
    if label not in seen:
        seen.add(label)
        return label
    n = 2
    while f"{label} #{n}" in seen:
        n += 1
    renamed = f"{label} #{n}"
    seen.add(renamed)
    return renamed


def renamed(result: CaseResult, rule: Rule, label: str, seen: set[str]) -> str:
    """An instance's name that an earlier instance of the rule has: `distinct`'s new name, with a warning
    finding of the rule that says so."""
    name = distinct(label, seen)
    lang = result.lang
    result.findings.append(Finding(rule, "warning", message(
        lang, "repeated_label", title=rule.title.get(lang), label=label, renamed=name), instance=name))
    return name


def unread_occurrences(contract: Contract, events: dict[str, list[Event]]) -> list[tuple[str, int, list[str]]]:
    """(event type, occurrences, rules) where a rule reads one occurrence of an event type the case has
    several of: the others are judged by no such rule."""
    readers = contract.single_readers
    return [(name, len(items), readers[name]) for name, items in events.items() if len(items) > 1 and name in readers]
