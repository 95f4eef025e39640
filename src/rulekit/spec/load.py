"""Load a contract spec: YAML with positions → schema → imports → typed, checked Contract."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Any
from weakref import WeakValueDictionary

from ..calendar.workdays import WorkingCalendar
from ..diagnostics import Diagnostic, did_you_mean
from ..dsl import Calendars
from ..dsl.checkfns import CURRENCIES
from ..errors import SpecError
from .build import (
    build_assumptions,
    build_calendars,
    build_decl,
    build_inputs,
    build_offerings,
    build_parameters,
    build_rounding,
    check_answers,
)
from .exprs import Exprs
from .model import Contract, Rule, SpecTest, Text
from .portfolio import build_portfolio
from .rules import base_scope, build_rules
from .schema import load_schema, validate
from .yamlsource import Document, load_yaml

_MERGED = ("calendars", "parameters", "assumptions", "offering_attributes", "documents")
MAX_IMPORT_DEPTH = 8


def load_document(path: str | Path) -> Document:
    """Load and schema-validate one spec or library file (no imports, no expression checks)."""
    doc = load_yaml(Path(path), kind="spec")
    if not isinstance(doc.data, dict):
        raise SpecError.one("E100", "a spec must be a mapping with `rulekit: 1` at the top", span=doc.span(()),
                            hint="start the file with `rulekit: 1` and `id: …`")
    errors = validate(doc, load_schema("contract"))
    if errors:
        raise SpecError(errors)
    return doc


def load_contract(path: str | Path) -> Contract:
    """Load, validate and check a contract spec (or rule library) and everything it imports."""
    path = Path(path)
    doc = load_document(path)
    data, files = _with_imports(doc, path, [path.resolve()], 0)
    contract = _build(doc, data, files)
    _LOADED[contract.origin] = contract
    return contract


# the contracts this process has loaded, by origin (weakly: one nothing uses any more is not kept), and the last
# few loaded to unpickle something (kept: results arriving one by one from other processes share one load)
_LOADED: WeakValueDictionary[tuple[str, str], Contract] = WeakValueDictionary()
_UNPICKLED: dict[tuple[str, str], Contract] = {}


def reloaded(origin: tuple[str, str]) -> Contract:
    """The contract a pickled contract, rule or result names: the one this process has loaded from that file with
    that sha256, else the file loaded again. A file that has changed since is an error (E130) rather than another
    contract's rules under the old results."""
    found = _LOADED.get(origin) or _UNPICKLED.get(origin)
    if found is not None:
        return found
    file, digest = origin
    if not file:
        raise SpecError.one("E130", "this contract was not loaded from a file, so it cannot be unpickled", span=None,
                            hint="load the contract with load_contract(path)")
    if not Path(file).exists():  # moved, or another machine: the same spec loaded here from another path
        same = next((c for (_, sha), c in list(_LOADED.items()) if sha == digest), None)
        if same is None:
            raise SpecError.one("E130", f"{file} does not exist here, and no contract with sha256 {digest[:12]} is "
                                "loaded", span=None, hint="load_contract(<the spec the results were evaluated "
                                "with>) before unpickling them")
        return same
    contract = load_contract(file)
    if contract.sha256 != digest:
        raise SpecError.one("E130", f"{file} (or a file it imports) has changed since this was pickled: sha256 "
                            f"{contract.sha256[:12]}, not {digest[:12]}", span=None,
                            hint="unpickle with the spec the results were evaluated with")
    if len(_UNPICKLED) >= 8:
        del _UNPICKLED[next(iter(_UNPICKLED))]
    _UNPICKLED[origin] = contract
    return contract


def reloaded_rule(origin: tuple[str, str], rule_id: str) -> Rule:
    """A pickled rule: the rule of this id of the contract `origin` names."""
    contract = reloaded(origin)
    rule = contract.rule(rule_id)
    if rule is None:  # only if the spec changed, and then its sha256 did: never in practice
        raise SpecError.one("E130", f"{origin[0]} has no rule '{rule_id}'", span=None,
                            hint="unpickle with the spec the results were evaluated with")
    return rule


def _with_imports(doc: Document, path: Path, chain: list[Path], depth: int) -> tuple[dict[str, Any], list[Path]]:
    """The document's data merged with its imports' (imported names must not clash)."""
    data: dict[str, Any] = dict(doc.data)
    files = [path]
    for i, rel in enumerate(doc.data.get("imports") or []):
        target = (path.parent / rel).resolve()
        span = doc.span(("imports", i))
        if target in chain or depth >= MAX_IMPORT_DEPTH:
            raise SpecError.one("E110", f"import cycle or chain too deep at {rel}", span=span,
                                hint="a library must not import the file that imports it")
        if not target.exists():
            raise SpecError.one("E111", f"imported file {rel} does not exist", span=span,
                                hint=f"paths are relative to {path.parent}")
        lib = load_document(target)
        if "library" not in lib.data:
            raise SpecError.one("E112", f"{rel} is a contract, not a rule library", span=span,
                                hint="only files with `library:` can be imported")
        lib_data, lib_files = _with_imports(lib, target, [*chain, target], depth + 1)
        _merge(data, lib_data, doc, i)
        files.extend(lib_files)
    return data, files


