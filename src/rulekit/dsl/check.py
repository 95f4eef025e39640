"""Static checks at load time: names, types and units. Produces a typed expression or errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..diagnostics import did_you_mean
from . import ast
from . import types as t
from .scope import Scope, Symbol

_ORDERED = {t.INT, t.DEC, t.MONEY, t.PERCENT, t.DATE, t.DATETIME, *t.DURATIONS, *t.TIME_SPANS}
_SUMMABLE = {t.INT, t.DEC, t.MONEY, t.PERCENT, *t.DURATIONS, *t.TIME_SPANS}


class CheckError(Exception):
    def __init__(self, code: str, message: str, node: ast.Node, hint: str | None = None,
                 offset: int | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint
        self.offset = node.pos if offset is None else offset


@dataclass
class Checked:
    """A type-checked expression: its AST, the type of every node, and what it refers to."""

    text: str
    node: ast.Node
    type: t.Type
    types: dict[ast.Node, t.Type] = field(default_factory=dict)
    symbols: dict[ast.Node, Symbol] = field(default_factory=dict)
    rules: set[str] = field(default_factory=set)
    params: set[str] = field(default_factory=set)
    facts: set[str] = field(default_factory=set)
    assumptions: set[str] = field(default_factory=set)
    warnings: list[CheckError] = field(default_factory=list)  # suspicious but valid: reported as warnings


def check(text: str, node: ast.Node, scope: Scope, expected: t.Type | None = None) -> Checked:
    """Type-check `node`; raise CheckError at the first problem."""
    out = Checked(text, node, t.NOTHING)
    typ = _Checker(out).visit(node, scope)
    if expected is not None and not _accepts(expected, typ):
        raise CheckError("E202", f"expected {expected} here, but this expression is {typ}", node,
                         _conversion_hint(expected, typ))
    out.type = typ
    return out


def _accepts(expected: t.Type, actual: t.Type) -> bool:
    if expected == actual or actual == t.NOTHING:
        return True
    if expected == t.DEC and actual == t.INT:
        return True
    if isinstance(expected, t.ListType) and isinstance(actual, t.ListType):
        return _accepts(expected.elem, actual.elem)
    return expected == t.TEXT and isinstance(actual, t.EnumType)


def _conversion_hint(expected: t.Type, actual: t.Type) -> str | None:
    if expected == t.MONEY and t.is_numeric(actual):
        return "write the amount with its currency, e.g. 3000 DKK"
    if expected in t.DURATIONS and t.is_numeric(actual):
        return f"write the number with its unit, e.g. 5 {expected.name}"
    if expected == t.PERCENT and t.is_numeric(actual):
        return "write a percentage, e.g. 10%"
    if expected == t.DATE and actual in t.DURATIONS:
        return "add the duration to a date, e.g. first(x).date + 5 working_days"
    if t.DATE in (expected, actual) and t.DATETIME in (expected, actual):
        return "date(x) is the local date of an instant x"
    if t.DATETIME in (expected, actual) and (expected in t.DURATIONS or actual in t.DURATIONS):
        return "add hours, minutes or service_hours to an instant; days to its date(…)"
    if expected == t.INT and actual == t.DEC:
        return "make it whole with ceil(x), floor(x) or round(x, 0)"
    if isinstance(expected, t.ListType) != isinstance(actual, t.ListType):
        listed = expected if isinstance(expected, t.ListType) else actual
        one = actual if listed is expected else expected
        if isinstance(listed, t.ListType) and t.comparable(listed.elem, one):
            return ("one side is a list: pick one with first(…), last(…) or sum(…); a value rule with `each` is read "
                    "per element as instance(RULE, item).value")
    return None


class _Checker:
    def __init__(self, out: Checked) -> None:
        self.out = out

    def visit(self, node: ast.Node, scope: Scope) -> t.Type:
        method: Callable[[ast.Node, Scope], t.Type] = getattr(self, "v_" + type(node).__name__)
        typ = method(node, scope)
        self.out.types[node] = typ
        return typ

    # literals -------------------------------------------------------------------------------
    def v_Number(self, node: ast.Number, scope: Scope) -> t.Type:
        return t.INT if node.is_int else t.DEC

    def v_Quantity(self, node: ast.Quantity, scope: Scope) -> t.Type:
        if node.unit in ("working_days", "days", "weeks", "months") and node.value != int(node.value):
            raise CheckError("E203", f"a count of {node.unit} must be a whole number", node)
        if node.unit in ("hours", "service_hours") and node.value != int(node.value):
            raise CheckError("E203", "a time span must be a whole number of seconds", node, "e.g. 90 minutes")
        if node.unit == "money" and node.currency not in (None, scope.currency):
            if node.currency not in CURRENCIES:
                raise CheckError("E203", f"'{node.currency}' is not an ISO 4217 currency code", node,
                                 did_you_mean(node.currency or "", sorted(CURRENCIES)) or f"e.g. {scope.currency}")
            raise CheckError("E203", f"an amount in {node.currency}, but this contract's currency is {scope.currency}",
                             node, f"write the amount in {scope.currency} (rulekit does not convert currencies), "
                             f"or declare `currency: {node.currency}`")
        return t.SCALARS[node.unit] if node.unit != "percent" else t.PERCENT

    def v_DateLit(self, node: ast.DateLit, scope: Scope) -> t.Type:
        return t.DATE

    def v_DateTimeLit(self, node: ast.DateTimeLit, scope: Scope) -> t.Type:
        return t.DATETIME

    def v_Text(self, node: ast.Text, scope: Scope) -> t.Type:
        return t.TEXT

    def v_Bool(self, node: ast.Bool, scope: Scope) -> t.Type:
        return t.BOOL

    def v_ListLit(self, node: ast.ListLit, scope: Scope) -> t.Type:
        elem: t.Type = t.NOTHING
        for item in node.items:
            typ = self.visit(item, scope)
            joined = t.unify(elem, typ)
            if joined is None:
                raise CheckError("E202", f"list items must have one type; found {elem} and {typ}", item)
            elem = joined
        return t.list_of(elem)

    # names ----------------------------------------------------------------------------------
    def v_Name(self, node: ast.Name, scope: Scope) -> t.Type:
        sym = scope.lookup(node.name)
        if sym is None and (why := scope.why_unseen(node.name)) is not None:
            raise CheckError("E201", f"'{node.name}' cannot be read here: {why}", node,
                             "read it in a statistic, settlement or check: they come after the portfolio's rules")
        if sym is None:
            hint = did_you_mean(node.name, [*scope.names(), *FUNCTION_NAMES])
            if node.name in FUNCTION_NAMES:
                hint = f"'{node.name}' is a function: call it, e.g. {node.name}(…)"
            hint = hint or "declare it (a fact, event type, parameter or rule), or name it under the rule's `let:`"
            raise CheckError("E201", f"unknown name '{node.name}'", node, hint)
        if sym.kind in ("assume", "contract"):
            raise CheckError("E202", f"'{node.name}' is not a value by itself", node,
                             "name one of its fields, e.g. assume.<assumption id> or contract.start")
        if sym.kind == "function":
            args = ", ".join(p for p, _ in sym.ref.params)
            raise CheckError("E202", f"'{node.name}' is a local function: call it with its arguments", node,
                             f"e.g. {node.name}({args})")
        self.out.symbols[node] = sym
        if sym.kind == "let" and sym.ref is not None:  # a local name reads what its expression reads
            inner: Checked = sym.ref.checked
            self.out.rules |= inner.rules
            self.out.params |= inner.params
            self.out.facts |= inner.facts
            self.out.assumptions |= inner.assumptions
        {"rule": self.out.rules, "param": self.out.params, "fact": self.out.facts}.get(
            sym.kind, set()).add(node.name)
        return sym.type

    def v_Attr(self, node: ast.Attr, scope: Scope) -> t.Type:
        if isinstance(node.obj, ast.Name) and node.obj.name == "offering" and scope.lookup("offering"):
            self.visit(node.obj, scope)
            return self._field(scope.offering_attrs, node, "offering attribute")
        sym = scope.lookup(node.obj.name) if isinstance(node.obj, ast.Name) else None
        if sym is not None and sym.kind in ("assume", "contract") and isinstance(sym.type, t.Record):
            if sym.kind == "contract" and not sym.type.fields:
                raise CheckError("E206", f"contract.{node.name}: this spec declares no agreement period", node,
                                 "add `period: {start: …, end: …}` at the top level, or use a fact or parameter")
            self.out.symbols[node.obj] = sym
            self.out.types[node.obj] = sym.type
            if sym.kind == "assume":
                self.out.assumptions.add(node.name)
            return self._field(sym.type, node, "field")
        base = self.visit(node.obj, scope)
        if isinstance(base, t.Record):
            if base.name == "assume":
                self.out.assumptions.add(node.name)
            return self._field(base, node, "field")
        if isinstance(base, t.ListType) and isinstance(base.elem, t.Record):
            field = self._field(base.elem, node, "field")
            return field if isinstance(field, t.ListType) else t.list_of(field)
        raise CheckError("E206", f"{base} has no fields (looked for '.{node.name}')", node,
                         "use first(…) or last(…) to pick one event from a list" if isinstance(base, t.ListType)
                         else None)

    def _field(self, record: t.Record, node: ast.Attr, what: str) -> t.Type:
        typ = record.field(node.name)
        if typ is None:
            hint = did_you_mean(node.name, record.field_names()) or (
                "known: " + ", ".join(record.field_names()) if record.fields else None)
            raise CheckError("E206", f"unknown {what} '{node.name}' of {record.name}", node, hint,
                             offset=node.end - len(node.name))
        return typ

    # operators ------------------------------------------------------------------------------
    def v_Unary(self, node: ast.Unary, scope: Scope) -> t.Type:
        typ = self.visit(node.operand, scope)
        if node.op == "not":
            self._expect_bool(node.operand, typ, "not")
            return t.BOOL
        if typ in _SUMMABLE:
            return typ
        raise CheckError("E202", f"cannot negate {typ}", node)

    def v_IfElse(self, node: ast.IfElse, scope: Scope) -> t.Type:
        self._expect_bool(node.cond, self.visit(node.cond, scope), "if")
        a, b = self.visit(node.then, scope), self.visit(node.other, scope)
        joined = t.unify(a, b)
        if joined is None:
            raise CheckError("E202", f"the branches of if/else differ: {a} and {b}", node.other)
        return joined

    def v_Where(self, node: ast.Where, scope: Scope) -> t.Type:
        src = self.visit(node.source, scope)
        if not isinstance(src, t.ListType):
            raise CheckError("E202", f"'where' filters a list, but this is {src}", node.source)
        if node.var is None:
            inner = scope.child(it=Symbol("it", "it", src.elem))
        else:
            self._check_var(node, node.var, scope)
            inner = scope.child(**{node.var: Symbol("var", node.var, src.elem)})
        self._expect_bool(node.cond, self.visit(node.cond, inner), "where")
        return src

    def v_Map(self, node: ast.Map, scope: Scope) -> t.Type:
        src = self.visit(node.source, scope)
        if not isinstance(src, t.ListType):
            raise CheckError("E202", f"'for … in' goes through a list, but this is {src}", node.source)
        self._check_var(node, node.var, scope)
        body = self.visit(node.body, scope.child(**{node.var: Symbol("var", node.var, src.elem)}))
        return t.list_of(body)

    def _check_var(self, node: ast.Node, var: str, scope: Scope) -> None:
        known = scope.lookup(var)
        if var == "it" or (known is not None and known.kind != "var"):
            raise CheckError("E210", f"'{var}' already names something here", node,
                             "pick another name for the element, e.g. e or inv")

    def v_Binary(self, node: ast.Binary, scope: Scope) -> t.Type:
        a, b = self.visit(node.left, scope), self.visit(node.right, scope)
        if node.op in ("==", "!=", "<", "<=", ">", ">=") and _reads_it(node.left):
            left, right = (self.out.text[n.pos:n.end].replace(" ", "") for n in (node.left, node.right))
            if left == right:
                nested = _it_depth(scope) > 1
                self.out.warnings.append(CheckError(
                    "W201", f"'{self.out.text[node.pos:node.end]}' compares "
                    + ("the inner `it` with itself: `it` is the element of the innermost where" if nested
                       else "an element with itself"), node,
                    "name the outer element (`LIST where e: …`) and compare with it, e.g. it.x == e.x"))
        return binary_type(node, a, b)

    def v_Call(self, node: ast.Call, scope: Scope) -> t.Type:
        rule = FUNCTIONS.get(node.fn)
        local = scope.lookup(node.fn) if rule is None else None
        if local is not None and local.kind == "function":
            return self._local_call(node, local, scope)
        if rule is None:
            raise CheckError("E204", f"unknown function '{node.fn}'", node,
                             did_you_mean(node.fn, FUNCTION_NAMES) or "see docs/spec-language.md for the list")
        args = [self.visit(a, scope) for a in node.args]
        if node.fn == "at" and node.args and isinstance(node.args[0], ast.Name):
            sym = self.out.symbols.get(node.args[0])
            if sym is None or sym.kind != "param":
                raise CheckError("E202", f"at() reads a parameter, and '{node.args[0].name}' is not one", node.args[0],
                                 "e.g. at(hourly_price, item.date)")
        if node.fn == "instance":
            one = self._instance_rule(node, args)
            return one if one is not None else rule(node, args)
        return rule(node, args)

    def _local_call(self, node: ast.Call, sym: Symbol, scope: Scope) -> t.Type:
        """`NAME(arg, …)` of a `let` with `params`: one argument of its type per parameter; it reads what its
        body reads."""
        fn = sym.ref
        params = ", ".join(f"{p}: {typ}" for p, typ in fn.params)
        if len(node.args) != len(fn.params):
            raise CheckError("E205", f"'{node.fn}' takes {len(fn.params)} argument(s) ({params}), got {len(node.args)}",
                             node, f"call it as {node.fn}(" + ", ".join(p for p, _ in fn.params) + ")")
        for arg, (param, typ) in zip(node.args, fn.params, strict=True):
            got = self.visit(arg, scope)
            if not _accepts(typ, got):
                raise CheckError("E202", f"'{node.fn}' takes {typ} for '{param}', but this is {got}", arg,
                                 _conversion_hint(typ, got) or f"give '{param}' a value of type {typ}")
        self.out.symbols[node] = sym
        inner: Checked = fn.body.checked
        self.out.rules |= inner.rules
        self.out.params |= inner.params
        self.out.facts |= inner.facts
        self.out.assumptions |= inner.assumptions
        return sym.type

    def _instance_rule(self, node: ast.Call, args: list[t.Type]) -> t.Type | None:
        """instance(RULE, element): RULE must be a rule with one instance per element (`each`). Returns the
        instance's type when it is not the rule's own (a value rule with `each`: one value, not the list)."""
        first: ast.Node = node.args[0] if node.args else node
        sym = self.out.symbols.get(first) if isinstance(first, ast.Name) else None
        if sym is None or sym.kind != "rule":
            raise CheckError("E202", "instance() reads a rule's instance, and its first argument is not a rule",
                             first, "e.g. instance(payment_due, item).due")
        if sym.ref != "each" and not isinstance(sym.ref, t.Record):
            output = "value" if isinstance(sym.type, t.Record) and dict(sym.type.fields).keys() == {"value"} else "due"
            raise CheckError("E202", f"rule '{sym.name}' has no `each`: it has one instance, read it as "
                             f"{sym.name}.<output>", first, f"write {sym.name}.{output} (or another output) instead")
        if isinstance(sym.ref, t.Record):
            _instance(node, args)  # its arity and element, as for any rule
            return sym.ref
        return None

    def _expect_bool(self, node: ast.Node, typ: t.Type, where: str) -> None:
        if typ != t.BOOL:
            raise CheckError("E202", f"'{where}' needs a true/false condition, but this is {typ}", node)


def _reads_it(node: ast.Node) -> bool:
    return any(isinstance(n, ast.Name) and n.name == "it" for n in ast.walk(node))


def _it_depth(scope: Scope) -> int:
    depth, current = 0, scope
    while current is not None:
        depth += "it" in current.symbols
        current = current.parent  # type: ignore[assignment]
    return depth


def binary_type(node: ast.Binary, a: t.Type, b: t.Type) -> t.Type:
    op = node.op
    if op in ("and", "or"):
        for side, typ in ((node.left, a), (node.right, b)):
            if typ != t.BOOL:
                raise CheckError("E202", f"'{op}' needs true/false on both sides, but this is {typ}", side)
        return t.BOOL
    if op == "??":
        joined = t.unify(a, b)
        if joined is None:
            raise CheckError("E202", f"both sides of ?? must have one type; found {a} and {b}", node.right,
                             _conversion_hint(a, b))
        return joined
    if op in ("in", "not in"):
        if not isinstance(b, t.ListType) or not t.comparable(a, b.elem):
            raise CheckError("E202", f"'{op}' needs a list of {a} on the right, but this is {b}", node.right)
        _check_enum_literals(node.left, a, b, node.right)
        return t.BOOL
    if op in ("==", "!=", "<", "<=", ">", ">="):
        return _compare_type(node, a, b)
    result = arithmetic_type(op, a, b)
    if result is None:
        raise _arith_error(node, a, b)
    return result


def _compare_type(node: ast.Binary, a: t.Type, b: t.Type) -> t.Type:
    if not t.comparable(a, b):
        raise CheckError("E203" if _is_quantity(a) and _is_quantity(b) else "E202",
                         f"cannot compare {a} with {b}", node, _conversion_hint(a, b))
    if node.op not in ("==", "!=") and not (a in _ORDERED or a == t.NOTHING):
        raise CheckError("E202", f"'{node.op}' needs numbers, money, dates or durations, not {a}", node)
    _check_enum_literal(a, node.right)
    _check_enum_literal(b, node.left)
    return t.BOOL


def _check_enum_literal(typ: t.Type, other: ast.Node) -> None:
    if isinstance(typ, t.EnumType) and isinstance(other, ast.Text) and other.value not in typ.values:
        raise CheckError("E207", f"'{other.value}' is not one of {', '.join(typ.values)}", other,
                         did_you_mean(other.value, typ.values))


def _check_enum_literals(left: ast.Node, a: t.Type, b: t.ListType, right: ast.Node) -> None:
    if isinstance(right, ast.ListLit):
        for item in right.items:
            _check_enum_literal(a, item)


def _is_quantity(typ: t.Type) -> bool:
    return typ in _SUMMABLE or typ in (t.DATE, t.DATETIME)


def _arith_error(node: ast.Binary, a: t.Type, b: t.Type) -> CheckError:
    verbs = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide"}
    if node.op in "+-" and _is_quantity(a) and _is_quantity(b):
        hint = _conversion_hint(a, b) or "both sides need the same unit"
        return CheckError("E203", f"unit error: cannot {verbs[node.op]} {b} {'to' if node.op == '+' else 'from'} {a}",
                          node, hint)
    if node.op in "*/" and _is_quantity(a) and _is_quantity(b):
        return CheckError("E203", f"unit error: cannot {verbs[node.op]} {a} by {b}", node,
                          "multiply a duration only by an integer, and money by a number or a percentage")
    return CheckError("E202", f"cannot {verbs.get(node.op, node.op)} {a} and {b}", node)


def arithmetic_type(op: str, a: t.Type, b: t.Type) -> t.Type | None:
    """The type of `a op b` for + - * /, or None when the units do not fit."""
    num = t.is_numeric
    if op in "+-":
        if a == b and (a in _SUMMABLE or (a == t.TEXT and op == "+")):
            return a
        if num(a) and num(b):
            return t.DEC
        if a == t.DATE and b in t.DURATIONS:
            return t.DATE
        if op == "+" and b == t.DATE and a in t.DURATIONS:
            return t.DATE
        if op == "-" and a == t.DATE and b == t.DATE:
            return t.INT  # a number of days, like days_between(b, a)
        if a == t.DATETIME and b in t.TIME_SPANS:
            return t.DATETIME
        if op == "+" and b == t.DATETIME and a in t.TIME_SPANS:
            return t.DATETIME
        if op == "-" and a == t.DATETIME and b == t.DATETIME:
            return t.HOURS
        return None
    if op == "*":
        for x, y in ((a, b), (b, a)):
            if x == t.MONEY and (num(y) or y == t.PERCENT):
                return t.MONEY
            if (x in t.DURATIONS or x in t.TIME_SPANS) and y == t.INT:
                return x
            if x == t.PERCENT and (num(y) or y == t.PERCENT):
                return t.PERCENT
        if num(a) and num(b):
            return t.INT if a == b == t.INT else t.DEC
        return None
    if op == "/":
        if a == b and a in (t.MONEY, t.PERCENT, *t.DURATIONS, *t.TIME_SPANS):
            return t.DEC
        if a in (t.MONEY, t.PERCENT) and num(b):
            return a
        if num(a) and num(b):
            return t.DEC
    return None


# functions ----------------------------------------------------------------------------------

Rule = Callable[[ast.Call, list[t.Type]], t.Type]


def _arity(node: ast.Call, args: list[t.Type], n: int) -> None:
    if len(args) != n:
        raise CheckError("E205", f"{node.fn}() takes {n} argument{'s' if n != 1 else ''}, got {len(args)}",
                         node)


def _list_arg(node: ast.Call, args: list[t.Type]) -> t.ListType:
    _arity(node, args, 1)
    if not isinstance(args[0], t.ListType):
        raise CheckError("E202", f"{node.fn}() needs a list, but this is {args[0]}", node.args[0],
                         "an event type's name is the list of its events")
    return args[0]


def _date_fn(result: t.Type, n: int = 1) -> Rule:
    def rule(node: ast.Call, args: list[t.Type]) -> t.Type:
        _arity(node, args, n)
        for arg, typ in zip(node.args, args, strict=True):
            if typ != t.DATE:
                raise CheckError("E202", f"{node.fn}() needs a date, but this is {typ}", arg)
        return result
    return rule


def _count(node: ast.Call, args: list[t.Type]) -> t.Type:
    _list_arg(node, args)
    return t.INT


def _exists(node: ast.Call, args: list[t.Type]) -> t.Type:
    _arity(node, args, 1)
    return t.BOOL


def _first(node: ast.Call, args: list[t.Type]) -> t.Type:
    return _list_arg(node, args).elem


def _extreme(node: ast.Call, args: list[t.Type]) -> t.Type:
    if len(args) == 1:
        typ = _list_arg(node, args).elem
    elif len(args) >= 2:
        joined: t.Type | None = args[0]
        for arg, typ in zip(node.args[1:], args[1:], strict=True):
            joined = t.unify(joined, typ) if joined else None
            if joined is None:
                raise CheckError("E203", f"{node.fn}() needs arguments of one unit; found {args[0]} and {typ}",
                                 arg, _conversion_hint(args[0], typ))
        typ = joined or t.NOTHING
    else:
        raise CheckError("E205", f"{node.fn}() needs a list or at least two values", node)
    if typ not in _ORDERED and typ != t.NOTHING:
        raise CheckError("E202", f"{node.fn}() cannot order {typ}", node)
    return typ


def _sum(node: ast.Call, args: list[t.Type]) -> t.Type:
    elem = _list_arg(node, args).elem
    if elem not in _SUMMABLE and elem != t.NOTHING:
        raise CheckError("E202", f"sum() cannot add up {elem}", node.args[0],
                         "pick a numeric field, e.g. sum(invoice_sent.amount)")
    return elem if elem != t.NOTHING else t.INT


def _round(node: ast.Call, args: list[t.Type]) -> t.Type:
    _arity(node, args, 2)
    if args[0] not in (t.MONEY, t.DEC, t.INT, t.PERCENT):
        raise CheckError("E202", f"round() rounds numbers and money, not {args[0]}", node.args[0])
    if not isinstance(node.args[1], ast.Number) or not node.args[1].is_int or node.args[1].value > 12:
        raise CheckError("E202", "round() takes the number of decimal places as a whole-number literal (0–12)",
                         node.args[1], "e.g. round(x, 2)")
    if args[0] == t.DEC and node.args[1].value == 0:
        return t.INT  # rounded to a whole number
    return args[0]


def _abs(node: ast.Call, args: list[t.Type]) -> t.Type:
    _arity(node, args, 1)
    if args[0] not in _SUMMABLE:
        raise CheckError("E202", f"abs() needs a number, money or a duration, not {args[0]}", node.args[0])
    return args[0]


def _avg(node: ast.Call, args: list[t.Type]) -> t.Type:
    elem = _sum(node, args)
    if elem in t.DURATIONS:
        raise CheckError("E202", f"avg() averages numbers, money or percentages, not {elem}", node.args[0])
    return t.DEC if elem == t.INT else elem


def _share(node: ast.Call, args: list[t.Type]) -> t.Type:
    _arity(node, args, 2)
    for arg, typ in zip(node.args, args, strict=True):
        if not isinstance(typ, t.ListType):
            raise CheckError("E202", f"share() needs two lists (part, whole), but this is {typ}", arg,
                             "e.g. share(cases where it.goal_reached.value, cases)")
    return t.PERCENT


def _percent(node: ast.Call, args: list[t.Type]) -> t.Type:
    _arity(node, args, 1)
    if not t.is_numeric(args[0]):
        raise CheckError("E202", f"percent() turns a number into a percentage, not {args[0]}", node.args[0])
    return t.PERCENT


def _answers(node: ast.Call, args: list[t.Type]) -> t.Type:
    _arity(node, args, 2)
    event, answers = args
    if not isinstance(event, t.Record):
        raise CheckError("E202", f"answers() needs an event first, not {event}", node.args[0],
                         "e.g. answers(item, documentation_delivered)")
    if not (isinstance(answers, t.ListType) and isinstance(answers.elem, t.Record)):
        raise CheckError("E202", f"answers() needs a list of events second, not {answers}", node.args[1],
                         "e.g. answers(item, documentation_delivered)")
    if event.name not in answers.elem.answers:
        declared = ", ".join(answers.elem.answers) or "nothing"
        raise CheckError("E230", f"'{answers.elem.name}' does not answer '{event.name}' (it answers {declared})",
                         node.args[1], f"declare `answers: {event.name}` on event '{answers.elem.name}'")
    return answers


def _instance(node: ast.Call, args: list[t.Type]) -> t.Type:
    _arity(node, args, 2)
    if not isinstance(args[1], t.Record):
        raise CheckError("E202", f"instance() needs an element of the rule's `each` second, not {args[1]}",
                         node.args[1], "e.g. instance(payment_due, item)")
    return args[0]


FUNCTIONS: dict[str, Rule] = {
    "count": _count, "exists": _exists, "first": _first, "last": _first, "min": _extreme, "max": _extreme,
    "sum": _sum, "round": _round, "abs": _abs,
    "working_days_between": _date_fn(t.INT, 2), "days_between": _date_fn(t.INT, 2),
    "is_working_day": _date_fn(t.BOOL), "next_weekday": _date_fn(t.DATE), "next_working_day": _date_fn(t.DATE),
    "end_of_month": _date_fn(t.DATE), "week_start": _date_fn(t.DATE), "year": _date_fn(t.INT),
    "month": _date_fn(t.INT), "quarter": _date_fn(t.INT), "months": _date_fn(t.list_of(t.DATE), 2),
    "avg": _avg, "share": _share, "percent": _percent, "answers": _answers, "instance": _instance,
}
from .checkfns import CURRENCIES, MORE_FUNCTIONS  # noqa: E402  (they use the helpers above)

FUNCTIONS.update(MORE_FUNCTIONS)
FUNCTION_NAMES = sorted(FUNCTIONS)
