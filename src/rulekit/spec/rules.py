"""Build and check the rules of a spec: scopes, expected types per key, dependencies, order."""

from __future__ import annotations

from typing import Any

from ..diagnostics import Diagnostic, did_you_mean
from ..dsl import Scope, Symbol, ast
from ..dsl import types as t
from ..dsl.check import FUNCTION_NAMES
from ..dsl.needs import (
    comparisons,
    conjuncts,
    drawn_from,
    false_if_empty,
    false_unless_any,
    filter_needs_any,
    missing_if_empty,
    single_reads,
)
from ..dsl.scope import LocalFunction
from .build import source_of
from .exprs import Exprs
from .model import Assumption, EventDecl, InputDecl, Parameter, Rule, Text

DATED = t.Record("dated_amount", (("date", t.DATE), ("amount", t.MONEY)))
STATUS = t.EnumType("status", ("met", "breached", "pending", "not_applicable", "waived", "suspended", "discharged"))
_OBLIGATION = (("status", STATUS), ("met", t.BOOL), ("breached", t.BOOL), ("applies", t.BOOL))
OUTPUTS: dict[str, tuple[tuple[str, t.Type], ...]] = {
    "deadline": (*_OBLIGATION, ("due", t.DATE), ("fulfilled", t.DATE), ("late_days", t.INT),
                 ("late_working_days", t.INT)),
    "recurring": (*_OBLIGATION, ("missed_windows", t.INT)),
    "judgement": _OBLIGATION,
    "penalty": (("amount", t.MONEY), ("applied", t.BOOL), ("dated", t.list_of(DATED))),
    "payment": (("amount", t.MONEY), ("applied", t.BOOL), ("dated", t.list_of(DATED))),
    "check": (("holds", t.BOOL),),
}
_EXPECTED: dict[str, dict[str, t.Type | None]] = {
    "deadline": {"from": t.DATE, "due": t.DATE, "fulfilled": t.DATE},
    "recurring": {"start": t.DATE, "end": t.DATE},
    "judgement": {},
    "value": {},
    "penalty": {"rate": t.MONEY, "amount": t.MONEY, "minimum": t.MONEY, "cap": t.MONEY,
                "waived_when": t.BOOL, "basis": t.MONEY},
    "check": {"assert": t.BOOL},
}
_EXPECTED["payment"] = _EXPECTED["penalty"]
_OPTIONS = ("roll", "align", "at_least", "per", "severity", "judgement_event", "single_occurrence")
OBLIGATION_KINDS = ("deadline", "recurring", "judgement")


def base_scope(facts: dict[str, InputDecl], events: dict[str, EventDecl], params: dict[str, Parameter],
               assumptions: dict[str, Assumption], offering_attrs: dict[str, InputDecl],
               rules: list[dict[str, Any]], currency: str = "DKK", period: bool = True) -> Scope:
    """The names every rule expression can see."""
    symbols: dict[str, Symbol] = {}
    for name, decl in facts.items():
        symbols[name] = Symbol("fact", name, decl.type)
    for name, ev in events.items():
        symbols[name] = Symbol("events", name, t.list_of(ev.record))
    for name, param in params.items():
        symbols[name] = Symbol("param", name, param.type, ref=param)
    symbols.update(rule_symbols(rules))
    assume = t.Record("assume", tuple((k, t.EnumType(k, tuple(a.readings))) for k, a in assumptions.items()))
    symbols.update(
        as_of=Symbol("as_of", "as_of", t.DATE),
        offering=Symbol("offering", "offering", t.TEXT),
        assume=Symbol("assume", "assume", assume),
        contract=Symbol("contract", "contract",
                        t.Record("contract", (("start", t.DATE), ("end", t.DATE)) if period else ())),
    )
    attrs = t.Record("offering", tuple((k, d.type) for k, d in offering_attrs.items()))
    return Scope(symbols, attrs, currency=currency)


