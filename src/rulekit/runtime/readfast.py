"""The fast path of read_case: a reader compiled once per contract.

Each declared input gets a converter specialised to its type (an enum is a dict lookup, a date a cache of
checked ISO strings, an amount given as a Decimal is taken as it is). A case that is well formed — the
usual case in batch work — is read without building diagnostics. At the first thing this path does not
accept (an unknown name, a bad value, a CPR-shaped id, a duplicate id, a bad `ref`) it gives up, and
read_case reads the case again the careful way, which finds and reports every problem. Both paths give
the same Case: tests/runtime/test_runtime_readfast.py checks it on every shipped case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from operator import itemgetter
from typing import Any

from ..dsl import types as t
from ..spec.model import Contract, EventDecl, InputDecl
from .privacy import looks_like_cpr
from .values import BadValue, coerce, to_date

Convert = Callable[[Any], Any]
# (the event as given, its date, its index, the events by id so far, the answers so far) → its record
EventReader = Callable[[dict[str, Any], dt.date, int, dict[str, Any], list[Any]], dict[str, Any]]
_CASE_KEYS = frozenset({"case", "contract", "offering", "as_of", "facts", "events"})
MAX_EVENTS = 100_000
_DATES: dict[str, dt.date] = {}  # ISO text → a date inside the calendars' years (shared by every case)


class Unusual(Exception):
    """Something the fast path does not accept: read the case the careful way."""


def _date(value: Any) -> dt.date:
    day = _DATES.get(value) if type(value) is str else None
    if day is None:
        try:
            day = to_date(value)
        except BadValue:
            raise Unusual from None
        if type(value) is str and len(_DATES) < 65536:
            _DATES[value] = day
    return day


def _converter(decl: InputDecl) -> Convert:
    typ = decl.type
    if isinstance(typ, t.EnumType):
        table = {v: v for v in typ.values}  # the spec's own strings, shared by every case
        base: Convert = table.__getitem__
    elif typ == t.DATE:
        base = _date
    elif typ in (t.MONEY, t.DEC):
        base = _number
    elif typ in _EXACT:
        base = _exact(_EXACT[typ], _general(typ))
    else:
        base = _general(typ)
    if decl.minimum is None and decl.maximum is None and not decl.identifier:
        return base
    low, high, identifier = decl.minimum, decl.maximum, decl.identifier

    def checked(value: Any) -> Any:
        if identifier and looks_like_cpr(value):
            raise Unusual
        out = base(value)
        if (low is not None and out < low) or (high is not None and out > high):
            raise Unusual
        return out
    return checked


def _general(typ: t.Type) -> Convert:
    def convert(value: Any) -> Any:
        try:
            return coerce(value, typ)
        except BadValue:
            raise Unusual from None
    return convert


_EXACT: dict[t.Type, type] = {t.BOOL: bool, t.TEXT: str, t.INT: int, **{d: int for d in t.DURATIONS}}


def _exact(kind: type, slow: Convert) -> Convert:
    """A value of exactly the Python type the input type holds is taken as it is; anything else is coerced."""
    def convert(value: Any) -> Any:
        return value if type(value) is kind else slow(value)
    return convert


def _number(value: Any) -> Any:
    if type(value) is Decimal and value.is_finite():
        return value
    if type(value) is int:
        return Decimal(value)
    return _any_number(value)


_any_number = _general(t.DEC)


class FastReader:
    """read_case's fast path for one contract (or its portfolio's inputs)."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        self.facts = {name: _converter(d) for name, d in contract.facts.items()}
        self.required = tuple(name for name, d in contract.facts.items() if d.required)
        # per event type: its name, the types it answers, its reader (type and date are read apart) and whether
        # an event of only type and date is whole (no field of the type is required)
        self.events: dict[str, tuple[str, tuple[str, ...], EventReader, bool]] = {
            name: (d.name, d.answers, event_reader(d), not any(f.required for f in d.fields.values()))
            for name, d in contract.events.items()}

    def read(self, data: Any, as_of: dt.date | None, default_id: str | None) -> tuple[Any, ...]:
        """(id, offering, as_of, facts, events, last event date, whether an answer has no `ref`) of a
        well-formed case, or Unusual."""
        if type(data) is not dict or not _CASE_KEYS.issuperset(data):
            raise Unusual
        case_id = data.get("case", default_id)
        if type(case_id) not in (str, int) or case_id == "" or looks_like_cpr(case_id):
            raise Unusual
        if data.get("contract", self.contract.id) != self.contract.id:
            raise Unusual
        offering = data.get("offering")
        if offering is not None and (type(offering) is not str or offering not in self.contract.offerings):
            raise Unusual
        day = as_of if as_of is not None else _date(data.get("as_of"))
        return case_id, offering, day, self._facts(data.get("facts")), *self._events(data.get("events"))

    def _facts(self, raw: Any) -> dict[str, Any]:
        if raw is None:
            raw = {}
        elif type(raw) is not dict:
            raise Unusual
        convert = self.facts
        try:
            facts = {name: convert[name](value) for name, value in raw.items() if value is not None}
        except (KeyError, TypeError):
            raise Unusual from None
        for name in self.required:
            if name not in facts:
                raise Unusual
        return facts

    def _events(self, raw: Any) -> tuple[dict[str, list[dict[str, Any]]], dt.date | None, bool]:
        """The events by type in date order, each with `_at` (its index), `_key` (its id, or a key of its
        own) and, for an answer with `ref`, `_answers`; the last date; and whether an answer has no `ref`
        (links.py then links it by its type's match mode). As check_refs in case.py."""
        if raw is None:
            return {}, None, False
        if type(raw) is not list or len(raw) > MAX_EVENTS:
            raise Unusual
        out: dict[str, list[dict[str, Any]]] = {}
        by_id: dict[str, dict[str, Any]] = {}
        answers: list[tuple[dict[str, Any], tuple[str, ...] | None]] = []  # (answer, what its `ref` may name)
        declared, dates = self.events, _DATES
        last = _NO_DATE
        loose = False  # an answer without `ref`
        event: dict[str, Any]
        try:
            for i, item in enumerate(raw):
                name, answering, read_event, bare = declared[item["type"]]
                text = item["date"]
                day = dates.get(text)  # checked ISO text (an unhashable value is a TypeError: Unusual)
                if day is None:
                    day = _date(text)
                if len(item) == 2 and bare:  # type and date only (no other key: `type` is there, so is `date`)
                    event = {"type": name, "date": day, "_at": i, "_key": i}
                    if answering:
                        loose = True
                else:
                    event = read_event(item, day, i, by_id, answers)
                if day > last:
                    last = day
                group = out.get(name)
                if group is None:
                    out[name] = [event]
                else:
                    group.append(event)
        except (KeyError, TypeError):
            raise Unusual from None
        for items in out.values():
            if len(items) > 1:
                items.sort(key=_BY_DATE)
        for event, targets in answers:
            if targets is None:  # an answer without `ref`
                loose = True
                continue
            target = by_id.get(event["ref"])
            if target is None or target["type"] not in targets or event["date"] < target["date"]:
                raise Unusual
            event["_answers"] = target["_key"]
        return out, None if last is _NO_DATE else last, loose


