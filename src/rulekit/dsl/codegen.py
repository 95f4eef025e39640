"""Generated Python for the untraced evaluation of an expression: one function per expression instead of
a closure per node.

compile.py turns every node into a closure, which is the reference (and what tracing runs). Untraced, the
nodes whose meaning is a plain Python expression — names, fields, literals, comparisons, arithmetic on
numbers and dates, `and`/`or`/`not`, `if`, `??` over probes, `first`/`last`, `answers`, `count`, `sum` —
are written out as the text of one Python function; any other node (a `where`, a `map`, a call with
logic of its own) stays a closure from compile.py and is called from the generated text. The generated
text holds no text of the spec: every name, label and value is a constant passed in by reference
(`_k0`, `_k1`, …), so nothing a spec says is ever run as Python. Each node keeps the closure's
evaluation order and its Missing: tests/property/test_fuzz_expressions.py compares both on random
expressions, and the runtime's fast-path tests compare whole results.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Protocol

from . import ast
from . import types as t
from .env import Env, Missing, MissingField, answers_to, with_alternatives

Fn = Callable[[Env], Any]
_MISS = object()
_COMPARE = {"==", "!=", "<", "<=", ">", ">="}
_LOGIC = {"and", "or", "in", "not in"}
_NUMERIC = {"+", "-", "*"}
_LITERALS = (ast.Number, ast.Quantity, ast.DateLit, ast.DateTimeLit, ast.Text, ast.Bool)
_INLINE_NAMES = {"fact", "events", "param", "rule", "it", "item", "var", "let", "as_of", "offering", "cases",
                 "value"}


class Closures(Protocol):
    """What the code generator asks of compile.py's compiler."""

    c: Any  # the Checked expression: symbols and types
    cals: Any

    def closure(self, node: ast.Node) -> Fn: ...

    def probe(self, node: ast.Node) -> Fn | None: ...


def _miss(label: str) -> Any:
    raise Missing(label)


def _miss_field(label: str) -> Any:
    raise MissingField(label)


def _answering(key: Any, events: Any) -> list[Any]:
    return [e for e in events if e.get("_answers") == key]


def _projected(items: Any, name: str, label: str) -> list[Any]:
    """`LIST.field`: every element's field; Missing (named `label`) if one has none."""
    out = []
    for item in items:
        value = item.get(name)
        if value is None:
            raise Missing(label)
        out.append(value)
    return out


def _coalesce_last(env: Env, last: Fn, others: tuple[Fn, ...]) -> Any:
    """The last side of a `??` whose other sides gave nothing: its value, or a Missing naming them all."""
    try:
        return last(env)
    except Missing as exc:
        raise with_alternatives(exc, env, others) from None


def _divide(num: Any, den: Any) -> Decimal:
    if den == 0:
        raise ZeroDivisionError("division by zero")
    return Decimal(num) / Decimal(den)


_HELPERS: dict[str, Any] = {"_MISS": _MISS, "_miss": _miss, "_miss_field": _miss_field, "_answering": _answering,
                            "_answers_to": answers_to, "_coalesce_last": _coalesce_last,
                            "_projected": _projected,
                            "_divide": _divide, "_MissingField": MissingField}


class _Unsupported(Exception):
    """The node is left to its closure."""