def rule_symbols(rules: list[dict[str, Any]]) -> dict[str, Symbol]:
    """The rules' names as expressions see them: each rule's outputs (a value rule's `value`)."""
    symbols: dict[str, Symbol] = {}
    by_id = {str(raw.get("id")): raw for raw in rules}
    for raw in rules:
        rid, kind = str(raw.get("id")), str(raw.get("kind"))
        if kind == "value" and raw.get("type") in t.SCALARS:
            one = t.Record(rid, (("value", t.SCALARS[raw["type"]]),))
            # with `each`: `RULE.value` is the elements' values, and instance(RULE, e) one element's (`ref`)
            symbols[rid] = Symbol("rule", rid, t.Record(rid, (("value", t.list_of(t.SCALARS[raw["type"]])),)),
                                  ref=one) if "each" in raw else Symbol("rule", rid, one)
        elif kind in OUTPUTS:  # `ref`: whether it has one instance per element (`each`), for instance()
            # a penalty or payment remedying a rule with `each` has an instance per instance of it
            target = by_id.get(str(raw.get("remedies")), {}) if "remedies" in raw else {}
            many = "each" in raw or (isinstance(target, dict) and "each" in target)
            symbols[rid] = Symbol("rule", rid, t.Record(rid, OUTPUTS[kind]), ref="each" if many else None)
    return symbols


def build_rules(raw_rules: list[dict[str, Any]], scope: Scope, exprs: Exprs,
                documents: dict[str, str], where: tuple[str, ...] = ("rules",)) -> tuple[Rule, ...]:
    """The rules in dependency order; `where` is their list's path in the spec (the portfolio's own rules:
    ("portfolio", "rules"))."""
    rules: dict[str, Rule] = {}
    later = [i for i, raw in enumerate(raw_rules) if "remedies" in raw]  # they need the remedied rule's `item`
    for i in [*(i for i in range(len(raw_rules)) if i not in later), *later]:
        raw = raw_rules[i]
        inner = _remedy_scope(raw, (*where, i), scope, rules, exprs) if "remedies" in raw else scope
        rule = _build_rule(raw, (*where, i), inner, exprs, documents)
        if rule.id in rules:
            exprs.diagnostics.append(Diagnostic("E104", f"duplicate rule id '{rule.id}'", rule.span,
                                                "give every rule its own id"))
        rules[rule.id] = rule
    order = {str(raw.get("id")): i for i, raw in enumerate(raw_rules)}
    rules = dict(sorted(rules.items(), key=lambda kv: order.get(kv[0], 0)))
    _warn_single_reads(rules, scope, exprs)
    return _ordered(rules, exprs.diagnostics)


def _remedy_scope(raw: dict[str, Any], path: tuple[Any, ...], scope: Scope, rules: dict[str, Rule],
                  exprs: Exprs) -> Scope:
    """Inside a rule that remedies an obligation, `item` (or the period) is that obligation's instance."""
    target = rules.get(str(raw["remedies"]))
    if target is None or target.kind not in OBLIGATION_KINDS:
        known = [r.id for r in rules.values() if r.kind in OBLIGATION_KINDS]
        what = "is not an obligation (deadline, recurring or judgement)" if target else "is not a rule of this spec"
        exprs.diagnostics.append(Diagnostic("E121", f"`remedies: {raw['remedies']}` {what}",
                                            exprs.doc.span((*path, "remedies")),
                                            did_you_mean(str(raw["remedies"]), known) or "name the duty it remedies"))
        return scope
    each = target.exprs.get("each")
    if each is not None and isinstance(each.type, t.ListType):
        return scope.child(item=Symbol("item", "item", each.type.elem))
    if "repeat_start" in target.exprs:
        return scope.child(period_start=Symbol("period", "period_start", t.DATE),
                           period_end=Symbol("period", "period_end", t.DATE))
    return scope


def _warn_single_reads(rules: dict[str, Rule], scope: Scope, exprs: Exprs) -> None:
    """W120: a rule reads one occurrence of an event type the spec declares repeatable, and does not say why."""
    for rule in rules.values():
        if "single_occurrence" in rule.options:
            continue
        for name in sorted(rule.single_reads):
            sym = scope.lookup(name)
            if sym is None or not isinstance(sym.type, t.ListType) or not isinstance(sym.type.elem, t.Record):
                continue
            if name in exprs.repeatable:
                exprs.diagnostics.append(Diagnostic(
                    "W120", f"rule '{rule.id}' reads one occurrence (first/last) of '{name}', which may occur "
                    "more than once; the other occurrences are judged by no rule", rule.span,
                    f"make the rule per occurrence (each: {name}), or say why one is right with "
                    "`single_occurrence: \"…\"`", severity="warning"))


