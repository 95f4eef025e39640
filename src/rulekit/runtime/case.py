"""Cases: one citizen's course or one order, checked against its contract's vocabulary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..diagnostics import Diagnostic, did_you_mean
from ..errors import InputError
from ..source import Span
from ..spec.model import Contract
from .privacy import looks_like_cpr, mask
from .readfast import MAX_EVENTS, Unusual, own_fields, reader_for
from .values import BadValue, coerce, to_date


class Case(NamedTuple):
    """A case as read: immutable (a named tuple, which costs a third of a frozen dataclass to build)."""

    id: str
    offering: str | None
    as_of: dt.date
    facts: dict[str, Any]
    events: dict[str, list[dict[str, Any]]]
    source: str | None = None
    events_after_as_of: int = 0
    loose_answers: bool = True  # whether an answer may lack `ref` (false only when the reader saw none)


@dataclass
class _Reader:
    contract: Contract
    locate: Any  # Callable[[tuple], Span | None]
    diags: list[Diagnostic] = field(default_factory=list)
    portfolio: bool = False

    @property
    def fact_decls(self) -> dict[str, Any]:
        return self.contract.portfolio.facts if self.portfolio else self.contract.facts

    @property
    def event_decls(self) -> dict[str, Any]:
        return self.contract.portfolio.events if self.portfolio else self.contract.events

    def error(self, path: tuple[Any, ...], message: str, hint: str | None = None, code: str = "E300") -> None:
        self.diags.append(Diagnostic(code, message, self.locate(path), hint, path=path))


def read_case(data: Any, contract: Contract, *, as_of: dt.date | None = None,
              locate: Any = None, default_id: str | None = None) -> Case:
    """Check a case mapping against the contract's inputs; raise InputError listing every problem."""
    try:  # a well-formed case takes the fast path (runtime/readfast.py); anything else is read with care
        case_id, offering, day, facts, events, last, loose = reader_for(contract).read(data, as_of, default_id)
    except Unusual:
        case_id, offering, day, facts, events = _read_carefully(data, contract, as_of, locate, default_id)
        last, loose = dt.date.max, _loose(contract, events)
    later = 0 if last is None or last <= day else sum(1 for v in events.values() for e in v if e["date"] > day)
    if later:  # evaluated as of `day`: what happened after it is not known yet
        events = {k: kept for k, v in events.items() if (kept := [e for e in v if e["date"] <= day])}
    # every field, in order, straight to tuple.__new__ (a named tuple's own __new__ binds arguments: twice the time)
    return _new_tuple(Case, (str(case_id), offering, day, facts, events, None, later, loose))


_new_tuple = tuple.__new__


def _loose(contract: Contract, events: dict[str, list[dict[str, Any]]]) -> bool:
    """Whether an answer has no `ref` (it is then linked by its type's match mode, runtime/links.py)."""
    return any("ref" not in e for name, _ in contract.answering for e in events.get(name, ()))


def _nowhere(path: tuple[Any, ...]) -> None:
    return None


def _read_carefully(data: Any, contract: Contract, as_of: dt.date | None, locate: Any,
                    default_id: str | None) -> tuple[Any, ...]:
    """Read a case checking everything, collecting every problem with its location."""
    reader = _Reader(contract, locate or _nowhere)
    if not isinstance(data, dict):
        raise InputError.one("E300", "a case must be a mapping with case:, contract:, facts: and events:",
                             span=reader.locate(()))
    case_id = data.get("case", default_id)
    if not isinstance(case_id, str | int) or isinstance(case_id, bool) or case_id == "":
        reader.error(("case",), "the case has no id", "add `case: <pseudonymous id>` (never a CPR number)")
    elif looks_like_cpr(case_id):
        reader.error(("case",), f"the case id '{mask(case_id)}' is shaped like a CPR number",
                     "use a pseudonymous id (e.g. a sequence number); never a CPR number", code="E305")
    contract_id = data.get("contract", contract.id)
    if contract_id != contract.id:
        reader.error(("contract",), f"case is for contract '{contract_id}', not '{contract.id}'",
                     "evaluate it with the spec it names")
    unknown = sorted(set(data) - {"case", "contract", "offering", "as_of", "facts", "events"})
    for key in unknown:
        reader.error((key,), f"unknown key '{key}' in case",
                     did_you_mean(key, ["case", "contract", "offering", "as_of", "facts", "events"]))
    offering = _offering(reader, data.get("offering"))
    day = _as_of(reader, data.get("as_of"), as_of)
    facts = _facts(reader, data.get("facts"))
    events = _events(reader, data.get("events"))
    if reader.diags:
        raise InputError(reader.diags)
    return case_id, offering, day, facts, events


