"""The `portfolio:` section: portfolio facts and events, named values, statistics, settlements, checks and the
portfolio's own rules (duties of the parties as a whole), checked in the portfolio scope (where `cases` is the
list of evaluated cases)."""

from __future__ import annotations

from typing import Any

from ..diagnostics import Diagnostic, did_you_mean
from ..dsl import Scope, Symbol, ast
from ..dsl import types as t
from .build import build_decl, build_event, source_of
from .exprs import Exprs
from .model import EventDecl, Figure, InputDecl, PortfolioSpec, Rule, Text
from .rules import build_rules, each_scope, instance_label, let_titles, local_names, rule_symbols

PERIOD_KINDS = ("none", "month", "quarter", "half_year", "year")
_PERIOD = {"period_start": Symbol("period", "period_start", t.DATE),
           "period_end": Symbol("period", "period_end", t.DATE)}


def case_record(facts: dict[str, InputDecl], rule_scope: Scope, rule_ids: list[str]) -> t.Record:
    """The type of one entry of `cases`: id, offering, facts, event lists and every rule's outputs."""
    fields: list[tuple[str, t.Type]] = [("case", t.TEXT), ("offering", t.TEXT)]
    fields += [(name, decl.type) for name, decl in facts.items()]
    fields += [(sym.name, sym.type) for sym in rule_scope.symbols.values() if sym.kind == "events"]
    for rid in rule_ids:
        sym = rule_scope.lookup(rid)
        if sym is not None and sym.kind == "rule":
            fields.append((rid, sym.type))
    return t.Record("case", tuple(fields))


def build_portfolio(data: dict[str, Any], exprs: Exprs, rule_scope: Scope, facts: dict[str, InputDecl],
                    rule_ids: list[str], documents: dict[str, str]) -> PortfolioSpec:
    raw = data.get("portfolio") or {}
    if not raw:
        return PortfolioSpec()
    pfacts = {name: build_decl(name, spec, exprs, ("portfolio", "facts", name))
              for name, spec in (raw.get("facts") or {}).items()}
    pevents = _events(raw, exprs)
    record = case_record(facts, rule_scope, rule_ids)
    scope = _scope(rule_scope, pfacts, pevents, record)
    raw_rules = raw.get("rules") or []
    later = "it is a rule of the portfolio, and its values are computed before its rules (the rules read them)"
    scope.unseen.update({str(r.get("id")): later for r in raw_rules if isinstance(r, dict)})
    values = []
    for i, spec in enumerate(raw.get("values") or []):
        path = ("portfolio", "values", i)
        typ = t.SCALARS[spec["type"]]
        value = exprs.make((*path, "value"), spec["value"], scope, typ)
        values.append(_figure("value", spec, path, {"value": value}, exprs, documents, {"type": typ}))
        scope.symbols[str(spec["id"])] = Symbol("value", str(spec["id"]), typ)
    # the portfolio's own rules read its values; its statistics, settlements and checks read the rules' outputs
    figure_ids = {str(spec.get("id")) for key in ("values", "statistics", "settlements", "checks")
                  for spec in raw.get(key) or []}
    rules = _rules(raw_rules, scope, exprs, documents, {*rule_ids, *figure_ids, *scope.symbols})
    scope = scope.child(**rule_symbols(raw_rules)) if raw_rules else scope
    stats = [_statistic(spec, ("portfolio", "statistics", i), scope, record, exprs, documents)
             for i, spec in enumerate(raw.get("statistics") or [])]
    settlements = [_settlement(spec, ("portfolio", "settlements", i), scope, exprs, documents)
                   for i, spec in enumerate(raw.get("settlements") or [])]
    checks = [_check(spec, ("portfolio", "checks", i), scope, exprs, documents)
              for i, spec in enumerate(raw.get("checks") or [])]
    return PortfolioSpec(pfacts, pevents, tuple(values), tuple(stats), tuple(settlements), tuple(checks), rules)