def _build_rule(raw: dict[str, Any], path: tuple[Any, ...], scope: Scope, exprs: Exprs,
                documents: dict[str, str]) -> Rule:
    kind = str(raw["kind"])
    built: dict[str, Any] = {}
    if "repeat" in raw:
        scope = scope.child(period_start=Symbol("period", "period_start", t.DATE),
                            period_end=Symbol("period", "period_end", t.DATE))
    if "each" in raw and "repeat" in raw:
        exprs.diagnostics.append(Diagnostic("E105", "a rule cannot have both `each` and `repeat`",
                                            exprs.doc.span(path), "split it into two rules"))
    elif "each" in raw:
        example = "each: invoice_sent where it.complete, or each: months(a, b)"
        scope = each_scope(raw, path, scope, exprs, built, example)
    instance_label(raw, path, scope, exprs, built)
    scope = local_names(raw, path, scope, exprs, built)
    expected = {"applies_when": t.BOOL, "reference_date": t.DATE, **_EXPECTED[kind]}
    for key, typ in expected.items():
        if key in raw:
            built[key] = exprs.make((*path, key), raw[key], scope, typ)
    _kind_specific(kind, raw, path, scope, exprs, built)
    _static_condition(raw, path, scope, exprs, built)
    made = {k: v for k, v in built.items() if v is not None}
    deps = frozenset(d for e in made.values() for d in e.checked.rules)
    assumptions = frozenset(a for e in made.values() for a in e.checked.assumptions)
    messages = {lang: exprs.template((*path, "message", lang), str(text), scope)
                for lang, text in _message(raw).items()}
    for parts in messages.values():
        for _, expr in parts:
            if expr is not None:
                deps |= expr.checked.rules
    source = source_of(raw.get("source"), documents, exprs.doc, (*path, "source"), exprs.diagnostics)
    assert source is not None
    options = {k: raw[k] for k in _OPTIONS if k in raw}
    if titles := let_titles(raw):
        options["let_titles"] = titles
    needs, needs_any = _plan_needs(raw, kind, made)
    if str(raw["id"]) in deps:
        exprs.diagnostics.append(Diagnostic("E107", f"rule '{raw['id']}' reads its own outputs",
                                            exprs.doc.span(path), "a rule cannot depend on itself; use a value rule"))
    if "remedies" in raw:
        deps |= {str(raw["remedies"])}
    reads = frozenset(name for e in made.values() for name, _ in single_reads(e.checked))
    each_needs = drawn_from(made["each"].checked) if "each" in made else frozenset()
    each_needs_any = filter_needs_any(made["each"].checked) if "each" in made else frozenset()
    return Rule(str(raw["id"]), kind, Text.of(raw.get("title")), source, exprs.doc.span(path), made, options,
                deps - {str(raw["id"])}, messages, Text.of(raw["description"]) if "description" in raw else None,
                raw.get("obliged"), assumptions, needs, remedies=raw.get("remedies"), single_reads=reads,
                each_needs=each_needs, needs_any=needs_any, each_needs_any=each_needs_any,
                explain=Text.of(raw["explain"]) if "explain" in raw else None)


def local_names(raw: dict[str, Any], path: tuple[Any, ...], scope: Scope, exprs: Exprs, built: dict[str, Any]) -> Scope:
    """`let:` names expressions for the rest of the rule (or portfolio figure); each may use the names before
    it. Each is built as `let.NAME` in `built`. A name is given as its expression, or as `{value: …, title:
    …}` when explanations should call it by a title (let_titles)."""
    lets = raw.get("let") or {}
    if not isinstance(lets, dict):
        return scope
    for name, given in lets.items():
        where = (*path, "let", name)
        text = given
        if isinstance(given, dict):  # {value: expression, title: …, params: …}: the schema requires `value`
            where, text = (*where, "value"), given.get("value", "")
        function = isinstance(given, dict) and "params" in given
        if _taken(str(name), scope, exprs, (*path, "let", "<key>", name), called=function):
            continue
        if function:
            scope = _local_function(str(name), given["params"], (*path, "let", name), text, scope, exprs, built)
            continue
        expr = built[f"let.{name}"] = exprs.make(where, text, scope)
        if expr is not None:
            scope = scope.child(**{str(name): Symbol("let", str(name), expr.type, ref=expr)})
    return scope