def _offering(reader: _Reader, value: Any) -> str | None:
    offerings = reader.contract.offerings
    if value is None:
        return None
    if str(value) not in offerings:
        if not offerings:
            reader.error(("offering",), f"contract '{reader.contract.id}' has no offerings, but the case names "
                         f"'{value}'", "remove `offering:`")
        else:
            reader.error(("offering",), f"unknown offering '{value}'",
                         did_you_mean(str(value), offerings) or "known: " + ", ".join(offerings))
        return None
    return str(value)


def _as_of(reader: _Reader, value: Any, override: dt.date | None) -> dt.date | None:
    if override is not None:
        return override
    if value is None:
        reader.error(("as_of",), "the case has no as_of date", "add `as_of: YYYY-MM-DD` or pass --as-of")
        return None
    try:
        return to_date(value)
    except BadValue as exc:
        reader.error(("as_of",), exc.message, exc.hint)
        return None


def _facts(reader: _Reader, raw: Any) -> dict[str, Any]:
    declared = reader.fact_decls
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        reader.error(("facts",), "facts must be a mapping of name: value")
        return {}
    facts: dict[str, Any] = {}
    for name, value in raw.items():
        decl = declared.get(name)
        if decl is None:
            reader.error(("facts", name), f"undeclared fact '{name}'",
                         did_you_mean(name, declared) or f"contract '{reader.contract.id}' declares: "
                         + ", ".join(sorted(declared)[:12]))
            continue
        if value is None:
            continue
        converted = _typed(reader, ("facts", name), value, decl)
        if converted is not None:
            facts[name] = converted
    for name, decl in declared.items():
        if decl.required and name not in facts:
            reader.error(("facts",), f"required fact '{name}' is missing", f"add `{name}:` under facts")
    return facts


def _typed(reader: _Reader, path: tuple[Any, ...], value: Any, decl: Any) -> Any:
    if decl.identifier and looks_like_cpr(value):
        reader.error(path, f"{path[-1]} '{mask(value)}' is shaped like a CPR number",
                     "identifiers must be pseudonymous; never a CPR number", code="E305")
        return None
    try:
        converted = coerce(value, decl.type)
    except BadValue as exc:
        reader.error(path, exc.message, exc.hint)
        return None
    if decl.minimum is not None and converted < decl.minimum:
        reader.error(path, f"{path[-1]} is {value}, below the least possible value {decl.minimum}",
                     "amounts and counts here cannot be negative" if decl.minimum == 0 else None, code="E301")
        return None
    if decl.maximum is not None and converted > decl.maximum:
        reader.error(path, f"{path[-1]} is {value}, above the largest possible value {decl.maximum}", code="E301")
        return None
    return converted


def _events(reader: _Reader, raw: Any) -> dict[str, list[dict[str, Any]]]:
    if raw is None:
        return {}
    if not isinstance(raw, list):
        reader.error(("events",), "events must be a list of {type:, date:, …}")
        return {}
    if len(raw) > MAX_EVENTS:
        reader.error(("events",), f"{len(raw):,} events in one case; the limit is {MAX_EVENTS:,}")
        return {}
    out: dict[str, list[dict[str, Any]]] = {}
    for i, item in enumerate(raw):
        event = _event(reader, i, item)
        if event is not None:
            event["_at"] = i
            out.setdefault(event["type"], []).append(event)
    for items in out.values():
        items.sort(key=lambda e: e["date"])
    check_refs(reader, out)
    return out


def _identity(reader: _Reader, i: int, decl: Any, key: str, value: Any, event: dict[str, Any]) -> None:
    """An event's own `id`, or the `ref` naming the event it answers (only on types that answer one)."""
    if isinstance(value, bool) or not isinstance(value, str | int) or str(value).strip() == "":
        reader.error(("events", i, key), f"`{key}` must be a short text, not {value!r}", "e.g. P-17")
    elif len(str(value)) > 200:
        reader.error(("events", i, key), f"`{key}` is {len(str(value))} characters long; at most 200", None)
    elif looks_like_cpr(value):
        reader.error(("events", i, key), f"`{key}` '{mask(value)}' is shaped like a CPR number",
                     "event ids are pseudonymous too; never a CPR number", code="E305")
    elif key == "ref" and not decl.answers:
        answering = [n for n, d in reader.event_decls.items() if d.answers]
        reader.error(("events", i, key), f"event '{decl.name}' answers no other event, so it cannot have `ref`",
                     "types that answer another: " + (", ".join(answering) or "none in this contract"))
    else:
        event[key] = str(value)