def _merge(data: dict[str, Any], lib: dict[str, Any], doc: Document, index: int) -> None:
    for key in _MERGED:
        mine, theirs = dict(data.get(key) or {}), lib.get(key) or {}
        for name in theirs:
            if name in mine and key != "documents":
                raise SpecError.one("E113", f"'{name}' in {key} is defined both here and in an imported library",
                                    span=doc.span(("imports", index)), hint="rename one of them")
        data[key] = {**theirs, **mine}
    inputs = dict(data.get("inputs") or {})
    for part in ("facts", "events"):
        inputs[part] = {**((lib.get("inputs") or {}).get(part) or {}), **(inputs.get(part) or {})}
    data["inputs"] = inputs
    data["rules"] = [*(lib.get("rules") or []), *(data.get("rules") or [])]


def _build(doc: Document, data: dict[str, Any], files: list[Path]) -> Contract:
    diags: list[Diagnostic] = []
    documents = {k: str(v.get("short") or short_name(k)) for k, v in (data.get("documents") or {}).items()}
    _check_countries(data, doc, diags)
    _check_calendar_times(data, doc, diags)
    calendars = build_calendars(data)
    _check_yearly_days(data, doc, diags)
    working = _default_calendar(data, calendars, doc, diags)
    weekday = WorkingCalendar("weekday", working.country)
    exprs = Exprs(doc, Calendars(working, weekday), diags, currency=_currency(data, doc, diags))
    facts, events = build_inputs(data, exprs)
    exprs.repeatable = frozenset(name for name, decl in events.items() if decl.repeatable)
    _check_clashes(doc, facts, events, data, diags)
    params = build_parameters(data, exprs, documents)
    assumptions = build_assumptions(data, doc, documents, diags)
    check_answers(events, assumptions, doc, diags)
    attrs = {name: build_decl(name, spec, exprs, ("offering_attributes", name))
             for name, spec in (data.get("offering_attributes") or {}).items()}
    offerings = build_offerings(data, attrs, exprs, documents)
    raw_rules = data.get("rules") or []
    scope = base_scope(facts, events, params, assumptions, attrs, raw_rules, exprs.currency,
                       "period" in data or "library" in data)
    origin = (str(files[0].resolve()), _digest(files))
    rules = tuple(replace(rule, origin=origin) for rule in build_rules(raw_rules, scope, exprs, documents))
    portfolio = build_portfolio(data, exprs, scope, facts, [r.id for r in rules], documents)
    check_answers(portfolio.events, assumptions, doc, diags, ("portfolio", "events"))
    if portfolio.rules:
        portfolio = replace(portfolio, rules=tuple(replace(rule, origin=origin) for rule in portfolio.rules))
    warnings = tuple(d for d in diags if d.severity != "error")
    diags = [d for d in diags if d.severity == "error"]
    if diags:
        raise SpecError(sorted(diags, key=lambda d: (d.span.line, d.span.col) if d.span else (0, 0)))
    period = data.get("period") or {}
    start, end = period.get("start", dt.date.min), period.get("end", dt.date.max)
    return Contract(
        id=str(data.get("id") or data.get("library")), version=str(data.get("version", "")),
        title=Text.of(data.get("title", "")), file=doc.file, sha256=origin[1],
        start=start, end=end, currency=exprs.currency,
        documents=documents, calendars=calendars, calendar=working, weekday_calendar=weekday,
        rounding=build_rounding(data), parameters=params, assumptions=assumptions, facts=facts, events=events,
        offering_attrs=attrs, offerings=offerings, rules=rules, tests=_tests(doc, data),
        files=tuple(str(f) for f in files), is_library="library" in data, portfolio=portfolio,
        warnings=warnings, origin=origin)


def _currency(data: dict[str, Any], doc: Document, diags: list[Diagnostic]) -> str:
    code = str(data.get("currency", "DKK"))
    if code not in CURRENCIES:
        diags.append(Diagnostic("E119", f"'{code}' is not an ISO 4217 currency code", doc.span(("currency",)),
                                did_you_mean(code, sorted(CURRENCIES)) or "e.g. DKK, EUR, SEK"))
        return "DKK"
    return code