def each_scope(raw: dict[str, Any], path: tuple[Any, ...], scope: Scope, exprs: Exprs, built: dict[str, Any],
               example: str) -> Scope:
    """`each:` built as `each`: a list (else E202, with `example`); the scope it gives the rest, with `item` of
    its element type."""
    each = built["each"] = exprs.make((*path, "each"), raw["each"], scope)
    if each is not None and not isinstance(each.type, t.ListType):
        exprs.diagnostics.append(Diagnostic("E202", f"`each` must be a list, not {each.type}", each.span,
                                            f"e.g. {example}"))
    elif each is not None and isinstance(each.type, t.ListType):
        return scope.child(item=Symbol("item", "item", each.type.elem))
    return scope


def instance_label(raw: dict[str, Any], path: tuple[Any, ...], scope: Scope, exprs: Exprs,
                   built: dict[str, Any]) -> None:
    """`label:` with `each`: what each instance is called (text, a date or a number, read with `item`), built as
    `label`; without `each` it is an error (E105), as is a list or a record (E202)."""
    if "label" not in raw:
        return
    if "each" not in raw:
        exprs.diagnostics.append(Diagnostic("E105", "`label` names the instances of `each`, and this has no `each`",
                                            exprs.doc.span((*path, "label")), "add `each:`, or remove `label:`"))
        return
    made = exprs.make((*path, "label"), raw["label"], scope)
    if made is not None and isinstance(made.type, t.ListType | t.Record):
        exprs.diagnostics.append(Diagnostic("E202", f"`label` must be text, a date or a number, not {made.type}",
                                            made.span, "e.g. label: item.employee"))
        return
    if made is not None:
        built["label"] = made


def _taken(name: str, scope: Scope, exprs: Exprs, key: tuple[Any, ...], called: bool = False) -> bool:
    """Whether a local name (or a function's parameter) would hide a name the expression can already read (E122);
    a local function (`called`) must not take a built-in function's name either."""
    known = scope.lookup(name)
    if known is None and name not in ("it", "item") and not (called and name in FUNCTION_NAMES):
        return False
    kinds = {"param": "a parameter", "events": "an event type", "fact": "a fact", "rule": "a rule",
             "let": "a local name", "function": "a local function", "var": "a parameter of the function"}
    what = kinds.get(known.kind, "a built-in name") if known else \
        "a built-in function" if name in FUNCTION_NAMES else "a built-in name"
    exprs.diagnostics.append(Diagnostic("E122", f"let: '{name}' is already {what} here", exprs.doc.span(key),
                                        "give the local name its own name"))
    return True


def _local_function(name: str, params: Any, path: tuple[Any, ...], text: Any, scope: Scope, exprs: Exprs,
                    built: dict[str, Any]) -> Scope:
    """`let: {NAME: {params: {p: type, …}, value: …}}`: a local function, called as `NAME(arg, …)`. Its body reads
    each parameter by name (a value of the declared type) and every name before it. Built as `fn.NAME` (it has
    no value of its own, so it is not among the rule's local names)."""
    declared: list[tuple[str, t.Type]] = []
    for param, typ in (params or {}).items() if isinstance(params, dict) else ():
        if str(typ) not in t.SCALARS:
            exprs.diagnostics.append(Diagnostic(
                "E125", f"let: parameter '{param}' of '{name}' has no type '{typ}'",
                exprs.doc.span((*path, "params", param)), "one of: " + ", ".join(t.SCALARS)))
            return scope
        if _taken(str(param), scope, exprs, (*path, "params", "<key>", param)):
            return scope
        declared.append((str(param), t.SCALARS[str(typ)]))
    if not declared:
        exprs.diagnostics.append(Diagnostic("E125", f"let: '{name}' gives `params:` but no parameter",
                                            exprs.doc.span((*path, "params")),
                                            "e.g. params: {until: date}; or drop `params:` for a local name"))
        return scope
    inner = scope.child(**{p: Symbol("var", p, typ) for p, typ in declared})
    body = built[f"fn.{name}"] = exprs.make((*path, "value"), text, inner)
    if body is None:
        return scope
    return scope.child(**{name: Symbol("function", name, body.type, ref=LocalFunction(tuple(declared), body))})


def let_titles(raw: dict[str, Any]) -> dict[str, Text]:
    """The titles `let:` gives its local names (`{value: …, title: …}`), by name: what explanations call them."""
    lets = raw.get("let")
    if not isinstance(lets, dict):
        return {}
    return {str(name): Text.of(given["title"]) for name, given in lets.items()
            if isinstance(given, dict) and given.get("title")}