_NO_DATE = dt.date.min
_BY_DATE = itemgetter("date")
_IDS: dict[Any, str] = {}  # ids and refs found not CPR-shaped (F-1, F-2, … repeat across cases)


def _an_id(value: Any) -> str:
    """An `id` or `ref`: text (a number is taken as text), not blank, not CPR-shaped."""
    text = _IDS.get(value)
    if text is not None and type(value) in (str, int):
        return text
    kind = type(value)
    if kind not in (str, int):
        raise Unusual
    text = value if kind is str else str(value)
    if not text.strip() or len(text) > 200 or looks_like_cpr(text):
        raise Unusual
    if len(_IDS) < 65536:
        _IDS[value] = text
    return text


def event_reader(decl: EventDecl) -> EventReader:
    """The reader of one event type's keys besides type and date: generated Python, one statement per key the
    type declares, so an event is read without a loop over its keys. Every name in the text is a constant
    passed in (`_k0`, `_c0`, …): nothing a spec says is run as Python. The reader registers the event's
    `id` in `by_id` and, for a type that answers another, adds (event, the types its `ref` may name) to
    `answers` — (event, None) when it has no `ref`. A key the type does not declare, a required field not
    given, an `id` or `ref` given as null, a duplicate id, or a value a converter refuses raises Unusual (a
    KeyError or TypeError from a converter is turned into Unusual by the caller)."""
    consts: dict[str, Any] = {"_Unusual": Unusual, "_an_id": _an_id, "_Decimal": Decimal, "_IDS": _IDS}
    fields = own_fields(decl)
    consts["_allowed"] = frozenset(["type", "date", *fields, "id", *(["ref"] if decl.answers else [])])
    consts["_name"] = decl.name
    lines = [*_whole_shape(decl, fields, consts),
             "if not _allowed.issuperset(item):", "    raise _Unusual", "e = {'type': _name, 'date': day}"]
    for i, key in enumerate(fields):
        consts[f"_k{i}"] = key
        convert = _conversion(decl.fields[key], i, consts)
        whole = ["    if type(v) is int:", "        v = _Decimal(v)"] \
            if decl.fields[key].type in (t.MONEY, t.DEC) and not decl.fields[key].identifier else []
        lines += [f"v = item.get(_k{i})", "if v is not None:", *whole, f"    e[_k{i}] = {convert}"]
    # a text id seen before is taken as it is; `_key` is the id, else the index (a key no text id can equal)
    lines += ["v = item.get('id')", "if v is not None:",
              "    e['id'] = v = v if type(v) is str and v in _IDS else _an_id(v)",
              "    if v in by_id:", "        raise _Unusual  # a duplicate id: the careful path says where",
              "    by_id[v] = e", "    key = v", "elif 'id' in item:", "    raise _Unusual", "else:", "    key = at"]
    if decl.answers:  # an answer: with `ref`, linked once every event is read; without, by its match mode
        consts["_targets"] = decl.answers
        lines += ["v = item.get('ref')", "if v is not None:",
                  "    e['ref'] = v if type(v) is str and v in _IDS else _an_id(v)",
                  "    answers.append((e, _targets))", "elif 'ref' in item:", "    raise _Unusual",
                  "else:", "    answers.append((e, None))"]
    lines += [f"if _k{i} not in e:\n        raise _Unusual  # a required field: the careful path says so"
              for i, key in enumerate(fields) if decl.fields[key].required]
    lines += ["e['_at'] = at", "e['_key'] = key", "return e"]
    text = "def read_event(item, day, at, by_id, answers):\n" + "".join(f"    {line}\n" for line in lines)
    scope: dict[str, Any] = dict(consts)
    exec(compile(text, "<rulekit event reader>", "exec"), scope)  # ok: spec names only as constants
    made: EventReader = scope["read_event"]
    return made


