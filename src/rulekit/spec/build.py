"""Build the parts of the contract model from validated YAML data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ..calendar.hours import WorkingHours, parse_time
from ..calendar.workdays import WorkingCalendar, YearlyDay
from ..diagnostics import Diagnostic, did_you_mean
from ..dsl import types as t
from .exprs import Exprs, as_text
from .model import Assumption, EventDecl, InputDecl, Offering, Parameter, ParamValue, Rounding, Source, Text
from .yamlsource import Document


def source_of(data: Any, documents: dict[str, str], doc: Document, path: tuple[Any, ...],
              diags: list[Diagnostic]) -> Source | None:
    if not isinstance(data, dict):
        return None
    name = str(data.get("doc", ""))
    if name not in documents:
        diags.append(Diagnostic("E101", f"source cites unknown document '{name}'", doc.span((*path, "doc")),
                                did_you_mean(name, documents) or "declare it under `documents:`"))
    return Source(name, str(data.get("section", "")), str(data.get("quote", "")), documents.get(name, ""))


def yearly(entries: list[dict[str, Any]]) -> tuple[YearlyDay, ...]:
    out = []
    for entry in entries:
        month, day = (int(p) for p in str(entry["date"]).split("-"))
        name = Text.of(entry["name"])
        out.append(YearlyDay(month, day, name.da, name.get("en")))
    return tuple(out)


def build_calendars(data: dict[str, Any]) -> dict[str, WorkingCalendar]:
    cals = {}
    for name, spec in (data.get("calendars") or {}).items():
        hours = spec.get("working_hours")
        cals[name] = WorkingCalendar(name, spec.get("country", "DK"),
                                     tuple(spec.get("weekend", ["saturday", "sunday"])),
                                     yearly(spec.get("closed", [])), yearly(spec.get("open", [])),
                                     bool(spec.get("public_holidays", True)),
                                     working_hours=WorkingHours(parse_time(str(hours["from"])),
                                                                parse_time(str(hours["to"]))) if hours else None,
                                     timezone=spec.get("timezone"))
    return cals


def build_rounding(data: dict[str, Any]) -> Rounding:
    money = (data.get("rounding") or {}).get("money") or {}
    return Rounding(int(money.get("places", 2)), str(money.get("mode", "half_up")))


def decl_type(spec: dict[str, Any], name: str) -> t.Type:
    kind = spec.get("type", "text")
    if kind == "enum":
        titles = tuple((str(k), Text.of(v).da, Text.of(v).en or "") for k, v in (spec.get("titles") or {}).items())
        return t.EnumType(name, tuple(str(v) for v in spec.get("values", [])), titles)
    return t.SCALARS[kind]


def build_decl(name: str, spec: dict[str, Any], exprs: Exprs, path: tuple[Any, ...]) -> InputDecl:
    typ = decl_type(spec, name)
    bounds = []
    for key in ("min", "max"):
        if key in spec:
            ok, value = exprs.constant((*path, key), _bound_text(spec[key], typ, exprs.currency), typ)
            bounds.append(value if ok else None)
        else:
            bounds.append(None)
    for key in spec.get("titles") or {}:
        if isinstance(typ, t.EnumType) and key not in typ.values:
            exprs.diagnostics.append(Diagnostic(
                "E118", f"'{name}' gives a title for '{key}', which is not one of its values",
                exprs.doc.span((*path, "titles", "<key>", key)),
                did_you_mean(key, typ.values) or "values: " + ", ".join(typ.values)))
    return InputDecl(name, typ, Text.of(spec.get("title", name)), bounds[0], bounds[1],
                     bool(spec.get("required", False)), bool(spec.get("identifier", False)))


def _bound_text(value: Any, typ: t.Type, currency: str = "DKK") -> str:
    """Bounds may be written bare (min: 0) for money and durations: give them their unit."""
    text = as_text(value)
    if isinstance(value, bool):
        return text
    if (typ == t.TEXT or isinstance(typ, t.EnumType)) and isinstance(value, str) and value[:1] not in "\"'":
        return '"' + value.replace('"', "") + '"'  # a plain word in YAML is the text itself
    if isinstance(value, int | Decimal) and typ == t.MONEY:
        return f"{text} {currency}"
    if isinstance(value, int) and typ in t.DURATIONS:
        return f"{text} {typ.name}"
    if isinstance(value, int | Decimal) and typ == t.PERCENT:
        return f"{text}%"
    return text


def build_inputs(data: dict[str, Any], exprs: Exprs) -> tuple[dict[str, InputDecl], dict[str, EventDecl]]:
    inputs = data.get("inputs") or {}
    facts = {name: build_decl(name, spec, exprs, ("inputs", "facts", name))
             for name, spec in (inputs.get("facts") or {}).items()}
    events = {name: build_event(name, spec, exprs, ("inputs", "events", name))
              for name, spec in (inputs.get("events") or {}).items()}
    return facts, events


def build_event(name: str, spec: dict[str, Any], exprs: Exprs, where: tuple[str, ...]) -> EventDecl:
    """An event type: its fields, and whether it answers another (`answers:`, `match:`, `covers:`), for a case's
    events (`inputs: events:`) and a portfolio's (`portfolio: events:`) alike."""
    fields = {fname: build_decl(fname, fspec, exprs, (*where, "fields", fname))
              for fname, fspec in (spec.get("fields") or {}).items()}
    answers = spec.get("answers") or ()
    answers = (answers,) if isinstance(answers, str) else tuple(answers)
    # the engine's own keys are readable too, as text, missing when the event has none: `id`, and `ref` for a
    # type that answers another (a field the spec declares under one of these names must be text)
    check_own_keys(name, fields, exprs, (*where, "fields"))
    own = [(k, t.TEXT) for k in ("id", *(["ref"] if answers else [])) if k not in fields]
    record = t.Record(name, (("date", t.DATE), ("type", t.TEXT), *((k, v.type) for k, v in fields.items()),
                             *own), answers=answers, dated=True)
    match = spec.get("match", "earliest_open")
    return EventDecl(name, Text.of(spec.get("title", name)), fields, record,
                     repeatable=bool(spec.get("repeatable", False)), answers=answers,
                     match=match if isinstance(match, str) else "earliest_open",
                     match_assumption=match.get("assumption") if isinstance(match, dict) else None,
                     covers=_covers(spec.get("covers")))