def _plan_needs(raw: dict[str, Any], kind: str, made: dict[str, Any]
                ) -> tuple[frozenset[str], frozenset[frozenset[str]]]:
    """What the rule cannot apply without (runtime/plan.py skips it when a case lacks it): names it needs
    each of, and groups of names it needs one of. None for a rule judged per item or per remedied
    instance (each item, each instance has an entry of its own)."""
    if "each" in raw or "remedies" in raw:
        return frozenset(), frozenset()
    condition = made.get("applies_when")
    groups = frozenset(g for g in false_unless_any(condition.checked) if len(g) > 1) if condition else frozenset()
    if "repeat" in raw:  # the condition is judged once, before the periods; the trigger per period
        return (false_if_empty(condition.checked) if condition else frozenset()), groups
    return _needs(kind, made), groups


def _needs(kind: str, made: dict[str, Any]) -> frozenset[str]:
    """Event types whose absence makes the rule not applicable, by the same path evaluation would take."""
    out: frozenset[str] = frozenset()
    if "applies_when" in made:
        out |= false_if_empty(made["applies_when"].checked)
    trigger = {"deadline": "from" if "from" in made else "due", "recurring": "start", "value": "value"}.get(kind)
    if trigger is not None and trigger in made:
        out |= missing_if_empty(made[trigger].checked)
    return out


def _message(raw: dict[str, Any]) -> dict[str, str]:
    message = raw.get("message")
    if message is None:
        return {}
    if isinstance(message, dict):
        return {k: str(v) for k, v in message.items()}
    return {"da": str(message)}


def _kind_specific(kind: str, raw: dict[str, Any], path: tuple[Any, ...], scope: Scope, exprs: Exprs,
                   built: dict[str, Any]) -> None:
    if kind == "deadline":
        _deadline(raw, path, scope, exprs, built)
    elif kind == "recurring":
        built["events"] = exprs.make((*path, "events"), raw["events"], scope)
        ev = built["events"]
        if ev is not None and not (isinstance(ev.type, t.ListType) and isinstance(ev.type.elem, t.Record)):
            exprs.diagnostics.append(Diagnostic("E202", f"'events' must be a list of events, not {ev.type}",
                                                ev.span, "name an event type, e.g. followup_contact"))
        _measure(raw, path, scope, exprs, built)
        built["window"] = exprs.duration((*path, "window"), raw["window"], scope)
        window = built["window"]
        if window is not None and window.type == t.WORKING_DAYS and raw.get("align", "start") == "iso_week":
            exprs.diagnostics.append(Diagnostic(
                "E124", "`align: iso_week` cuts the calendar into ISO weeks, but this window counts working days",
                exprs.doc.span((*path, "align")), "write `window: 1 weeks` for ISO weeks, or `align: start` for "
                "blocks of working days from the start"))
    elif kind in ("penalty", "payment"):
        _amount_shape(raw, path, exprs)
        if "units" in raw:
            built["units"] = _units(raw, path, scope, exprs)
    elif kind == "value":
        built["value"] = exprs.make((*path, "value"), raw["value"], scope, t.SCALARS[raw["type"]])
    elif kind == "check" and built.get("assert") is not None:
        _compared(raw, path, scope, exprs, built)


_MEASURES = (t.INT, t.DEC, t.MONEY, t.HOURS, t.SERVICE_HOURS)


def _measure(raw: dict[str, Any], path: tuple[Any, ...], scope: Scope, exprs: Exprs, built: dict[str, Any]) -> None:
    """A recurring duty's `measure:` — what each event (`it`) counts towards the window's `at_least:`, which is
    then an expression of the same type (a sum per window, not a number of events)."""
    events = built.get("events")
    count = raw.get("at_least", 1)
    if "measure" not in raw and (type(count) is not int or count < 1):
        exprs.diagnostics.append(Diagnostic("E202", f"`at_least: {count}` counts events: it must be a whole number "
                                            "≥ 1", exprs.doc.span((*path, "at_least")),
                                            "give `measure:` too to sum a field per window (e.g. it.hours ?? 0)"))
    if "measure" not in raw or events is None or not isinstance(events.type, t.ListType):
        return
    if raw.get("align") == "gap" or "at_least" not in raw:
        exprs.diagnostics.append(Diagnostic("E105", "`measure:` needs `at_least:` (what each window must come to) "
                                            "and windows (not `align: gap`)", exprs.doc.span((*path, "measure")),
                                            "e.g. measure: it.hours ?? 0 with at_least: 1"))
        return
    inner = scope.child(it=Symbol("it", "it", events.type.elem))
    measure = built["measure"] = exprs.make((*path, "measure"), raw["measure"], inner)
    if measure is not None and measure.type not in _MEASURES:
        exprs.diagnostics.append(Diagnostic("E202", f"`measure` must be a number (integer, decimal, money or hours), "
                                            f"not {measure.type}", measure.span, "e.g. it.hours ?? 0"))
    elif measure is not None:
        built["at_least"] = exprs.make((*path, "at_least"), raw["at_least"], scope, measure.type)