def check_refs(reader: _Reader, events: dict[str, list[dict[str, Any]]]) -> None:
    """Ids are unique; a `ref` names an event of a type this one answers, dated on or before it. Every event
    gets `_key` (its id, or its index in the case: a number, which no text id can equal, and which keeps
    the event a record of plain values) and an answer with `ref` gets `_answers` (the key it answers)."""
    by_id: dict[str, tuple[int, dict[str, Any]]] = {}
    for items in events.values():
        for event in items:
            event["_key"] = event.get("id") or event["_at"]
            if "id" not in event:
                continue
            if event["id"] in by_id:
                reader.error(("events", event["_at"], "id"), f"duplicate event id '{event['id']}'",
                             f"events[{by_id[event['id']][0]}] has it already; ids are unique within a case",
                             code="E306")
            else:
                by_id[event["id"]] = (event["_at"], event)
    for items in events.values():
        for event in items:
            if "ref" in event:
                _check_ref(reader, event, by_id)


def _event(reader: _Reader, i: int, item: Any) -> dict[str, Any] | None:
    declared = reader.event_decls
    if not isinstance(item, dict):
        reader.error(("events", i), "an event must be a mapping {type:, date:, …}")
        return None
    kind = item.get("type")
    decl = declared.get(str(kind)) if kind is not None else None
    if decl is None:
        reader.error(("events", i, "type"), f"undeclared event type '{kind}'",
                     did_you_mean(str(kind), declared) or "declared: " + ", ".join(sorted(declared)[:12]))
        return None
    event: dict[str, Any] = {"type": decl.name}
    bad: set[str] = set()
    try:
        event["date"] = to_date(item.get("date"))
    except BadValue as exc:
        reader.error(("events", i, "date"), exc.message, exc.hint)
        return None
    for key, value in item.items():
        if key in ("type", "date"):
            continue
        if key in ("id", "ref"):
            _identity(reader, i, decl, key, value, event)
            continue
        fdecl = decl.fields.get(key)
        if fdecl is None:
            reader.error(("events", i, key), f"event '{decl.name}' has no field '{key}'",
                         did_you_mean(key, decl.fields) or "fields: " + ", ".join(decl.fields) if decl.fields
                         else f"event '{decl.name}' takes only type and date")
            continue
        if value is not None:
            converted = _typed(reader, ("events", i, key), value, fdecl)
            if converted is not None:
                event[key] = converted
            else:
                bad.add(key)  # reported already: not also as missing
    for key, fdecl in decl.fields.items():
        if fdecl.required and key not in event and key not in bad:
            reader.error(("events", i), f"event '{decl.name}' (events[{i}]) has no '{key}', which the contract "
                         "requires of it", f"add `{key}:` to the event", code="E309")
    # its keys in the order the fast reader gives them (readfast.event_reader): type, date, the declared
    # fields, id, ref — whatever order the case gave them in
    return {"type": event["type"], "date": event["date"],
            **{key: event[key] for key in (*own_fields(decl), "id", "ref") if key in event}}


def read_portfolio_inputs(data: dict[str, Any], contract: Contract,
                          locate: Any = None) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """The portfolio's own facts and events, checked against the spec's `portfolio:` declarations."""
    reader = _Reader(contract, locate or (lambda path: None), portfolio=True)
    facts = _facts(reader, data.get("facts"))
    events = _events(reader, data.get("events"))
    if reader.diags:
        raise InputError(reader.diags)
    return facts, events


def span_locator(doc: Any, prefix: tuple[Any, ...] = ()) -> Any:
    """A locate(path) function for a case inside a loaded Document."""
    def locate(path: tuple[Any, ...]) -> Span | None:
        span: Span | None = doc.span((*prefix, *path))
        return span
    return locate


def _check_ref(reader: _Reader, event: dict[str, Any], by_id: dict[str, tuple[int, dict[str, Any]]]) -> None:
    decl = reader.event_decls[event["type"]]
    path = ("events", event["_at"], "ref")
    target = by_id.get(event["ref"])
    if target is None:
        reader.error(path, f"`ref: {event['ref']}` names no event of this case",
                     did_you_mean(event["ref"], by_id) or f"give the {' or '.join(decl.answers)} it answers an "
                     f"`id: {event['ref']}`", code="E307")
        return
    answered = target[1]
    if answered["type"] not in decl.answers:
        reader.error(path, f"'{decl.name}' answers {' or '.join(decl.answers)}, but `ref: {event['ref']}` names a "
                     f"'{answered['type']}'", "point `ref` at the event this one answers", code="E307")
    elif event["date"] < answered["date"]:
        reader.error(path, f"'{decl.name}' of {event['date'].isoformat()} answers '{event['ref']}' of "
                     f"{answered['date'].isoformat()}, which comes after it", "check both dates", code="E308")
    else:
        event["_answers"] = answered["_key"]