def check_own_keys(name: str, fields: dict[str, InputDecl], exprs: Exprs, where: tuple[str, ...]) -> None:
    """An event's `id` and `ref` are read by the engine as text: a field declared under either name must be text."""
    for key in ("id", "ref"):
        decl = fields.get(key)
        if decl is not None and decl.type != t.TEXT:
            exprs.diagnostics.append(Diagnostic(
                "E202", f"event '{name}': `{key}` is the event's own key, read as text, not {decl.type}",
                exprs.doc.span((*where, key)), f"declare {key} as text, or give the field another name"))


def _covers(raw: Any) -> tuple[str, str] | None:
    """`covers: amount` (the same field on both sides) or `covers: {amount: invoice_total}` (answer: trigger)."""
    if isinstance(raw, str):
        return raw, raw
    if isinstance(raw, dict) and len(raw) == 1:
        [(mine, theirs)] = raw.items()
        return str(mine), str(theirs)
    return None


_COVERING = (t.MONEY, t.DEC, t.INT, t.HOURS)  # the kinds of number an answer may count towards its trigger


MATCH_MODES = ("earliest_open", "latest_open", "latest", "none", "earliest_uncovered", "latest_uncovered")


def check_answers(events: dict[str, EventDecl], assumptions: dict[str, Assumption], doc: Any,
                  diags: list[Diagnostic], root: tuple[str, ...] = ("inputs", "events")) -> None:
    """Every `answers:` names another event type of the same list (`root`: a case's events, or a portfolio's); a
    `match` assumption exists and its readings are modes."""
    for name, decl in events.items():
        for i, target in enumerate(decl.answers):
            if target not in events or target == name:
                where = (*root, name, "answers") + ((i,) if len(decl.answers) > 1 else ())
                diags.append(Diagnostic("E123", f"event '{name}' answers '{target}', which is not another declared "
                                        "event type", doc.span(where), did_you_mean(target, events)
                                        or "name the event type this one answers, e.g. documentation_requested"))
        if decl.covers is not None:
            _check_covers(decl, events, doc, diags, root)
        if decl.match_assumption is not None:
            assumption = assumptions.get(decl.match_assumption)
            where = (*root, name, "match", "assumption")
            if assumption is None:
                diags.append(Diagnostic("E123", f"event '{name}': unknown assumption '{decl.match_assumption}'",
                                        doc.span(where), did_you_mean(decl.match_assumption, assumptions)))
            elif bad := [r for r in assumption.readings if r not in MATCH_MODES]:
                diags.append(Diagnostic("E123", f"assumption '{decl.match_assumption}' has readings that are not "
                                        f"match modes: {', '.join(bad)}", doc.span(where),
                                        "name its readings after modes: " + ", ".join(MATCH_MODES)))