_OWN_KEYS = frozenset({"type", "date", "id", "ref"})  # read by the engine's own rules, not a field's


def own_fields(decl: EventDecl) -> list[str]:
    """An event type's declared fields besides the engine's own keys, in the spec's order: the order an event's
    record holds them in (after type and date, before id and ref), whichever reader made it."""
    return [key for key in decl.fields if key not in _OWN_KEYS]


def _whole_shape(decl: EventDecl, fields: list[str], consts: dict[str, Any]) -> list[str]:
    """The lines reading the usual event first: every field its type declares given (not null) and no other
    key (no id, no ref), made as one dict. Anything else falls through to the key-by-key lines. (A type with
    no fields of its own is read by FastReader._events when only type and date are given.)"""
    if not fields:
        return []
    values = [f"v{i} = item.get(_k{i})" for i in range(len(fields))]
    given = " and ".join(f"v{i} is not None" for i in range(len(fields)))
    # the field's converter takes a whole number for a Decimal (_number), as the key-by-key lines do inline
    made = ", ".join(f"_k{i}: {_conversion(decl.fields[key], i, consts, f'v{i}')}" for i, key in enumerate(fields))
    loose = ["        answers.append((e, None))"] if decl.answers else []
    return [f"if len(item) == {len(fields) + 2}:", *(f"    {line}" for line in values), f"    if {given}:",
            f"        e = {{'type': _name, 'date': day, {made}, '_at': at, '_key': at}}", *loose, "        return e"]


def _conversion(decl: InputDecl, i: int, consts: dict[str, Any], v: str = "v") -> str:
    """The text converting the variable `v` for one field: a value of the Python type the input holds, within
    its bounds, is taken as it is, inline; anything else goes to the field's converter (which coerces it or
    refuses). The field's converter is made once, whichever text asks first (_whole_shape or the key-by-key
    lines)."""
    if f"_c{i}" not in consts:
        consts[f"_c{i}"] = _converter(decl)
    typ = decl.type
    if decl.identifier:
        return f"_c{i}({v})"
    if typ in (t.MONEY, t.DEC):  # a Decimal as it is (a whole number is made one before, or by _number)
        test = f"type({v}) is _Decimal and {v}.is_finite()"
    elif typ in _EXACT:
        consts[f"_t{i}"] = _EXACT[typ]
        test = f"type({v}) is _t{i}"
    else:
        return f"_c{i}({v})"
    if decl.minimum is not None:
        consts[f"_lo{i}"] = decl.minimum
        test += f" and {v} >= _lo{i}"
    if decl.maximum is not None:
        consts[f"_hi{i}"] = decl.maximum
        test += f" and {v} <= _hi{i}"
    return f"{v} if {test} else _c{i}({v})"


def reader_for(contract: Contract) -> FastReader:
    """The contract's fast reader, built on first use."""
    cache: dict[Any, Any] = contract.plans
    reader: FastReader | None = cache.get("fast-reader")
    if reader is None:
        reader = cache["fast-reader"] = FastReader(contract)
    return reader