class Generator:
    """Writes the function for one expression (or for one subtree below a node that stays a closure)."""

    def __init__(self, compiler: Closures) -> None:
        self.compiler = compiler
        self.symbols = compiler.c.symbols
        self.types = compiler.c.types

    def function(self, node: ast.Node) -> Fn:
        """The generated function for `node`, or its closure when the node has no Python text."""
        unit = _Unit(self)
        if isinstance(node, _LITERALS):  # a constant: its closure is as quick
            return self.compiler.closure(node)
        try:
            body = self._where(unit, node) if isinstance(node, ast.Where) else f"    return {unit.expr(node)}\n"
        except _Unsupported:
            return self.compiler.closure(node)
        return self._define(unit, body) or self.compiler.closure(node)

    def probe_function(self, node: ast.Node) -> Fn | None:
        """A function giving None where `node` would be Missing, when the node is a probe (_Unit._probe: a fact,
        an offering attribute, an element's field, the field of the first or last of a list of events);
        None otherwise."""
        unit = _Unit(self)
        try:
            body = f"    return {unit._probe(node)}\n"
        except _Unsupported:
            return None
        return self._define(unit, body)

    @staticmethod
    def _define(unit: _Unit, body: str) -> Fn | None:
        """The function whose body is `body`, with the unit's constants (None if Python cannot compile it)."""
        namespace = {**_HELPERS, **unit.constants}
        source = f"def _generated(env):\n{body}"
        try:
            code = compile(source, "<rulekit expression>", "exec")  # text of our own making, no spec text
        except (SyntaxError, RecursionError, MemoryError):  # nested beyond what Python's compiler takes
            return None
        exec(code, namespace)  # ok: generated from the typed AST, spec text only as constants (test_dsl_codegen_review)
        fn: Fn = namespace["_generated"]
        return fn

    def unfailing_condition(self, node: ast.Where) -> bool:
        """Whether a `where` condition has a text that never raises Missing (an element without the field it
        reads does not match: the loop catches that)."""
        unit = _Unit(self)
        try:
            unit.expr(node.cond)
        except _Unsupported:
            return False
        return not unit.fails

    @staticmethod
    def _where(unit: _Unit, node: ast.Where) -> str:
        """`LIST where COND` as the closure's loop, with the condition written out in it (no call per element):
        `it` is each element in turn; an element without the field the condition asks about does not match."""
        if node.var is not None:
            return Generator._named_where(unit, node, node.var)
        source = unit.sub(node.source)  # outside the loop: an `it` in it is the enclosing one
        unit.it, unit.calls = "e", False
        cond = unit.expr(node.cond)  # the condition must have a text of its own, or the closure is as quick
        unit.it = "env.it"
        if not unit.calls:  # nothing in the condition reads env.it: `it` is the loop's own variable
            return Generator._loop(source, cond, None)
        # a function of the condition's own reads `it` from env.it: the loop sets it too (`e` is the same
        # element, so the condition is written once, whatever the nesting)
        return Generator._loop(source, cond, ("env.it", "env.it = e", ["env.it = saved"]))

    @staticmethod
    def _named_where(unit: _Unit, node: ast.Where, var: str) -> str:
        """`LIST where e: COND` as the closure's loop: the element is `e` in the condition's text; when the
        condition calls a function of its own (which reads `e` from env.vars), the loop sets env.vars too and
        restores it after, as the closure does."""
        source = unit.sub(node.source)  # outside the loop: an `e` in it is the enclosing one
        unit.named[var], unit.calls = "e", False
        cond = unit.expr(node.cond)
        del unit.named[var]
        if not unit.calls:
            return Generator._loop(source, cond, None)
        name = unit.const(var)
        return Generator._loop(source, cond, (f"env.vars.get({name}, _MISS)", f"env.vars[{name}] = e", [
            "if saved is _MISS:", f"    env.vars.pop({name}, None)", "else:", f"    env.vars[{name}] = saved"]))

    @staticmethod
    def _loop(source: str, cond: str, bound: tuple[str, str, list[str]] | None) -> str:
        """A `where`'s loop: the elements `e` of `source` for which `cond` holds (one without a field `cond` asks
        about does not match). `bound` (what to save, the statement binding `e`, the lines restoring it) when
        functions of the condition's own read the element from env rather than from `e`."""
        if bound is None:
            return ("    out = []\n"
                    f"    for e in {source}:\n"
                    "        try:\n"
                    f"            if {cond}:\n"
                    "                out.append(e)\n"
                    "        except _MissingField:\n"
                    "            continue\n"
                    "    return out\n")
        save, bind, restore = bound
        return (f"    saved, out = {save}, []\n"
                "    try:\n"
                f"        for e in {source}:\n"
                f"            {bind}\n"
                "            try:\n"
                f"                if {cond}:\n"
                "                    out.append(e)\n"
                "            except _MissingField:\n"
                "                continue\n"
                "    finally:\n"
                + "".join(f"        {line}\n" for line in restore)
                + "    return out\n")