def _check_covers(decl: EventDecl, events: dict[str, EventDecl], doc: Any, diags: list[Diagnostic],
                  root: tuple[str, ...]) -> None:
    """`covers:` names a number field of the answer and the same kind of field of every type it answers."""
    mine, theirs = decl.covers or ("", "")
    where = doc.span((*root, decl.name, "covers"))
    field = decl.fields.get(mine)
    if not decl.answers:
        diags.append(Diagnostic("E123", f"event '{decl.name}' has `covers:` but answers nothing", where,
                                "give `answers:` the event type whose field its own counts towards"))
    elif field is None or field.type not in _COVERING:
        diags.append(Diagnostic("E123", f"event '{decl.name}': `covers: {mine}` needs a number field of its own "
                                f"(money, decimal, integer or hours)", where,
                                did_you_mean(mine, decl.fields) or "e.g. covers: amount"))
    else:
        for target in decl.answers:
            other = events[target].fields.get(theirs) if target in events else None
            if target in events and (other is None or other.type != field.type):
                diags.append(Diagnostic("E123", f"event '{decl.name}' covers '{theirs}' of '{target}', which has no "
                                        f"{field.type} field '{theirs}'", where,
                                        did_you_mean(theirs, events[target].fields)
                                        or f"write covers: {{{mine}: <a {field.type} field of {target}>}}"))


def build_parameters(data: dict[str, Any], exprs: Exprs, documents: dict[str, str]) -> dict[str, Parameter]:
    out = {}
    for name, spec in (data.get("parameters") or {}).items():
        typ = decl_type(spec, name)
        path = ("parameters", name)
        rows = spec.get("values") or [{"value": spec.get("value"), "source": spec.get("source"),
                                       "assumption": spec.get("assumption")}]
        values = []
        for i, row in enumerate(rows):
            vpath = (*path, "values", i, "value") if "values" in spec else (*path, "value")
            ok, value = exprs.constant(vpath, row.get("value"), typ)
            spath = (*path, "values", i, "source") if "values" in spec else (*path, "source")
            source = source_of(row.get("source"), documents, exprs.doc, spath, exprs.diagnostics)
            start = row.get("from")
            values.append(ParamValue(start if isinstance(start, dt.date) else None, value if ok else None,
                                     source, row.get("assumption")))
        values.sort(key=lambda v: v.start or dt.date.min)
        out[name] = Parameter(name, typ, Text.of(spec.get("title", name)), tuple(values))
    return out


def build_assumptions(data: dict[str, Any], doc: Document, documents: dict[str, str],
                      diags: list[Diagnostic]) -> dict[str, Assumption]:
    out = {}
    for name, spec in (data.get("assumptions") or {}).items():
        readings = {k: Text.of(v) for k, v in (spec.get("readings") or {}).items()}
        default = str(spec.get("default", ""))
        if default not in readings:
            diags.append(Diagnostic("E102", f"assumption '{name}': default reading '{default}' is not declared",
                                    doc.span(("assumptions", name, "default")),
                                    did_you_mean(default, readings) or "readings: " + ", ".join(readings)))
        source = source_of(spec.get("source"), documents, doc, ("assumptions", name, "source"), diags)
        out[name] = Assumption(name, Text.of(spec.get("title")), Text.of(spec.get("question")), default,
                               readings, source)
    return out


def build_offerings(data: dict[str, Any], attrs: dict[str, InputDecl], exprs: Exprs,
                    documents: dict[str, str]) -> dict[str, Offering]:
    out = {}
    for oid, spec in (data.get("offerings") or {}).items():
        values: dict[str, Any] = {}
        for key, raw in (spec.get("attributes") or {}).items():
            path = ("offerings", oid, "attributes", key)
            decl = attrs.get(key)
            if decl is None:
                exprs.diagnostics.append(Diagnostic(
                    "E103", f"offering {oid}: unknown attribute '{key}'", exprs.doc.span((*path[:-1], "<key>", key)),
                    did_you_mean(key, attrs) or "declare it under `offering_attributes:`"))
                continue
            ok, value = exprs.constant(path, _bound_text(raw, decl.type, exprs.currency), decl.type)
            if ok:
                values[key] = value
        source = source_of(spec.get("source"), documents, exprs.doc, ("offerings", oid, "source"),
                           exprs.diagnostics)
        out[str(oid)] = Offering(str(oid), Text.of(spec.get("title")), source, values)
    return out