def _rules(raw_rules: list[dict[str, Any]], scope: Scope, exprs: Exprs, documents: dict[str, str],
           taken: set[str]) -> tuple[Rule, ...]:
    """The portfolio's own rules: any kind, as a contract's rules, reading the portfolio's facts, events, values
    and `cases` (a deadline for a report of the partnership, a penalty remedying it). An id a case rule or a
    portfolio figure, fact or event or a parameter has is E104."""
    if not raw_rules:
        return ()
    rules = build_rules(raw_rules, scope.child(**rule_symbols(raw_rules)), exprs, documents, ("portfolio", "rules"))
    for rule in rules:
        if rule.id in taken:
            exprs.diagnostics.append(Diagnostic("E104", f"portfolio rule '{rule.id}' has the name of a case rule, a "
                                                "portfolio figure, fact or event, or a parameter", rule.span,
                                                "give every rule its own id"))
    return rules


def _check(spec: dict[str, Any], path: tuple[Any, ...], scope: Scope, exprs: Exprs,
           documents: dict[str, str]) -> Figure:
    """A portfolio check: `assert` over the portfolio, once, or once per element of `each` (the element is
    `item`, as in a rule's `each`); `applies_when` (per element with `each`) leaves it not applicable."""
    built: dict[str, Any] = {}
    if "each" in spec:
        scope = each_scope(spec, path, scope, exprs, built, "each: learning_employee, or each: cases where …")
    instance_label(spec, path, scope, exprs, built)
    scope = local_names(spec, path, scope, exprs, built)
    if "applies_when" in spec:
        built["applies_when"] = exprs.make((*path, "applies_when"), spec["applies_when"], scope, t.BOOL)
    built["assert"] = exprs.make((*path, "assert"), spec["assert"], scope, t.BOOL)
    message = spec.get("message")
    texts = message if isinstance(message, dict) else {"da": message} if message else {}
    messages = {lang: exprs.template((*path, "message", lang), str(text), scope) for lang, text in texts.items()}
    return _figure("check", spec, path, built, exprs, documents, {"severity": spec.get("severity", "error")},
                   messages=messages)


def _events(raw: dict[str, Any], exprs: Exprs) -> dict[str, EventDecl]:
    """The portfolio's event types, declared as a case's are (fields; `answers:`, `match:`, `covers:`)."""
    return {name: build_event(name, spec, exprs, ("portfolio", "events", name))
            for name, spec in (raw.get("events") or {}).items()}


def _scope(rule_scope: Scope, facts: dict[str, InputDecl], events: dict[str, EventDecl], record: t.Record) -> Scope:
    keep = {k: v for k, v in rule_scope.symbols.items() if v.kind in ("param", "as_of", "assume", "contract")}
    keep.update({n: Symbol("fact", n, d.type) for n, d in facts.items()})
    keep.update({n: Symbol("events", n, t.list_of(d.record)) for n, d in events.items()})
    keep["cases"] = Symbol("cases", "cases", t.list_of(record))
    return Scope(keep, rule_scope.offering_attrs, currency=rule_scope.currency)


def _figure(kind: str, spec: dict[str, Any], path: tuple[Any, ...], exprs_: dict[str, Any], exprs: Exprs,
            documents: dict[str, str], options: dict[str, Any], tiers: tuple[Any, ...] = (),
            messages: dict[str, Any] | None = None) -> Figure:
    made = {k: v for k, v in exprs_.items() if v is not None}
    source = source_of(spec.get("source"), documents, exprs.doc, (*path, "source"), exprs.diagnostics)
    assumptions = frozenset(a for e in made.values() for a in e.checked.assumptions)
    for up, share in tiers:
        for e in (up, share):
            if e is not None:
                assumptions |= e.checked.assumptions
    periods = options.get("periods")
    if isinstance(periods, dict):  # periods that follow an assumption read it: results and explanations list it
        assumptions |= {periods["assumption"]}
    if titles := let_titles(spec):
        options = {**options, "let_titles": titles}
    return Figure(str(spec["id"]), kind, Text.of(spec.get("title")), source, exprs.doc.span(path), made,
                  options, tiers, assumptions, messages or {})