class _Unit:
    """The constants and temporaries of one generated function."""

    def __init__(self, gen: Generator) -> None:
        self.gen = gen
        self.constants: dict[str, Any] = {}
        self.counter = itertools.count()
        self.fails = False  # whether the text written so far may raise Missing (a missing field in a `where` aside)
        self.it = "env.it"  # the text of `it`: a `where` loop's own variable when nothing else reads env.it
        self.calls = False  # whether the text calls a function of its own (which reads `it` from env.it)
        self.named: dict[str, str] = {}  # a named `where` element → its loop variable's text

    def const(self, value: Any) -> str:
        name = f"_k{next(self.counter)}"
        self.constants[name] = value
        return name

    def var(self) -> str:
        return f"_v{next(self.counter)}"

    def sub(self, node: ast.Node) -> str:
        """A child: its text, or a call of its closure (or of a function of its own) when it has none."""
        try:
            return self.expr(node)
        except _Unsupported:
            self.fails = self.calls = True  # a function of its own may raise Missing, and reads env.it
            return f"{self.const(self.gen.function(node))}(env)"

    def expr(self, node: ast.Node) -> str:
        method = getattr(self, "n_" + type(node).__name__, None)
        if method is None:
            raise _Unsupported
        text: str = method(node)
        return text

    def type(self, node: ast.Node) -> t.Type:
        typ: t.Type = self.gen.types[node]
        return typ

    # literals -------------------------------------------------------------------------------------
    def n_Number(self, node: ast.Number) -> str:
        return self.const(int(node.value) if node.is_int else node.value)

    def n_Quantity(self, node: ast.Quantity) -> str:
        return self.const(node.value if node.unit in ("money", "percent") else int(node.value))

    def n_DateLit(self, node: ast.DateLit) -> str:
        return self.const(node.value)

    def n_Text(self, node: ast.Text) -> str:
        return self.const(node.value)

    def n_Bool(self, node: ast.Bool) -> str:
        return "True" if node.value else "False"

    def n_ListLit(self, node: ast.ListLit) -> str:
        return "[" + "".join(f"{self.sub(i)}, " for i in node.items) + "]"

    # names ----------------------------------------------------------------------------------------
    def n_Name(self, node: ast.Name) -> str:
        sym = self.gen.symbols[node]
        if sym.kind not in _INLINE_NAMES:
            raise _Unsupported
        name = self.const(node.name)
        v = self.var()
        if sym.kind not in ("events", "rule", "it", "item", "as_of", "cases"):
            self.fails = True  # a fact, an offering, a value not there; a parameter; a `let` of its own
        return {
            "fact": f"({v} if ({v} := env.facts.get({name}, _MISS)) is not _MISS else _miss({name}))",
            "events": f"env.events.get({name}, ())",
            "param": f"env.param({name})",
            "rule": f"env.rules[{name}]",
            "it": self.it,
            "item": "env.item",
            "var": self.named.get(node.name) or f"env.vars[{name}]",
            "as_of": "env.as_of",
            "offering": f"({v} if ({v} := env.offering) is not None else _miss({self.const('offering')}))",
            "cases": "env.cases",
            "value": f"({v} if ({v} := env.rules.get({name}, {{}}).get('value')) is not None else _miss({name}))",
        }.get(sym.kind) or self._let(sym)

    def _let(self, sym: Any) -> str:
        """A `let`: a call of its own function."""
        self.calls = True
        return f"{self.const(sym.ref.fn)}(env)"

    def n_Attr(self, node: ast.Attr) -> str:
        from .compile import _label

        obj = node.obj
        if isinstance(obj, ast.Name) and obj.name in ("assume", "contract", "offering"):
            return self._namespace(obj.name, node.name)
        typ = self.type(obj)
        if isinstance(typ, t.ListType):
            return self._projection(node, typ)
        if node.name == "date" and isinstance(typ, t.Record) and typ.dated:
            return f"{self.sub(obj)}['date']"  # an event's date: always there
        sym = self.gen.symbols.get(obj) if isinstance(obj, ast.Name) else None
        miss = "_miss_field" if sym is not None and sym.kind in ("it", "var") else "_miss"
        self.fails = self.fails or miss == "_miss"
        v = self.var()
        return (f"({v} if ({v} := {self.sub(obj)}.get({self.const(node.name)}, None)) is not None "
                f"else {miss}({self.const(_label(obj, node.name))}))")

    def _projection(self, node: ast.Attr, typ: t.ListType) -> str:
        """`LIST.field`: the field of every element, Missing if one has none (as the closure; a field that is
        itself a list, flattened, stays the closure's)."""
        from .compile import _field_is_list, _label

        if isinstance(self.type(node), t.ListType) and _field_is_list(typ, node.name):
            raise _Unsupported
        self.fails = True
        return f"_projected({self.sub(node.obj)}, {self.const(node.name)}, {self.const(_label(node.obj, node.name))})"

    def _namespace(self, space: str, name: str) -> str:
        if space == "assume":
            return f"env.assume[{self.const(name)}]"
        if space == "contract":
            return "env.contract_start" if name == "start" else "env.contract_end"
        v = self.var()
        self.fails = True
        return (f"({v} if ({v} := env.offering_attrs.get({self.const(name)}, _MISS)) is not _MISS "
                f"else _miss({self.const('offering.' + name)}))")

    # operators ------------------------------------------------------------------------------------
    def n_Unary(self, node: ast.Unary) -> str:
        inner = self.sub(node.operand)
        return f"(not {inner})" if node.op == "not" else f"(-{inner})"

    def n_IfElse(self, node: ast.IfElse) -> str:
        cond, a, b = self.sub(node.cond), self.sub(node.then), self.sub(node.other)
        return f"({a} if {cond} else {b})"

    def n_Binary(self, node: ast.Binary) -> str:
        op = node.op
        if op == "??":
            return self._coalesce(node)
        lt, rt = self.type(node.left), self.type(node.right)
        if op in _LOGIC or op in _COMPARE:
            return f"({self.sub(node.left)} {op} {self.sub(node.right)})"
        if t.DATE in (lt, rt) and op in "+-":
            return self._date_arith(node, lt, rt)
        if t.DATETIME in (lt, rt):
            raise _Unsupported  # instants: compilefns.instant_arith
        if op == "/":
            return f"_divide({self.sub(node.left)}, {self.sub(node.right)})"
        if op in _NUMERIC:
            return f"({self.sub(node.left)} {op} {self.sub(node.right)})"
        raise _Unsupported

    def _date_arith(self, node: ast.Binary, lt: t.Type, rt: t.Type) -> str:
        from .compile import shifter

        if lt == rt == t.DATE:
            return f"({self.sub(node.left)} - {self.sub(node.right)}).days"
        date, dur, unit = (node.left, node.right, rt) if lt == t.DATE else (node.right, node.left, lt)
        shift = self.const(shifter(unit, self.gen.compiler.cals.working))
        sign = "-1" if node.op == "-" else "1"  # as the closure: sign * duration
        return f"{shift}({self.sub(date)}, {sign} * {self.sub(dur)})"

    def _coalesce(self, node: ast.Binary) -> str:
        """`a ?? b ?? c`: the first operand there and not none, when every operand but the last can be probed
        (no exception to catch); otherwise the closure."""
        operands: list[ast.Node] = []
        current: ast.Node = node
        while isinstance(current, ast.Binary) and current.op == "??":
            operands.insert(0, current.right)
            current = current.left
        operands.insert(0, current)
        probes = [self._probe(operand) for operand in operands[:-1]]  # first: give up before writing anything
        fails, self.fails = self.fails, False
        text = self.sub(operands[-1])
        # the last side may be missing (a name, a field of `it`, a function of its own): its Missing names the other
        # sides too (with_alternatives)
        if self.fails or "_miss" in text or "(env" in text:
            last = self.const(self.gen.function(operands[-1]))
            others = self.const(tuple(self.gen.compiler.closure(operand) for operand in operands[:-1]))
            text = f"_coalesce_last(env, {last}, {others})"
            self.calls = True  # functions of their own: they read `it` and named elements from env
        self.fails = fails or self.fails
        for probe in reversed(probes):
            v = self.var()
            text = f"({v} if ({v} := {probe}) is not None else {text})"
        return text

    def _probe(self, node: ast.Node) -> str:
        """The text of a probe: None instead of Missing for a fact, an offering attribute or an element's field
        (as compile.py's probe), and for the field of the first or last of a list of events (_first_field)."""
        sym = self.gen.symbols.get(node.obj if isinstance(node, ast.Attr) else node)
        if sym is None:
            return self._first_field(node)
        if isinstance(node, ast.Name) and sym.kind == "fact":
            return f"env.facts.get({self.const(node.name)})"
        if isinstance(node, ast.Attr) and isinstance(node.obj, ast.Name) and sym.kind == "offering":
            return f"env.offering_attrs.get({self.const(node.name)})"
        if isinstance(node, ast.Attr) and isinstance(node.obj, ast.Name) and sym.kind in ("item", "it", "var") \
                and not isinstance(self.type(node.obj), t.ListType):
            v = self.var()  # a record: an event, a dated amount, a case (each has `get`, as the closure reads it)
            return f"({v}.get({self.const(node.name)}) if ({v} := {self.sub(node.obj)}) is not None else None)"
        raise _Unsupported

    def _first_field(self, node: ast.Node) -> str:
        """`first(EVENTS).field` (or `last`) as a probe: None when the list is empty or its element has no such
        field, where the closure raises Missing. Only over a list that is never Missing itself (_unfailing)."""
        call = node.obj if isinstance(node, ast.Attr) else None
        if not isinstance(node, ast.Attr) or not isinstance(call, ast.Call) or call.fn not in ("first", "last") \
                or len(call.args) != 1:
            raise _Unsupported
        listed = self._unfailing(call.args[0])
        e, v = self.var(), self.var()
        element = f"({v}[{0 if call.fn == 'first' else -1}] if ({v} := {listed}) else None)"
        return f"({e}.get({self.const(node.name)}) if ({e} := {element}) is not None else None)"

    def _unfailing(self, node: ast.Node) -> str:
        """The text of a list of events that is never Missing: an event type's events, `answers(item, …)` of
        them, or a `where` over them whose condition reads nothing that may be missing (an element without
        the field it reads does not match); else _Unsupported."""
        if isinstance(node, ast.Name) and (sym := self.gen.symbols.get(node)) is not None and sym.kind == "events":
            return self.expr(node)
        if isinstance(node, ast.Call) and node.fn == "answers" and len(node.args) == 2 \
                and isinstance(node.args[0], ast.Name) and node.args[0].name in ("item", "it"):
            self._unfailing(node.args[1])
            return self.expr(node)
        if isinstance(node, ast.Where) and node.var is None:
            self._unfailing(node.source)
            if not self.gen.unfailing_condition(node):
                raise _Unsupported
            return self.sub(node)  # its own function: the loop, with the condition written out
        raise _Unsupported

    # calls ----------------------------------------------------------------------------------------
    def n_Call(self, node: ast.Call) -> str:
        fn, args = node.fn, node.args
        if fn in ("first", "last", "min", "max"):
            self.fails = True  # of an empty list
        if fn in ("first", "last") and len(args) == 1:
            v, index = self.var(), 0 if fn == "first" else -1
            return f"({v}[{index}] if ({v} := {self.sub(args[0])}) else _miss({self._label(node)}))"
        if fn in ("min", "max"):
            if len(args) == 1:  # of a list: missing when it is empty
                v = self.var()
                return f"({fn}({v}) if ({v} := {self.sub(args[0])}) else _miss({self._label(node)}))"
            return f"{fn}(" + ", ".join(self.sub(a) for a in args) + ")"
        if fn == "answers":
            listed = args[1]
            if isinstance(listed, ast.Name) and (sym := self.gen.symbols.get(listed)) is not None \
                    and sym.kind == "events":  # an event type's answers: from the case's index of them
                return f"_answers_to(env, {self.const(listed.name)}, {self.sub(args[0])}.get('_key'))"
            return f"_answering({self.sub(args[0])}.get('_key'), {self.sub(args[1])})"
        if fn == "count":
            return f"len({self.sub(args[0])})"
        if fn == "sum":
            zero = self.const(Decimal(0) if self.type(node) in (t.MONEY, t.PERCENT, t.DEC) else 0)
            return f"sum({self.sub(args[0])}, {zero})"
        if fn == "exists":
            return self._exists(node)
        if fn in ("next_weekday", "next_working_day"):
            cal = self.gen.compiler.cals.weekday if fn == "next_weekday" else self.gen.compiler.cals.working
            return f"{self.const(cal)}.next_working({self.sub(args[0])})"
        if fn == "working_days_between":
            return f"{self.const(self.gen.compiler.cals.working)}.count({self.sub(args[0])}, {self.sub(args[1])})"
        simple = _simple(fn)
        if simple is not None:  # a plain function of its arguments' values
            return f"{self.const(simple)}(" + ", ".join(self.sub(a) for a in args) + ")"
        raise _Unsupported

    def _label(self, node: ast.Node) -> str:
        """The node's own text (what a Missing from it names), as a constant."""
        return self.const(" ".join(self.gen.compiler.c.text[node.pos:node.end].split()))

    def _exists(self, node: ast.Call) -> str:
        arg = node.args[0]
        listed = isinstance(self.type(arg), t.ListType)
        try:  # a list (a case record's events, say) exists when it has elements
            return f"bool({self._probe(arg)})" if listed else f"({self._probe(arg)} is not None)"
        except _Unsupported:
            pass
        if listed:
            return f"bool({self.sub(arg)})"
        raise _Unsupported  # exists() of something that may be missing: the closure catches it


def _simple(fn: str) -> Callable[..., Any] | None:
    """compile.py's plain function for `fn`, when the closure compiler has no maker of its own for it."""
    from .compile import _SIMPLE, _Compiler
    from .compilefns import EXTRA

    if hasattr(_Compiler, "f_" + fn) or fn in EXTRA:
        return None
    return _SIMPLE.get(fn)