def _static_condition(raw: dict[str, Any], path: tuple[Any, ...], scope: Scope, exprs: Exprs,
                      built: dict[str, Any]) -> None:
    """`applies.static`: the conjuncts of `applies_when` that read only the offering and the readings, so the
    evaluation plan (runtime/plan.py) can tell once per offering that a rule does not apply."""
    condition = built.get("applies_when")
    if condition is None or "each" in raw or "remedies" in raw:
        return
    static = [node for node in conjuncts(condition.checked.node) if _offering_only(node, condition.checked)]
    if not static:
        return
    text = " and ".join(f"({condition.text[n.pos:n.end]})" for n in static)
    built["applies.static"] = exprs.make((*path, "applies_when"), raw["applies_when"], scope, t.BOOL, text=text)


def _offering_only(node: Any, checked: Any) -> bool:
    for sub in ast.walk(node):
        sym = checked.symbols.get(sub) if isinstance(sub, ast.Call) else None
        if sym is not None and sym.kind == "function":
            return False  # a local function reads what its body reads, which its call does not show
        if isinstance(sub, ast.Name) and (checked.symbols.get(sub) is None
                                          or checked.symbols[sub].kind not in ("offering", "assume")):
            return False
    return any(isinstance(sub, ast.Name) for sub in ast.walk(node))


def _compared(raw: dict[str, Any], path: tuple[Any, ...], scope: Scope, exprs: Exprs, built: dict[str, Any]) -> None:
    """A check's comparisons (`a <= b`, and chains of them) as expressions of their own, so a finding can
    report the figures it compared: `compare.N.left` and `compare.N.right`."""
    whole = built["assert"]
    for i, node in enumerate(comparisons(whole.checked.node)):
        for side, sub in (("left", node.left), ("right", node.right)):
            expr = exprs.make((*path, "assert"), raw["assert"], scope, text=whole.text[sub.pos:sub.end],
                              offset=sub.pos)
            if expr is not None:
                built[f"compare.{i}.{side}"] = expr


def _deadline(raw: dict[str, Any], path: tuple[Any, ...], scope: Scope, exprs: Exprs,
              built: dict[str, Any]) -> None:
    if ("due" in raw) == ("from" in raw and "period" in raw) or ("from" in raw) != ("period" in raw):
        exprs.diagnostics.append(Diagnostic("E105", "a deadline needs either `from` and `period`, or `due`",
                                            exprs.doc.span(path), "e.g. from: first(x).date, period: 5 working_days"))
        return
    if "period" in raw:
        period = built["period"] = exprs.duration((*path, "period"), raw["period"], scope)
        unit = period.type if period else None
        for key in ("extension", "max_extension"):
            if key in raw:
                built[key] = exprs.duration((*path, key), raw[key], scope, unit)
    _lifecycle(raw, path, scope, exprs, built)
    if "repeat" in raw:
        rep = raw["repeat"]
        outer = scope  # `repeat` is read outside its periods (and the rule's local names)
        while outer.parent is not None and "period_start" not in outer.symbols:
            outer = outer.parent
        outer = outer.parent or outer
        built["repeat_start"] = exprs.make((*path, "repeat", "start"), rep["start"], outer, t.DATE)
        built["repeat_every"] = exprs.duration((*path, "repeat", "every"), rep["every"], outer)
        built["repeat_until"] = exprs.make((*path, "repeat", "until"), rep["until"], outer, t.DATE)