def _check_calendar_times(data: dict[str, Any], doc: Document, diags: list[Diagnostic]) -> None:
    from ..calendar.hours import zone

    for name, spec in (data.get("calendars") or {}).items():
        if "timezone" in spec:
            try:
                zone(str(spec["timezone"]))
            except ValueError:
                diags.append(Diagnostic("E117", f"calendar '{name}': unknown time zone '{spec['timezone']}'",
                                        doc.span(("calendars", name, "timezone")),
                                        "use an IANA name, e.g. Europe/Copenhagen"))
                spec.pop("timezone")
        hours = spec.get("working_hours")
        if hours and str(hours["from"]) >= str(hours["to"]):
            diags.append(Diagnostic("E117", f"calendar '{name}': working hours must open before they close",
                                    doc.span(("calendars", name, "working_hours")),
                                    'e.g. {from: "08:00", to: "16:00"}'))
            spec.pop("working_hours")


def _check_countries(data: dict[str, Any], doc: Document, diags: list[Diagnostic]) -> None:
    import holidays

    known = holidays.list_supported_countries()
    for name, spec in (data.get("calendars") or {}).items():
        country = str(spec.get("country", "DK"))
        if country not in known:
            diags.append(Diagnostic("E117", f"calendar '{name}': unknown country '{country}'",
                                    doc.span(("calendars", name, "country")),
                                    did_you_mean(country, known) or "use an ISO 3166 code, e.g. DK"))


def _check_yearly_days(data: dict[str, Any], doc: Document, diags: list[Diagnostic]) -> None:
    for name, spec in (data.get("calendars") or {}).items():
        for key in ("closed", "open"):
            for i, entry in enumerate(spec.get(key) or []):
                month, day = (int(p) for p in str(entry["date"]).split("-"))
                try:
                    dt.date(2000, month, day)  # a leap year: 02-29 is allowed
                except ValueError:
                    diags.append(Diagnostic("E116", f"calendar '{name}': {entry['date']} is not a day of the year",
                                            doc.span(("calendars", name, key, i, "date")), "write MM-DD, e.g. 12-24"))


def short_name(key: str) -> str:
    """A citation name from a document key: kontrakt → Kontrakt, bilag_a1 → Bilag A1."""
    words = key.replace("_", " ").split()
    return " ".join(w.upper() if any(c.isdigit() for c in w) else w.capitalize() for w in words)


def _default_calendar(data: dict[str, Any], calendars: dict[str, WorkingCalendar], doc: Document,
                      diags: list[Diagnostic]) -> WorkingCalendar:
    name = data.get("default_calendar")
    if name is None:
        return next(iter(calendars.values()), WorkingCalendar("weekday"))
    if name not in calendars:
        diags.append(Diagnostic("E114", f"default_calendar '{name}' is not declared", doc.span(("default_calendar",)),
                                did_you_mean(str(name), calendars) or "declare it under `calendars:`"))
        return WorkingCalendar("weekday")
    return calendars[name]


_RESERVED = {"as_of", "offering", "assume", "contract", "it", "period_start", "period_end"}


def _check_clashes(doc: Document, facts: dict[str, Any], events: dict[str, Any], data: dict[str, Any],
                   diags: list[Diagnostic]) -> None:
    """Facts, event types, parameters and rule ids share one namespace."""
    seen: dict[str, str] = {}
    rules = {str(r.get("id")): i for i, r in enumerate(data.get("rules") or [])}
    groups: list[tuple[str, Any, tuple[str, ...]]] = [
        ("fact", facts, ("inputs", "facts")), ("event type", events, ("inputs", "events")),
              ("parameter", data.get("parameters") or {}, ("parameters",)), ("rule", rules, ("rules",))]
    for what, names, where in groups:
        for name in names:
            if name in _RESERVED or name in seen:
                other = "a built-in name" if name in _RESERVED else _article(seen[name])
                path: tuple[str | int, ...] = ((*where, rules[name], "id") if what == "rule"
                                               else (*where, "<key>", name))
                diags.append(Diagnostic("E115", f"{what} '{name}' has the same name as {other}",
                                        doc.spans.get(path, doc.span(where)),
                                        "names of facts, events, parameters and rules must differ; rename one"))
            seen.setdefault(name, what)


def _article(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def _tests(doc: Document, data: dict[str, Any]) -> tuple[SpecTest, ...]:
    out = []
    for i, raw in enumerate(data.get("tests") or []):
        out.append(SpecTest(str(raw["id"]), Text.of(raw.get("title", raw["id"])), raw.get("case"),
                            raw.get("expect") or {}, {k: str(v) for k, v in (raw.get("assume") or {}).items()},
                            doc.span(("tests", i)), tuple(raw.get("covers") or ()), raw.get("portfolio"),
                            str(raw.get("lang", "da"))))
    return tuple(out)


def _digest(files: list[Path]) -> str:
    h = hashlib.sha256()
    for f in files:
        h.update(f.read_bytes())
    return h.hexdigest()