def _statistic(spec: dict[str, Any], path: tuple[Any, ...], scope: Scope, record: t.Record, exprs: Exprs,
               documents: dict[str, str]) -> Figure:
    built: dict[str, Any] = {"value": exprs.make((*path, "value"), spec["value"], scope)}
    periods = _periods(spec, path, scope, exprs)
    if periods != "none":
        if "date" not in spec:
            exprs.diagnostics.append(_need(exprs, path, "a statistic with `periods` needs `date:`",
                                           "e.g. date: it.course_end.value"))
        else:
            inner = scope.child(it=Symbol("it", "it", record))
            built["date"] = exprs.make((*path, "date"), spec["date"], inner, t.DATE)
    value = built["value"]
    if value is not None and isinstance(value.checked.node, ast.Call) and value.checked.node.fn == "share":
        for key, arg in zip(("part", "whole"), value.checked.node.args, strict=True):  # the counts behind it
            built[key] = exprs.make((*path, "value"), spec["value"], scope, text=value.text[arg.pos:arg.end],
                                    offset=arg.pos)
    if "target" in spec and value is not None:
        built["target"] = exprs.make((*path, "target"), spec["target"], scope, value.type)
    return _figure("statistic", spec, path, built, exprs, documents, {"periods": periods})


def _settlement(spec: dict[str, Any], path: tuple[Any, ...], scope: Scope, exprs: Exprs,
                documents: dict[str, str]) -> Figure:
    periods = _periods(spec, path, scope, exprs)
    built: dict[str, Any] = {}
    inner = local_names(spec, path, scope.child(**_PERIOD), exprs, built)
    for key, typ in (("basis", t.MONEY), ("cap", t.MONEY), ("cap_applies", t.BOOL), ("approved", t.BOOL),
                     ("paid", t.MONEY)):
        if key in spec:
            built[key] = exprs.make((*path, key), spec[key], inner, typ)
    for key in ("start", "until"):
        if key in spec:
            built[key] = exprs.make((*path, key), spec[key], scope, t.DATE)
    if periods != "none" and "start" not in spec:
        exprs.diagnostics.append(_need(exprs, path, "a settlement with `periods` needs `start:`",
                                       "e.g. start: 2023-01-01"))
    tiers = []
    for j, tier in enumerate(spec.get("tiers") or []):
        tpath = (*path, "tiers", j)
        up = exprs.make((*tpath, "up_to"), tier["up_to"], scope, t.MONEY) if "up_to" in tier else None
        share = exprs.make((*tpath, "share"), tier["share"], scope, t.PERCENT)
        if share is not None:
            tiers.append((up, share))
    return _figure("settlement", spec, path, built, exprs, documents, {"periods": periods}, tuple(tiers))


def _need(exprs: Exprs, path: tuple[Any, ...], message: str, hint: str) -> Any:
    from ..diagnostics import Diagnostic

    return Diagnostic("E108", message, exprs.doc.span(path), hint)


def _periods(spec: dict[str, Any], path: tuple[Any, ...], scope: Scope, exprs: Exprs) -> str | dict[str, str]:
    """`periods:` as given: a kind, or `{assumption: NAME}` — the kind is the reading in force, so each of the
    assumption's readings must be named after a kind (E123 otherwise)."""
    given = spec.get("periods", "none")
    if not isinstance(given, dict):
        return str(given)
    name = str(given.get("assumption"))
    assume = scope.lookup("assume")
    readings = dict(assume.type.fields) if assume is not None and isinstance(assume.type, t.Record) else {}
    where = exprs.doc.span((*path, "periods", "assumption"))
    if name not in readings:
        exprs.diagnostics.append(Diagnostic("E123", f"`periods` names an unknown assumption '{name}'", where,
                                            did_you_mean(name, readings) or "declare it under assumptions:"))
    elif bad := [r for r in getattr(readings[name], "values", ()) if r not in PERIOD_KINDS]:
        exprs.diagnostics.append(Diagnostic("E123", f"assumption '{name}' has readings that are not kinds of period: "
                                            f"{', '.join(bad)}", where,
                                            "name its readings after kinds: " + ", ".join(PERIOD_KINDS)))
    return {"assumption": name}