def _lifecycle(raw: dict[str, Any], path: tuple[Any, ...], scope: Scope, exprs: Exprs, built: dict[str, Any]) -> None:
    """A deadline's dated extensions, and the events that waive, suspend or discharge an instance."""
    for key in ("waived_by", "discharged_by"):  # a list expression, or a YAML list of them (any of them ends it)
        if isinstance(raw.get(key), list):
            for i, text in enumerate(raw[key]):
                built[f"{key}.{i}"] = _event_list(exprs, (*path, key, i), text, scope)
        elif key in raw:
            built[key] = _event_list(exprs, (*path, key), raw[key], scope)
    for key, sub, typ in (("extensions", "length", None), ("suspended_by", "until", t.DATE)):
        if key not in raw:
            continue
        events = built[f"{key}.events"] = _event_list(exprs, (*path, key, "events"), raw[key]["events"], scope)
        if sub in raw[key] and events is not None and isinstance(events.type, t.ListType):
            inner = scope.child(it=Symbol("it", "it", events.type.elem))
            if typ is None:
                unit = built["period"].type if built.get("period") is not None else None
                built[f"{key}.{sub}"] = exprs.duration((*path, key, sub), raw[key][sub], inner, unit)
            else:
                built[f"{key}.{sub}"] = exprs.make((*path, key, sub), raw[key][sub], inner, typ)


def _event_list(exprs: Exprs, path: tuple[Any, ...], text: Any, scope: Scope) -> Any:
    expr = exprs.make(path, text, scope)
    if expr is not None and not (isinstance(expr.type, t.ListType) and isinstance(expr.type.elem, t.Record)):
        exprs.diagnostics.append(Diagnostic("E202", f"`{path[-1] if path[-1] != 'events' else path[-2]}` must be a "
                                            f"list of events, not {expr.type}", expr.span,
                                            "e.g. answers(item, documentation_waived)"))
        return None
    return expr


def _units(raw: dict[str, Any], path: tuple[Any, ...], scope: Scope, exprs: Exprs) -> Any:
    """`units` is a count (integer) or a list of dates (dated amounts, one rate per date)."""
    units = exprs.make((*path, "units"), raw["units"], scope)
    if units is None:
        return None
    dated = units.type == t.list_of(t.DATE)
    if units.type != t.INT and units.type not in t.DURATIONS and not dated:  # a duration counts its days/weeks/…
        hint = ("make it whole: ceil(x), floor(x), round(x, 0) or started(x, per)" if units.type == t.DEC
                else "e.g. doc_deadline.late_working_days, or (x where …).date")
        exprs.diagnostics.append(Diagnostic("E202", f"`units` must be an integer, a duration or a list of dates, "
                                            f"not {units.type}", units.span, hint))
        return None
    if dated and ("minimum" in raw or "cap" in raw):
        exprs.diagnostics.append(Diagnostic("E106", "dated units cannot be combined with `minimum` or `cap`",
                                            units.span, "cap the amount in a separate rule, or count the units"))
    return units


def _amount_shape(raw: dict[str, Any], path: tuple[Any, ...], exprs: Exprs) -> None:
    has_rate = "rate" in raw or "per" in raw or "units" in raw
    if has_rate and not all(k in raw for k in ("rate", "per", "units")):
        exprs.diagnostics.append(Diagnostic("E106", "an accruing amount needs `per`, `units` and `rate` together",
                                            exprs.doc.span(path), "or give a single `amount`"))
    if has_rate == ("amount" in raw):
        exprs.diagnostics.append(Diagnostic("E106", "give either `amount`, or `per` + `units` + `rate`",
                                            exprs.doc.span(path),
                                            "a one-off sum: amount: 10000 DKK; an accruing one: per: working_day, "
                                            "units: x.late_working_days, rate: 3000 DKK"))


def _ordered(rules: dict[str, Rule], diags: list[Diagnostic]) -> tuple[Rule, ...]:
    """Rules in dependency order (a rule after the rules it reads); cycles are errors."""
    order: list[Rule] = []
    state: dict[str, int] = {}

    def visit(rule: Rule, chain: list[str]) -> None:
        if state.get(rule.id) == 2:
            return
        if state.get(rule.id) == 1:
            diags.append(Diagnostic("E107", "rules depend on each other in a cycle: " + " → ".join(
                [*chain[chain.index(rule.id):], rule.id]), rule.span, "one of them must not read the other"))
            return
        state[rule.id] = 1
        for dep in sorted(rule.deps):
            if dep in rules:
                visit(rules[dep], [*chain, rule.id])
            else:
                diags.append(Diagnostic("E201", f"rule '{rule.id}' reads unknown rule '{dep}'", rule.span,
                                        did_you_mean(dep, rules)))
        state[rule.id] = 2
        order.append(rule)

    for rule in rules.values():
        visit(rule, [])
    return tuple(order)
